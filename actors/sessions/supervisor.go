package sessions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/wire"
)

// DefaultHookTimeout bounds how long one hook handler may take to answer.
const DefaultHookTimeout = 2 * time.Second

// publishEvery bounds how often additions and updates republish the socket
// list (rebuilding it is O(sockets)); removals republish before their
// disconnect chain runs.
const publishEvery = 500 * time.Millisecond

// smallList is the socket count up to which every change republishes at once.
const smallList = 256

// Config configures the supervisor. Nothing modifies it after Props.
type Config struct {
	// Conn is the configuration every connection actor shares. Its Sockets
	// field is set to the supervisor's published list.
	Conn *conn.Config
	// HookTimeout bounds one handler's answer (default 2 s).
	HookTimeout time.Duration
	// MaxConnections refuses sockets past this many (0: no limit).
	MaxConnections int
	// Hooks is published with the hook names that have subscribers.
	Hooks *msg.HookSet
	// Log is the parent logger.
	Log zerolog.Logger
	// Boot is the game's boot id, told to portals (default Conn.Boot).
	Boot string
}

// Messages the supervisor sends itself.
type (
	publishTick struct{ timer bool }
)

// entry is one row of the socket list, owned by the supervisor.
type entry struct {
	pid    *actor.PID
	link   *actor.PID
	portal string // the portal's boot id
	info   msg.SocketInfo
}

// portalState is what the supervisor knows of a portal from its pings.
type portalState struct {
	boot string
	last time.Time
	pid  *actor.PID
}

// portalTimeout is how long a portal may stay silent before its sessions
// end as LINKDEATH/portal (it pings every 250 ms by default).
const portalTimeout = 3 * time.Second

// checkPortals is the supervisor's own tick for portal liveness.
type checkPortals struct{}

// supervisor owns the socket list and the hook chains. All fields are owned
// by its mailbox.
type supervisor struct {
	cfg  Config
	log  zerolog.Logger
	self *actor.PID

	spawner *conn.Spawner // one Props for every session
	conns   map[uint64]*entry
	subs    map[string][]*actor.PID

	dirty        bool
	timerPending bool
	tickPending  bool
	pendingEnds  []*msg.Disconnected // removed, waiting for the publish before their chain
	chains       int                 // disconnect chains running

	shuttingDown bool
	shutdownMsg  string
	shutdownTo   []*actor.PID

	portals map[string]*portalState // by portal actor address+id
	open    bool                    // the game is ready: portals get answers
	going   bool                    // the game is going away (restart): stops are not crashes
}

var _ actor.Actor = (*supervisor)(nil)

// Props returns the supervisor's props. The socket list it publishes is
// cfg.Conn.Sockets (created if nil).
func Props(cfg Config) *actor.Props {
	if cfg.HookTimeout <= 0 {
		cfg.HookTimeout = DefaultHookTimeout
	}
	if cfg.Conn.Sockets == nil {
		cfg.Conn.Sockets = &msg.SocketList{}
	}
	if cfg.Boot == "" {
		cfg.Boot = cfg.Conn.Boot
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &supervisor{cfg: cfg}
	}, dispatch.Option(), actor.WithReceiverMiddleware(wire.Middleware), actor.WithSupervisor(actor.NewOneForOneStrategy(0, 0, func(reason any) actor.Directive {
		return actor.StopDirective // a restarted connection would have lost its socket
	})))
}

