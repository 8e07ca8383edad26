package portal_test

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/portal"
)

// mttsClient is a raw telnet client that agrees to TTYPE only and answers
// every TTYPE SEND with "MTTS <bits>", so the portal learns its colour
// depth; it keeps the text it reads (telnet commands removed).
type mttsClient struct {
	nc   net.Conn
	mtts int

	mu   sync.Mutex
	text bytes.Buffer
}

func dialMTTS(t *testing.T, addr string, mtts int) *mttsClient {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	c := &mttsClient{nc: nc, mtts: mtts}
	go c.read()
	return c
}

const (
	tIAC, tSB, tSE, tWILL, tWONT, tDO, tDONT, tTTYPE = 255, 250, 240, 251, 252, 253, 254, 24
)

func (c *mttsClient) read() {
	buf := make([]byte, 4096)
	var pend []byte
	for {
		n, err := c.nc.Read(buf)
		pend = append(pend, buf[:n]...)
		pend = c.parse(pend)
		if err != nil {
			return
		}
	}
}

// parse handles complete telnet commands and text in b and returns what
// is left (an incomplete command).
func (c *mttsClient) parse(b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, tIAC)
		if i < 0 {
			c.add(b)
			return nil
		}
		c.add(b[:i])
		b = b[i:]
		if len(b) < 2 {
			return b
		}
		switch b[1] {
		case tIAC:
			c.add([]byte{tIAC})
			b = b[2:]
		case tDO, tDONT, tWILL, tWONT:
			if len(b) < 3 {
				return b
			}
			switch {
			case b[1] == tDO && b[2] == tTTYPE:
				_, _ = c.nc.Write([]byte{tIAC, tWILL, tTTYPE})
			case b[1] == tDO:
				_, _ = c.nc.Write([]byte{tIAC, tWONT, b[2]})
			case b[1] == tWILL:
				_, _ = c.nc.Write([]byte{tIAC, tDONT, b[2]})
			}
			b = b[3:]
		case tSB:
			end := bytes.Index(b, []byte{tIAC, tSE})
			if end < 0 {
				return b
			}
			if end >= 3 && b[2] == tTTYPE && b[3] == 1 { // SEND
				reply := append([]byte{tIAC, tSB, tTTYPE, 0}, fmt.Sprintf("MTTS %d", c.mtts)...)
				// The line after the answer tells the test that the portal
				// has read it (both come in order on one socket).
				_, _ = c.nc.Write(append(append(reply, tIAC, tSE), "ident\r\n"...))
			}
			b = b[end+2:]
		default:
			b = b[2:]
		}
	}
	return nil
}

func (c *mttsClient) add(p []byte) {
	c.mu.Lock()
	c.text.Write(p)
	c.mu.Unlock()
}

func (c *mttsClient) got() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text.String()
}

// lineGame is a fake game's sessions service that attaches every link,
// gives it a prompt and remembers it.
type lineGame struct {
	mu     sync.Mutex
	links  []*actor.PID
	idents int // "ident" lines received: clients whose MTTS was read
}

func (g *lineGame) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *link.Ping:
		ctx.Send(m.From, &link.Pong{Boot: "G"})
	case *link.Attach:
		g.mu.Lock()
		g.links = append(g.links, m.Link)
		g.mu.Unlock()
		ctx.Send(m.Link, &link.Attached{UID: m.UID, Session: ctx.Self(), Boot: "G"})
		ctx.Send(m.Link, &link.Out{Text: "ready\n", Prompt: "> ", PromptSet: true})
	case *link.Input:
		g.mu.Lock()
		for _, l := range m.Lines {
			if l == "ident" {
				g.idents++
			}
		}
		g.mu.Unlock()
	}
}

func (g *lineGame) identified() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.idents
}

func (g *lineGame) attached() []*actor.PID {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*actor.PID(nil), g.links...)
}

// startLineGame starts a portal (line delay lineDelay, 0: the default)
// against a lineGame in one actor system, stopped when the test ends.
func startLineGame(t *testing.T, lineDelay time.Duration) (*actor.ActorSystem, *lineGame, net.Listener) {
	t.Helper()
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	g := &lineGame{}
	if _, err := system.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return g }), msg.ServiceSessions); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p, err := portal.Start(system, portal.Config{Listener: ln, PingEvery: 20 * time.Millisecond, LineDelay: lineDelay,
		Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown("bye", 5*time.Second) })
	return system, g, ln
}

