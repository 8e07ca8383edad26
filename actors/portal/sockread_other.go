//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package portal

// On this platform rawConn is nil and every read goes through net.Conn.Read.

func readFD(uintptr, []byte) (int, error) { return 0, nil }

func wouldBlock(error) bool { return false }
