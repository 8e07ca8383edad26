//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package portal

import (
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// rawConn returns the socket's raw connection for non-blocking writes, or
// nil if it has none (tests with pipes, TLS, ...).
func rawConn(nc net.Conn) syscall.RawConn {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// tryWrite writes as much of bufs as the socket takes at once and never
// waits: the socket is non-blocking, so a full send buffer returns EAGAIN
// (n = 0) instead of blocking. It returns the bytes written.
func tryWrite(rc syscall.RawConn, bufs [][]byte) (int, error) {
	var n int
	var werr error
	err := rc.Write(func(fd uintptr) bool {
		for {
			n, werr = unix.Writev(int(fd), bufs)
			if !errors.Is(werr, unix.EINTR) {
				break
			}
		}
		if errors.Is(werr, unix.EAGAIN) {
			n, werr = 0, nil
		}
		return true // done: never wait for writability here
	})
	if err != nil {
		return 0, err
	}
	return max(n, 0), werr
}
