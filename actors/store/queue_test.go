package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
)

// readGate wraps a store: GetRoom blocks until the gate opens, and the order in which
// loads started is recorded.
type readGate struct {
	persistence.Store
	gate    chan struct{}
	mu      sync.Mutex
	order   []string
	entered chan struct{} // one value per GetRoom started
}

func newReadGate() *readGate {
	return &readGate{Store: persistence.NewMemory(), gate: make(chan struct{}), entered: make(chan struct{}, 100_000)}
}

func (g *readGate) GetRoom(ctx context.Context, id string) (*persistence.RoomRecord, error) {
	g.mu.Lock()
	g.order = append(g.order, id)
	g.mu.Unlock()
	g.entered <- struct{}{}
	<-g.gate
	return g.Store.GetRoom(ctx, id)
}

func (g *readGate) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(wait):
		t.Fatal("no load started")
	}
}

// fill starts one load on the single reader and fills the readers' channel with n
// more: later loads wait in the actor's own queue.
func (g *readGate) fill(t *testing.T, sys *actor.ActorSystem, pid *actor.PID, n int) []*actor.Future {
	t.Helper()
	fs := []*actor.Future{sys.Root.RequestFuture(pid, &store.LoadRoom{ID: "busy:0"}, wait)}
	g.waitEntered(t)
	for i := range n {
		fs = append(fs, sys.Root.RequestFuture(pid, &store.LoadRoom{ID: fmt.Sprintf("busy:%d", i+1)}, wait))
	}
	return fs
}

func loaded(t *testing.T, f *actor.Future) *store.RoomLoaded {
	t.Helper()
	res, err := f.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res.(*store.RoomLoaded)
}

