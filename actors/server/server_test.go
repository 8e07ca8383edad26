package server_test

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/actors/sessions"
)

const wait = 5 * time.Second

// stackHandler is a test input handler that proves the stack: it reports
// its id and the depth after every command.
type stackHandler struct{ id int }

func (h *stackHandler) HandleLine(s *conn.Socket, line string) {
	verb, arg, _ := strings.Cut(line, " ")
	n, _ := strconv.Atoi(arg)
	switch verb {
	case "push":
		s.PushIH(&stackHandler{id: n}, "", "h"+arg)
	case "pop":
		s.PopIH()
	case "replace":
		s.ReplaceIH(&stackHandler{id: n}, "", "h"+arg)
	case "quit":
		s.Send("Bye.", nil)
		s.Close()
		return
	case "panic":
		panic("test handler panics on purpose")
	case "spam":
		s.SendRaw(strings.Repeat("x", 64<<10) + "\n")
		return
	case "vars":
		s.Send("name=[name] uid=[me.uid] state=[me.state] missing=[nope]", map[string]string{"name": arg})
		return
	case "aux":
		counter := s.Aux("counter").(*int)
		*counter++
		s.Send(fmt.Sprintf("aux=%d", *counter), nil)
		return
	case "who":
		s.Send(fmt.Sprintf("sockets=%d", len(s.SocketList())), nil)
		return
	}
	s.Send(fmt.Sprintf("ok %s depth=%d", line, s.StackDepth()), nil)
}

func startServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	if cfg.First == nil {
		cfg.First = func() conn.Frame { return conn.Frame{Handler: &stackHandler{id: 0}, Prompt: "> ", State: "h0"} }
	}
	if cfg.Aux == nil {
		cfg.Aux = map[string]func() any{"counter": func() any { return new(int) }}
	}
	return servertest.Start(t, cfg)
}

func TestConnectHookVeto(t *testing.T) {
	srv := startServer(t, server.Config{})
	allow := servertest.NewRecorder(16)
	veto := servertest.NewRecorder(16)
	veto.Veto = &msg.Verdict{Veto: true, Message: "Go away, you are banned."}
	after := servertest.NewRecorder(16)
	srv.Subscribe(msg.HookConnect, sessions.Func(allow.Handle))
	srv.Subscribe(msg.HookConnect, sessions.Func(veto.Handle))
	srv.Subscribe(msg.HookConnect, sessions.Func(after.Handle))
	dis := servertest.NewRecorder(16)
	srv.Subscribe(msg.HookDisconnect, sessions.Func(dis.Handle))
	waitSubscribed(t, srv)

	c := servertest.Dial(t, srv.Addr().String())
	text := c.ExpectClosed()
	if !strings.Contains(text, "Go away, you are banned.") {
		t.Fatalf("vetoed client got %q", text)
	}
	if strings.Contains(text, "> ") {
		t.Fatalf("vetoed client saw a prompt: %q", text)
	}
	allow.Next(t, wait) // the first handler ran
	veto.Next(t, wait)  // the second vetoed
	d := dis.NextDisconnect(t, wait)
	if d.Reason != msg.ReasonQuit || d.Cause != msg.CauseVeto {
		t.Fatalf("disconnect = %v/%v, want QUIT/veto", d.Reason, d.Cause)
	}
	// The disconnect chain ran after the connect chain ended, so a handler
	// after the veto would have been asked by now.
	if ev, ok := after.TryNext(); ok {
		t.Fatalf("handler after the veto ran: %#v", ev)
	}
}

// waitSubscribed makes sure the Subscribe messages were processed (they are
// sent before, so a reply from the supervisor orders after them).
func waitSubscribed(t *testing.T, srv *server.Server) {
	t.Helper()
	if _, err := srv.System.Root.RequestFuture(srv.Sessions, &sessions.Count{}, wait).Result(); err != nil {
		t.Fatal(err)
	}
}

