// Command troupe-load is troupe's load tester: it opens many simulated
// players (package actors/sim) against a troupe server, drives each through
// the login flow into the game, plays a weighted command mix at a given
// rate, and reports throughput, latency percentiles (HDR histograms), login
// times, errors and unexpected disconnects.
//
//	troupe-load --players 500 --rate 0.5 --ramp 100 --duration 60s --profile normal --json out.json
//
// main only parses flags and wires: the run itself is sim.Run. It raises
// the open-file limit to the hard limit first (every player is a socket),
// refuses non-loopback addresses without --allow-remote, runs at most
// sim.MaxDuration with at most sim.MaxPlayers, and stops early and cleanly
// on SIGINT/SIGTERM (printing the partial report). The progress line is
// redrawn with \r when stdout is a terminal (detected with
// os.ModeCharDevice, as golang.org/x/term is not a dependency) and printed
// as plain lines otherwise. The report gives troupe-load's own CPU time
// (getrusage) per command, since it shares the machine with a local server;
// --cpuprofile FILE writes a pprof CPU profile of the run.
//
// Exit status: 0 when the run had no errors and no unexpected disconnects,
// 1 otherwise (or when the run could not start), 2 for bad flags.
package main
