package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
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

// isTerminal reports whether f is a character device (a terminal), without
// golang.org/x/term.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
