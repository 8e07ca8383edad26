package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/troupe-mud/troupe/actors/portal"
	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/wire"
)

// runPortal is `troupe portal`: the players' sockets, linked to a game
// process that may come and go.
func runPortal(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	telnetAddr := fs.String("telnet", ":4000", "telnet listen address")
	remoteAddr := fs.String("remote", "127.0.0.1:4102", "the portal's own address for proto.actor remote")
	gameAddr := fs.String("game", "127.0.0.1:4101", "the game's remote address (troupe game --remote)")
	name := fs.String("name", "troupe", "the game's name (MSSP)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	logFormat := fs.String("log-format", "console", "log format: console or json")
	maxConns := fs.Int("max-connections", 0, "refuse sockets past this many (0: no limit)")
	lineDelay := fs.Duration("line-delay", 100*time.Millisecond, "how long other players' lines may wait to share one write with more output to the same socket (0: write at once)")
	memLimit := fs.String("memory-limit", "", "soft memory limit for the Go runtime, e.g. 200MiB")
	pprofAddr := fs.String("pprof", "", "serve Go's pprof profiles on this loopback address")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log, err := newLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		fmt.Fprintln(stderr, "troupe portal:", err)
		return 2
	}
	if err := runtimeFlags(*memLimit, *pprofAddr, log); err != nil {
		fmt.Fprintln(stderr, "troupe portal:", err)
		return 2
	}
	system := server.NewActorSystem(log)
	r, err := wire.StartRemote(system, *remoteAddr)
	if err != nil {
		log.Error().Err(err).Msg("cannot start")
		return 1
	}
	cfg := server.PortalConfig(server.Config{Telnet: *telnetAddr, Name: *name, MaxConnections: *maxConns, LineDelay: lineDelayFlag(*lineDelay), Log: log}, nil, *gameAddr)
	p, err := portal.Start(system, cfg)
	if err != nil {
		log.Error().Err(err).Msg("cannot start")
		wire.Shutdown(r)
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	s := <-sig
	log.Info().Str("signal", s.String()).Msg("portal shutting down")
	code := 0
	if err := p.Shutdown(server.DefaultGoodbye, 30*time.Second); err != nil {
		log.Error().Err(err).Msg("unclean shutdown")
		code = 1
	}
	wire.Shutdown(r)
	system.Shutdown()
	return code
}

// lineDelayFlag turns --line-delay into the configuration's value: the flag
// says 0 for "at once", the configuration says negative.
func lineDelayFlag(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}
