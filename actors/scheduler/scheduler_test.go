package scheduler_test

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/scheduler"
)

// recorder is an owner actor that forwards its events to a channel.
func recorder(ch chan *scheduler.Event) *actor.Props {
	return actor.PropsFromFunc(func(ctx actor.Context) {
		if ev, ok := ctx.Message().(*scheduler.Event); ok {
			ch <- ev
		}
	})
}

func setup(t *testing.T) (*actor.ActorSystem, *actor.PID) {
	t.Helper()
	sys := actor.NewActorSystem()
	t.Cleanup(sys.Shutdown)
	pid := sys.Root.Spawn(scheduler.Props(zerolog.New(zerolog.NewTestWriter(t)), nil))
	return sys, pid
}

func next(t *testing.T, ch chan *scheduler.Event) *scheduler.Event {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event in time")
		return nil
	}
}

func pending(t *testing.T, sys *actor.ActorSystem, pid *actor.PID) *scheduler.Pending {
	t.Helper()
	res, err := sys.Root.RequestFuture(pid, &scheduler.Stats{}, 5*time.Second).Result()
	if err != nil {
		t.Fatal(err)
	}
	return res.(*scheduler.Pending)
}

func TestOneShotOrderAndData(t *testing.T) {
	sys, s := setup(t)
	ch := make(chan *scheduler.Event, 10)
	owner := sys.Root.Spawn(recorder(ch))
	sys.Root.Send(s, &scheduler.Start{Owner: owner, Key: "late", Delay: 60 * time.Millisecond, Data: 2})
	sys.Root.Send(s, &scheduler.Start{Owner: owner, Key: "early", Delay: 10 * time.Millisecond, Data: 1})
	if ev := next(t, ch); ev.Key != "early" || ev.Data != 1 {
		t.Fatalf("first event %+v", ev)
	}
	if ev := next(t, ch); ev.Key != "late" || ev.Data != 2 {
		t.Fatalf("second event %+v", ev)
	}
	if p := pending(t, sys, s); p.Events != 0 {
		t.Fatalf("%d events left after one-shots fired", p.Events)
	}
}

func TestRepeatReplaceCancel(t *testing.T) {
	sys, s := setup(t)
	ch := make(chan *scheduler.Event, 100)
	owner := sys.Root.Spawn(recorder(ch))
	sys.Root.Send(s, &scheduler.Start{Owner: owner, Key: "pulse", Delay: time.Millisecond, Every: 5 * time.Millisecond, Data: "a"})
	for range 3 {
		if ev := next(t, ch); ev.Data != "a" {
			t.Fatalf("got %+v", ev)
		}
	}
	// Same key replaces: only "b" from now on.
	sys.Root.Send(s, &scheduler.Start{Owner: owner, Key: "pulse", Delay: time.Millisecond, Every: 5 * time.Millisecond, Data: "b"})
	deadline := time.After(5 * time.Second)
	for seenB := 0; seenB < 3; {
		select {
		case ev := <-ch:
			if ev.Data == "b" {
				seenB++
			}
		case <-deadline:
			t.Fatal("replacement never fired")
		}
	}
	sys.Root.Send(s, &scheduler.Cancel{Owner: owner, Key: "pulse"})
	if p := pending(t, sys, s); p.Events != 0 {
		t.Fatalf("%d events pending after cancel", p.Events)
	}
}

func TestOwnerStopCancels(t *testing.T) {
	sys, s := setup(t)
	ch := make(chan *scheduler.Event, 10)
	owner := sys.Root.Spawn(recorder(ch))
	for _, k := range []string{"a", "b", "c"} {
		sys.Root.Send(s, &scheduler.Start{Owner: owner, Key: k, Delay: time.Hour})
	}
	// One event that fires after the owner has stopped.
	sys.Root.Send(s, &scheduler.Start{Owner: owner, Key: "soon", Delay: 50 * time.Millisecond})
	if p := pending(t, sys, s); p.Events != 4 || p.Owners != 1 {
		t.Fatalf("pending %+v", p)
	}
	if err := sys.Root.StopFuture(owner).Wait(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for pending(t, sys, s).Events != 0 {
		if time.Now().After(deadline) {
			t.Fatal("events of a stopped owner were not dropped")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
