package telnet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/net/telnet/clienttest"
)

// Real-client tests: a small login server built on Decoder + Protocol, driven
// by real MUD clients installed by .ci/deps (tintin++, libtelnet's
// telnet-client). They skip when a client is missing, except under CI=true.

// needBinary returns the path of a client binary, or skips (fails under CI).
var needBinary = clienttest.NeedBinary

// loginResult is what the test server saw during one session.
type loginResult struct {
	caps          Caps          // at the end of the session
	ttypes        []string      // TTYPE IS values received, in order
	inflated      bool          // the decoder was inflating MCCP3 input when the password came
	capsAtPass    Caps          // when the password prompt was sent
	capsAtBye     Caps          // when Bye! was sent
	lines         []string      // non-empty input lines, decoded
	negs          []Event       // negotiations received
	notes         []Note        // notes returned by Protocol
	charsetUTF8   int8          // CHARSET answer
	gmcpSubsChar  bool          // subscribed to Char at the end
	gmcpVitalSent bool          // Char.Vitals was queued
	err           error         // a read error other than EOF
	elapsed       time.Duration // for failure messages
}

// serveLogin runs one "Name: / Password: / Welcome!" session on conn and
// returns when the client disconnects (or, with closeAfter, after Welcome).
func serveLogin(conn net.Conn, closeAfter bool, lim Limits) loginResult {
	start := time.Now()
	var res loginResult
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	d := NewDecoder(lim)
	p := NewProtocol(Config{Name: "troupe-test", Limits: lim})
	write := func() bool {
		if b := p.Flush(); b != nil {
			if _, err := conn.Write(b); err != nil {
				res.err = err
				return false
			}
		}
		return true
	}
	p.Start()
	p.WriteText("What is your name? ")
	p.EndPrompt()
	if !write() {
		return res
	}
	state := 0
	buf := make([]byte, 4096)
	var evs []Event
	for {
		n, err := conn.Read(buf)
		evs = d.Decode(buf[:n], evs[:0])
		for i := range evs {
			ev := &evs[i]
			if ev.Kind != EventLine {
				if ev.Kind == EventNegotiation {
					res.negs = append(res.negs, *ev)
				}
				if ev.Kind == EventSubneg && ev.Opt == OptTTYPE && len(ev.Data) > 0 && ev.Data[0] == ttypeIS {
					res.ttypes = append(res.ttypes, string(ev.Data[1:]))
				}
				for _, nt := range p.Handle(ev) {
					res.notes = append(res.notes, nt)
					if nt.Kind == NoteMSSP {
						p.SendMSSP(map[string][]string{"PLAYERS": {"1"}, "UPTIME": {"1700000000"}})
					}
				}
				continue
			}
			text, notes, consumed := p.DecodeLine(ev.Line)
			res.notes = append(res.notes, notes...)
			if consumed || strings.TrimSpace(text) == "" {
				continue // tintin's #send adds blank lines during negotiation
			}
			res.lines = append(res.lines, text)
			switch state {
			case 0:
				state = 1
				p.SetEcho(true)
				p.WriteText("Password: ")
				p.EndPrompt()
				res.capsAtPass = p.Caps()
			case 1:
				state = 2
				res.inflated = d.z != nil
				p.SetEcho(false)
				p.WriteText("\n{gWelcome!{x\n")
				res.gmcpVitalSent = p.SendGMCP("Char.Vitals", []byte(`{"hp":10,"maxhp":20}`))
				p.WriteText("Bye!\n")
				res.capsAtBye = p.Caps()
			}
		}
		// With closeAfter, close after Bye! once the TTYPE cycle is over
		// (the client answers TTYPE while it logs in).
		if closeAfter && state == 2 && (p.ttypeDone || !p.himEnabled(OptTTYPE)) {
			if b := p.Finish(); b != nil {
				_, _ = conn.Write(b)
			}
			res.caps = p.Caps()
			res.charsetUTF8 = p.charsetUTF8
			res.gmcpSubsChar = p.GMCPSubscribed("Char")
			res.elapsed = time.Since(start)
			return res
		}
		if !write() {
			break
		}
		if err != nil {
			// A client that quits may reset the connection: after the
			// login that is an ordinary end.
			if !errors.Is(err, io.EOF) && state != 2 {
				res.err = err
			}
			break
		}
	}
	res.caps = p.Caps()
	res.charsetUTF8 = p.charsetUTF8
	res.gmcpSubsChar = p.GMCPSubscribed("Char")
	res.elapsed = time.Since(start)
	return res
}

