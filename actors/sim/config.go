package sim

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/rs/zerolog"
)

// Bounds a load run refuses to exceed: the tester stops by itself and never
// turns into an accidental flood.
const (
	MaxPlayers  = 50000     // players in one run
	MaxDuration = time.Hour // length of one run
	MaxRate     = 100.0     // commands per second per player
	MaxSeed     = 999999    // keeps generated names short (see names.go)
	MinPassword = 6         // the server refuses shorter passwords
	MaxPassword = 72        // bcrypt's limit
)

// Defaults for the zero fields of a Config.
const (
	DefaultAddr     = "127.0.0.1:4000"
	DefaultPassword = "loadtest"
	DefaultTimeout  = 10 * time.Second
	DefaultRamp     = 200.0 // connections per second
	// DefaultGlobalRate is how many times a second the whole run sends each
	// Global command (chat, who) by default: about what a busy channel
	// carries, whatever the number of players.
	DefaultGlobalRate = 2.0
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("sim: invalid configuration")

// Config describes one load run. Validate (called by Run) fills defaults and
// checks bounds.
type Config struct {
	// Addr is the server's telnet address, host:port.
	Addr string
	// Players is how many simulated players connect (1..MaxPlayers).
	Players int
	// Rate is the target commands per second of one player in the game;
	// think times are exponentially distributed around 1/Rate (a Poisson
	// stream), measured from one command's send to the next.
	Rate float64
	// Ramp is how many connections are opened per second; 0 means
	// DefaultRamp.
	Ramp float64
	// Duration is the run's length from the first connection to the stop
	// (ramp included).
	Duration time.Duration
	// Profile names the command mix: idler, looker, walker, talker,
	// builder, crowd (look alone) or normal (the default).
	Profile string
	// Seed makes the run reproducible and names the accounts
	// (load<seed>x<n>). 0..MaxSeed.
	Seed int64
	// Password is every sim account's password (MinPassword.. MaxPassword
	// bytes).
	Password string
	// ConnectOnly players log in and then send nothing.
	ConnectOnly bool
	// Timeout bounds the wait for each answer (login steps and commands);
	// an answer later than that is an error.
	Timeout time.Duration
	// GlobalRate caps how often the whole run sends each Global profile
	// entry (chat, shout, who), in commands per second: a channel line goes
	// to every player and who lists every player, so at a fixed share of
	// the mix their cost would grow with the square of the players, which
	// no real population does. A draw over the cap is replaced by another
	// draw. 0 means DefaultGlobalRate; a negative value removes the cap.
	GlobalRate float64
	// AllowRemote permits a non-loopback Addr.
	AllowRemote bool

	// Progress, if set, gets a live progress line once a second.
	Progress io.Writer
	// ProgressTTY redraws the progress line in place with \r instead of
	// writing one line per second.
	ProgressTTY bool
	// OnProgress, if set, is called with each progress sample, on the
	// goroutine that called Run (tests use it to end a run on a state, not
	// a clock).
	OnProgress func(Progress)
	// Log receives the run's own diagnostics (protoactor's too).
	Log zerolog.Logger
}

// Validate fills the defaults of zero fields and reports the first field
// out of bounds. The error wraps ErrConfig and names the flag-like field.
func (c *Config) Validate() error {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Ramp == 0 {
		c.Ramp = DefaultRamp
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Password == "" {
		c.Password = DefaultPassword
	}
	if c.GlobalRate == 0 {
		c.GlobalRate = DefaultGlobalRate
	}
	if c.Profile == "" {
		c.Profile = "normal"
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return fmt.Errorf("%w: addr %q is not host:port", ErrConfig, c.Addr)
	}
	if !c.AllowRemote && !isLoopback(host) {
		return fmt.Errorf("%w: addr %q is not a loopback address (pass --allow-remote to load a remote server)", ErrConfig, c.Addr)
	}
	switch {
	case c.Players < 1 || c.Players > MaxPlayers:
		return fmt.Errorf("%w: players must be 1..%d, got %d", ErrConfig, MaxPlayers, c.Players)
	case c.Rate < 0 || c.Rate > MaxRate || c.Rate != c.Rate:
		return fmt.Errorf("%w: rate must be 0..%g commands/s per player, got %g", ErrConfig, MaxRate, c.Rate)
	case c.GlobalRate != c.GlobalRate:
		return fmt.Errorf("%w: global rate must be a number", ErrConfig)
	case c.Ramp < 0 || c.Ramp != c.Ramp:
		return fmt.Errorf("%w: ramp must be positive, got %g", ErrConfig, c.Ramp)
	case c.Duration <= 0 || c.Duration > MaxDuration:
		return fmt.Errorf("%w: duration must be >0 and at most %s, got %s", ErrConfig, MaxDuration, c.Duration)
	case c.Timeout < 0 || c.Timeout > MaxDuration:
		return fmt.Errorf("%w: timeout must be >0 and at most %s, got %s", ErrConfig, MaxDuration, c.Timeout)
	case c.Seed < 0 || c.Seed > MaxSeed:
		return fmt.Errorf("%w: seed must be 0..%d, got %d", ErrConfig, MaxSeed, c.Seed)
	case len(c.Password) < MinPassword || len(c.Password) > MaxPassword:
		return fmt.Errorf("%w: password must be %d..%d bytes", ErrConfig, MinPassword, MaxPassword)
	}
	for _, r := range c.Password {
		if r <= ' ' || r == 0x7f || r == 0xff {
			return fmt.Errorf("%w: password must be printable with no spaces", ErrConfig)
		}
	}
	if _, ok := Profiles[c.Profile]; !ok {
		return fmt.Errorf("%w: unknown profile %q (one of %s)", ErrConfig, c.Profile, ProfileNames())
	}
	return nil
}

// isLoopback reports whether host names the local machine: a loopback IP
// or "localhost". Other names are not resolved (no DNS for a safety check).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
