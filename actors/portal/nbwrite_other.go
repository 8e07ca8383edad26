//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package portal

import (
	"net"
	"syscall"
)

// rawConn: no non-blocking writes on this platform; every write goes
// through a writer goroutine.
func rawConn(net.Conn) syscall.RawConn { return nil }

func tryWrite(syscall.RawConn, [][]byte) (int, error) { return 0, nil }