// TestLineFanout sends the same *link.Line values straight to many links
// of clients with different colour depths: every client gets every line
// once, in order, in its own colour form, with the prompt after it.
func TestLineFanout(t *testing.T) {
	system, g, ln := startLineGame(t, 0)

	// Per colour depth: the MTTS bits a client sends and how "{Ralert{x"
	// must reach it.
	forms := []struct {
		mtts int
		want string
	}{
		{0, "alert"},                            // no colour
		{1, "\x1b[1;31malert\x1b[0m"},           // 16 colours
		{1 | 8, "\x1b[1;31malert\x1b[0m"},       // 256: the 16 colours stay 16
		{1 | 8 | 256, "\x1b[1;31malert\x1b[0m"}, // truecolor
		{0, "alert"},                            // a second of the same form
		{1, "\x1b[1;31malert\x1b[0m"},           // and another
		{1 | 8 | 256, "\x1b[1;31malert\x1b[0m"}, // and another
		{1 | 8, "\x1b[1;31malert\x1b[0m"},       // and another
	}
	clients := make([]*mttsClient, len(forms))
	for i, f := range forms {
		clients[i] = dialMTTS(t, ln.Addr().String(), f.mtts)
	}
	deadline := time.Now().Add(10 * time.Second)
	for g.identified() < len(clients) || len(g.attached()) < len(clients) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d clients negotiated", g.identified(), len(clients))
		}
		time.Sleep(5 * time.Millisecond)
	}

	const n = 50
	lines := make([]*link.Line, n)
	for i := range lines {
		lines[i] = link.NewLine(fmt.Sprintf("{Ralert{x %03d\n", i))
	}
	for _, l := range lines {
		for _, pid := range g.attached() {
			system.Root.Send(pid, l) // the same pointer for every link
		}
	}
	for i, c := range clients {
		want := fmt.Sprintf("%s %03d\r\n", forms[i].want, n-1)
		for !strings.Contains(c.got(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("client %d (MTTS %d) never got the last line; got %q", i, forms[i].mtts, c.got())
			}
			time.Sleep(5 * time.Millisecond)
		}
		text := c.got()
		last := -1
		for j := 0; j < n; j++ {
			line := fmt.Sprintf("%s %03d\r\n", forms[i].want, j)
			if k := strings.Count(text, line); k != 1 {
				t.Fatalf("client %d (MTTS %d): line %d arrived %d times in %q", i, forms[i].mtts, j, k, text)
			}
			at := strings.Index(text, line)
			if at < last {
				t.Fatalf("client %d: line %d out of order", i, j)
			}
			last = at
		}
		if forms[i].mtts == 0 && strings.Contains(text, "\x1b[") {
			t.Fatalf("client %d without colour got escapes: %q", i, text)
		}
		if !strings.HasSuffix(text, "> ") {
			t.Fatalf("client %d: no prompt after the lines: %q", i, text[max(0, len(text)-80):])
		}
	}
}

// TestLinesWaitForMoreOutput: a line that is not an answer waits (here for
// as long as the test runs) and goes out with the next output to the same
// socket, in one write with one prompt.
func TestLinesWaitForMoreOutput(t *testing.T) {
	system, g, ln := startLineGame(t, time.Hour)
	c := dialMTTS(t, ln.Addr().String(), 0)
	deadline := time.Now().Add(10 * time.Second)
	for g.identified() < 1 || !strings.Contains(c.got(), "ready\r\n> ") {
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %q", c.got())
		}
		time.Sleep(5 * time.Millisecond)
	}
	l := g.attached()[0]
	system.Root.Send(l, link.NewLine("Bob says, 'hi'\n"))
	system.Root.Send(l, link.NewLine("[chat] Cy: hello\n"))
	system.Root.Send(l, &link.Line{Text: "You look around.\n", Answer: true})
	want := "Bob says, 'hi'\r\n[chat] Cy: hello\r\nYou look around.\r\n> "
	for !strings.HasSuffix(c.got(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("got %q, want it to end %q", c.got(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := strings.Count(c.got(), "> "); n != 2 {
		t.Fatalf("%d prompts in %q: the waiting lines were written apart from the answer", n, c.got())
	}
}
