package wire

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
)

// TestDecodingDecodesAndDrops: the wrapper delivers what Middleware does —
// decoded envelopes with their sender and headers, plain messages as they
// are — and drops and counts undecodable envelopes, and replies reach the
// envelope's sender.
func TestDecodingDecodesAndDrops(t *testing.T) {
	sys := newSystem(t, newTestLogger(t))
	ch := make(chan received, 16)
	headers := make(chan string, 16)
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return Decoding(actor.ReceiveFunc(func(ctx actor.Context) {
			(&sink{out: ch}).Receive(ctx)
			if _, ok := ctx.Message().(*ping); ok {
				headers <- ctx.MessageHeader().Get("k")
				ctx.Respond("pong")
			}
		}))
	}))
	before := Dropped()

	env, err := Encode(&ping{Seq: 7})
	if err != nil {
		t.Fatal(err)
	}
	replies, replyCh := spawnSink(t, sys, "", Middleware)
	sys.Root.Send(pid, &Envelope{Type: "no.such.type", Payload: []byte{1}})
	sys.Root.Send(pid, &Envelope{Type: "test.ping", Payload: []byte{0xc1}})
	me := &actor.MessageEnvelope{Message: env, Sender: replies}
	me.SetHeader("k", "v")
	sys.Root.Send(pid, me)
	sys.Root.Send(pid, "plain")

	got := next(t, ch, waitFor)
	if p, ok := got.msg.(*ping); !ok || p.Seq != 7 {
		t.Fatalf("first delivered message = %#v, want *ping{Seq: 7}", got.msg)
	}
	if !got.sender.Equal(replies) {
		t.Errorf("sender = %v, want %v", got.sender, replies)
	}
	if h := <-headers; h != "v" {
		t.Errorf("header k = %q, want v", h)
	}
	if r := next(t, replyCh, waitFor); r.msg != "pong" {
		t.Errorf("reply = %#v, want pong", r.msg)
	}
	if got := next(t, ch, waitFor); got.msg != "plain" {
		t.Errorf("non-envelope message = %#v", got.msg)
	}
	if d := Dropped() - before; d != 2 {
		t.Errorf("Dropped grew by %d, want 2", d)
	}
}
