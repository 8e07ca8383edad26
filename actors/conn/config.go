package conn

import (
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/msg"
)

// DefaultDNSTimeout bounds a reverse lookup when Config leaves it zero.
const DefaultDNSTimeout = 5 * time.Second

// Config is shared, read-only configuration for every connection actor.
// Build it once before the server starts; nothing modifies it afterwards.
type Config struct {
	// Boot is the game's boot id: a new one each time the game starts.
	Boot string
	// First returns the input handler a newly admitted connection starts
	// with (the login flow). Required.
	First func() Frame
	// Greeting, if not empty, is sent (as game text) before the first
	// handler's prompt.
	Greeting string
	// ResolveHostnames turns on reverse DNS of the peer address.
	ResolveHostnames bool
	// DNSTimeout bounds the reverse lookup (default 5 s).
	DNSTimeout time.Duration
	// Aux holds the constructors of per-socket auxiliary data by name;
	// Socket.Aux(name) creates the value on first use.
	Aux map[string]func() any
	// Sockets is the published socket list that Socket.SocketList reads.
	Sockets *msg.SocketList
	// Log is the parent logger; each connection adds its uid.
	Log zerolog.Logger
	// Now is the clock (tests may replace it); nil means time.Now.
	Now func() time.Time

	// The idle monitor, run on a repeating scheduler event every IdleCheck
	// (default 30 s; negative turns it off): a socket that has not logged
	// into an account LoginTimeout after connecting (default 5 minutes) is
	// closed; a player idle for IdleWarn (default 25 minutes) is warned
	// once, and at IdleTimeout (default 30 minutes) disconnected as
	// LINKDEATH/idle (the character goes linkdead as usual).
	IdleCheck    time.Duration
	LoginTimeout time.Duration
	IdleWarn     time.Duration
	IdleTimeout  time.Duration
}

func orDur(v, d time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return d
}

func (c *Config) dnsTimeout() time.Duration {
	if c.DNSTimeout > 0 {
		return c.DNSTimeout
	}
	return DefaultDNSTimeout
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
