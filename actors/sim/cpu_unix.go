//go:build unix

package sim

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time this process has used so far, from
// getrusage(RUSAGE_SELF): user plus system (cpu) and the system part (sys);
// ok is false when it is unknown.
func processCPU() (cpu, sys time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), time.Duration(ru.Stime.Nano()), true
}
