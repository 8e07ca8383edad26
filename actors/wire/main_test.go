package wire

import (
	"bufio"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"github.com/rs/zerolog"
)

// Only ONE proto.actor remote may be started per test process: every
// remote.Start calls grpclog.SetLoggerV2, which races (go test -race) with
// the gRPC goroutines of any remote started before it. So the test process
// has a single remote-enabled "home" system, and every other actor system
// with remote runs in a child process (the test binary re-executed with
// peerEnv set), which also makes "the peer died" a real SIGKILL.

// peerEnv holds the address a child process's peer system listens on.
const peerEnv = "WIRE_TEST_PEER_ADDR"

func TestMain(m *testing.M) {
	if addr := os.Getenv(peerEnv); addr != "" {
		os.Exit(runPeer(addr))
	}
	code := m.Run()
	if home.r != nil {
		Shutdown(home.r)
	}
	os.Exit(code)
}

// home is the test process's single remote-enabled actor system, started on
// first use and shut down by TestMain.
var home struct {
	once sync.Once
	log  switchLog
	sys  *actor.ActorSystem
	r    *remote.Remote
	err  error
}

// switchLog forwards to the current test's log, or discards between tests.
type switchLog struct {
	mu sync.Mutex
	w  io.Writer // nil between tests
}

func (l *switchLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w == nil {
		return len(p), nil
	}
	return l.w.Write(p)
}

// homeSystem returns the home system, its logs going to t until t ends.
func homeSystem(t testing.TB) *actor.ActorSystem {
	t.Helper()
	home.once.Do(func() {
		log := zerolog.New(&home.log).With().Timestamp().Str("sys", "home").Logger()
		home.sys = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
			return slog.New(zerolog.NewSlogHandler(log))
		}))
		var extra []remote.ConfigOption
		if os.Getenv(defaultsEnv) != "" {
			extra = remoteDefaults()
		}
		home.r, home.err = StartRemote(home.sys, "127.0.0.1:0", extra...)
	})
	if home.err != nil {
		t.Fatal(home.err)
	}
	home.log.mu.Lock()
	home.log.w = zerolog.TestWriter{T: t, Frame: 6}
	home.log.mu.Unlock()
	t.Cleanup(func() {
		home.log.mu.Lock()
		home.log.w = nil
		home.log.mu.Unlock()
	})
	return home.sys
}

// peer is a child process running a remote-enabled actor system with an
// "echo" actor (see runPeer).
type peer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	id    string // the child's actor system ID
	addr  string // the child's listening address
	once  sync.Once
}

// startPeer starts a peer listening on addr and waits until it is ready.
func startPeer(t testing.TB, addr string) *peer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), peerEnv+"="+addr)
	cmd.Stderr = &testLog{w: zerolog.TestWriter{T: t, Frame: 6}}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &peer{cmd: cmd, stdin: stdin, addr: addr}
	t.Cleanup(p.kill)
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "ready" {
			t.Fatalf("peer on %s: %q", addr, line)
		}
		p.id, p.addr = f[1], f[2]
	case <-time.After(20 * time.Second): // a -race binary on a busy box
		t.Fatalf("peer on %s not ready", addr)
	}
	return p
}

// kill SIGKILLs the peer (no goodbye to anyone) and reaps it.
func (p *peer) kill() {
	p.once.Do(func() {
		_ = p.cmd.Process.Kill()
		_ = p.stdin.Close()
		_ = p.cmd.Wait()
	})
}

// echo is the peer's actor.
type echo struct {
	id string // the peer system's ID
}

func (e *echo) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *ping:
		_ = Send(ctx, m.ReplyTo, &pong{Seq: m.Seq, From: e.id, Sender: ctx.Sender()})
	case *testMsg:
		_ = Send(ctx, m.Conn, m) // back to where it came from
	}
}

// runPeer is the child process's main: a remote on addr, an actor named
// "echo", "ready <id> <address>" on stdout, then wait for stdin to close.
func runPeer(addr string) int {
	log := zerolog.New(os.Stderr).With().Timestamp().Str("sys", "peer").Logger()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(zerolog.NewSlogHandler(log))
	}))
	var extra []remote.ConfigOption
	if os.Getenv(defaultsEnv) != "" {
		extra = remoteDefaults()
	}
	r, err := StartRemote(sys, addr, extra...)
	if err != nil {
		log.Error().Err(err).Msg("peer start")
		return 1
	}
	props := actor.PropsFromProducer(func() actor.Actor { return &echo{id: sys.ID} },
		actor.WithReceiverMiddleware(Middleware))
	if _, err := sys.Root.SpawnNamed(props, "echo"); err != nil {
		log.Error().Err(err).Msg("peer spawn")
		return 1
	}
	if _, err := os.Stdout.WriteString("ready " + sys.ID + " " + sys.Address() + "\n"); err != nil {
		return 1
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	Shutdown(r)
	return 0
}
