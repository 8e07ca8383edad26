package portal

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/wire"
	"github.com/troupe-mud/troupe/net/listener"
	"github.com/troupe-mud/troupe/net/telnet"
)

// Defaults for Config's zero fields.
const (
	DefaultSendQueue    = 256 << 10
	DefaultWriteTimeout = 30 * time.Second
	DefaultPingEvery    = 250 * time.Millisecond
	DefaultDownAfter    = 1500 * time.Millisecond
	DefaultLineDelay    = 100 * time.Millisecond
)

// Config configures a portal. Nothing modifies it after Start.
type Config struct {
	// Listener, if set, is served as is (tests pass 127.0.0.1:0);
	// otherwise Telnet is the address to listen on (default ":4000").
	Listener net.Listener
	Telnet   string
	// Protocol configures each socket's telnet state.
	Protocol telnet.Config
	// SendQueue bounds the bytes waiting to be written to one socket
	// (default 256 KiB); a client whose queue overflows is disconnected
	// (LINKDEATH/sendq). WriteTimeout bounds one write (default 30 s).
	SendQueue    int
	WriteTimeout time.Duration
	// LineDelay is how long a line that is not a command's answer (someone
	// else's say, a channel line) may wait for more output to the same
	// socket, so that they share one write (default 100 ms, a classic MUD
	// pulse; negative: write at once). Answers and the session's output are
	// written at once, with whatever lines wait.
	LineDelay time.Duration
	// MaxConnections refuses sockets past this many (0: no limit).
	MaxConnections int
	// Game is the address (host:port) of the game's actor system; empty
	// means the portal's own actor system (the one-process mode).
	Game string
	// PingEvery is the heartbeat to the game (default 250 ms); the game is
	// down when nothing at all came from it for DownAfter (default 1.5 s):
	// neither a pong nor any message to a link. A busy game answers pings
	// late but keeps talking to its links, and is not declared down.
	PingEvery, DownAfter time.Duration
	// Log is the parent logger.
	Log zerolog.Logger

	boot     string        // this portal's boot id
	gameSess *actor.PID    // the game's sessions service: its well-known name at the game's address
	players  *atomic.Int64 // links on which a character plays (MSSP)
	heard    *atomic.Int64 // unix nanoseconds of the last message any link got from the game
	started  time.Time
}

func (c *Config) sendQueue() int {
	if c.SendQueue > 0 {
		return c.SendQueue
	}
	return DefaultSendQueue
}

func (c *Config) writeTimeout() time.Duration {
	if c.WriteTimeout > 0 {
		return c.WriteTimeout
	}
	return DefaultWriteTimeout
}

func (c *Config) msspVars() map[string][]string {
	name := c.Protocol.Name
	if name == "" {
		name = "troupe"
	}
	return map[string][]string{
		"NAME":              {name},
		"PLAYERS":           {strconv.FormatInt(c.players.Load(), 10)},
		"UPTIME":            {strconv.FormatInt(c.started.Unix(), 10)},
		"CODEBASE":          {"troupe"},
		"FAMILY":            {"Custom"},
		"ANSI":              {"1"},
		"UTF-8":             {"1"},
		"GMCP":              {"1"},
		"MCCP":              {"1"},
		"MSSP":              {"1"},
		"XTERM 256 COLORS":  {"1"},
		"XTERM TRUE COLORS": {"1"},
	}
}

// Portal is a running portal: its listener and actor.
type Portal struct {
	// PID is the portal actor.
	PID *actor.PID

	system  *actor.ActorSystem
	cfg     *Config
	ln      net.Listener
	serving sync.WaitGroup
	once    sync.Once
	sub     *eventSub
}

