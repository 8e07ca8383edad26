package wire

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
)

// testLog is an io.Writer that logs to t until the test's cleanup starts,
// then discards: remote's goroutines may still log after a test returns,
// and logging to a finished t panics.
type testLog struct {
	mu   sync.Mutex
	w    zerolog.TestWriter
	done bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return len(p), nil
	}
	return l.w.Write(p)
}

// newTestLogger returns a logger writing to t while t runs. Its Cleanup
// runs last, after everything registered later.
func newTestLogger(t testing.TB) zerolog.Logger {
	t.Helper()
	l := &testLog{w: zerolog.TestWriter{T: t, Frame: 6}}
	t.Cleanup(func() {
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
	})
	return zerolog.New(l).With().Timestamp().Logger()
}

// newSystem returns an actor system whose protoactor logs go to t.
func newSystem(t testing.TB, log zerolog.Logger) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(zerolog.NewSlogHandler(log.Level(zerolog.InfoLevel)))
	}))
	t.Cleanup(sys.Shutdown)
	return sys
}

// received is one message seen by a sink actor.
type received struct {
	msg    any
	sender *actor.PID
}

// sink is an actor that reports every user message it receives, after
// Middleware, on a channel.
type sink struct {
	out chan<- received // owned by the test; buffered
}

func (s *sink) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		select {
		case s.out <- received{msg: ctx.Message(), sender: ctx.Sender()}:
		default: // never block an actor; tests size the buffer generously
		}
	}
}

// spawnSink spawns a sink named name (or anonymous if name is "") using mw.
func spawnSink(t testing.TB, sys *actor.ActorSystem, name string, mw actor.ReceiverMiddleware) (*actor.PID, <-chan received) {
	t.Helper()
	ch := make(chan received, 4096)
	props := actor.PropsFromProducer(func() actor.Actor { return &sink{out: ch} },
		actor.WithReceiverMiddleware(mw))
	if name == "" {
		return sys.Root.Spawn(props), ch
	}
	pid, err := sys.Root.SpawnNamed(props, name)
	if err != nil {
		t.Fatal(err)
	}
	return pid, ch
}

// next returns the next message from ch or fails after d.
func next(t testing.TB, ch <-chan received, d time.Duration) received {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(d):
		t.Fatalf("no message within %v", d)
		return received{}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