func TestQuitAndLinkdeath(t *testing.T) {
	srv := startServer(t, server.Config{SendQueue: 64 << 10, WriteTimeout: 3 * time.Second})
	dis := servertest.NewRecorder(16)
	var listedAtHook atomic.Int32 // sockets in the list that have the disconnected uid, at hook time
	dis.OnEvent = func(ev msg.Hook) {
		d := ev.(*msg.Disconnected)
		for _, s := range srv.Sockets.Load() {
			if s.UID == d.UID {
				listedAtHook.Add(1)
			}
		}
	}
	srv.Subscribe(msg.HookDisconnect, sessions.Func(dis.Handle))
	waitSubscribed(t, srv)

	t.Run("quit", func(t *testing.T) {
		c := servertest.Dial(t, srv.Addr().String())
		c.Expect("> ")
		c.Send("quit")
		if text := c.ExpectClosed(); !strings.Contains(text, "Bye.") {
			t.Fatalf("got %q", text)
		}
		d := dis.NextDisconnect(t, wait)
		if d.Reason != msg.ReasonQuit || d.Cause != msg.CauseQuit {
			t.Fatalf("disconnect = %v/%v, want QUIT/quit", d.Reason, d.Cause)
		}
	})
	t.Run("client closes", func(t *testing.T) {
		c := servertest.Dial(t, srv.Addr().String())
		c.Expect("> ")
		c.Close()
		d := dis.NextDisconnect(t, wait)
		if d.Reason != msg.ReasonLinkDeath || d.Cause != msg.CauseEOF {
			t.Fatalf("disconnect = %v/%v, want LINKDEATH/eof", d.Reason, d.Cause)
		}
	})
	t.Run("client stops reading", func(t *testing.T) {
		nc := servertest.DialNoRead(t, srv.Addr().String())
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096) // keep the kernel from absorbing much
		}
		got := make(chan *msg.Disconnected, 1)
		go func() {
			// Keep asking for output until the server gives up on us.
			line := []byte("spam\r\n")
			for i := 0; i < 10000; i++ {
				_ = nc.SetWriteDeadline(time.Now().Add(wait))
				if _, err := nc.Write(line); err != nil {
					return
				}
				select {
				case <-got:
					return
				default:
				}
			}
		}()
		d := dis.NextDisconnect(t, 20*time.Second)
		got <- d
		if d.Reason != msg.ReasonLinkDeath || d.Cause != msg.CauseSendQ {
			t.Fatalf("disconnect = %v/%v, want LINKDEATH/sendq", d.Reason, d.Cause)
		}
	})
	if n := listedAtHook.Load(); n != 0 {
		t.Fatalf("%d disconnect hooks saw their connection still in the socket list", n)
	}
	// And the list is empty at the end.
	waitFor(t, func() bool { return len(srv.Sockets.Load()) == 0 })
}

func TestStackOrderUnderLoad(t *testing.T) {
	srv := startServer(t, server.Config{})
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("> ")

	// A model of the stack, and 1,000 commands sent back to back in one write.
	stack := []int{0}
	var in strings.Builder
	var want []string
	for i := 1; i <= 1000; i++ {
		var line string
		switch {
		case i%7 == 0 && len(stack) > 1:
			line = "pop"
			stack = stack[:len(stack)-1]
		case i%5 == 0:
			line = fmt.Sprintf("replace %d", i)
			stack[len(stack)-1] = i
		case i%3 == 0:
			line = fmt.Sprintf("push %d", i)
			stack = append(stack, i)
		default:
			line = fmt.Sprintf("echo %d", i)
			want = append(want, fmt.Sprintf("ok %s depth=%d", line, len(stack)))
		}
		in.WriteString(line + "\r\n")
	}
	in.WriteString("echo end\r\n")
	want = append(want, fmt.Sprintf("ok echo end depth=%d", len(stack)))
	c.SendRaw([]byte(in.String()))
	for _, w := range want {
		c.Expect(w + "\r\n")
	}
}

func TestHandlerPanicKeepsConnection(t *testing.T) {
	srv := startServer(t, server.Config{})
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("> ")
	c.Send("panic")
	c.Expect("Something went wrong")
	c.Send("echo still here")
	c.Expect("ok echo still here depth=1")
}

