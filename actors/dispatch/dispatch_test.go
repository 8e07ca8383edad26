package dispatch_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/dispatch"
)

// TestPoolRunsActorsInOrder: an actor on the pool gets every message, in
// order, including when the queue overflows into fallback goroutines.
func TestPoolRunsActorsInOrder(t *testing.T) {
	sys := actor.NewActorSystem()
	t.Cleanup(sys.Shutdown)
	pool := dispatch.NewPool(2, 1) // a tiny queue forces the fallback path
	const n = 20000
	var got atomic.Int64
	var bad atomic.Bool
	done := make(chan struct{})
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		if v, ok := ctx.Message().(int); ok {
			if int64(v) != got.Load() {
				bad.Store(true)
			}
			if got.Add(1) == n {
				close(done)
			}
		}
	}, actor.WithDispatcher(pool))
	pids := make([]*actor.PID, 8)
	for i := range pids {
		pids[i] = sys.Root.Spawn(props)
	}
	// One ordered stream to the first actor; noise to the others.
	go func() {
		for i := 0; i < n; i++ {
			sys.Root.Send(pids[0], i)
			sys.Root.Send(pids[1+i%7], "noise")
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("only %d of %d messages arrived", got.Load(), n)
	}
	if bad.Load() {
		t.Fatal("messages arrived out of order")
	}
}
