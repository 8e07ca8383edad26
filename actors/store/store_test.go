package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/persistence/storetest"
)

const wait = 10 * time.Second // deadline for any single reply

// newSystem returns an actor system whose own logs are discarded; it is shut down in
// Cleanup after every actor spawned by the test was stopped.
func newSystem(t testing.TB) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	t.Cleanup(sys.Shutdown)
	return sys
}

// spawn starts a store actor on st; Cleanup stops it (before the system shuts down).
func spawn(t testing.TB, sys *actor.ActorSystem, st persistence.Store, opts ...store.Option) *actor.PID {
	t.Helper()
	log := zerolog.Nop()
	if tt, ok := t.(*testing.T); ok {
		log = zerolog.New(zerolog.NewTestWriter(tt))
	}
	pid := sys.Root.Spawn(store.Props(st, log, opts...))
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	return pid
}

func request[R any](t testing.TB, sys *actor.ActorSystem, pid *actor.PID, req any) R {
	t.Helper()
	res, err := sys.Root.RequestFuture(pid, req, wait).Result()
	if err != nil {
		t.Fatalf("%T: %v", req, err)
	}
	r, ok := res.(R)
	if !ok {
		t.Fatalf("%T answered %T", req, res)
	}
	return r
}

func stores(t *testing.T) map[string]func(t *testing.T) persistence.Store {
	return map[string]func(t *testing.T) persistence.Store{
		"memory": func(t *testing.T) persistence.Store { return persistence.NewMemory() },
		"bolt": func(t *testing.T) persistence.Store {
			st, err := persistence.OpenBolt(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
	}
}

func TestRequests(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			pid := spawn(t, sys, open(t))

			if r := request[*store.AccountCreated](t, sys, pid, &store.CreateAccount{Record: storetest.Account("Alice")}); r.Err != nil || r.Key != "alice" {
				t.Fatalf("CreateAccount = %+v", r)
			}
			if r := request[*store.AccountCreated](t, sys, pid, &store.CreateAccount{Record: storetest.Account("ALICE")}); !errors.Is(r.Err, persistence.ErrExists) {
				t.Fatalf("second CreateAccount = %+v, want ErrExists", r)
			}
			if r := request[*store.CharacterCreated](t, sys, pid, &store.CreateCharacter{Account: "Alice", Record: storetest.Character("Zed", "")}); r.Err != nil || r.Key != "zed" || r.Account != "alice" {
				t.Fatalf("CreateCharacter = %+v", r)
			}
			if r := request[*store.CharacterCreated](t, sys, pid, &store.CreateCharacter{Account: "nobody", Record: storetest.Character("Yan", "")}); !errors.Is(r.Err, persistence.ErrNotFound) {
				t.Fatalf("CreateCharacter for missing account = %+v", r)
			}
			acct := request[*store.AccountLoaded](t, sys, pid, &store.LoadAccount{Key: "alice"})
			if acct.Err != nil || len(acct.Record.Characters) != 1 || acct.Record.Characters[0] != "Zed" {
				t.Fatalf("LoadAccount = %+v", acct)
			}
			ch := storetest.Character("Zed", "alice")
			ch.Level = 7
			if r := request[*store.Saved](t, sys, pid, &store.SaveCharacter{Record: ch}); r.Err != nil || r.Key != "zed" || r.Kind != persistence.KindCharacter {
				t.Fatalf("SaveCharacter = %+v", r)
			}
			if r := request[*store.CharacterLoaded](t, sys, pid, &store.LoadCharacter{Key: "ZED"}); r.Err != nil || r.Record.Level != 7 {
				t.Fatalf("LoadCharacter = %+v", r)
			}
			if r := request[*store.CharacterLoaded](t, sys, pid, &store.LoadCharacter{Key: "nobody"}); !errors.Is(r.Err, persistence.ErrNotFound) || r.Key != "nobody" {
				t.Fatalf("LoadCharacter(nobody) = %+v", r)
			}
			room := &persistence.RoomRecord{ID: "Midgaard:1", Items: []persistence.ItemRecord{{ID: "x", Proto: "torch"}}}
			if r := request[*store.Saved](t, sys, pid, &store.SaveRoom{Record: room}); r.Err != nil || r.Key != "midgaard:1" {
				t.Fatalf("SaveRoom = %+v", r)
			}
			if r := request[*store.RoomLoaded](t, sys, pid, &store.LoadRoom{ID: "midgaard:1"}); r.Err != nil || len(r.Record.Items) != 1 {
				t.Fatalf("LoadRoom = %+v", r)
			}
			if r := request[*store.Saved](t, sys, pid, &store.SaveAccount{Record: acct.Record}); r.Err != nil {
				t.Fatalf("SaveAccount = %+v", r)
			}
			if r := request[*store.Saved](t, sys, pid, &store.SaveCharacter{Record: nil}); !errors.Is(r.Err, persistence.ErrInvalid) {
				t.Fatalf("SaveCharacter(nil) = %+v, want ErrInvalid", r)
			}
			if r := request[*store.CharacterDeleted](t, sys, pid, &store.DeleteCharacter{Account: "alice", Name: "Zed"}); r.Err != nil {
				t.Fatalf("DeleteCharacter = %+v", r)
			}
			if r := request[*store.AccountLoaded](t, sys, pid, &store.LoadAccount{Key: "alice"}); r.Err != nil || len(r.Record.Characters) != 0 {
				t.Fatalf("account after delete = %+v", r)
			}
			ap := request[*store.Applied](t, sys, pid, &store.Apply{ID: 42, Ops: []persistence.Op{
				persistence.Put(storetest.Account("Bob")), persistence.Create(storetest.Account("bob")),
			}})
			if ap.ID != 42 || ap.Err != nil || ap.Errs[0] != nil || !errors.Is(ap.Errs[1], persistence.ErrExists) {
				t.Fatalf("Apply = %+v", ap)
			}
			big := make([]persistence.Op, store.DefaultMaxBatch+1)
			if r := request[*store.Applied](t, sys, pid, &store.Apply{ID: 7, Ops: big}); !errors.Is(r.Err, store.ErrBatchTooLarge) || r.ID != 7 {
				t.Fatalf("oversized Apply = %+v", r)
			}
			if r := request[*store.Flushed](t, sys, pid, &store.Flush{ID: 9}); r.ID != 9 || r.Failed != 1 {
				t.Fatalf("Flush = %+v, want ID 9 and the one invalid save counted", r)
			}
		})
	}
}

