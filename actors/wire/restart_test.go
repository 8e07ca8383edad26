package wire

import (
	"net"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// Measurement knobs, for reproducing the figures in doc.go by hand; the
// test itself runs with neither set.
//
//	WIRE_TEST_DEFAULTS=1   run home and peers with remote's default config
//	WIRE_TEST_OUTAGE=12s   keep the peer down this long before restarting it
const (
	defaultsEnv = "WIRE_TEST_DEFAULTS"
	outageEnv   = "WIRE_TEST_OUTAGE"
)

// remoteDefaults undoes Options, restoring remote's own defaults.
func remoteDefaults() []remote.ConfigOption {
	return []remote.ConfigOption{
		remote.WithDialOptions(grpc.WithTransportCredentials(insecure.NewCredentials())),
		remote.WithCallOptions(),
		remote.WithServerOptions(),
		remote.WithEndpointWriterBatchSize(1000),
		remote.WithEndpointWriterQueueSize(1000000),
		withMaxRetryCount(5),
	}
}

// freeAddr returns a 127.0.0.1 address nobody listens on right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// pingUntil pings echo every 20 ms until a pong from the peer incarnation
// from arrives, and returns it with its arrival time.
func pingUntil(t testing.TB, sys *actor.ActorSystem, echo, replyTo *actor.PID, ch <-chan received,
	seq *int, from string, d time.Duration) (*pong, time.Time) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		*seq++
		if err := Send(sys.Root, echo, &ping{Seq: *seq, ReplyTo: replyTo}); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-ch:
			if p, ok := r.msg.(*pong); ok && p.From == from {
				return p, time.Now()
			}
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("no pong from %s within %v (sent up to #%d)", from, d, *seq)
		}
	}
}

// TestPeerRestart kills the peer with SIGKILL, restarts it on the same
// address and checks that the home system notices and re-attaches.
func TestPeerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	sys := homeSystem(t)
	addr := freeAddr(t)
	p1 := startPeer(t, addr)
	echo := actor.NewPID(addr, "echo")
	replyTo, ch := spawnSink(t, sys, "", Middleware)

	terminated := make(chan time.Time, 16)
	var deadLetters atomic.Int64
	sub := sys.EventStream.Subscribe(func(ev any) {
		switch e := ev.(type) {
		case *remote.EndpointTerminatedEvent:
			if e.Address == addr {
				select {
				case terminated <- time.Now():
				default:
				}
			}
		case *actor.DeadLetterEvent:
			if e.PID != nil && e.PID.Address == addr {
				deadLetters.Add(1)
			}
		}
	})
	t.Cleanup(func() { sys.EventStream.Unsubscribe(sub) })

	seq := 0
	pingUntil(t, sys, echo, replyTo, ch, &seq, p1.id, 10*time.Second)
	// A watcher of the peer's actor. Once ctx.Watch has returned, the
	// watch is queued at remote's endpoint watcher ahead of any
	// EndpointTerminatedEvent, so it cannot be missed.
	watching := make(chan struct{})
	watchEvents := make(chan *actor.Terminated, 1)
	sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			ctx.Watch(echo)
			close(watching)
		case *actor.Terminated:
			watchEvents <- m
		}
	}))

	select {
	case <-watching:
	case <-time.After(waitFor):
		t.Fatal("watcher did not start")
	}

	killed := time.Now()
	p1.kill()
	select {
	case at := <-terminated:
		t.Logf("EndpointTerminatedEvent %v after SIGKILL", at.Sub(killed))
	case <-time.After(10 * time.Second):
		t.Fatal("no EndpointTerminatedEvent after the peer died")
	}
	select {
	case m := <-watchEvents:
		if !m.Who.Equal(echo) || m.Why != actor.TerminatedReason_AddressTerminated {
			t.Errorf("watcher got %v", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a watcher of the dead peer's actor got no Terminated")
	}

	// Sends while nobody listens: Send itself cannot tell.
	outageFirst := seq + 1
	for range 5 {
		seq++
		if err := Send(sys.Root, echo, &ping{Seq: seq, ReplyTo: replyTo}); err != nil {
			t.Fatal(err)
		}
	}
	outageLast := seq
	if d, err := time.ParseDuration(os.Getenv(outageEnv)); err == nil {
		time.Sleep(d) // manual measurement only, see outageEnv
	}

	p2 := startPeer(t, addr)
	ready := time.Now()
	if p2.id == p1.id {
		t.Fatal("restarted peer has the same system ID")
	}
	first, at := pingUntil(t, sys, echo, replyTo, ch, &seq, p2.id, 15*time.Second)
	t.Logf("first pong from the restarted peer %v after it was ready (ping #%d; outage pings were #%d-#%d; %d dead letters to the peer)",
		at.Sub(ready), first.Seq, outageFirst, outageLast, deadLetters.Load())

	// Only the new incarnation answers from now on.
	p, _ := pingUntil(t, sys, echo, replyTo, ch, &seq, p2.id, 5*time.Second)
	if p.From != p2.id {
		t.Fatalf("pong from %s", p.From)
	}
}
