//go:build unix

package main

import "syscall"

// raiseFileLimit lifts the soft RLIMIT_NOFILE to the hard limit (every
// player holds a socket) and returns the limit now in force.
func raiseFileLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		want := rl
		want.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			return uint64(rl.Cur), err
		}
		rl = want
	}
	return uint64(rl.Cur), nil
}
