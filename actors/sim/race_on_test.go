//go:build race

package sim

// raceEnabled: the race detector is on (allocation counts differ).
const raceEnabled = true
