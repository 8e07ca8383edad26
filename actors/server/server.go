package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/auth"
	"github.com/troupe-mud/troupe/actors/character"
	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/login"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/portal"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/actors/scheduler"
	"github.com/troupe-mud/troupe/actors/sessions"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/actors/wire"
	"github.com/troupe-mud/troupe/net/listener"
	"github.com/troupe-mud/troupe/net/telnet"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/help"
	"github.com/troupe-mud/troupe/world/starter"
)

// DefaultGoodbye is the last line every socket gets at shutdown.
const DefaultGoodbye = "The server is shutting down. Goodbye!"

// Config configures a server. The zero value (plus a Listener or Telnet
// address) serves the default login flow.
type Config struct {
	// Listener, if set, is served as is (tests pass 127.0.0.1:0);
	// otherwise Telnet is the address to listen on (default ":4000").
	Listener net.Listener
	Telnet   string
	// Name is the game's name (MSSP, greeting).
	Name string
	// Greeting is shown to every new connection before the first prompt.
	Greeting string
	// First builds the first input handler of a connection; nil means the
	// default login flow.
	First func() conn.Frame
	// Aux installs per-socket auxiliary data by name.
	Aux map[string]func() any
	// ResolveHostnames turns on reverse DNS of peers.
	ResolveHostnames bool
	// SendQueue and WriteTimeout bound a connection's output (see conn).
	SendQueue    int
	WriteTimeout time.Duration
	// MaxConnections refuses sockets past this many (0: no limit).
	MaxConnections int
	// LineDelay: how long other players' lines may wait for more output to
	// the same socket (see portal.Config; 0: the default, negative: none).
	LineDelay time.Duration
	// HookTimeout bounds one hook handler's answer.
	HookTimeout time.Duration
	// Log is the root logger; protoactor's own logs go into it too.
	Log zerolog.Logger

	// DataDir holds the embedded store (bbolt); ignored when Store is set.
	DataDir string
	// Store replaces the embedded store (tests pass persistence.NewMemory()).
	// The server does not close a Store it was given.
	Store persistence.Store
	// InsecureFastHash hashes passwords at bcrypt's minimum cost: for tests
	// and load runs only.
	InsecureFastHash bool
	// World is the world to serve; nil means the embedded starter world.
	World *world.World
	// LinkdeadGrace and Autosave configure characters (see character.Config).
	LinkdeadGrace time.Duration
	Autosave      time.Duration
	// StartSpread puts new characters in a random room instead of the start
	// room (load tests on big generated worlds).
	StartSpread bool
	// Admins are the account names with admin rights.
	Admins []string
	// Commands is the game's command table; nil means the engine's default.
	Commands *character.Commands
	// Help is the help index; nil means the engine's default topics (add a
	// game's own with help.Default().LoadFS).
	Help *help.Index
	// Hooks are subscribed before the server accepts its first socket,
	// each in its own handler actor, in order.
	Hooks []Hook
	// IdleCheck, LoginTimeout, IdleWarn and IdleTimeout configure the idle
	// monitor (see conn.Config).
	IdleCheck, LoginTimeout, IdleWarn, IdleTimeout time.Duration
	// Remote is the address (host:port) the game serves portals on over
	// proto.actor remote (StartGame, the two-process mode).
	Remote string
	// OnReboot, if set, is called after an admin's reboot has saved and
	// stopped the game (the game process starts its binary again). If nil,
	// a reboot restarts the game inside this process.
	OnReboot func()
	// ReloadWorld reads the world files again for an in-process reboot
	// (nil: keep World; the embedded starter world is always read again).
	ReloadWorld func() (*world.World, error)
	// RoomPanicOn makes rooms panic on a say containing it (supervision
	// tests only).
	RoomPanicOn string
}

// Hook is a hook handler to subscribe at start: Props builds the handler
// actor (sessions.Func wraps a function) for the hook Name.
type Hook struct {
	Name  string
	Props *actor.Props
}