// startLoginServer listens on 127.0.0.1:0 and serves one session.
func startLoginServer(t *testing.T, closeAfter bool, lim Limits) (addr *net.TCPAddr, result <-chan loginResult) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan loginResult, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			ch <- loginResult{err: err}
			return
		}
		ch <- serveLogin(c, closeAfter, lim)
	}()
	return ln.Addr().(*net.TCPAddr), ch
}

// waitResult waits for the server's result with a deadline.
func waitResult(t *testing.T, ch <-chan loginResult, out func() string) loginResult {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("server: %v\nclient output:\n%s", r.err, out())
		}
		return r
	case <-time.After(25 * time.Second):
		t.Fatalf("server did not finish\nclient output:\n%s", out())
	}
	return loginResult{}
}

func hasNeg(evs []Event, cmd, opt byte) bool {
	for _, e := range evs {
		if e.Cmd == cmd && e.Opt == opt {
			return true
		}
	}
	return false
}

const tintinScript = `#config {debug telnet} {on}
#event {IAC WILL GMCP} {#send {\xFF\xFD\xC9\};#send {\xFF\xFA\xC9Core.Hello {"client":"TinTin++","version":"2.02"}\xFF\xF0\};#send {\xFF\xFA\xC9Core.Supports.Set ["Char 1","Room 1"]\xFF\xF0\}}
#event {IAC SB GMCP Char.Vitals IAC SE} {#line log {EVENTS} {GMCP Char.Vitals %1}}
#event {SESSION DISCONNECTED} {#end}
#action {What is your name?} {alice}
#action {Password:} {secret}
#action {Bye!} {#line log {EVENTS} {TEXT Bye};#zap}
#session x 127.0.0.1 PORT
`

func TestTintin(t *testing.T) {
	t.Run("MCCP3 off", func(t *testing.T) { testTintin(t, false) })
	t.Run("MCCP3 on", func(t *testing.T) { testTintin(t, true) })
}

// testTintin logs in with tintin; with mccp3 the server offers MCCP3 and
// tintin compresses everything it sends after the negotiation.
func testTintin(t *testing.T, mccp3 bool) {
	tt := needBinary(t, "/usr/games/tt++", "tt++")
	addr, result := startLoginServer(t, false, Limits{MCCP3: mccp3})
	dir := t.TempDir()
	events := filepath.Join(dir, "events.log")
	script := strings.NewReplacer("EVENTS", events, "PORT", strconv.Itoa(addr.Port)).Replace(tintinScript)
	scriptPath := filepath.Join(dir, "t.tin")
	if err := os.WriteFile(scriptPath, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tt, "-H", "-G", scriptPath)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=xterm-256color", "HOME="+dir)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	r := waitResult(t, result, out.String)
	if err := <-waitErr; err != nil {
		t.Fatalf("tt++: %v\n%s", err, out.String())
	}
	logged, _ := os.ReadFile(events)
	c := r.caps
	checks := []struct {
		what string
		ok   bool
	}{
		{"login lines alice, secret", len(r.lines) == 2 && r.lines[0] == "alice" && r.lines[1] == "secret"},
		{"TTYPE client TINTIN++", c.Client == "TinTin++" || c.Client == "TINTIN++"},
		{"TTYPE terminal xterm-256color", c.Terminal == "xterm-256color"},
		{"MTTS bits (ANSI, UTF-8, 256)", c.MTTS&(MTTSANSI|MTTSUTF8|MTTS256Colors) == MTTSANSI|MTTSUTF8|MTTS256Colors},
		{"colour depth from MTTS", c.Color >= Color256},
		{"NAWS 80x24", c.Width == 80 && c.Height == 24},
		{"CHARSET ACCEPTED UTF-8", r.charsetUTF8 == 1 && c.UTF8},
		{"EOR agreed", c.EOR},
		{"MCCP2 on before the password prompt", r.capsAtPass.MCCP2},
		{"GMCP on", c.GMCP},
		{"GMCP Core.Hello read", c.ClientVersion == "2.02"},
		{"GMCP subscribed to Char", r.gmcpSubsChar && r.gmcpVitalSent},
		{"tintin received Char.Vitals", bytes.Contains(logged, []byte(`Char.Vitals {"hp":10,"maxhp":20}`))},
		{"tintin read compressed text to the end", bytes.Contains(logged, []byte("TEXT Bye"))},
		{"client said DO ECHO to WILL ECHO", hasNeg(r.negs, DO, OptEcho)},
		{"MCCP3 as offered", hasNeg(r.negs, DO, OptMCCP3) == mccp3 && c.MCCP3 == mccp3 && r.inflated == mccp3},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: failed", ch.what)
		}
	}
	if t.Failed() {
		t.Logf("caps %+v\nevents.log:\n%s\ntt++ output:\n%s", c, logged, out.String())
	}
}