// TestLoadBurstQueues: every room of a 10,000-room world asks at once with a single
// reader (and with the old bound of 4096 long passed); every load is answered, none
// ErrBusy, and they run in arrival order.
func TestLoadBurstQueues(t *testing.T) {
	sys := newSystem(t)
	g := newReadGate()
	pid := spawn(t, sys, g, store.WithReaders(1, store.DefaultReadQueue))
	const rooms = 10_000
	futures := make([]*actor.Future, rooms)
	for i := range futures {
		futures[i] = sys.Root.RequestFuture(pid, &store.LoadRoom{ID: fmt.Sprintf("grid:%d", i)}, wait)
	}
	g.waitEntered(t)
	// Flush is answered in mailbox order: every load before it is queued by then.
	if _, err := sys.Root.RequestFuture(pid, &store.Flush{}, wait).Result(); err != nil {
		t.Fatal(err)
	}
	close(g.gate)
	for i, f := range futures {
		if r := loaded(t, f); !errors.Is(r.Err, persistence.ErrNotFound) || r.ID != fmt.Sprintf("grid:%d", i) {
			t.Fatalf("load %d = %+v, want ErrNotFound (no saved state)", i, r)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, id := range g.order {
		if id != fmt.Sprintf("grid:%d", i) {
			t.Fatalf("load number %d to start was %s, want arrival order", i, id)
		}
	}
}

// TestLoadQueueBound: past the read queue's bound (loads waiting, not running) a load
// is refused at once with ErrBusy; the queued ones are still answered.
func TestLoadQueueBound(t *testing.T) {
	sys := newSystem(t)
	g := newReadGate()
	pid := spawn(t, sys, g, store.WithReaders(1, 3))
	futures := g.fill(t, sys, pid, 0)
	for i := range 3 {
		futures = append(futures, sys.Root.RequestFuture(pid, &store.LoadRoom{ID: fmt.Sprintf("q:%d", i)}, wait))
	}
	r := request[*store.RoomLoaded](t, sys, pid, &store.LoadRoom{ID: "q:3"})
	if !errors.Is(r.Err, store.ErrBusy) || errors.Is(r.Err, store.ErrQueueTimeout) || r.ID != "q:3" {
		t.Fatalf("load past the bound = %+v, want ErrBusy at once", r)
	}
	if a := request[*store.AccountLoaded](t, sys, pid, &store.LoadAccount{Key: "Bob"}); !errors.Is(a.Err, store.ErrBusy) || a.Key != "bob" {
		t.Fatalf("account load past the bound = %+v, want ErrBusy", a)
	}
	close(g.gate)
	for _, f := range futures {
		if r := loaded(t, f); !errors.Is(r.Err, persistence.ErrNotFound) {
			t.Fatalf("queued load = %+v", r)
		}
	}
}

// TestLoadDeadline: a load still queued at its deadline is answered then with ErrBusy
// and ErrQueueTimeout, and is not run.
func TestLoadDeadline(t *testing.T) {
	sys := newSystem(t)
	g := newReadGate()
	const maxWait = 50 * time.Millisecond
	pid := spawn(t, sys, g, store.WithReaders(1, 2*store.ReadBuffer), store.WithReadWait(maxWait))
	futures := g.fill(t, sys, pid, store.ReadBuffer)
	t0 := time.Now()
	r := request[*store.RoomLoaded](t, sys, pid, &store.LoadRoom{ID: "late:0"})
	if waited := time.Since(t0); waited < maxWait {
		t.Errorf("answered after %s, before the deadline %s", waited, maxWait)
	}
	if !errors.Is(r.Err, store.ErrBusy) || !errors.Is(r.Err, store.ErrQueueTimeout) || r.ID != "late:0" {
		t.Fatalf("load past its deadline = %+v, want ErrBusy and ErrQueueTimeout", r)
	}
	close(g.gate)
	for _, f := range futures {
		if r := loaded(t, f); !errors.Is(r.Err, persistence.ErrNotFound) {
			t.Fatalf("running load = %+v", r)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range g.order {
		if id == "late:0" {
			t.Errorf("the expired load was run")
		}
	}
}

// TestStopAnswersQueuedLoads: loads still queued when the actor stops get ErrStopped.
func TestStopAnswersQueuedLoads(t *testing.T) {
	sys := newSystem(t)
	g := newReadGate()
	pid := sys.Root.Spawn(store.Props(g, zerolog.New(zerolog.NewTestWriter(t)), store.WithReaders(1, 2*store.ReadBuffer)))
	g.fill(t, sys, pid, store.ReadBuffer)
	queued := sys.Root.RequestFuture(pid, &store.LoadRoom{ID: "q:0"}, wait)
	if _, err := sys.Root.RequestFuture(pid, &store.Flush{}, wait).Result(); err != nil {
		t.Fatal(err)
	}
	if err := sys.Root.StopFuture(pid).Wait(); err != nil {
		t.Fatal(err)
	}
	if r := loaded(t, queued); !errors.Is(r.Err, store.ErrStopped) {
		t.Fatalf("queued load at stop = %+v, want ErrStopped", r)
	}
	close(g.gate)
}

// logLines collects a zerolog logger's JSON lines.
type logLines struct {
	mu    sync.Mutex
	lines []map[string]any
}

func (l *logLines) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, m)
	return len(p), nil
}

// sum adds up field over the lines whose message contains msg, and counts them.
func (l *logLines) sum(msg, field string) (total, lines int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.lines {
		if s, _ := m["message"].(string); strings.Contains(s, msg) {
			lines++
			n, _ := m[field].(float64)
			total += int(n)
		}
	}
	return total, lines
}

// TestOverloadLogRateLimited: hundreds of refused loads log a line at once and then at
// most one line per interval, and the lines' counts add up to every refusal.
func TestOverloadLogRateLimited(t *testing.T) {
	logs := &logLines{}
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	g := newReadGate()
	const interval = 200 * time.Millisecond
	pid := sys.Root.Spawn(store.Props(g, zerolog.New(logs), store.WithReaders(1, 1), store.WithWarnInterval(interval)))
	t.Cleanup(func() {
		close(g.gate)
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
	})
	g.fill(t, sys, pid, 1) // one running, one waiting: the bound
	const refused = 300
	start := time.Now()
	var futures []*actor.Future
	for i := range refused {
		futures = append(futures, sys.Root.RequestFuture(pid, &store.LoadRoom{ID: fmt.Sprintf("r:%d", i)}, wait))
	}
	for _, f := range futures {
		if r := loaded(t, f); !errors.Is(r.Err, store.ErrBusy) {
			t.Fatalf("past the bound: %+v, want ErrBusy", r)
		}
	}
	const msg = "store overloaded"
	deadline := time.Now().Add(wait)
	for n, _ := logs.sum(msg, "loads_refused"); n != refused; n, _ = logs.sum(msg, "loads_refused") {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d refusals logged", n, refused)
		}
		time.Sleep(time.Millisecond)
	}
	if _, lines := logs.sum(msg, "loads_refused"); lines > 2+int(time.Since(start)/interval) {
		t.Errorf("%d overload lines for %d refusals in %s", lines, refused, time.Since(start))
	}
}