// Server is a running troupe: its actor system, the game's tree and (in
// the one-process mode) the portal with its listener.
type Server struct {
	// System is the actor system; Sessions the sessions supervisor.
	System   *actor.ActorSystem
	Server   *actor.PID
	Sessions *actor.PID
	// Sockets is the published socket list.
	Sockets *msg.SocketList
	// Portal keeps the sockets (nil in the game-only mode).
	Portal *portal.Portal

	// World is the world being served.
	World *world.World

	cfg      Config
	log      zerolog.Logger
	remote   *remote.Remote
	once     sync.Once
	done     chan struct{}
	mu       sync.Mutex // guards the game below against a reboot and a shutdown at once
	g        *game
	rebooted chan struct{} // closed after each in-process reboot (tests)
}

// game is one run of the game's half: its tree, store and boot id.
type game struct {
	boot     string
	server   *actor.PID
	pids     servicePIDs
	ownStore persistence.Store // closed when the game stops
	world    *world.World
}

// servicePIDs are the children of the server actor.
type servicePIDs struct {
	sessions, store, auth, characters, world, scheduler *actor.PID
}

// Start runs portal and game in one process: the default mode.
func Start(cfg Config) (*Server, error) {
	ln, err := listener.Open(cfg.Listener, cfg.Telnet)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := newServer(cfg)
	if err := s.startGame(); err != nil {
		_ = ln.Close()
		s.System.Shutdown()
		return nil, err
	}
	p, err := portal.Start(s.System, PortalConfig(cfg, ln, ""))
	if err != nil {
		_ = s.stopGame(false, "", 10*time.Second)
		s.System.Shutdown()
		return nil, err
	}
	s.Portal = p
	return s, nil
}

// PortalConfig is the portal's configuration for a server configuration:
// the telnet options and output limits; game is the game's address ("" for
// the same actor system).
func PortalConfig(cfg Config, ln net.Listener, game string) portal.Config {
	return portal.Config{
		Listener: ln, Telnet: cfg.Telnet,
		Protocol:       telnet.Config{Name: cfg.Name, Limits: telnet.Limits{MCCP3: true}},
		SendQueue:      cfg.SendQueue,
		WriteTimeout:   cfg.WriteTimeout,
		MaxConnections: cfg.MaxConnections,
		LineDelay:      cfg.LineDelay,
		Game:           game,
		Log:            cfg.Log,
	}
}

// StartGame runs the game alone, reachable by portals over proto.actor
// remote at cfg.Remote (the two-process mode: troupe game). It opens no
// telnet listener.
func StartGame(cfg Config) (*Server, error) {
	if cfg.Remote == "" {
		return nil, errors.New("server: StartGame needs Config.Remote")
	}
	s := newServer(cfg)
	r, err := wire.StartRemote(s.System, cfg.Remote)
	if err != nil {
		s.System.Shutdown()
		return nil, fmt.Errorf("server: %w", err)
	}
	s.remote = r
	if err := s.startGame(); err != nil {
		wire.Shutdown(r)
		s.System.Shutdown()
		return nil, err
	}
	s.log.Info().Str("remote", s.System.Address()).Msg("game serving portals")
	return s, nil
}

// NewActorSystem returns an actor system whose protoactor logs (and the
// wire package's) go into log; the portal process uses it too.
func NewActorSystem(log zerolog.Logger) *actor.ActorSystem {
	wire.SetLogger(log)
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(zerolog.NewSlogHandler(actorLogger(log)))
	}))
}

func newServer(cfg Config) *Server {
	log := cfg.Log
	system := NewActorSystem(log)
	return &Server{System: system, Sockets: &msg.SocketList{}, cfg: cfg, log: log,
		done: make(chan struct{}), rebooted: make(chan struct{})}
}