// TestConcurrentSavers: many savers at once; every save is acknowledged and the last
// acknowledged version of each record is what the store holds.
func TestConcurrentSavers(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			sys := newSystem(t)
			st := open(t)
			pid := spawn(t, sys, st, store.WithMaxBatch(16))
			const savers, saves = 40, 25
			var wg sync.WaitGroup
			for i := range savers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					name := fmt.Sprintf("Saver%d", i)
					for seq := 1; seq <= saves; seq++ {
						ch := storetest.Character(name, "acct")
						ch.PlayedSeconds = int64(seq)
						res, err := sys.Root.RequestFuture(pid, &store.SaveCharacter{Record: ch}, wait).Result()
						if err != nil {
							t.Errorf("%s seq %d: %v", name, seq, err)
							return
						}
						if s := res.(*store.Saved); s.Err != nil || s.Key != persistence.NormalizeKey(name) {
							t.Errorf("%s seq %d: %+v", name, seq, s)
							return
						}
					}
				}()
			}
			wg.Wait()
			for i := range savers {
				got, err := st.GetCharacter(context.Background(), fmt.Sprintf("saver%d", i))
				if err != nil || got.PlayedSeconds != saves {
					t.Errorf("saver%d: %+v, %v; want seq %d", i, got, err, saves)
				}
			}
		})
	}
}

// gateStore wraps a store: Apply blocks until the gate is opened, and every batch
// size is recorded.
type gateStore struct {
	persistence.Store
	gate    chan struct{}
	mu      sync.Mutex
	batches []int
	entered chan int // receives the batch size when an Apply starts
}

func newGateStore() *gateStore {
	return &gateStore{Store: persistence.NewMemory(), gate: make(chan struct{}), entered: make(chan int, 100)}
}

func (g *gateStore) Apply(ctx context.Context, ops []persistence.Op) ([]error, error) {
	g.entered <- len(ops)
	<-g.gate
	g.mu.Lock()
	g.batches = append(g.batches, len(ops))
	g.mu.Unlock()
	return g.Store.Apply(ctx, ops)
}

