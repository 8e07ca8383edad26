package wire

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
)

const waitFor = 5 * time.Second

func TestSendLocalPassesPointer(t *testing.T) {
	for _, sys := range []*actor.ActorSystem{newSystem(t, newTestLogger(t)), homeSystem(t)} {
		pid, ch := spawnSink(t, sys, "", Middleware)
		// Unregistered on purpose: local sends never encode.
		m := &unregistered{A: 1}
		if err := Send(sys.Root, pid, m); err != nil {
			t.Fatalf("address %s: %v", sys.Address(), err)
		}
		if got := next(t, ch, waitFor); got.msg != any(m) {
			t.Fatalf("address %s: got %T %p, want the same pointer %p", sys.Address(), got.msg, got.msg, m)
		}
	}
}

func TestSendErrors(t *testing.T) {
	sys := newSystem(t, newTestLogger(t))
	remotePID := actor.NewPID("127.0.0.1:1", "x")
	if err := Send(sys.Root, nil, &ping{}); !errors.Is(err, ErrNilPID) {
		t.Errorf("nil pid: %v", err)
	}
	if err := Send(sys.Root, remotePID, nil); !errors.Is(err, ErrNilMessage) {
		t.Errorf("nil message: %v", err)
	}
	if err := Send(sys.Root, remotePID, &unregistered{}); !errors.Is(err, ErrUnregistered) {
		t.Errorf("unregistered remote message: %v", err)
	}
}

func TestMiddlewareDecodesAndDrops(t *testing.T) {
	sys := newSystem(t, newTestLogger(t))
	log := newTestLogger(t)
	pid, ch := spawnSink(t, sys, "", NewMiddleware(&log))
	before := Dropped()

	env, err := Encode(&ping{Seq: 5})
	if err != nil {
		t.Fatal(err)
	}
	sender := actor.NewPID("127.0.0.1:9", "someone")
	sys.Root.Send(pid, &Envelope{Type: "no.such.type", Payload: []byte{1}})
	sys.Root.Send(pid, &Envelope{Type: "test.ping", Payload: []byte{0xc1}})
	sys.Root.RequestWithCustomSender(pid, env, sender)
	sys.Root.Send(pid, "plain")

	// Mailbox order is preserved, so the two bad envelopes were processed
	// (and dropped) before the good one arrives.
	got := next(t, ch, waitFor)
	if p, ok := got.msg.(*ping); !ok || p.Seq != 5 {
		t.Fatalf("first delivered message = %#v, want *ping{Seq: 5}", got.msg)
	}
	if !got.sender.Equal(sender) {
		t.Errorf("sender = %v, want %v", got.sender, sender)
	}
	if got := next(t, ch, waitFor); got.msg != "plain" {
		t.Errorf("non-envelope message = %#v", got.msg)
	}
	if d := Dropped() - before; d != 2 {
		t.Errorf("Dropped grew by %d, want 2", d)
	}
}

func TestSetLoggerUsedByMiddleware(t *testing.T) {
	var buf syncBuffer
	old := logger.Load()
	SetLogger(zerolog.New(&buf))
	t.Cleanup(func() { logger.Store(old) })

	sys := newSystem(t, newTestLogger(t))
	pid, ch := spawnSink(t, sys, "", Middleware)
	sys.Root.Send(pid, &Envelope{Type: "no.such.type"})
	sys.Root.Send(pid, "flush")
	next(t, ch, waitFor)
	if s := buf.String(); !contains(s, `"wire_type":"no.such.type"`) || !contains(s, "dropping undecodable envelope") {
		t.Errorf("log = %q", s)
	}
}

func TestSendRemote(t *testing.T) {
	sys := homeSystem(t)
	p := startPeer(t, "127.0.0.1:0")
	echo := actor.NewPID(p.addr, "echo")
	replyTo, ch := spawnSink(t, sys, "", Middleware)
	if replyTo.Address != sys.Address() {
		t.Fatalf("sink PID %v does not carry the remote address %s", replyTo, sys.Address())
	}

	// There and back: the peer decodes (Middleware), then Sends the same
	// *testMsg to the PID inside it, which is us.
	at := time.Now()
	want := &testMsg{Name: "bob", Lines: []string{"a", "b"}, Stats: map[string]int{"hp": 3},
		Inner: inner{Room: "r"}, At: at, Conn: replyTo}
	if err := Send(sys.Root, echo, want); err != nil {
		t.Fatal(err)
	}
	got := next(t, ch, 2*waitFor)
	m, ok := got.msg.(*testMsg)
	if !ok {
		t.Fatalf("got %T, want *testMsg", got.msg)
	}
	if m == want {
		t.Fatal("remote send delivered the sender's own pointer")
	}
	if m.Name != "bob" || len(m.Lines) != 2 || m.Stats["hp"] != 3 || m.Inner.Room != "r" || !m.At.Equal(at) {
		t.Errorf("got %+v", m)
	}
	if !m.Conn.Equal(replyTo) {
		t.Errorf("PID in payload = %v, want %v", m.Conn, replyTo)
	}

	// The sender of a request survives the hop through remote and the
	// peer's Middleware.
	env, err := Encode(&ping{Seq: 2, ReplyTo: replyTo})
	if err != nil {
		t.Fatal(err)
	}
	sender := actor.NewPID(sys.Address(), "some-sender")
	sys.Root.RequestWithCustomSender(echo, env, sender)
	got = next(t, ch, waitFor)
	pg, ok := got.msg.(*pong)
	if !ok || pg.Seq != 2 || pg.From != p.id {
		t.Fatalf("got %#v, want pong 2 from %s", got.msg, p.id)
	}
	if !pg.Sender.Equal(sender) {
		t.Errorf("peer saw sender %v, want %v", pg.Sender, sender)
	}
}

func TestStartRemoteErrors(t *testing.T) {
	log := newTestLogger(t)
	for _, addr := range []string{"nope", "127.0.0.1:x", "127.0.0.1:70000", "127.0.0.1:-1"} {
		if _, err := StartRemote(newSystem(t, log), addr); !errors.Is(err, ErrRemote) {
			t.Errorf("StartRemote(%q) = %v", addr, err)
		}
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	sys := newSystem(t, log)
	if _, err := StartRemote(sys, busy.Addr().String()); !errors.Is(err, ErrRemote) {
		t.Errorf("StartRemote on a busy port = %v", err)
	}
	if sys.Address() != unstartedAddress {
		t.Errorf("failed StartRemote left address %s", sys.Address())
	}
	if _, err := StartRemote(homeSystem(t), "127.0.0.1:0"); !errors.Is(err, ErrRemote) {
		t.Errorf("second StartRemote on one system = %v", err)
	}
}