// startGame builds the game's tree: world, store, services.
func (s *Server) startGame() error {
	cfg := s.cfg
	log := s.log
	w := cfg.World
	if w == nil {
		var err error
		if w, err = starter.Load(); err != nil {
			return fmt.Errorf("server: the starter world: %w", err)
		}
	}
	st := cfg.Store
	var ownStore persistence.Store
	if st == nil {
		dir := cfg.DataDir
		if dir == "" {
			dir = "./data"
		}
		b, err := persistence.OpenBolt(dir)
		if err != nil {
			return fmt.Errorf("server: opening the store in %s: %w", dir, err)
		}
		st, ownStore = b, b
	}
	system := s.System
	g := &game{boot: portal.NewBootID(), ownStore: ownStore, world: w}
	first := cfg.First
	if first == nil {
		first = login.Start
	}
	hooks := &msg.HookSet{}
	admins := map[string]bool{}
	for _, a := range cfg.Admins {
		admins[persistence.NormalizeKey(a)] = true
	}
	charCfg := &character.Config{
		LinkdeadGrace: cfg.LinkdeadGrace,
		Autosave:      cfg.Autosave,
		StartRoom:     string(w.Start),
		StartSpread:   cfg.StartSpread,
		Admins:        admins,
		Commands:      cfg.Commands,
		Help:          cfg.Help,
		Hooks:         hooks,
		World:         w,
		Log:           log,
	}
	connCfg := &conn.Config{
		Boot:             g.boot,
		First:            first,
		Greeting:         cfg.Greeting,
		ResolveHostnames: cfg.ResolveHostnames,
		Aux:              cfg.Aux,
		Sockets:          s.Sockets,
		Log:              log,
		IdleCheck:        cfg.IdleCheck,
		LoginTimeout:     cfg.LoginTimeout,
		IdleWarn:         cfg.IdleWarn,
		IdleTimeout:      cfg.IdleTimeout,
	}
	fail := func(err error) error {
		if ownStore != nil {
			_ = ownStore.Close()
		}
		return err
	}
	ready := make(chan servicePIDs, 1)
	props := actor.PropsFromProducer(func() actor.Actor {
		return &serverActor{
			log:        log,
			store:      store.Props(st, log),
			auth:       auth.Props(auth.Config{InsecureFastHash: cfg.InsecureFastHash}, log),
			characters: character.SupervisorProps(charCfg),
			world:      w,
			roomPanic:  cfg.RoomPanicOn,
			sessions:   sessions.Props(sessions.Config{Conn: connCfg, HookTimeout: cfg.HookTimeout, MaxConnections: cfg.MaxConnections, Log: log, Hooks: hooks}),
			hooks:      hooks,
			ready:      ready,
			onShutdown: func(by string) {
				log.Info().Str("by", by).Msg("shutdown requested in the game")
				go func() { _ = s.Shutdown("", 30*time.Second) }()
			},
			onReboot: func(by string) {
				log.Info().Str("by", by).Msg("reboot requested in the game")
				go s.reboot()
			},
		}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(10, time.Minute, func(reason any) actor.Directive {
		log.Error().Str("panic", fmt.Sprint(reason)).Msg("actor under server failed; restarting it")
		return actor.RestartDirective
	})))
	pid, err := system.Root.SpawnNamed(props, "server")
	if err != nil {
		return fail(fmt.Errorf("server: spawning the tree: %w", err))
	}
	g.server = pid
	select {
	case g.pids = <-ready:
	case <-time.After(10 * time.Second):
		return fail(errors.New("server: the actor tree did not start"))
	}
	if g.pids.sessions == nil {
		return fail(errors.New("server: the actor tree failed to start (see the log)"))
	}
	s.mu.Lock()
	s.g, s.Server, s.Sessions, s.World = g, pid, g.pids.sessions, w
	s.mu.Unlock()
	// Hooks given up front are in their chains before the first socket.
	for _, h := range cfg.Hooks {
		s.Subscribe(h.Name, h.Props)
	}
	// The world's rooms exist before the first player can arrive: a request
	// to the world actor is answered after its Started spawned them.
	if _, err := system.Root.RequestFuture(g.pids.world, &room.Ready{}, 30*time.Second).Result(); err != nil {
		return fail(fmt.Errorf("server: the world did not start: %w", err))
	}
	if _, err := system.Root.RequestFuture(g.pids.sessions, &sessions.Count{}, 10*time.Second).Result(); err != nil {
		return fail(fmt.Errorf("server: sessions did not start: %w", err))
	}
	system.Root.Send(g.pids.sessions, &sessions.Open{})
	log.Info().Str("boot", g.boot).Msg("the game is up")
	return nil
}

// Addr returns the address the portal listens on (nil in the game-only
// mode).
func (s *Server) Addr() net.Addr {
	if s.Portal == nil {
		return nil
	}
	return s.Portal.Addr()
}

// Boot returns the boot id of the game now running.
func (s *Server) Boot() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.g == nil {
		return ""
	}
	return s.g.boot
}

// Subscribe spawns a hook handler from props and adds it to hook name's
// chain. It returns the handler's PID.
func (s *Server) Subscribe(name string, props *actor.Props) *actor.PID {
	pid := s.System.Root.Spawn(props)
	s.System.Root.Send(s.Sessions, &msg.Subscribe{Name: name, Handler: pid})
	return pid
}