func TestShutdownSaysGoodbye(t *testing.T) {
	srv := startServer(t, server.Config{})
	dis := servertest.NewRecorder(64)
	srv.Subscribe(msg.HookDisconnect, sessions.Func(dis.Handle))
	waitSubscribed(t, srv)
	const n = 10
	clients := make([]*servertest.Client, n)
	for i := range clients {
		clients[i] = servertest.Dial(t, srv.Addr().String())
		clients[i].Expect("> ")
	}
	done := make(chan error, 1)
	go func() { done <- srv.Shutdown("", wait) }()
	for _, c := range clients {
		if text := c.ExpectClosed(); !strings.Contains(text, server.DefaultGoodbye) {
			t.Fatalf("client got %q, want the goodbye", text)
		}
	}
	for range n {
		d := dis.NextDisconnect(t, wait)
		if d.Reason != msg.ReasonQuit || d.Cause != msg.CauseShutdown {
			t.Fatalf("disconnect = %v/%v, want QUIT/shutdown", d.Reason, d.Cause)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Shutdown did not return")
	}
}

func TestSocketAPI(t *testing.T) {
	srv := startServer(t, server.Config{})
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("> ")
	c.Send("vars bob")
	c.Expect("name=bob uid=1 state=h0 missing=[?nope]")
	c.Send("aux")
	c.Expect("aux=1")
	c.Send("aux")
	c.Expect("aux=2")
	c2 := servertest.Dial(t, srv.Addr().String())
	c2.Expect("> ")
	waitFor(t, func() bool { return len(srv.Sockets.Load()) == 2 })
	c.Send("who")
	c.Expect("sockets=2")
	c2.Send("aux") // aux data is per socket
	c2.Expect("aux=1")
}

func TestLongLineIsCut(t *testing.T) {
	srv := startServer(t, server.Config{})
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("> ")
	c.Send("echo " + strings.Repeat("a", 10000))
	c.Expect("too long")
	c.Expect("ok echo")
	c.Expect("depth=1")
	c.Send("echo fine")
	c.Expect("ok echo fine depth=1")
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestIdleMonitor(t *testing.T) {
	srv := startServer(t, server.Config{First: loginLike, IdleCheck: 10 * time.Millisecond,
		LoginTimeout: 150 * time.Millisecond, IdleWarn: 100 * time.Millisecond, IdleTimeout: 300 * time.Millisecond})
	dis := servertest.NewRecorder(16)
	srv.Subscribe(msg.HookDisconnect, sessions.Func(dis.Handle))
	waitSubscribed(t, srv)

	t.Run("login timeout", func(t *testing.T) {
		c := servertest.Dial(t, srv.Addr().String())
		c.Expect("> ")
		if text := c.ExpectClosed(); !strings.Contains(text, "You took too long to log in.") {
			t.Fatalf("got %q", text)
		}
		if d := dis.NextDisconnect(t, wait); d.Reason != msg.ReasonLinkDeath || d.Cause != msg.CauseIdle {
			t.Fatalf("disconnect = %v/%v, want LINKDEATH/idle", d.Reason, d.Cause)
		}
	})
	t.Run("idle warning then disconnect", func(t *testing.T) {
		c := servertest.Dial(t, srv.Addr().String())
		c.Expect("> ")
		c.Send("login")
		c.Expect("logged in")
		c.Expect("You have been idle for")
		if text := c.ExpectClosed(); !strings.Contains(text, "You have been idle too long.") {
			t.Fatalf("got %q", text)
		}
		if d := dis.NextDisconnect(t, wait); d.Reason != msg.ReasonLinkDeath || d.Cause != msg.CauseIdle {
			t.Fatalf("disconnect = %v/%v, want LINKDEATH/idle", d.Reason, d.Cause)
		}
	})
}

// loginLike is a first handler whose "login" marks the account logged in.
func loginLike() conn.Frame {
	return conn.Frame{Handler: loginLikeHandler{}, Prompt: "> ", State: "login"}
}

type loginLikeHandler struct{}

func (loginLikeHandler) HandleLine(s *conn.Socket, line string) {
	if line == "login" {
		s.SetAccount("tester")
		s.Send("logged in", nil)
	}
}
