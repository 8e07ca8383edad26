package telnet

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
	"testing"
)

// feed decodes client bytes and hands every non-line event to p.
func feed(p *Protocol, in string) []Note {
	d := NewDecoder(Limits{})
	var notes []Note
	for _, ev := range d.Decode([]byte(in), nil) {
		if ev.Kind != EventLine {
			notes = append(notes, p.Handle(&ev)...)
		}
	}
	return notes
}

// neg builds IAC cmd opt sequences.
func neg(pairs ...byte) string {
	var b []byte
	for i := 0; i+1 < len(pairs); i += 2 {
		b = append(b, IAC, pairs[i], pairs[i+1])
	}
	return string(b)
}

// sb builds IAC SB opt payload IAC SE (payload IACs doubled).
func sb(opt byte, payload string) string {
	return "\xff\xfa" + string([]byte{opt}) + strings.ReplaceAll(payload, "\xff", "\xff\xff") + "\xff\xf0"
}

func TestQMethod(t *testing.T) {
	tests := []struct {
		name  string
		start bool   // call Start first (and discard its output)
		in    string // client bytes
		want  string // server bytes in reply
	}{
		{"accept offered DO", true, neg(DO, OptEOR), ""},
		{"unsupported WILL refused once", false, neg(WILL, OptMXP, WILL, OptMXP, WILL, OptMXP), neg(DONT, OptMXP)},
		{"unsupported DO refused once", false, neg(DO, OptSGA, DO, OptSGA), neg(WONT, OptSGA)},
		{"unsolicited DO ECHO refused", false, neg(DO, OptEcho), neg(WONT, OptEcho)},
		{"WONT in NO ignored", false, neg(WONT, OptTTYPE, DONT, OptEOR), ""},
		{"DONT to our WILL: no answer", true, neg(DONT, OptEOR, DONT, OptEOR), ""},
		{"WONT to our DO: no answer", true, neg(WONT, OptNAWS, WONT, OptNAWS), ""},
		{"repeated WILL after yes ignored", true, neg(WILL, OptNAWS, WILL, OptNAWS), ""},
		{"unsolicited WILL supported accepted", false, neg(WILL, OptNAWS, WILL, OptNAWS), neg(DO, OptNAWS)},
		{"unsolicited DO EOR accepted once", false, neg(DO, OptEOR, DO, OptEOR), neg(WILL, OptEOR)},
		{"YES then DONT answered with WONT", true, neg(DO, OptEOR, DONT, OptEOR, DONT, OptEOR), neg(WONT, OptEOR)},
		{"YES then WONT answered with DONT", true, neg(WILL, OptNAWS, WONT, OptNAWS), neg(DONT, OptNAWS)},
		// Each new request from the client is answered once; answers never are.
		{"client toggles: one answer per request", true, strings.Repeat(neg(WILL, OptNAWS, WONT, OptNAWS), 3), neg(DONT, OptNAWS) + strings.Repeat(neg(DO, OptNAWS, DONT, OptNAWS), 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewProtocol(Config{})
			if tt.start {
				p.Start()
				p.Flush()
			}
			feed(p, tt.in)
			got := string(p.Flush())
			// Drop subnegotiations the server starts on its own (TTYPE SEND...).
			got = stripSB(got)
			if got != tt.want {
				t.Errorf("reply = % x; want % x", got, tt.want)
			}
		})
	}
}

// stripSB removes IAC SB ... IAC SE sequences from server output.
func stripSB(s string) string {
	for {
		i := strings.Index(s, "\xff\xfa")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "\xff\xf0")
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+2:]
	}
}

func TestStartOffers(t *testing.T) {
	p := NewProtocol(Config{})
	p.Start()
	want := neg(WILL, OptEOR, DO, OptTTYPE, DO, OptNAWS, WILL, OptCharset, WILL, OptMSSP, WILL, OptGMCP, WILL, OptMCCP2, DO, OptNewEnviron)
	if got := string(p.Flush()); got != want {
		t.Fatalf("Start = % x; want % x", got, want)
	}
	if p.Pending() || p.Flush() != nil {
		t.Fatal("Flush did not clear the queue")
	}
}