// Start spawns the portal actor ("portal") in system and starts serving.
// The game is found at cfg.Game (or in system itself) by its well-known
// sessions name; the portal links to it and keeps doing so across restarts.
func Start(system *actor.ActorSystem, cfg Config) (*Portal, error) {
	ln, err := listener.Open(cfg.Listener, cfg.Telnet)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	c := &cfg
	c.Listener = nil
	c.players = new(atomic.Int64)
	c.heard = new(atomic.Int64)
	c.boot = NewBootID()
	c.started = time.Now()
	gameAddr := c.Game
	if gameAddr == "" {
		gameAddr = system.Address()
	}
	c.gameSess = actor.NewPID(gameAddr, msg.ServiceSessions)
	if c.PingEvery <= 0 {
		c.PingEvery = DefaultPingEvery
	}
	if c.DownAfter <= 0 {
		c.DownAfter = DefaultDownAfter
	}
	switch {
	case c.LineDelay == 0:
		c.LineDelay = DefaultLineDelay
	case c.LineDelay < 0:
		c.LineDelay = 0
	}
	p := &Portal{system: system, cfg: c, ln: ln}
	pid, err := system.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor {
		return &portalActor{cfg: c}
	}, actor.WithReceiverMiddleware(wire.Middleware), actor.WithSupervisor(stopLinks)), "portal")
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("portal: spawning: %w", err)
	}
	p.PID = pid
	p.sub = watchEndpoints(system, pid, gameAddr)
	p.serving.Add(1)
	go func() {
		defer p.serving.Done()
		root := system.Root
		if err := listener.Serve(ln, c.Log, func(nc net.Conn) { root.Send(pid, &accept{nc: nc}) }); err != nil {
			c.Log.Error().Err(err).Msg("listener stopped")
		}
	}()
	c.Log.Info().Str("addr", ln.Addr().String()).Str("game", gameAddr).Msg("portal serving telnet")
	return p, nil
}

// Addr returns the address the portal listens on.
func (p *Portal) Addr() net.Addr { return p.ln.Addr() }

// Status asks the portal how it stands.
func (p *Portal) Status(timeout time.Duration) (*Status, error) {
	res, err := p.system.Root.RequestFuture(p.PID, &statusReq{}, timeout).Result()
	if err != nil {
		return nil, err
	}
	st, ok := res.(*Status)
	if !ok {
		return nil, fmt.Errorf("portal: status: unexpected %T", res)
	}
	return st, nil
}

// Shutdown stops accepting, closes every socket with message (after the
// text already queued), and stops the portal actor. Safe to call twice.
func (p *Portal) Shutdown(message string, timeout time.Duration) error {
	var err error
	p.once.Do(func() {
		_ = p.ln.Close()
		p.serving.Wait()
		p.sub.stop()
		if _, ferr := p.system.Root.RequestFuture(p.PID, &shutdown{message: message}, timeout).Result(); ferr != nil {
			err = fmt.Errorf("portal: shutdown: %w", ferr)
		}
		_ = p.system.Root.StopFuture(p.PID).Wait()
	})
	return err
}

// Status is the portal's state (tests and the load tester read it).
type Status struct {
	GameUp       bool
	GameBoot     string
	Links        int
	Attached     int       // links whose session answered since the game came up
	UpSince      time.Time // when the game last came up (first pong)
	AllAttached  time.Time // when every link had re-attached after that
	Reattaches   int       // how many times the game came back
	LastDownTook time.Duration
}

// Messages of the portal actor.
type (
	accept       struct{ nc net.Conn }
	tick         struct{}
	statusReq    struct{}
	shutdown     struct{ message string }
	shutdownDone struct{} // every link is gone
	// attachedNote: a link's session answered.
	attachedNote struct{}
	// endpointDown: proto.actor remote lost the game's endpoint.
	endpointDown struct{}
)

// portalActor owns the links and watches the game. Its fields are owned by
// its mailbox.
type portalActor struct {
	cfg  *Config
	self *actor.PID

	links   map[uint64]*actor.PID
	byID    map[string]uint64
	nextUID uint64

	up         bool
	boot       string
	lastPong   time.Time
	lastPing   time.Time
	downAt     time.Time
	st         Status
	waitAttach int // links asked to attach since the game came up

	shutting   bool
	shutdownTo []*actor.PID

	linkProps *actor.Props // the one Props of every link (see spawnLink)
	nextLink  actor.Actor  // the link spawnLink is spawning, for linkProps' producer; nil otherwise
}

