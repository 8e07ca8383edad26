//go:build unix

package sim

import "syscall"

// writeNow writes as much of b as the socket takes at once, without
// waiting: one non-blocking write(2) (retried on EINTR) inside rc.Write,
// whose callback always reports done so that the runtime never parks the
// caller. n < len(b) with a nil error means the socket's buffer is full and
// the rest must wait for a write goroutine.
func writeNow(rc syscall.RawConn, b []byte) (n int, err error) {
	var werr error
	cerr := rc.Write(func(fd uintptr) bool {
		for n < len(b) {
			k, e := syscall.Write(int(fd), b[n:])
			if k > 0 {
				n += k
			}
			switch {
			case e == syscall.EINTR:
				continue
			case e == syscall.EAGAIN:
			case e != nil:
				werr = e
			case k > 0:
				continue
			}
			break
		}
		return true
	})
	if cerr != nil {
		return n, cerr
	}
	return n, werr
}