// TestTintinDumbLocale checks tintin with an ASCII charset and MCCP off
// (LANG=C alone did not make tintin 2.02.20 -H reject UTF-8 here; #config
// CHARSET ASCII does): CHARSET rejected, no UTF-8 even though MTTS and MNES
// arrive, no compression, and the login still works.
func TestTintinDumbLocale(t *testing.T) {
	tt := needBinary(t, "/usr/games/tt++", "tt++")
	addr, result := startLoginServer(t, false, Limits{MCCP3: true})
	dir := t.TempDir()
	script := "#config {MCCP} {off}\n#config {CHARSET} {ASCII}\n" + strings.NewReplacer("EVENTS", filepath.Join(dir, "ev.log"), "PORT", strconv.Itoa(addr.Port)).Replace(tintinScript)
	scriptPath := filepath.Join(dir, "t.tin")
	if err := os.WriteFile(scriptPath, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tt, "-H", "-G", scriptPath)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=C", "TERM=xterm", "HOME="+dir)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	var r loginResult
	select {
	case r = <-result:
	case <-ctx.Done():
	}
	werr := <-waitErr
	c := r.caps
	if r.err != nil || werr != nil || len(r.lines) != 2 || c.UTF8 || r.charsetUTF8 != -1 || c.MCCP2 || r.capsAtPass.MCCP2 {
		t.Errorf("server err %v, tt++ %v, lines %q caps %+v charset %d\n%s", r.err, werr, r.lines, c, r.charsetUTF8, out.String())
	}
}

// TestLibtelnetClient drives libtelnet's stdin-driven telnet-client: no
// NAWS, TTYPE "xterm" three times, DO MCCP2 and DO MSSP.
func TestLibtelnetClient(t *testing.T) {
	bin := needBinary(t, "telnet-client")
	addr, result := startLoginServer(t, true, Limits{MCCP3: true})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "127.0.0.1", strconv.Itoa(addr.Port))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	// Answer each prompt once it has been printed (poll, bounded).
	for _, step := range []struct{ prompt, line string }{{"What is your name?", "bob\n"}, {"Password:", "hunter2\n"}} {
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), step.prompt) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q prompt; output:\n%s", step.prompt, out.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, err := io.WriteString(stdin, step.line); err != nil {
			t.Fatal(err)
		}
	}
	r := waitResult(t, result, out.String)
	stdin.Close()
	select {
	case <-waitErr:
	case <-ctx.Done():
		t.Fatal("telnet-client did not exit")
	}
	c := r.caps
	if len(r.lines) != 2 || r.lines[0] != "bob" || r.lines[1] != "hunter2" {
		t.Errorf("lines %q", r.lines)
	}
	if c.Terminal != "xterm" || c.Width != 0 || !r.capsAtPass.MCCP2 || c.EOR || c.GMCP {
		t.Errorf("caps %+v", c)
	}
	if !hasNote(r.notes, NoteMSSP) {
		t.Error("no MSSP request noted")
	}
	if !hasNeg(r.negs, DO, OptEcho) {
		t.Error("no DO ECHO answer to WILL ECHO")
	}
	// The client decompressed everything, including the finished stream's end.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "Bye!") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "Welcome!") || !strings.Contains(out.String(), "Bye!") {
		t.Errorf("client output lacks the compressed text:\n%s", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
