package servertest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultWait bounds every wait of a Client.
const DefaultWait = 5 * time.Second

// Client is a minimal telnet client for tests: it refuses every option the
// server offers (so it stays a dumb NVT), strips IAC sequences from what it
// reads, and accumulates the text for Expect. A background goroutine reads
// until the connection ends.
type Client struct {
	t    testing.TB
	Conn net.Conn

	mu     sync.Mutex
	cond   *sync.Cond
	text   bytes.Buffer // stripped text not yet consumed by Expect
	raw    bytes.Buffer // every byte received, for protocol assertions
	closed bool
	err    error
	Wait   time.Duration
}

// Dial connects to addr and starts reading.
func Dial(t testing.TB, addr string) *Client {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, DefaultWait)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	c := &Client{t: t, Conn: nc, Wait: DefaultWait}
	c.cond = sync.NewCond(&c.mu)
	go c.readLoop()
	t.Cleanup(func() { _ = nc.Close() })
	return c
}

// DialNoRead connects without reading anything, for a client that never
// reads (to fill the server's send queue).
func DialNoRead(t testing.TB, addr string) net.Conn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, DefaultWait)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

func (c *Client) readLoop() {
	buf := make([]byte, 4096)
	var st stripper
	for {
		n, err := c.Conn.Read(buf)
		if n > 0 {
			text, replies := st.feed(buf[:n])
			if len(replies) > 0 {
				_, _ = c.Conn.Write(replies)
			}
			c.mu.Lock()
			c.raw.Write(buf[:n])
			c.text.Write(text)
			c.cond.Broadcast()
			c.mu.Unlock()
		}
		if err != nil {
			c.mu.Lock()
			c.closed, c.err = true, err
			c.cond.Broadcast()
			c.mu.Unlock()
			return
		}
	}
}

// Send writes one line (CR LF appended).
func (c *Client) Send(line string) {
	c.t.Helper()
	c.SendRaw([]byte(line + "\r\n"))
}

// SendRaw writes bytes as they are.
func (c *Client) SendRaw(b []byte) {
	c.t.Helper()
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.Wait))
	if _, err := c.Conn.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// waitFor blocks until cond (called with mu held) is true or the deadline
// passes; it reports whether cond became true.
func (c *Client) waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	timer := time.AfterFunc(d, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		c.cond.Wait()
	}
	return true
}

// Expect waits until want appears in the text received since the last
// Expect, consumes the text up to and including it, and returns that text.
func (c *Client) Expect(want string) string {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var i int
	ok := c.waitFor(c.Wait, func() bool {
		i = strings.Index(c.text.String(), want)
		return i >= 0 || c.closed
	})
	if !ok || i < 0 {
		c.t.Fatalf("waited %v for %q; got %q (closed=%v, err=%v)", c.Wait, want, c.text.String(), c.closed, c.err)
	}
	got := string(c.text.Next(i + len(want)))
	return got
}

// ExpectClosed waits until the server closes the connection and returns the
// text received before it.
func (c *Client) ExpectClosed() string {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.waitFor(c.Wait, func() bool { return c.closed }) {
		c.t.Fatalf("waited %v for the server to close; got %q", c.Wait, c.text.String())
	}
	if c.err != nil && !errors.Is(c.err, io.EOF) && !errors.Is(c.err, net.ErrClosed) && !strings.Contains(c.err.Error(), "reset") {
		c.t.Logf("connection ended with %v", c.err)
	}
	return c.text.String()
}

// Text returns the unconsumed text received so far.
func (c *Client) Text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text.String()
}

// Raw returns every byte received so far.
func (c *Client) Raw() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.raw.Bytes())
}

// Close closes the client's side.
func (c *Client) Close() { _ = c.Conn.Close() }

// stripper removes telnet commands from a byte stream and answers the
// server's offers as a plain MUD client would: it lets the server echo
// (DO ECHO, so passwords are hidden) and refuses everything else (DONT for
// WILL, WONT for DO).
type stripper struct {
	state int // 0 data, 1 IAC, 2 negotiation verb, 3 SB, 4 SB IAC
	verb  byte
	echo  bool // the server echoes (we said DO ECHO)
}

func (s *stripper) feed(p []byte) (text, replies []byte) {
	for _, b := range p {
		switch s.state {
		case 0:
			if b == 255 {
				s.state = 1
			} else if b != 0 {
				text = append(text, b)
			}
		case 1:
			switch {
			case b == 255:
				text = append(text, b)
				s.state = 0
			case b >= 251 && b <= 254:
				s.verb, s.state = b, 2
			case b == 250:
				s.state = 3
			default:
				s.state = 0 // GA, EOR, NOP, ...
			}
		case 2:
			switch s.verb {
			case 251: // WILL → DONT, but DO ECHO
				if b == 1 {
					if !s.echo {
						s.echo = true
						replies = append(replies, 255, 253, b)
					}
				} else {
					replies = append(replies, 255, 254, b)
				}
			case 252: // WONT ECHO → DONT ECHO (acknowledge)
				if b == 1 && s.echo {
					s.echo = false
					replies = append(replies, 255, 254, b)
				}
			case 253: // DO → WONT
				replies = append(replies, 255, 252, b)
			}
			s.state = 0
		case 3:
			if b == 255 {
				s.state = 4
			}
		case 4:
			if b == 240 {
				s.state = 0
			} else {
				s.state = 3
			}
		}
	}
	return text, replies
}

// Closed reports whether the server has closed the connection.
func (c *Client) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}