// Shutdown ends every connection as QUIT/shutdown with message
// (DefaultGoodbye if empty), waits up to timeout for the disconnect
// chains, saves everything, and stops the actor system. It is safe to call
// more than once.
func (s *Server) Shutdown(message string, timeout time.Duration) error {
	return s.finish(true, message, timeout)
}

// Stop stops the game without ending any connection: the portals keep the
// sockets and re-attach them when a game comes back (the game process's
// SIGTERM, before a restart). Everything is saved first.
func (s *Server) Stop(reason string, timeout time.Duration) error {
	return s.finish(false, reason, timeout)
}

func (s *Server) finish(kick bool, message string, timeout time.Duration) error {
	var err error
	s.once.Do(func() {
		if kick && message == "" {
			message = DefaultGoodbye
		}
		var errs []error
		if e := s.stopGame(kick, message, timeout); e != nil {
			errs = append(errs, e)
		}
		if s.Portal != nil {
			if e := s.Portal.Shutdown(message, timeout); e != nil {
				errs = append(errs, e)
			}
		}
		wire.Shutdown(s.remote)
		s.System.Shutdown()
		if len(errs) > 0 {
			err = fmt.Errorf("server: shutdown: %w", errors.Join(errs...))
		}
		s.log.Info().Msg("server stopped")
		close(s.done)
	})
	return err
}

