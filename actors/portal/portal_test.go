package portal_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/portal"
	"github.com/troupe-mud/troupe/actors/server/servertest"
)

// fakeGame plays the game's sessions service: it answers pings while up
// (with its boot id), records every *Attach and answers it with a session
// actor that records the lines it gets.
type fakeGame struct {
	up      atomic.Bool
	boot    atomic.Value // string
	mu      sync.Mutex
	attach  []*link.Attach
	lines   []string
	session *actor.PID
}

func (g *fakeGame) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *link.Ping:
		if g.up.Load() {
			ctx.Send(m.From, &link.Pong{Boot: g.boot.Load().(string)})
		}
	case *link.Attach:
		g.mu.Lock()
		g.attach = append(g.attach, m)
		g.mu.Unlock()
		ctx.Send(m.Link, &link.Attached{UID: m.UID, Session: g.session, Boot: g.boot.Load().(string)})
		ctx.Send(m.Link, &link.Out{Text: "hello from " + g.boot.Load().(string) + "\n", Prompt: "> ", PromptSet: true,
			Snapshot: []byte("snapshot-" + g.boot.Load().(string))})
	}
}

func (g *fakeGame) attaches() []*link.Attach {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*link.Attach(nil), g.attach...)
}

func (g *fakeGame) got() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.lines...)
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPortalHoldsLinksWhileTheGameIsAway drives a portal against a fake
// game in the same actor system: the player is told once that the world is
// restarting, up to 32 typed lines are held and the rest refused with one
// message, and when a game with a new boot id answers, the link attaches
// again with the snapshot its last session gave, and the held lines follow.
func TestPortalHoldsLinksWhileTheGameIsAway(t *testing.T) {
	system := actor.NewActorSystem()
	defer system.Shutdown()
	g := &fakeGame{}
	g.boot.Store("A")
	g.up.Store(true)
	g.session = system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if in, ok := ctx.Message().(*link.Input); ok {
			g.mu.Lock()
			g.lines = append(g.lines, in.Lines...)
			g.mu.Unlock()
		}
	}))
	if _, err := system.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return g }), msg.ServiceSessions); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p, err := portal.Start(system, portal.Config{Listener: ln, PingEvery: 20 * time.Millisecond,
		DownAfter: 200 * time.Millisecond, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Shutdown("bye", 5*time.Second) }()

	c := servertest.Dial(t, ln.Addr().String())
	c.Expect("hello from A")
	c.Expect("> ")
	c.Send("first")
	waitUntil(t, "the first line at the session", func() bool { return len(g.got()) == 1 })
	if a := g.attaches(); len(a) != 1 || a[0].Resume || a[0].Snapshot != nil {
		t.Fatalf("first attach: %+v", a)
	}

	g.up.Store(false) // the game hangs: no more pongs
	c.Expect("The world shimmers")
	for i := 0; i < 40; i++ {
		c.Send(fmt.Sprintf("held %d", i))
	}
	c.Expect("what you type now is not kept")
	st, err := p.Status(time.Second)
	if err != nil || st.GameUp {
		t.Fatalf("status while down: %+v, %v", st, err)
	}

	g.boot.Store("B")
	g.up.Store(true)
	c.Expect("The world takes shape around you again")
	c.Expect("hello from B")
	waitUntil(t, "the held lines at the session", func() bool { return len(g.got()) == 33 })
	lines := g.got()
	if lines[1] != "held 0" || lines[32] != "held 31" {
		t.Fatalf("held lines: %q", lines)
	}
	a := g.attaches()
	if len(a) != 2 || !a[1].Resume || string(a[1].Snapshot) != "snapshot-A" {
		t.Fatalf("second attach: resume=%v snapshot=%q", a[1].Resume, a[1].Snapshot)
	}
	if rest := c.Text(); strings.Contains(rest, "shimmers") {
		t.Fatalf("told twice: %q", rest)
	}
	waitUntil(t, "the portal's count", func() bool {
		st, err := p.Status(time.Second)
		return err == nil && st.GameUp && st.Reattaches == 1 && !st.AllAttached.IsZero()
	})
	if c.Closed() {
		t.Fatal("the socket closed")
	}
}
