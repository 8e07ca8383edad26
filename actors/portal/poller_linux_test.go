//go:build linux

package portal

import (
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/net/telnet"
)

// readerHarness is one socket read by startReader, with a stand-in for
// the link actor that gives every credit back and records what it got.
type readerHarness struct {
	client, server net.Conn
	done           chan struct{}
	credits        chan struct{}
	lines          chan string
	failed         chan error
}

func newReaderHarness(t *testing.T) *readerHarness {
	t.Helper()
	return newReaderHarnessCredits(t, 0)
}

// newReaderHarnessCredits starts with taken credits already gone: the
// reader must wait for the test to give them back (h.credits).
func newReaderHarnessCredits(t *testing.T, taken int) *readerHarness {
	t.Helper()
	if getPoller() == nil {
		t.Skip("no epoll")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	h := &readerHarness{client: client, server: server, done: make(chan struct{}),
		lines: make(chan string, 1000), failed: make(chan error, 10)}
	credits := make(chan struct{}, inboundCredits)
	for range taken {
		credits <- struct{}{}
	}
	h.credits = credits
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	self := system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *inbound:
			<-credits
			for _, ev := range m.events {
				if ev.Kind == telnet.EventLine {
					h.lines <- string(ev.Line)
				}
			}
		case *readFailed:
			h.failed <- m.err
		}
	}))
	startReader(system.Root, self, server, credits, h.done, telnet.NewDecoder(telnet.Limits{}))
	return h
}

// registered reports whether the poller holds a reader for the server side.
func (h *readerHarness) registered() bool {
	p := getPoller()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.readers {
		if r.nc == h.server {
			return true
		}
	}
	return false
}

func waitCond(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *readerHarness) expectLine(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-h.lines:
		if got != want {
			t.Fatalf("line %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no line, want %q", want)
	}
}

// TestPollReaderReadsLinesInOrder: small writes, and one write of many
// reads' worth, arrive complete and in order; between them the socket
// waits in the poller with no goroutine.
func TestPollReaderReadsLinesInOrder(t *testing.T) {
	h := newReaderHarness(t)
	if !h.registered() {
		t.Fatal("the socket is not in the idle poller")
	}
	for i, s := range []string{"hello", "look", "say hi"} {
		if _, err := h.client.Write([]byte(s + "\r\n")); err != nil {
			t.Fatal(err)
		}
		h.expectLine(t, s)
		if i == 0 {
			waitCond(t, "the reader armed again", 5*time.Second, func() bool {
				p := getPoller()
				p.mu.Lock()
				defer p.mu.Unlock()
				for _, r := range p.readers {
					if r.nc == h.server {
						return r.state.Load() == readerArmed
					}
				}
				return false
			})
		}
	}
	var big strings.Builder
	var want []string
	for i := range 400 { // ~6 KiB: several reads and credits
		s := strings.Repeat("x", i%20) + "line"
		want = append(want, s)
		big.WriteString(s + "\r\n")
	}
	if _, err := h.client.Write([]byte(big.String())); err != nil {
		t.Fatal(err)
	}
	for _, s := range want {
		h.expectLine(t, s)
	}
}

// TestPollReaderEOF: the client's close is a *readFailed with io.EOF, and
// the reader leaves the poller and closes the socket.
func TestPollReaderEOF(t *testing.T) {
	h := newReaderHarness(t)
	h.client.Close()
	select {
	case err := <-h.failed:
		if !errors.Is(err, io.EOF) {
			t.Fatalf("readFailed %v, want EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no readFailed after the client closed")
	}
	waitCond(t, "the reader gone", 5*time.Second, func() bool { return !h.registered() })
	if _, err := h.server.Write([]byte("x")); err == nil || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after EOF: %v, want the socket closed", err)
	}
}

// TestPollReaderLingers: after the link ended (done closed) with a
// lingering close (write side shut, read deadline), an idle reader drains
// until the deadline and closes the socket, reporting nothing.
func TestPollReaderLingers(t *testing.T) {
	h := newReaderHarness(t)
	close(h.done)
	lingerClose(h.server)
	_ = h.server.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	buf := make([]byte, 16)
	_ = h.client.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := h.client.Read(buf); !errors.Is(err, io.EOF) {
		t.Fatalf("client read %v, want EOF after CloseWrite", err)
	}
	waitCond(t, "the socket closed", sweepEvery+5*time.Second, func() bool { return !h.registered() })
	waitCond(t, "the socket closed", 5*time.Second, func() bool {
		_, err := h.server.Write([]byte("x"))
		return errors.Is(err, net.ErrClosed)
	})
	select {
	case err := <-h.failed:
		t.Fatalf("readFailed %v after done", err)
	default:
	}
}

// TestPollReaderClosedUnderIt: a socket its owner closed while it was idle
// (a link stopped without ending) leaves the poller at the next sweep.
func TestPollReaderClosedUnderIt(t *testing.T) {
	h := newReaderHarness(t)
	h.server.Close()
	waitCond(t, "the reader dropped", sweepEvery+5*time.Second, func() bool { return !h.registered() })
}

// TestPollReaderWaitsForCreditsOffTheWorkers: readers whose links hold
// every credit wait without holding the poller, so other
// sockets are still read; a credit given back lets the waiting line
// through.
func TestPollReaderWaitsForCreditsOffThePoller(t *testing.T) {
	var stuck []*readerHarness
	for range 4 * runtime.GOMAXPROCS(0) {
		h := newReaderHarnessCredits(t, inboundCredits)
		if _, err := h.client.Write([]byte("waiting\r\n")); err != nil {
			t.Fatal(err)
		}
		stuck = append(stuck, h)
	}
	free := newReaderHarness(t)
	if _, err := free.client.Write([]byte("free\r\n")); err != nil {
		t.Fatal(err)
	}
	free.expectLine(t, "free")
	select {
	case l := <-stuck[0].lines:
		t.Fatalf("line %q without a credit", l)
	default:
	}
	for _, h := range stuck {
		<-h.credits
		h.expectLine(t, "waiting")
	}
}