// Receive is the supervisor's single entry point.
func (s *supervisor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.self = ctx.Self()
		s.log = s.cfg.Log.With().Str("actor", "sessions").Logger()
		s.spawner = conn.NewSpawner(s.cfg.Conn)
		s.conns = make(map[uint64]*entry)
		s.subs = make(map[string][]*actor.PID)
		s.portals = make(map[string]*portalState)
		s.cfg.Conn.Sockets.Store(nil)
		s.scheduleCheck(ctx)
	case *link.Attach:
		s.attach(ctx, m)
	case *link.Ping:
		if s.open {
			s.ping(ctx, m)
		}
	case *Open:
		s.open = true
	case *checkPortals:
		s.checkPortals(ctx)
	case *msg.ConnUpdated:
		if e, ok := s.conns[m.UID]; ok {
			e.info = m.Info
			s.markDirty(ctx)
		}
	case *msg.ConnEnded:
		s.ended(ctx, m.UID, &msg.Disconnected{
			Reason: m.Reason, Cause: m.Cause,
			Account: m.Account, Character: m.Character, CharPID: m.CharPID,
		})
	case *publishTick:
		if m.timer {
			s.timerPending = false
		} else {
			s.tickPending = false
		}
		s.publish(ctx)
	case *msg.Subscribe:
		s.subscribe(ctx, m.Name, m.Handler)
	case *msg.Unsubscribe:
		s.unsubscribe(m.Name, m.Handler)
	case *msg.Publish:
		for _, h := range s.subs[m.Event.HookName()] {
			ctx.Send(h, m.Event)
		}
	case *Count:
		ctx.Respond(&Counted{Sockets: len(s.conns)})
	case *Shutdown:
		s.shutdown(ctx, m)
	case *actor.Terminated:
		s.terminated(ctx, m.Who)
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		s.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

// attach takes a link: a new socket (the connect chain decides), or a
// socket whose session a game restart lost (rebuilt from its snapshot,
// without the connect chain: it was let in already).
func (s *supervisor) attach(ctx actor.Context, m *link.Attach) {
	if e, ok := s.conns[m.UID]; ok {
		if e.link.Equal(m.Link) {
			// The portal thought we were gone; the session lives on.
			ctx.Send(e.pid, &conn.Reattach{Link: m.Link})
			return
		}
		s.log.Error().Uint64("conn", m.UID).Str("link", m.Link.String()).Msg("two links with one uid: is a second portal attached?")
		s.refuse(ctx, m.Link, "Sorry, the server could not take your connection.")
		return
	}
	if s.shuttingDown || (s.cfg.MaxConnections > 0 && len(s.conns) >= s.cfg.MaxConnections) {
		text := "The server is full; please try again later."
		if s.shuttingDown {
			text = "The server is shutting down; please try again later."
		}
		s.refuse(ctx, m.Link, text)
		return
	}
	uid := m.UID
	pid, err := s.spawner.Spawn(ctx, m, connPrefix+strconv.FormatUint(uid, 10))
	if err != nil {
		s.log.Error().Err(err).Uint64("conn", uid).Msg("spawning a session")
		s.refuse(ctx, m.Link, "Sorry, the server could not take your connection.")
		return
	}
	now := time.Now()
	s.conns[uid] = &entry{pid: pid, link: m.Link, portal: m.Portal, info: msg.SocketInfo{
		UID: uid, PID: pid, Addr: m.Addr, Since: now, LastInput: now,
	}}
	s.markDirty(ctx)
	if m.Resume && m.Snapshot != nil {
		return // the session rebuilds itself; it was let in before the restart
	}
	ev := &msg.Connected{Conn: pid, UID: uid, Addr: m.Addr, At: now}
	s.connectChain(ctx, ev, append([]*actor.PID(nil), s.subs[msg.HookConnect]...), 0)
}

func (s *supervisor) refuse(ctx actor.Context, to *actor.PID, text string) {
	if err := wire.Send(ctx, to, &link.Refused{Text: text + "\n"}); err != nil {
		s.log.Error().Err(err).Msg("refusing a link")
	}
}

// ping answers a portal's heartbeat and notes it alive. A portal that
// restarted (a new boot id) lost its sockets: their sessions end.
func (s *supervisor) ping(ctx actor.Context, m *link.Ping) {
	if m.From == nil {
		return
	}
	if err := wire.Send(ctx, m.From, &link.Pong{Boot: s.cfg.Boot}); err != nil {
		s.log.Error().Err(err).Msg("answering a portal")
	}
	key := m.From.Address + "/" + m.From.Id
	p, ok := s.portals[key]
	if !ok {
		p = &portalState{pid: m.From}
		s.portals[key] = p
		s.log.Info().Str("portal", key).Str("boot", m.Portal).Msg("a portal is linked")
	}
	if p.boot != m.Portal {
		if p.boot != "" {
			s.log.Warn().Str("portal", key).Msg("the portal restarted: its old sessions end")
			s.endPortal(ctx, p.boot)
		}
		p.boot = m.Portal
	}
	p.last = time.Now()
}

func (s *supervisor) scheduleCheck(ctx actor.Context) {
	self, root := ctx.Self(), ctx.ActorSystem().Root
	time.AfterFunc(portalTimeout/3, func() { root.Send(self, &checkPortals{}) })
}

// checkPortals ends the sessions of portals that stopped pinging: their
// characters go linkdead as usual.
func (s *supervisor) checkPortals(ctx actor.Context) {
	now := time.Now()
	for key, p := range s.portals {
		if now.Sub(p.last) > portalTimeout {
			s.log.Warn().Str("portal", key).Msg("the portal stopped answering: its sessions end as linkdead")
			s.endPortal(ctx, p.boot)
			delete(s.portals, key)
		}
	}
	s.scheduleCheck(ctx)
}

func (s *supervisor) endPortal(ctx actor.Context, boot string) {
	closed := &link.Closed{Reason: msg.ReasonLinkDeath, Cause: link.CausePortal}
	for _, e := range s.conns {
		if e.portal == boot {
			ctx.Send(e.pid, closed)
		}
	}
}

// connectChain asks handler i for its verdict, then the next; the first veto
// rejects the connection, and the end of the chain admits it.
func (s *supervisor) connectChain(ctx actor.Context, ev *msg.Connected, handlers []*actor.PID, i int) {
	if _, alive := s.conns[ev.UID]; !alive {
		return // it ended while the chain ran
	}
	if i >= len(handlers) {
		ctx.Send(ev.Conn, &msg.Admit{})
		return
	}
	f := ctx.RequestFuture(handlers[i], ev, s.cfg.HookTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		if err != nil {
			s.log.Warn().Err(err).Str("handler", handlers[i].Id).Msg("connect hook did not answer; allowing")
		} else if v, ok := res.(*msg.Verdict); ok && v.Veto {
			if _, alive := s.conns[ev.UID]; alive {
				ctx.Send(ev.Conn, &msg.Reject{Message: v.Message})
			}
			return
		}
		s.connectChain(ctx, ev, handlers, i+1)
	})
}

