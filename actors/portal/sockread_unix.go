//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package portal

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// readFD reads once from the non-blocking socket fd. A read of 0 bytes is
// the peer's end of stream (io.EOF), as in net.Conn.Read.
func readFD(fd uintptr, p []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), p)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			if errors.Is(err, unix.EAGAIN) {
				return 0, err
			}
			return 0, os.NewSyscallError("read", err)
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// wouldBlock reports whether a read found nothing to read yet.
func wouldBlock(err error) bool { return errors.Is(err, unix.EAGAIN) }
