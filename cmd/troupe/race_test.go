//go:build race

package main

// raceEnabled: the tests run under the race detector, so the binary is built
// with -race too (it reuses the test build's cache and reports data races
// in the real process).
const raceEnabled = true
