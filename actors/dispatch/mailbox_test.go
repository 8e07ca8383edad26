package dispatch_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/dispatch"
)

func waitChan(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("waited 10s for %s", what)
	}
}

// TestMailboxKeepsEachSendersOrder: several senders at once, on the pool
// and on goroutines; every message arrives once, each sender's in order.
func TestMailboxKeepsEachSendersOrder(t *testing.T) {
	for _, name := range []string{"pool", "goroutines"} {
		t.Run(name, func(t *testing.T) {
			sys := actor.NewActorSystem()
			t.Cleanup(sys.Shutdown)
			disp := actor.WithDispatcher(dispatch.NewPool(2, 1))
			if name == "goroutines" {
				disp = actor.WithDispatcher(actor.NewDefaultDispatcher(dispatch.Throughput))
			}
			const senders, n = 4, 5000
			type m struct{ from, seq int }
			next := make([]int, senders) // owned by the actor
			var bad atomic.Bool
			var got atomic.Int64
			done := make(chan struct{})
			pid := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
				if v, ok := ctx.Message().(m); ok {
					if v.seq != next[v.from] {
						bad.Store(true)
					}
					next[v.from]++
					if got.Add(1) == senders*n {
						close(done)
					}
				}
			}, disp, actor.WithMailbox(dispatch.Mailbox)))
			var wg sync.WaitGroup
			for s := range senders {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range n {
						sys.Root.Send(pid, m{s, i})
					}
				}()
			}
			wg.Wait()
			waitChan(t, done, "every message")
			if bad.Load() {
				t.Fatal("a sender's messages arrived out of order")
			}
		})
	}
}

// TestMailboxLifecycle: Started first, a panic restarts the actor (the
// mailbox is suspended and resumed) and the messages after it still
// arrive, a watcher learns of the stop, and Stopped is the last message.
func TestMailboxLifecycle(t *testing.T) {
	sys := actor.NewActorSystem()
	t.Cleanup(sys.Shutdown)
	var mu sync.Mutex
	var log []string
	add := func(s string) {
		mu.Lock()
		log = append(log, s)
		mu.Unlock()
	}
	stopped := make(chan struct{})
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch v := ctx.Message().(type) {
		case *actor.Started:
			add("started")
		case *actor.Restarting:
			add("restarting")
		case *actor.Stopped:
			add("stopped")
			close(stopped)
		case string:
			if v == "boom" {
				panic("boom")
			}
			add(v)
		}
	}, actor.WithMailbox(dispatch.Mailbox)))
	terminated := make(chan struct{})
	sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			ctx.Watch(pid)
		case *actor.Terminated:
			close(terminated)
		}
	}, actor.WithMailbox(dispatch.Mailbox)))
	sys.Root.Send(pid, "a")
	sys.Root.Send(pid, "boom")
	sys.Root.Send(pid, "b")
	time.Sleep(50 * time.Millisecond) // the watch is in place (it is a message too)
	if err := sys.Root.StopFuture(pid).Wait(); err != nil {
		t.Fatal(err)
	}
	waitChan(t, stopped, "Stopped")
	waitChan(t, terminated, "Terminated at the watcher")
	mu.Lock()
	defer mu.Unlock()
	want := []string{"started", "a", "restarting", "started", "b", "stopped"}
	if len(log) != len(want) {
		t.Fatalf("log %v, want %v", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("log %v, want %v", log, want)
		}
	}
}

// TestMailboxRequestResponse: a request through the compact mailbox is
// answered (the future's sender path).
func TestMailboxRequestResponse(t *testing.T) {
	sys := actor.NewActorSystem()
	t.Cleanup(sys.Shutdown)
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if s, ok := ctx.Message().(string); ok {
			ctx.Respond(s + "!")
		}
	}, dispatch.Option(), actor.WithMailbox(dispatch.Mailbox)))
	for i := range 100 {
		res, err := sys.Root.RequestFuture(pid, "hi", 5*time.Second).Result()
		if err != nil || res != "hi!" {
			t.Fatalf("request %d: %v, %v", i, res, err)
		}
	}
}
