//go:build !unix

package sim

import "time"

// processCPU is unknown where getrusage does not exist.
func processCPU() (cpu, sys time.Duration, ok bool) { return 0, 0, false }