// ended drops a connection from the list; its disconnect chain runs after
// the next publish, so that every handler sees a list without it.
func (s *supervisor) ended(ctx actor.Context, uid uint64, ev *msg.Disconnected) {
	e, ok := s.conns[uid]
	if !ok {
		return
	}
	delete(s.conns, uid)
	ev.Conn, ev.UID, ev.Addr = e.pid, uid, e.info.Addr
	if ev.Account == "" {
		ev.Account = e.info.Account
	}
	if ev.Character == "" {
		ev.Character = e.info.Character
	}
	s.pendingEnds = append(s.pendingEnds, ev)
	s.dirty = true
	if !s.tickPending {
		s.tickPending = true
		ctx.Send(s.self, &publishTick{})
	}
}

func (s *supervisor) terminated(ctx actor.Context, who *actor.PID) {
	if s.going {
		return // the whole game is stopping; the portals keep the sockets
	}
	if uid, ok := s.sessionUID(who); ok { // died without telling us
		s.log.Warn().Uint64("conn", uid).Msg("connection actor stopped unexpectedly")
		s.ended(ctx, uid, &msg.Disconnected{Reason: msg.ReasonLinkDeath, Cause: msg.CauseCrash})
		return
	}
	for name := range s.subs {
		s.unsubscribe(name, who)
	}
	s.checkShutdown(ctx)
}

// connPrefix starts the name of every session: conn-<uid>.
const connPrefix = "conn-"

// sessionUID returns the uid of the live session who, read from its name
// (a map from actor id to uid would cost every session a map entry).
func (s *supervisor) sessionUID(who *actor.PID) (uint64, bool) {
	i := strings.LastIndexByte(who.Id, '/')
	name := who.Id[i+1:]
	if !strings.HasPrefix(name, connPrefix) {
		return 0, false
	}
	uid, err := strconv.ParseUint(name[len(connPrefix):], 10, 64)
	if err != nil {
		return 0, false
	}
	if e, ok := s.conns[uid]; !ok || !e.pid.Equal(who) {
		return 0, false
	}
	return uid, true
}