// stopGame saves everything and stops the game's tree. With kick every
// connection is told message and closed first; otherwise the portals are
// told the game is going away and keep the sockets.
func (s *Server) stopGame(kick bool, message string, timeout time.Duration) error {
	s.mu.Lock()
	g := s.g
	s.g = nil
	s.mu.Unlock()
	if g == nil {
		return nil
	}
	root := s.System.Root
	var errs []error
	// 1. With kick, every socket is told goodbye; the disconnect hooks make
	// the characters played on them save and leave.
	res, ferr := root.RequestFuture(g.pids.sessions, &sessions.Shutdown{Message: message, Restart: !kick}, timeout).Result()
	if ferr != nil {
		errs = append(errs, fmt.Errorf("sockets: %w", ferr))
	} else if d, ok := res.(*sessions.ShutdownDone); ok && d.Remaining > 0 && kick {
		errs = append(errs, fmt.Errorf("%d sockets left", d.Remaining))
	}
	// 2. Characters still in the game save and leave.
	if res, ferr := root.RequestFuture(g.pids.characters, &character.SaveAll{}, timeout).Result(); ferr != nil {
		errs = append(errs, fmt.Errorf("saving characters: %w", ferr))
	} else if r, ok := res.(*character.SavedAll); ok {
		s.log.Info().Int("saved", r.Saved).Int("failed", r.Failed).Msg("characters saved")
		if r.Failed > 0 {
			errs = append(errs, fmt.Errorf("%d characters could not be saved", r.Failed))
		}
	}
	// 3. Rooms hand their floors to the store.
	if _, ferr := root.RequestFuture(g.pids.world, &room.SaveAll{}, timeout).Result(); ferr != nil {
		errs = append(errs, fmt.Errorf("saving rooms: %w", ferr))
	}
	// 4. Everything the store received is durable.
	if res, ferr := root.RequestFuture(g.pids.store, &store.Flush{}, timeout).Result(); ferr != nil {
		errs = append(errs, fmt.Errorf("flushing the store: %w", ferr))
	} else if f, ok := res.(*store.Flushed); ok && f.Failed > 0 {
		errs = append(errs, fmt.Errorf("%d saves failed since start", f.Failed))
	}
	_ = root.StopFuture(g.server).Wait()
	if g.ownStore != nil {
		if cerr := g.ownStore.Close(); cerr != nil {
			errs = append(errs, fmt.Errorf("closing the store: %w", cerr))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// reboot restarts the game. With OnReboot set (the game process) the game
// saves and stops and OnReboot starts the binary again; otherwise (one
// process) a new game starts in this process, with the world files read
// again, while the portal keeps the sockets.
func (s *Server) reboot() {
	if s.cfg.OnReboot != nil {
		if err := s.Stop("reboot", 30*time.Second); err != nil {
			s.log.Error().Err(err).Msg("stopping the game for a reboot")
		}
		s.cfg.OnReboot()
		return
	}
	if err := s.stopGame(false, "reboot", 30*time.Second); err != nil {
		s.log.Error().Err(err).Msg("stopping the game for a reboot")
	}
	select {
	case <-s.done:
		return
	default:
	}
	// The starter world (World nil) is read again by startGame itself.
	if s.cfg.World != nil && s.cfg.ReloadWorld != nil {
		if w, err := s.cfg.ReloadWorld(); err != nil {
			s.log.Error().Err(err).Msg("reloading the world for the reboot; keeping the old one")
		} else {
			s.cfg.World = w
		}
	}
	if err := s.startGame(); err != nil {
		s.log.Error().Err(err).Msg("restarting the game: the server shuts down")
		go func() { _ = s.Shutdown("The game could not restart. Goodbye!", 30*time.Second) }()
		return
	}
	s.mu.Lock()
	close(s.rebooted)
	s.rebooted = make(chan struct{})
	s.mu.Unlock()
}

// Rebooted returns a channel closed when the next in-process reboot has
// finished starting the game again.
func (s *Server) Rebooted() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rebooted
}

// Done is closed when the server has shut down (by Shutdown or by an
// admin's shutdown command).
func (s *Server) Done() <-chan struct{} { return s.done }

// serverActor is the top of troupe's tree; it spawns and supervises the
// services and relays an in-game shutdown request.
type serverActor struct {
	log                               zerolog.Logger
	store, auth, characters, sessions *actor.Props
	world                             *world.World
	roomPanic                         string
	hooks                             *msg.HookSet
	ready                             chan servicePIDs
	onShutdown, onReboot              func(by string)
	shuttingDown                      bool
}

// Receive is the server actor's single entry point.
func (a *serverActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		pids, err := a.spawn(ctx)
		if err != nil {
			a.log.Error().Err(err).Msg("starting the actor tree")
		}
		if a.ready != nil {
			a.ready <- pids // buffered; read once by Start
			a.ready = nil
		}
	case *msg.RequestShutdown:
		if !a.shuttingDown && a.onShutdown != nil {
			a.shuttingDown = true
			a.onShutdown(m.By)
		}
	case *msg.RequestReboot:
		if !a.shuttingDown && a.onReboot != nil {
			a.shuttingDown = true
			a.onReboot(m.By)
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

// spawn starts the services in dependency order: the store first (rooms
// and characters load from it), then auth, characters, the world (whose
// rooms tell characters where the mobiles go), and sessions last.
func (a *serverActor) spawn(ctx actor.Context) (servicePIDs, error) {
	var p servicePIDs
	var err error
	if p.scheduler, err = ctx.SpawnNamed(scheduler.Props(a.log, nil), "scheduler"); err != nil {
		return servicePIDs{}, fmt.Errorf("scheduler: %w", err)
	}
	if p.store, err = ctx.SpawnNamed(a.store, "store"); err != nil {
		return servicePIDs{}, fmt.Errorf("store: %w", err)
	}
	if p.auth, err = ctx.SpawnNamed(a.auth, "auth"); err != nil {
		return servicePIDs{}, fmt.Errorf("auth: %w", err)
	}
	if p.characters, err = ctx.SpawnNamed(a.characters, "characters"); err != nil {
		return servicePIDs{}, fmt.Errorf("characters: %w", err)
	}
	if p.world, err = ctx.SpawnNamed(room.WorldProps(room.Config{World: a.world, Log: a.log, OnRooms: p.characters, PanicOn: a.roomPanic, Hooks: a.hooks}), "world"); err != nil {
		return servicePIDs{}, fmt.Errorf("world: %w", err)
	}
	if p.sessions, err = ctx.SpawnNamed(a.sessions, "sessions"); err != nil {
		return servicePIDs{}, fmt.Errorf("sessions: %w", err)
	}
	ctx.Send(p.sessions, &msg.Subscribe{Name: msg.HookDisconnect, Handler: p.characters})
	return p, nil
}

// actorLogger is the logger protoactor writes through: its info chatter is
// debug for us.
func actorLogger(log zerolog.Logger) zerolog.Logger {
	l := log.With().Str("component", "protoactor").Logger()
	if log.GetLevel() < zerolog.WarnLevel {
		l = l.Level(zerolog.WarnLevel)
	}
	return l
}
