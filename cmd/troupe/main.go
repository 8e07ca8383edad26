// Command troupe is the troupe MUD server: it serves telnet with the
// embedded default world and store (or the ones named by flags) and shuts
// down cleanly on SIGINT or SIGTERM.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/server"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("troupe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	telnetAddr := fs.String("telnet", ":4000", "telnet listen address")
	dataDir := fs.String("data", "./data", "data directory for the embedded store")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	logFormat := fs.String("log-format", "console", "log format: console or json")
	name := fs.String("name", "troupe", "the game's name (greeting, MSSP)")
	dns := fs.Bool("dns", true, "resolve players' hostnames (reverse DNS)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log, err := newLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		fmt.Fprintln(stderr, "troupe:", err)
		return 2
	}
	_ = dataDir // the store lands with the accounts work

	srv, err := server.Start(server.Config{
		Telnet:           *telnetAddr,
		Name:             *name,
		Greeting:         greeting(*name),
		ResolveHostnames: *dns,
		Log:              log,
	})
	if err != nil {
		log.Error().Err(err).Msg("cannot start")
		return 1
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	s := <-sig
	log.Info().Str("signal", s.String()).Msg("shutting down")
	signal.Stop(sig)
	if err := srv.Shutdown("", 30*time.Second); err != nil {
		log.Error().Err(err).Msg("unclean shutdown")
		return 1
	}
	return 0
}

func greeting(name string) string {
	return fmt.Sprintf("\n{CWelcome to %s!{x\n\n", name)
}

func newLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		return zerolog.Logger{}, fmt.Errorf("bad --log-level %q (debug, info, warn, error)", level)
	}
	switch format {
	case "json":
		return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
	case "console":
		return zerolog.New(zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}).Level(lvl).With().Timestamp().Logger(), nil
	default:
		return zerolog.Logger{}, fmt.Errorf("bad --log-format %q (console or json)", format)
	}
}
