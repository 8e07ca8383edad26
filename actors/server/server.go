package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/sessions"
	"github.com/troupe-mud/troupe/net/listener"
	"github.com/troupe-mud/troupe/net/telnet"
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
	// HookTimeout bounds one hook handler's answer.
	HookTimeout time.Duration
	// Log is the root logger; protoactor's own logs go into it too.
	Log zerolog.Logger
}

// Server is a running troupe: its actor system, tree and listener.
type Server struct {
	// System is the actor system; Sessions the sessions supervisor.
	System   *actor.ActorSystem
	Server   *actor.PID
	Sessions *actor.PID
	// Sockets is the published socket list.
	Sockets *msg.SocketList

	ln      net.Listener
	log     zerolog.Logger
	serving sync.WaitGroup
	once    sync.Once
}

// Start builds the actor tree and starts serving.
func Start(cfg Config) (*Server, error) {
	ln := cfg.Listener
	if ln == nil {
		addr := cfg.Telnet
		if addr == "" {
			addr = ":4000"
		}
		var err error
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, fmt.Errorf("server: listen on %s: %w", addr, err)
		}
	}
	log := cfg.Log
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(zerolog.NewSlogHandler(actorLogger(log)))
	}))
	s := &Server{System: system, Sockets: &msg.SocketList{}, ln: ln, log: log}

	first := cfg.First
	if first == nil {
		first = defaultFirst
	}
	connCfg := &conn.Config{
		Telnet:           telnet.Config{Name: cfg.Name},
		First:            first,
		Greeting:         cfg.Greeting,
		SendQueue:        cfg.SendQueue,
		WriteTimeout:     cfg.WriteTimeout,
		ResolveHostnames: cfg.ResolveHostnames,
		Aux:              cfg.Aux,
		Sockets:          s.Sockets,
		Log:              log,
	}
	ready := make(chan *actor.PID, 1)
	props := actor.PropsFromProducer(func() actor.Actor {
		return &serverActor{
			log:      log,
			sessions: sessions.Props(sessions.Config{Conn: connCfg, HookTimeout: cfg.HookTimeout, MaxConnections: cfg.MaxConnections, Log: log}),
			ready:    ready,
		}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(10, time.Minute, func(reason any) actor.Directive {
		log.Error().Str("panic", fmt.Sprint(reason)).Msg("actor under server failed; restarting it")
		return actor.RestartDirective
	})))
	pid, err := system.Root.SpawnNamed(props, "server")
	if err != nil {
		_ = ln.Close()
		system.Shutdown()
		return nil, fmt.Errorf("server: spawning the tree: %w", err)
	}
	s.Server = pid
	select {
	case s.Sessions = <-ready:
	case <-time.After(10 * time.Second):
		_ = ln.Close()
		system.Shutdown()
		return nil, errors.New("server: the actor tree did not start")
	}
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		root, sess := system.Root, s.Sessions
		if err := listener.Serve(ln, log, func(c net.Conn) { root.Send(sess, &sessions.Accept{Conn: c}) }); err != nil {
			log.Error().Err(err).Msg("listener stopped")
		}
	}()
	log.Info().Str("addr", ln.Addr().String()).Msg("serving telnet")
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Subscribe spawns a hook handler from props and adds it to hook name's
// chain. It returns the handler's PID.
func (s *Server) Subscribe(name string, props *actor.Props) *actor.PID {
	pid := s.System.Root.Spawn(props)
	s.System.Root.Send(s.Sessions, &msg.Subscribe{Name: name, Handler: pid})
	return pid
}

// Shutdown stops accepting, ends every connection as QUIT/shutdown with
// message (DefaultGoodbye if empty), waits up to timeout for the disconnect
// chains, and stops the actor system. It is safe to call more than once.
func (s *Server) Shutdown(message string, timeout time.Duration) error {
	var err error
	s.once.Do(func() {
		_ = s.ln.Close()
		s.serving.Wait()
		if message == "" {
			message = DefaultGoodbye
		}
		res, ferr := s.System.Root.RequestFuture(s.Sessions, &sessions.Shutdown{Message: message}, timeout).Result()
		if ferr != nil {
			err = fmt.Errorf("server: shutdown: %w", ferr)
		} else if d, ok := res.(*sessions.ShutdownDone); ok && d.Remaining > 0 {
			err = fmt.Errorf("server: shutdown: %d sockets left", d.Remaining)
		}
		_ = s.System.Root.StopFuture(s.Server).Wait()
		s.System.Shutdown()
		s.log.Info().Msg("server stopped")
	})
	return err
}

// serverActor is the top of troupe's tree; it only spawns and supervises.
type serverActor struct {
	log      zerolog.Logger
	sessions *actor.Props
	ready    chan *actor.PID
}

// Receive is the server actor's single entry point.
func (a *serverActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		pid, err := ctx.SpawnNamed(a.sessions, "sessions")
		if err != nil {
			a.log.Error().Err(err).Msg("spawning sessions")
			return
		}
		if a.ready != nil {
			a.ready <- pid // buffered; read once by Start
			a.ready = nil
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
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