func TestSetEcho(t *testing.T) {
	p := NewProtocol(Config{})
	p.SetEcho(true)
	p.SetEcho(true)
	if got := string(p.Flush()); got != neg(WILL, OptEcho) {
		t.Fatalf("hide = % x", got)
	}
	feed(p, neg(DO, OptEcho)) // client agrees: no answer
	p.SetEcho(false)
	p.SetEcho(false)
	if got := string(p.Flush()); got != neg(WONT, OptEcho) {
		t.Fatalf("show = % x", got)
	}
	// tintin never answers WONT ECHO; the next password prompt still works.
	p.SetEcho(true)
	if got := string(p.Flush()); got != neg(WILL, OptEcho) {
		t.Fatalf("hide again without an answer to WONT = % x", got)
	}
	// tf5/telnet answer DONT to WONT; a late DONT is never answered.
	feed(p, neg(DO, OptEcho))
	p.SetEcho(false)
	p.Flush()
	feed(p, neg(DONT, OptEcho, DONT, OptEcho))
	if got := p.Flush(); got != nil {
		t.Fatalf("answered an answer: % x", got)
	}
	// The client switching echo off while hidden is acknowledged once and
	// SetEcho(false) then has nothing to send.
	p.SetEcho(true)
	feed(p, neg(DO, OptEcho))
	p.Flush()
	feed(p, neg(DONT, OptEcho))
	if got := string(p.Flush()); got != neg(WONT, OptEcho) {
		t.Fatalf("DONT while hidden = % x", got)
	}
	p.SetEcho(false)
	if got := p.Flush(); got != nil {
		t.Fatalf("SetEcho(false) after client DONT sent % x", got)
	}
}

func TestEndPrompt(t *testing.T) {
	p := NewProtocol(Config{})
	p.Start()
	p.Flush()
	p.EndPrompt()
	if got := string(p.Flush()); got != "\xff\xf9" {
		t.Fatalf("without EOR: % x", got)
	}
	feed(p, neg(DO, OptEOR))
	if !p.Caps().EOR {
		t.Fatal("Caps().EOR false after DO EOR")
	}
	p.EndPrompt()
	if got := string(p.Flush()); got != "\xff\xef" {
		t.Fatalf("with EOR: % x", got)
	}
	feed(p, neg(DONT, OptEOR))
	p.Flush()
	p.EndPrompt()
	if got := string(p.Flush()); got != "\xff\xf9" {
		t.Fatalf("after DONT EOR: % x", got)
	}
}

