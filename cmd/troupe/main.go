// Command troupe is the troupe MUD server: it serves telnet with the
// embedded default world and store (or the ones named by flags) and shuts
// down cleanly on SIGINT or SIGTERM.
//
// By default portal and game run in one process. `troupe game` and
// `troupe portal` run them as two processes linked over proto.actor
// remote, so that the game can restart (an admin's reboot, a crash, a
// SIGTERM) while the portal keeps every player's socket.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/world"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	mode := "troupe"
	if len(args) > 0 && (args[0] == "game" || args[0] == "portal") {
		mode, args = args[0], args[1:]
	}
	if mode == "portal" {
		return runPortal(args, stderr)
	}
	fs := flag.NewFlagSet(mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	telnetAddr := fs.String("telnet", ":4000", "telnet listen address (not in the game-only mode)")
	remoteAddr := fs.String("remote", "127.0.0.1:4101", "game only: the address portals reach the game on (proto.actor remote)")
	dataDir := fs.String("data", "./data", "data directory for the embedded store")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	logFormat := fs.String("log-format", "console", "log format: console or json")
	name := fs.String("name", "troupe", "the game's name (greeting, MSSP)")
	dns := fs.Bool("dns", true, "resolve players' hostnames (reverse DNS)")
	fastHash := fs.Bool("insecure-fast-hash", false, "hash passwords at bcrypt's minimum cost (tests and load runs only)")
	grace := fs.Duration("linkdead-grace", 3*time.Minute, "how long a linkdead character stays in the world")
	autosave := fs.Duration("autosave", 5*time.Minute, "interval of periodic character saves")
	idleTimeout := fs.Duration("idle-timeout", 30*time.Minute, "disconnect players idle this long (LINKDEATH/idle); warned 5 minutes before")
	loginTimeout := fs.Duration("login-timeout", 5*time.Minute, "close sockets that have not logged in after this long")
	worldDir := fs.String("world", "", "directory of area files (default: the embedded starter world)")
	gridWorld := fs.Int("grid-world", 0, "serve a generated grid world of this many rooms instead (load tests)")
	lineDelay := fs.Duration("line-delay", 100*time.Millisecond, "how long other players' lines may wait to share one write with more output to the same socket (0: write at once)")
	spread := fs.Bool("start-spread", false, "new characters start in a random room instead of the start room (load tests)")
	memLimit := fs.String("memory-limit", "", "soft memory limit for the Go runtime, e.g. 380MiB (the GC works harder as the heap nears it; also GOMEMLIMIT)")
	pprofAddr := fs.String("pprof", "", "serve Go's pprof profiles on this loopback address (e.g. 127.0.0.1:6060)")
	var admins stringList
	fs.Var(&admins, "admin", "account name with admin rights (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log, err := newLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		fmt.Fprintln(stderr, "troupe:", err)
		return 2
	}
	if *gridWorld > 0 && *worldDir != "" {
		fmt.Fprintln(stderr, "troupe: --grid-world and --world exclude each other")
		return 2
	}
	loadWorld := func() (*world.World, error) {
		switch {
		case *worldDir != "":
			return world.LoadDir(os.DirFS(*worldDir), ".")
		case *gridWorld > 0:
			return world.GenerateGrid(*gridWorld), nil
		}
		return nil, nil // the embedded starter world
	}
	w, err := loadWorld()
	if err != nil {
		fmt.Fprintf(stderr, "troupe: the world in %s has problems; not starting:\n%v\n", *worldDir, err)
		return 1
	}
	if err := runtimeFlags(*memLimit, *pprofAddr, log); err != nil {
		fmt.Fprintln(stderr, "troupe:", err)
		return 2
	}
	if *fastHash {
		log.Warn().Msg("--insecure-fast-hash: passwords are hashed at bcrypt's minimum cost; never use this for real players")
	}

	cfg := server.Config{
		Telnet:           *telnetAddr,
		Name:             *name,
		Greeting:         greeting(*name),
		ResolveHostnames: *dns,
		Log:              log,
		DataDir:          *dataDir,
		InsecureFastHash: *fastHash,
		World:            w,
		LinkdeadGrace:    *grace,
		Autosave:         *autosave,
		Admins:           admins,
		StartSpread:      *spread,
		LineDelay:        lineDelayFlag(*lineDelay),
		IdleTimeout:      *idleTimeout,
		IdleWarn:         max(*idleTimeout-5*time.Minute, *idleTimeout/2),
		LoginTimeout:     *loginTimeout,
		ReloadWorld:      loadWorld,
	}
	start := server.Start
	if mode == "game" {
		cfg.Remote = *remoteAddr
		cfg.OnReboot = func() { reexec(log) }
		start = server.StartGame
	}
	srv, err := start(cfg)
	if err != nil {
		log.Error().Err(err).Msg("cannot start")
		return 1
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	select {
	case s := <-sig:
		if mode == "game" {
			// The portal keeps the players' sockets until a game is back.
			log.Info().Str("signal", s.String()).Msg("stopping the game; the portal keeps the players")
			if err := srv.Stop("stopped", 30*time.Second); err != nil {
				log.Error().Err(err).Msg("unclean stop")
				return 1
			}
			return 0
		}
		log.Info().Str("signal", s.String()).Msg("shutting down")
		if err := srv.Shutdown("", 30*time.Second); err != nil {
			log.Error().Err(err).Msg("unclean shutdown")
			return 1
		}
	case <-srv.Done(): // an admin typed shutdown (or a reboot failed)
	}
	return 0
}

// reexec replaces the game process with a fresh start of its binary (the
// file on disk now: a rebuilt game comes up with the new code).
func reexec(log zerolog.Logger) {
	exe, err := os.Executable()
	if err == nil {
		log.Info().Str("binary", exe).Msg("rebooting: starting the game again")
		err = syscall.Exec(exe, os.Args, os.Environ())
	}
	log.Error().Err(err).Msg("reboot: could not start the game again; exiting (a supervisor may restart it)")
	os.Exit(1)
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

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

// runtimeFlags applies --memory-limit and --pprof (either may be empty)
// and starts the default GC policy (see gc.go) unless the operator chose
// GOGC, GOMEMLIMIT or --memory-limit.
func runtimeFlags(memLimit, pprofAddr string, log zerolog.Logger) error {
	if memLimit != "" {
		n, err := parseBytes(memLimit)
		if err != nil {
			return fmt.Errorf("--memory-limit: %w", err)
		}
		debug.SetMemoryLimit(n)
	}
	startGCPolicy(memLimit, log)
	if pprofAddr != "" {
		return servePprof(pprofAddr, log)
	}
	return nil
}

// servePprof serves net/http/pprof on a loopback address only.
func servePprof(addr string, log zerolog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad --pprof address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--pprof must listen on a loopback address, not %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() { _ = http.Serve(ln, mux) }()
	log.Info().Str("addr", ln.Addr().String()).Msg("serving pprof")
	return nil
}

// parseBytes reads a size like "380MiB", "1GiB", "500MB" or "1048576".
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q (e.g. 380MiB)", s)
	}
	return n * mult, nil
}
