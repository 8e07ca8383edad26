package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/sim"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run is main with an exit code: 0 ok, 1 the run had errors or failed,
// 2 bad flags.
func run(args []string) int {
	o, err := parseFlags(args, os.Stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	level := zerolog.WarnLevel
	if o.verbose {
		level = zerolog.DebugLevel
	}
	log := zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(level).With().Timestamp().Logger()

	limit, err := raiseFileLimit()
	if err != nil {
		log.Warn().Err(err).Msg("could not raise the open file limit")
	}
	if limit > 0 && uint64(o.cfg.Players)+64 > limit {
		fmt.Fprintf(os.Stderr, "troupe-load: %d players need more open files than the limit %d allows\n", o.cfg.Players, limit)
		return 2
	}

	cfg := o.cfg
	cfg.Log = log
	cfg.Progress = os.Stdout
	cfg.ProgressTTY = isTerminal(os.Stdout)

	if o.cpuProf != "" {
		stopProfile, err := startCPUProfile(o.cpuProf)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer stopProfile()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	report, err := sim.Run(ctx, cfg)
	if report == nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	if werr := report.WriteTable(os.Stdout); werr != nil {
		fmt.Fprintln(os.Stderr, werr)
	}
	if o.jsonPath != "" {
		if werr := report.WriteJSONFile(o.jsonPath); werr != nil {
			fmt.Fprintln(os.Stderr, werr)
			return 1
		}
	}
	if err != nil || report.Errors > 0 || report.Disconnects > 0 {
		return 1
	}
	return 0
}

// startCPUProfile starts a pprof CPU profile into path; the returned
// function stops it and closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("troupe-load: cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("troupe-load: cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "troupe-load: cpu profile:", err)
		}
	}, nil
}

// isTerminal reports whether f is a character device (a terminal), without
// golang.org/x/term.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