// Receive is the portal's single entry point.
func (p *portalActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		p.self = ctx.Self()
		p.links = make(map[uint64]*actor.PID)
		p.byID = make(map[string]uint64)
		p.ping(ctx)
		p.scheduleTick(ctx)
	case *accept:
		p.accept(ctx, m.nc)
	case *tick:
		p.tick(ctx)
	case *link.Pong:
		p.pong(ctx, m)
	case *link.Down:
		if m.Boot == p.boot {
			p.cfg.Log.Info().Str("reason", m.Reason).Msg("the game is going down")
			p.markDown(ctx, m.Reason)
		}
	case *endpointDown:
		if p.up {
			p.markDown(ctx, "endpoint terminated")
		}
	case *attachedNote:
		p.st.Attached++
		if p.st.Attached == p.waitAttach && p.st.AllAttached.IsZero() {
			p.st.AllAttached = time.Now()
			p.cfg.Log.Info().Int("sessions", p.st.Attached).
				Dur("took", p.st.AllAttached.Sub(p.st.UpSince)).Msg("every session attached")
		}
	case *statusReq:
		st := p.st
		st.GameUp, st.GameBoot, st.Links = p.up, p.boot, len(p.links)
		ctx.Respond(&st)
	case *shutdown:
		p.shutdown(ctx, m.message)
	case *actor.Terminated:
		if uid, ok := p.byID[m.Who.Id]; ok {
			delete(p.byID, m.Who.Id)
			delete(p.links, uid)
		}
		p.checkShutdown(ctx)
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		p.cfg.Log.Debug().Str("msg", fmt.Sprintf("%T", m)).Msg("portal: unhandled message")
	}
}

func (p *portalActor) scheduleTick(ctx actor.Context) {
	self, root := p.self, ctx.ActorSystem().Root
	time.AfterFunc(p.cfg.PingEvery, func() { root.Send(self, &tick{}) })
}

func (p *portalActor) ping(ctx actor.Context) {
	p.lastPing = time.Now()
	if err := wire.Send(ctx, p.cfg.gameSess, &link.Ping{From: p.self, Portal: p.cfg.boot}); err != nil {
		p.cfg.Log.Error().Err(err).Msg("pinging the game")
	}
}

func (p *portalActor) tick(ctx actor.Context) {
	if p.shutting {
		return
	}
	if p.up && time.Since(p.lastHeard()) > p.cfg.DownAfter {
		p.markDown(ctx, "no answer to pings")
	}
	p.ping(ctx)
	p.scheduleTick(ctx)
}

// lastHeard is when the game last said anything: a pong, or a message to
// any link.
func (p *portalActor) lastHeard() time.Time {
	if h := time.Unix(0, p.cfg.heard.Load()); h.After(p.lastPong) {
		return h
	}
	return p.lastPong
}

func (p *portalActor) pong(ctx actor.Context, m *link.Pong) {
	p.lastPong = time.Now()
	if p.up && m.Boot == p.boot {
		return
	}
	if p.up {
		// A new game answered between two pings: the old one's sessions
		// are gone.
		p.markDown(ctx, "restarted")
	}
	p.up, p.boot = true, m.Boot
	p.st.UpSince = p.lastPong
	p.st.AllAttached = time.Time{}
	p.st.Attached = 0
	p.waitAttach = len(p.links)
	if !p.downAt.IsZero() {
		p.st.Reattaches++
		p.st.LastDownTook = p.lastPong.Sub(p.downAt)
	}
	p.cfg.Log.Info().Str("boot", m.Boot).Int("links", len(p.links)).Msg("the game is up: attaching every link")
	if p.waitAttach == 0 {
		p.st.AllAttached = p.st.UpSince
	}
	for _, l := range p.links {
		ctx.Send(l, &attachNow{})
	}
}

func (p *portalActor) markDown(ctx actor.Context, reason string) {
	if !p.up {
		return
	}
	p.up = false
	p.downAt = time.Now()
	p.cfg.Log.Warn().Str("reason", reason).Int("links", len(p.links)).Msg("the game is down: holding every link")
	down := &gameDown{reason: reason}
	for _, l := range p.links {
		ctx.Send(l, down)
	}
}

