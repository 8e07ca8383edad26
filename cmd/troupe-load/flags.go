package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/troupe-mud/troupe/actors/sim"
)

// options is what the command line asks for.
type options struct {
	cfg      sim.Config
	jsonPath string
	cpuProf  string // --cpuprofile: a pprof CPU profile of the whole run goes here
	verbose  bool
}

// errHelp is returned for -h/--help (usage already printed).
var errHelp = flag.ErrHelp

// parseFlags reads args (without the program name) into options and
// validates them; usage and errors go to stderr.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("troupe-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.cfg.Addr, "addr", sim.DefaultAddr, "server telnet address (host:port)")
	fs.IntVar(&o.cfg.Players, "players", 10, fmt.Sprintf("simulated players (1..%d)", sim.MaxPlayers))
	fs.Float64Var(&o.cfg.Rate, "rate", 1, "commands per second per player (think times are exponential around 1/rate)")
	fs.Float64Var(&o.cfg.Ramp, "ramp", sim.DefaultRamp, "new connections per second")
	fs.DurationVar(&o.cfg.Duration, "duration", 30*time.Second, fmt.Sprintf("run length, ramp included (at most %s)", sim.MaxDuration))
	fs.StringVar(&o.cfg.Profile, "profile", "normal", "command mix: "+sim.ProfileNames())
	fs.Int64Var(&o.cfg.Seed, "seed", 1, fmt.Sprintf("random seed and account name prefix load<seed>x<n> (0..%d)", sim.MaxSeed))
	fs.StringVar(&o.jsonPath, "json", "", "write the report as JSON to this file")
	fs.StringVar(&o.cfg.Password, "password", sim.DefaultPassword, "password of every sim account")
	fs.BoolVar(&o.cfg.ConnectOnly, "connect-only", false, "connect and log in, then idle (memory and socket measurements)")
	fs.DurationVar(&o.cfg.Timeout, "timeout", sim.DefaultTimeout, "deadline for each answer; a later answer is an error")
	fs.Float64Var(&o.cfg.GlobalRate, "global-rate", sim.DefaultGlobalRate, "most chat/shout/who commands per second across the whole run, each (their cost grows with the players); negative: no cap")
	fs.BoolVar(&o.cfg.AllowRemote, "allow-remote", false, "allow a non-loopback --addr")
	fs.StringVar(&o.cpuProf, "cpuprofile", "", "write a pprof CPU profile of troupe-load itself to this file")
	fs.BoolVar(&o.verbose, "v", false, "log connection failures")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("troupe-load: unexpected argument %q", fs.Arg(0))
	}
	if o.cfg.Ramp <= 0 {
		return nil, errors.New("troupe-load: --ramp must be positive")
	}
	if o.cfg.Timeout <= 0 {
		return nil, errors.New("troupe-load: --timeout must be positive")
	}
	if err := o.cfg.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}