func (s *supervisor) markDirty(ctx actor.Context) {
	s.dirty = true
	if len(s.conns) <= smallList {
		// A small list is cheap to rebuild: publish right after what is
		// already in the mailbox, so a new socket soon sees itself.
		if !s.tickPending {
			s.tickPending = true
			ctx.Send(s.self, &publishTick{})
		}
		return
	}
	if !s.timerPending {
		s.timerPending = true
		self, root := s.self, ctx.ActorSystem().Root
		time.AfterFunc(publishEvery, func() { root.Send(self, &publishTick{timer: true}) })
	}
}

// publish stores a fresh snapshot of the socket list, then starts the
// disconnect chains that were waiting for it.
func (s *supervisor) publish(ctx actor.Context) {
	if s.dirty {
		s.dirty = false
		list := make([]msg.SocketInfo, 0, len(s.conns))
		for _, e := range s.conns {
			list = append(list, e.info)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].UID < list[j].UID })
		s.cfg.Conn.Sockets.Store(list)
	}
	ends := s.pendingEnds
	s.pendingEnds = nil
	for _, ev := range ends {
		s.chains++
		s.disconnectChain(ctx, ev, append([]*actor.PID(nil), s.subs[msg.HookDisconnect]...), 0)
	}
	s.checkShutdown(ctx)
}

// disconnectChain runs the disconnect handlers in order, then stops the
// connection actor.
func (s *supervisor) disconnectChain(ctx actor.Context, ev *msg.Disconnected, handlers []*actor.PID, i int) {
	if i >= len(handlers) {
		ctx.Stop(ev.Conn)
		s.chains--
		s.checkShutdown(ctx)
		return
	}
	f := ctx.RequestFuture(handlers[i], ev, s.cfg.HookTimeout)
	ctx.ReenterAfter(f, func(_ any, err error) {
		if err != nil {
			s.log.Warn().Err(err).Str("handler", handlers[i].Id).Msg("disconnect hook did not answer")
		}
		s.disconnectChain(ctx, ev, handlers, i+1)
	})
}

func (s *supervisor) subscribe(ctx actor.Context, name string, h *actor.PID) {
	for _, p := range s.subs[name] {
		if p.Equal(h) {
			return
		}
	}
	s.subs[name] = append(s.subs[name], h)
	ctx.Watch(h)
	s.publishHooks()
}

// publishHooks tells publishers which hooks have subscribers.
func (s *supervisor) publishHooks() {
	if s.cfg.Hooks == nil {
		return
	}
	names := make(map[string]bool, len(s.subs))
	for n, l := range s.subs {
		if len(l) > 0 {
			names[n] = true
		}
	}
	s.cfg.Hooks.Store(names)
}

func (s *supervisor) unsubscribe(name string, h *actor.PID) {
	list := s.subs[name]
	for i, p := range list {
		if p.Equal(h) {
			s.subs[name] = append(list[:i:i], list[i+1:]...)
			s.publishHooks()
			return
		}
	}
}

func (s *supervisor) shutdown(ctx actor.Context, m *Shutdown) {
	if m.Restart {
		// The game goes away and comes back: the portals keep the sockets
		// and are told at once rather than by failing pings.
		s.shuttingDown, s.going, s.open = true, true, false
		for _, p := range s.portals {
			if err := wire.Send(ctx, p.pid, &link.Down{Boot: s.cfg.Boot, Reason: m.Message}); err != nil {
				s.log.Error().Err(err).Msg("telling a portal")
			}
		}
		if ctx.Sender() != nil {
			ctx.Respond(&ShutdownDone{Remaining: len(s.conns)})
		}
		return
	}
	if ctx.Sender() != nil {
		s.shutdownTo = append(s.shutdownTo, ctx.Sender())
	}
	if !s.shuttingDown {
		s.shuttingDown = true
		s.shutdownMsg = m.Message
		s.log.Info().Int("sockets", len(s.conns)).Msg("shutting down: saying goodbye to every socket")
		for _, e := range s.conns {
			ctx.Send(e.pid, &msg.Kick{Reason: msg.ReasonQuit, Cause: msg.CauseShutdown, Message: m.Message})
		}
	}
	s.checkShutdown(ctx)
}

func (s *supervisor) checkShutdown(ctx actor.Context) {
	if !s.shuttingDown || len(s.conns) > 0 || s.chains > 0 || len(s.pendingEnds) > 0 {
		return
	}
	for _, p := range s.shutdownTo {
		ctx.Send(p, &ShutdownDone{})
	}
	s.shutdownTo = nil
}