func TestWriteRaw(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\nb", "a\r\nb"},
		{"a\r\nb", "a\r\nb"},
		{"\n\n", "\r\n\r\n"},
		{"x\xffy", "x\xff\xffy"},
		{"\r", "\r"},
	}
	for _, tt := range tests {
		p := NewProtocol(Config{})
		p.WriteRaw(tt.in)
		if got := string(p.Flush()); got != tt.want {
			t.Errorf("WriteRaw(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	// A CR at the end of one call and LF at the start of the next stay one CRLF.
	p := NewProtocol(Config{})
	p.WriteRaw("a\r")
	p.WriteRaw("\nb")
	if got := string(p.Flush()); got != "a\r\nb" {
		t.Errorf("split CRLF = %q", got)
	}
}

// withCaps returns a protocol whose client negotiated the given features.
func withCaps(utf8 bool, depth ColorDepth, width int) *Protocol {
	p := NewProtocol(Config{})
	p.Start()
	in := neg(WILL, OptTTYPE) + sb(OptTTYPE, "\x00TEST") + sb(OptTTYPE, "\x00xterm") + sb(OptTTYPE, fmt.Sprintf("\x00MTTS %d", mttsFor(utf8, depth)))
	if width > 0 {
		in += neg(WILL, OptNAWS) + sb(OptNAWS, string([]byte{byte(width >> 8), byte(width), 0, 24}))
	}
	feed(p, in)
	p.Flush()
	return p
}

func mttsFor(utf8 bool, depth ColorDepth) int {
	n := 0
	if utf8 {
		n |= MTTSUTF8
	}
	switch depth {
	case Color16:
		n |= MTTSANSI
	case Color256:
		n |= MTTSANSI | MTTS256Colors
	case ColorTrue:
		n |= MTTSANSI | MTTS256Colors | MTTSTrueColor
	}
	return n
}

func TestWriteText(t *testing.T) {
	tests := []struct {
		name  string
		utf8  bool
		depth ColorDepth
		width int
		in    string
		want  string
	}{
		{"newline", true, ColorNone, 0, "a\nb\n", "a\r\nb\r\n"},
		{"crlf in text", true, ColorNone, 0, "a\r\nb", "a\r\nb"},
		{"markup stripped", true, ColorNone, 0, "{rred{x {{x}", "red {x}"},
		{"unknown code visible", true, ColorNone, 0, "{q{F999}{#zz}", "{q{F999}{#zz}"},
		{"16 colours", true, Color16, 0, "{rred{Rbright{x.", "\x1b[0;31mred\x1b[1;31mbright\x1b[0m."},
		{"reset appended", true, Color16, 0, "{gok", "\x1b[0;32mok\x1b[0m"},
		{"256 index", true, Color256, 0, "{F196}x", "\x1b[38;5;196mx\x1b[0m"},
		{"256 down to 16", true, Color16, 0, "{F196}x", "\x1b[1;31mx\x1b[0m"},
		{"truecolor", true, ColorTrue, 0, "{#ff8000}x", "\x1b[38;2;255;128;0mx\x1b[0m"},
		{"truecolor to 256", true, Color256, 0, "{#ff0000}x", "\x1b[38;5;196mx\x1b[0m"},
		{"truecolor to 16", true, Color16, 0, "{#00ff00}x", "\x1b[1;32mx\x1b[0m"},
		{"wrap", true, ColorNone, 20, "aaaa bbbb cccc dddd eeee ffff", "aaaa bbbb cccc dddd\r\neeee ffff"},
		{"wrap ignores markup", true, Color16, 20, "{raaaa{x bbbb cccc dddd eeee", "\x1b[0;31maaaa\x1b[0m bbbb cccc dddd\r\neeee"},
		{"wrap counts runes", true, ColorNone, 20, "ééééé ééééé ééééé ééééé", "ééééé ééééé ééééé\r\nééééé"},
		{"long word hard break", true, ColorNone, 20, strings.Repeat("x", 45), strings.Repeat("x", 20) + "\r\n" + strings.Repeat("x", 20) + "\r\n" + strings.Repeat("x", 5)},
		{"prompt trailing space", true, ColorNone, 0, "Name: ", "Name: "},
		{"indent kept", true, ColorNone, 0, "  a\n  b", "  a\r\n  b"},
		{"width clamped low", true, ColorNone, 5, strings.Repeat("ab ", 10), "ab ab ab ab ab ab ab\r\nab ab ab "},
		{"ascii fallback", false, ColorNone, 0, "“hi” — it’s… café ★", `"hi" - it's... cafe ?`},
		{"controls removed", true, Color16, 0, "a\x1b[31mb\x07c\u202ed\u009b", "a[31mbcd"},
		{"invalid utf8", true, ColorNone, 0, "a\xffb", "a\ufffdb"},
		{"invalid utf8 ascii client", false, ColorNone, 0, "a\xffb", "a?b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withCaps(tt.utf8, tt.depth, tt.width)
			if c := p.Caps(); c.UTF8 != tt.utf8 || c.Color != tt.depth {
				t.Fatalf("caps = %+v", c)
			}
			p.WriteText(tt.in)
			if got := string(p.Flush()); got != tt.want {
				t.Errorf("WriteText(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriteTextColumnCarries(t *testing.T) {
	p := withCaps(true, ColorNone, 20)
	p.WriteText("aaaa bbbb cccc ")
	p.WriteText("dddd eeee")
	if got := string(p.Flush()); got != "aaaa bbbb cccc dddd\r\neeee" {
		t.Fatalf("got %q", got)
	}
}

func TestDecodeLine(t *testing.T) {
	tests := []struct {
		name string
		utf8 bool
		in   string
		want string
	}{
		{"plain", false, "look", "look"},
		{"utf8 kept without negotiation", false, "café", "café"},
		{"latin1 fallback", false, "caf\xe9", "café"},
		{"invalid replaced", true, "caf\xe9!", "caf\ufffd!"},
		{"esc stripped", true, "say \x1b[31mred", "say [31mred"},
		{"c0 stripped tab kept as space", true, "a\x01b\tc\x07", "ab c"},
		{"c1 stripped", true, "a\u009bb\u0085c", "abc"},
		{"c1 latin1 stripped", false, "a\x9b\xffb", "aÿb"},
		{"bidi stripped", true, "a\u202eb\u2066c", "abc"},
		{"del stripped", true, "a\x7fb", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := withCaps(tt.utf8, ColorNone, 0)
			got, notes, consumed := p.DecodeLine([]byte(tt.in))
			if got != tt.want || notes != nil || consumed {
				t.Errorf("DecodeLine(%q) = %q, %v, %v; want %q", tt.in, got, notes, consumed, tt.want)
			}
		})
	}
}

// inflate decompresses a complete or sync-flushed zlib stream.
func inflate(t testing.TB, b []byte) string {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil && err != io.ErrUnexpectedEOF {
		t.Fatalf("inflate: %v", err)
	}
	return string(out)
}

func TestMCCP2(t *testing.T) {
	p := NewProtocol(Config{})
	p.Start()
	p.Flush()
	p.WriteText("queued before DO\n")
	feed(p, neg(DO, OptMCCP2))
	p.WriteText("hello\n")
	b := p.Flush()
	start := "queued before DO\r\n\xff\xfa\x56\xff\xf0"
	if !bytes.HasPrefix(b, []byte(start)) {
		t.Fatalf("flush = %q", b)
	}
	if !p.Caps().MCCP2 {
		t.Fatal("Caps().MCCP2 false")
	}
	z := append([]byte{}, b[len(start):]...)
	if got := inflate(t, z); got != "hello\r\n" {
		t.Fatalf("inflated = %q", got)
	}
	// Each flush is sync-flushed: the client can read it at once.
	p.WriteText("more\n")
	z2 := p.Flush()
	z = append(z, z2...)
	if got := inflate(t, z); got != "hello\r\nmore\r\n" {
		t.Fatalf("inflated = %q", got)
	}
	// DONT MCCP2 ends the stream; WONT and later text go plain.
	feed(p, neg(DONT, OptMCCP2))
	p.WriteText("plain\n")
	b = p.Flush()
	i := bytes.Index(b, []byte(neg(WONT, OptMCCP2)+"plain\r\n"))
	if i < 0 {
		t.Fatalf("after DONT: %q", b)
	}
	z = append(z, b[:i]...)
	r, _ := zlib.NewReader(bytes.NewReader(z))
	all, err := io.ReadAll(r)
	if err != nil || string(all) != "hello\r\nmore\r\n" {
		t.Fatalf("stream not finished cleanly: %q, %v", all, err)
	}
	if p.Caps().MCCP2 {
		t.Fatal("Caps().MCCP2 still true")
	}
}

func TestFinish(t *testing.T) {
	p := NewProtocol(Config{})
	p.Start()
	p.Flush()
	feed(p, neg(DO, OptMCCP2))
	p.WriteText("bye\n")
	b := p.Finish()
	start := "\xff\xfa\x56\xff\xf0"
	if !bytes.HasPrefix(b, []byte(start)) {
		t.Fatalf("finish = %q", b)
	}
	r, err := zlib.NewReader(bytes.NewReader(b[len(start):]))
	if err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(r)
	if err != nil || string(all) != "bye\r\n" {
		t.Fatalf("finished stream = %q, %v", all, err)
	}
	if p.Pending() {
		t.Fatal("pending after Finish")
	}
	// Without MCCP2, Finish just flushes.
	p = NewProtocol(Config{})
	p.WriteText("x")
	if got := string(p.Finish()); got != "x" {
		t.Fatalf("finish = %q", got)
	}
}