func (g *gateStore) waitEntered(t *testing.T) int {
	t.Helper()
	select {
	case n := <-g.entered:
		return n
	case <-time.After(wait):
		t.Fatal("no Apply started")
		return 0
	}
}

// sync waits until the store actor has processed every message sent before: a load of
// an untouched key is answered only after that.
func syncActor(t *testing.T, sys *actor.ActorSystem, pid *actor.PID) {
	t.Helper()
	request[*store.RoomLoaded](t, sys, pid, &store.LoadRoom{ID: "sync:0"})
}

// TestGroupCommit: saves that arrive while a commit runs wait and go into the next
// batches, each at most the maximum batch size.
func TestGroupCommit(t *testing.T) {
	sys := newSystem(t)
	g := newGateStore()
	pid := spawn(t, sys, g, store.WithMaxBatch(30))
	futures := []*actor.Future{sys.Root.RequestFuture(pid, &store.SaveCharacter{Record: storetest.Character("First", "a")}, wait)}
	if n := g.waitEntered(t); n != 1 {
		t.Fatalf("first batch has %d ops, want 1", n)
	}
	for i := range 99 {
		futures = append(futures, sys.Root.RequestFuture(pid, &store.SaveCharacter{Record: storetest.Character(fmt.Sprintf("C%d", i), "a")}, wait))
	}
	syncActor(t, sys, pid)
	close(g.gate)
	for _, f := range futures {
		res, err := f.Result()
		if err != nil || res.(*store.Saved).Err != nil {
			t.Fatalf("save: %v %+v", err, res)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if want := []int{1, 30, 30, 30, 9}; fmt.Sprint(g.batches) != fmt.Sprint(want) {
		t.Errorf("batches = %v, want %v", g.batches, want)
	}
}

// TestLoadWaitsForPendingSave: a load of a key with a save still in flight sees that
// save (a quit followed by an immediate reconnect).
func TestLoadWaitsForPendingSave(t *testing.T) {
	sys := newSystem(t)
	g := newGateStore()
	old := storetest.Character("Quick", "a")
	old.Level = 1
	if _, err := g.Store.Apply(context.Background(), []persistence.Op{persistence.Put(old)}); err != nil {
		t.Fatal(err)
	}
	pid := spawn(t, sys, g)
	ch := storetest.Character("Quick", "a")
	ch.Level = 5
	save := sys.Root.RequestFuture(pid, &store.SaveCharacter{Record: ch}, wait)
	g.waitEntered(t)
	load := sys.Root.RequestFuture(pid, &store.LoadCharacter{Key: "quick"}, wait)
	other := request[*store.CharacterLoaded](t, sys, pid, &store.LoadCharacter{Key: "someone-else"})
	if !errors.Is(other.Err, persistence.ErrNotFound) {
		t.Fatalf("unrelated load = %+v", other)
	}
	close(g.gate)
	if res, err := save.Result(); err != nil || res.(*store.Saved).Err != nil {
		t.Fatalf("save: %v %+v", err, res)
	}
	res, err := load.Result()
	if err != nil {
		t.Fatal(err)
	}
	if got := res.(*store.CharacterLoaded); got.Err != nil || got.Record.Level != 5 {
		t.Fatalf("load during save = %+v, want level 5", got)
	}
}

// TestQueueFull: past the queue bound writes are refused at once with ErrBusy, and
// the queued ones still commit.
func TestQueueFull(t *testing.T) {
	sys := newSystem(t)
	g := newGateStore()
	pid := spawn(t, sys, g, store.WithMaxQueue(5))
	futures := []*actor.Future{sys.Root.RequestFuture(pid, &store.SaveRoom{Record: &persistence.RoomRecord{ID: "r:0"}}, wait)}
	g.waitEntered(t)
	for i := 1; i <= 5; i++ {
		futures = append(futures, sys.Root.RequestFuture(pid, &store.SaveRoom{Record: &persistence.RoomRecord{ID: fmt.Sprintf("r:%d", i)}}, wait))
	}
	busy := request[*store.Saved](t, sys, pid, &store.SaveRoom{Record: &persistence.RoomRecord{ID: "r:6"}})
	if !errors.Is(busy.Err, store.ErrBusy) || busy.Key != "r:6" {
		t.Fatalf("save past the bound = %+v, want ErrBusy", busy)
	}
	close(g.gate)
	for _, f := range futures {
		if res, err := f.Result(); err != nil || res.(*store.Saved).Err != nil {
			t.Fatalf("queued save: %v %+v", err, res)
		}
	}
}

// failStore fails the first n Apply calls.
type failStore struct {
	persistence.Store
	n     atomic.Int64
	calls atomic.Int64
}

var errDisk = errors.New("disk on fire")

func (f *failStore) Apply(ctx context.Context, ops []persistence.Op) ([]error, error) {
	f.calls.Add(1)
	if f.n.Add(-1) >= 0 {
		return nil, errDisk
	}
	return f.Store.Apply(ctx, ops)
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		failures  int
		retries   int
		wantErr   error
		wantCalls int64
	}{
		{"recovers", 3, 5, nil, 4},
		{"gives up", 10, 2, errDisk, 3},
		{"no retries", 1, 0, errDisk, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sys := newSystem(t)
			f := &failStore{Store: persistence.NewMemory()}
			f.n.Store(int64(tt.failures))
			pid := spawn(t, sys, f, store.WithRetries(tt.retries, time.Millisecond, 4*time.Millisecond))
			r := request[*store.Saved](t, sys, pid, &store.SaveCharacter{Record: storetest.Character("Retry", "a")})
			if !errors.Is(r.Err, tt.wantErr) || (tt.wantErr == nil && r.Err != nil) {
				t.Fatalf("Saved.Err = %v, want %v", r.Err, tt.wantErr)
			}
			if got := f.calls.Load(); got != tt.wantCalls {
				t.Errorf("Apply calls = %d, want %d", got, tt.wantCalls)
			}
			_, err := f.Store.GetCharacter(context.Background(), "retry")
			if (tt.wantErr == nil) != (err == nil) {
				t.Errorf("stored = %v, want stored %v", err, tt.wantErr == nil)
			}
			fl := request[*store.Flushed](t, sys, pid, &store.Flush{})
			if want := uint64(0); tt.wantErr != nil {
				want = 1
				if fl.Failed != want {
					t.Errorf("Flushed.Failed = %d, want %d", fl.Failed, want)
				}
			} else if fl.Failed != want {
				t.Errorf("Flushed.Failed = %d, want %d", fl.Failed, want)
			}
		})
	}
}

