//go:build !unix

package sim

import "syscall"

// writeNow writes nothing where non-blocking writes are not at hand: every
// write goes to a write goroutine.
func writeNow(syscall.RawConn, []byte) (int, error) { return 0, nil }