func (p *portalActor) accept(ctx actor.Context, nc net.Conn) {
	if p.shutting || (p.cfg.MaxConnections > 0 && len(p.links) >= p.cfg.MaxConnections) {
		text := "The server is full; please try again later.\r\n"
		if p.shutting {
			text = "The server is shutting down; please try again later.\r\n"
		}
		go refuse(nc, text)
		return
	}
	p.nextUID++
	uid := p.nextUID
	pid, err := p.spawnLink(ctx, newLinkActor(nc, uid, p.cfg, p.self), uid)
	if err != nil {
		p.cfg.Log.Error().Err(err).Uint64("conn", uid).Msg("spawning a link")
		go refuse(nc, "Sorry, the server could not take your connection.\r\n")
		return
	}
	p.links[uid] = pid
	p.byID[pid.Id] = uid
	if p.up {
		ctx.Send(pid, &attachNow{})
	} else {
		ctx.Send(pid, &gameDown{reason: "not up"})
	}
}

// spawnLink spawns the link l of socket uid.
//
// Every link is spawned with the same Props, p.linkProps: a Props of its
// own per link (with its producer closure and middleware chain) cost about
// half a KiB a player. The link's own fields reach that shared producer
// through p.nextLink, not through a first message: the producer runs inside
// SpawnNamed, synchronously, on this actor's goroutine and during its
// Receive, so nextLink is owned by the portal's mailbox like every other
// field (no lock), and the link has its socket before *actor.Started, as
// before: it needs no "not initialised yet" state and nothing can reach
// it half-made. The producer runs nowhere else: proto.actor calls it again
// only to restart an actor, and links are never restarted (the portal's
// strategy stops a failed link; a restart would lose its socket).
func (p *portalActor) spawnLink(ctx actor.Context, l actor.Actor, uid uint64) (*actor.PID, error) {
	if p.linkProps == nil {
		p.linkProps = actor.PropsFromProducer(p.takeLink, dispatch.Option(), actor.WithMailbox(dispatch.Mailbox))
	}
	p.nextLink = l
	pid, err := ctx.SpawnNamed(p.linkProps, "link-"+strconv.FormatUint(uid, 10))
	p.nextLink = nil
	return pid, err
}

// takeLink is linkProps' producer: it hands over the link spawnLink is
// spawning.
func (p *portalActor) takeLink() actor.Actor {
	l := p.nextLink
	p.nextLink = nil
	if l == nil {
		return orphanLink{} // not from spawnLink: cannot happen (see there)
	}
	return l
}

// orphanLink stands for a link the producer was asked for outside
// spawnLink; it stops at once.
type orphanLink struct{}

func (orphanLink) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); ok {
		ctx.Stop(ctx.Self())
	}
}

func (p *portalActor) shutdown(ctx actor.Context, message string) {
	if ctx.Sender() != nil {
		p.shutdownTo = append(p.shutdownTo, ctx.Sender())
	}
	if !p.shutting {
		p.shutting = true
		if message != "" {
			message += "\n"
		}
		for _, l := range p.links {
			ctx.Send(l, &closeLink{text: message})
		}
	}
	p.checkShutdown(ctx)
}

func (p *portalActor) checkShutdown(ctx actor.Context) {
	if !p.shutting || len(p.links) > 0 {
		return
	}
	for _, to := range p.shutdownTo {
		ctx.Send(to, &shutdownDone{})
	}
	p.shutdownTo = nil
}

// stopLinks is the portal's strategy for its links: a failed link is
// stopped, never restarted (a restart would lose its socket).
var stopLinks = actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive { return actor.StopDirective })

// refuse tells a socket we will not take it, then closes it (off the actor).
func refuse(nc net.Conn, text string) {
	_ = nc.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_, _ = nc.Write([]byte(text))
	_ = nc.Close()
}

// NewBootID returns a random id for one run of a portal or game process.
func NewBootID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	return hex.EncodeToString(b[:])
}