// TestFlush: once Flushed arrives, every save sent before it (fire-and-forget ones
// included) is in the store.
func TestFlush(t *testing.T) {
	sys := newSystem(t)
	st := persistence.NewMemory()
	pid := spawn(t, sys, st, store.WithMaxBatch(7))
	for i := range 50 {
		sys.Root.Send(pid, &store.SaveRoom{Record: &persistence.RoomRecord{ID: fmt.Sprintf("f:%d", i)}})
	}
	request[*store.Flushed](t, sys, pid, &store.Flush{ID: 1})
	if n := st.Len(); n != 50 {
		t.Fatalf("after Flush the store holds %d records, want 50", n)
	}
}

// TestStopAnswersQueued: writes still queued when the actor stops are answered
// ErrStopped rather than left hanging.
func TestStopAnswersQueued(t *testing.T) {
	sys := newSystem(t)
	g := newGateStore()
	pid := sys.Root.Spawn(store.Props(g, zerolog.New(zerolog.NewTestWriter(t))))
	first := sys.Root.RequestFuture(pid, &store.SaveRoom{Record: &persistence.RoomRecord{ID: "s:0"}}, wait)
	g.waitEntered(t)
	queued := sys.Root.RequestFuture(pid, &store.SaveRoom{Record: &persistence.RoomRecord{ID: "s:1"}}, wait)
	syncActor(t, sys, pid)
	if err := sys.Root.StopFuture(pid).Wait(); err != nil {
		t.Fatal(err)
	}
	res, err := queued.Result()
	if err != nil || !errors.Is(res.(*store.Saved).Err, store.ErrStopped) {
		t.Fatalf("queued save at stop = %+v, %v; want ErrStopped", res, err)
	}
	close(g.gate) // the running commit still completes, to an empty mailbox
	_ = first
}
