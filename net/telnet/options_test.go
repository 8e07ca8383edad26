package telnet

import (
	"strings"
	"testing"
)

// started returns a protocol after Start with its output discarded.
func started() *Protocol {
	p := NewProtocol(Config{})
	p.Start()
	p.Flush()
	return p
}

func hasNote(notes []Note, k NoteKind) bool {
	for _, n := range notes {
		if n.Kind == k {
			return true
		}
	}
	return false
}

func TestTTYPECycle(t *testing.T) {
	send := sb(OptTTYPE, "\x01")
	tests := []struct {
		name      string
		replies   []string
		wantSends int // SEND requests after WILL TTYPE, including the first
		client    string
		term      string
		mtts      int
		color     ColorDepth
		utf8      bool
	}{
		{"tintin MTTS", []string{"TINTIN++", "xterm-256color", "MTTS 271"}, 3, "TINTIN++", "xterm-256color", 271, ColorTrue, true},
		{"tf5", []string{"TINYFUGUE", "ANSI-ATTR", "ANSI", "ANSI"}, 4, "TINYFUGUE", "ANSI-ATTR", 0, Color16, false},
		{"kbtin", []string{"KBtin", "hardcopy", "unknown", "unknown"}, 4, "KBtin", "hardcopy", 0, ColorNone, false},
		{"kildclient repeats", []string{"KildClient", "KildClient"}, 2, "KildClient", "KildClient", 0, Color16, false},
		{"telnet repeats", []string{"XTERM-256COLOR", "XTERM-256COLOR"}, 2, "XTERM-256COLOR", "XTERM-256COLOR", 0, Color256, false},
		{"never stops: max 4", []string{"a", "b", "c", "d", "e", "f"}, 4, "a", "b", 0, Color16, false},
		{"screen reader", []string{"X", "Y", "MTTS 69"}, 3, "X", "Y", 69, Color16, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := started()
			feed(p, neg(WILL, OptTTYPE))
			sends := strings.Count(string(p.Flush()), send)
			for _, r := range tt.replies {
				feed(p, sb(OptTTYPE, "\x00"+r))
				sends += strings.Count(string(p.Flush()), send)
			}
			c := p.Caps()
			if sends != tt.wantSends || c.Client != tt.client || c.Terminal != tt.term || c.MTTS != tt.mtts || c.Color != tt.color || c.UTF8 != tt.utf8 {
				t.Errorf("sends=%d caps=%+v; want sends=%d client=%q term=%q mtts=%d color=%d utf8=%v",
					sends, c, tt.wantSends, tt.client, tt.term, tt.mtts, tt.color, tt.utf8)
			}
			if tt.mtts&MTTSScreenReader != 0 && !c.ScreenReader {
				t.Error("ScreenReader not set")
			}
		})
	}
}

func TestTTYPEIgnoredWithoutWill(t *testing.T) {
	p := started()
	notes := feed(p, sb(OptTTYPE, "\x00MTTS 271"))
	if c := p.Caps(); c.MTTS != 0 || c.Client != "" || len(notes) != 0 {
		t.Fatalf("unnegotiated TTYPE used: %+v %v", c, notes)
	}
}

func TestNAWS(t *testing.T) {
	p := started()
	notes := feed(p, neg(WILL, OptNAWS)+sb(OptNAWS, "\x00\x50\x00\x18"))
	if c := p.Caps(); c.Width != 80 || c.Height != 24 || !hasNote(notes, NoteCaps) {
		t.Fatalf("caps %+v notes %v", c, notes)
	}
	// 255 arrives doubled; updates come any time.
	notes = feed(p, sb(OptNAWS, "\x00\xff\x01\x00"))
	if c := p.Caps(); c.Width != 255 || c.Height != 256 || !hasNote(notes, NoteCaps) {
		t.Fatalf("caps %+v", c)
	}
	// Same size again: no note. Malformed: ignored.
	if notes := feed(p, sb(OptNAWS, "\x00\xff\x01\x00")+sb(OptNAWS, "\x00\x10")); len(notes) != 0 {
		t.Fatalf("notes %v", notes)
	}
	if p.wrapWidth() != maxWrap {
		t.Fatalf("wrap width %d", p.wrapWidth())
	}
	feed(p, sb(OptNAWS, "\x00\x00\x00\x00"))
	if p.wrapWidth() != 80 {
		t.Fatalf("unknown width wraps at %d", p.wrapWidth())
	}
}

func TestCharset(t *testing.T) {
	p := started()
	feed(p, neg(DO, OptCharset))
	if got := string(p.Flush()); got != sb(OptCharset, "\x01;UTF-8;US-ASCII") {
		t.Fatalf("request = %q", got)
	}
	// A second DO (already yes) does not ask again.
	feed(p, neg(DO, OptCharset))
	if got := p.Flush(); got != nil {
		t.Fatalf("asked twice: %q", got)
	}
	notes := feed(p, sb(OptCharset, "\x02UTF-8"))
	if !p.Caps().UTF8 || !hasNote(notes, NoteCaps) {
		t.Fatal("ACCEPTED UTF-8 not applied")
	}

	// REJECTED wins over an MTTS UTF-8 hint (tintin under LANG=C).
	p = started()
	feed(p, neg(DO, OptCharset)+neg(WILL, OptTTYPE)+sb(OptTTYPE, "\x00A")+sb(OptTTYPE, "\x00B")+sb(OptTTYPE, "\x00MTTS 5"))
	feed(p, sb(OptCharset, "\x03"))
	if p.Caps().UTF8 {
		t.Fatal("UTF8 after REJECTED")
	}

	// The client asks: we accept UTF-8 from its list, else reject.
	p = NewProtocol(Config{})
	feed(p, sb(OptCharset, "\x01 ISO-8859-1 utf-8 "))
	if got := string(p.Flush()); got != sb(OptCharset, "\x02utf-8") || !p.Caps().UTF8 {
		t.Fatalf("reply = %q", got)
	}
	p = NewProtocol(Config{})
	feed(p, sb(OptCharset, "\x01;ISO-8859-1"))
	if got := string(p.Flush()); got != sb(OptCharset, "\x03") || p.Caps().UTF8 {
		t.Fatalf("reply = %q", got)
	}
}

func TestNewEnviron(t *testing.T) {
	p := started()
	feed(p, neg(WILL, OptNewEnviron))
	if got := string(p.Flush()); got != sb(OptNewEnviron, "\x01\x00") {
		t.Fatalf("send = %q", got)
	}
	// tintin's form: IS repeated before every VAR; CLIENT_VERSION has a trailing space.
	is := "\x00\x00CHARSET\x01UTF-8\x00\x00CLIENT_NAME\x01TinTin++\x00\x00CLIENT_VERSION\x012.02.20 \x00\x00MTTS\x01783\x00\x00TERMINAL_TYPE\x01xterm-256color"
	notes := feed(p, sb(OptNewEnviron, is))
	c := p.Caps()
	if c.Client != "TinTin++" || c.ClientVersion != "2.02.20" || c.MTTS != 783 || !c.UTF8 || c.Color != ColorTrue || c.Terminal != "xterm-256color" || !hasNote(notes, NoteCaps) {
		t.Fatalf("caps %+v", c)
	}
	// A second IS (tintin sends again) is tolerated; ESC quoting works.
	feed(p, sb(OptNewEnviron, "\x00\x03X\x02\x01Y\x01v\x00\x00CLIENT_NAME\x01Other"))
	if p.Caps().Client != "Other" {
		t.Fatalf("client %q", p.Caps().Client)
	}
	// inetutils telnet's empty IS changes nothing.
	before := p.Caps()
	if notes := feed(p, sb(OptNewEnviron, "\x00")); len(notes) != 0 || p.Caps() != before {
		t.Fatal("empty IS changed caps")
	}
}

func TestGMCP(t *testing.T) {
	p := started()
	notes := feed(p, neg(DO, OptGMCP))
	if !p.Caps().GMCP || !hasNote(notes, NoteCaps) {
		t.Fatal("GMCP not on")
	}
	if p.SendGMCP("Char.Vitals", []byte(`{"hp":1}`)) {
		t.Fatal("sent an unsubscribed package")
	}
	if !p.SendGMCP("Core.Goodbye", nil) {
		t.Fatal("Core refused")
	}
	p.Flush()
	feed(p, sb(OptGMCP, `Core.Hello {"Client":"Mudlet","VERSION":"4.17"}`))
	if c := p.Caps(); c.Client != "Mudlet" || c.ClientVersion != "4.17" {
		t.Fatalf("hello: %+v", c)
	}
	feed(p, sb(OptGMCP, `core.supports.set ["Char 1", "Room.Info 1", "Comm.Channel 1"]`))
	for pkg, want := range map[string]bool{"Char.Vitals": true, "char.vitals": true, "Room.Info": true, "Room.Map": false, "Comm.Channel.Text": true, "Group": false} {
		if got := p.GMCPSubscribed(pkg); got != want {
			t.Errorf("subscribed(%q) = %v", pkg, got)
		}
	}
	feed(p, sb(OptGMCP, `Core.Supports.Remove ["char"]`)+sb(OptGMCP, `Core.Supports.Add ["Group 1"]`))
	if p.GMCPSubscribed("Char.Vitals") || !p.GMCPSubscribed("Group") {
		t.Fatal("Add/Remove not applied")
	}
	if !p.SendGMCP("Group", []byte(`{"a":"\u00ff"}`)) || p.SendGMCP("Group", []byte(`{bad`)) {
		t.Fatal("SendGMCP validation")
	}
	if got := string(p.Flush()); got != sb(OptGMCP, `Group {"a":"\u00ff"}`) {
		t.Fatalf("sent %q", got)
	}
	// Ping is answered; other packages go to the game.
	notes = feed(p, sb(OptGMCP, "Core.Ping")+sb(OptGMCP, `Char.Login {"name":"x"}`))
	if got := string(p.Flush()); got != sb(OptGMCP, "Core.Ping") {
		t.Fatalf("ping reply %q", got)
	}
	if len(notes) != 1 || notes[0].Kind != NoteGMCP || notes[0].Package != "Char.Login" || string(notes[0].Data) != `{"name":"x"}` {
		t.Fatalf("notes %+v", notes)
	}
	// Bad JSON, bad UTF-8, bad package names and oversize are errors.
	for _, bad := range []string{`Char.X {bad`, "Char.X \"\xc3\x28\"", `Bad Name! {}`, "Char.X " + `"` + strings.Repeat("a", maxGMCPPayload) + `"`} {
		notes := feed(p, sb(OptGMCP, bad))
		if len(notes) != 1 || notes[0].Kind != NoteError {
			t.Errorf("%.20q: notes %+v", bad, notes)
		}
	}
	// Subscriptions are bounded.
	var mods []string
	for i := range 200 {
		mods = append(mods, `"M`+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26))+` 1"`)
	}
	feed(p, sb(OptGMCP, "Core.Supports.Set ["+strings.Join(mods, ",")+"]"))
	if len(p.gmcpSubs) != maxGMCPSubs {
		t.Fatalf("%d subscriptions kept", len(p.gmcpSubs))
	}
	// Without GMCP on, nothing is sent.
	if NewProtocol(Config{}).SendGMCP("Core.Ping", nil) {
		t.Fatal("sent without GMCP")
	}
}

func TestMSSP(t *testing.T) {
	vars := map[string][]string{"PLAYERS": {"3"}, "UPTIME": {"1700000000"}, "CODEBASE": {"troupe", "go\r\n"}}
	p := started()
	notes := feed(p, neg(DO, OptMSSP))
	if !hasNote(notes, NoteMSSP) {
		t.Fatalf("notes %v", notes)
	}
	p.SendMSSP(vars)
	want := sb(OptMSSP, "\x01CODEBASE\x02troupe\x02go\x01NAME\x02troupe\x01PLAYERS\x023\x01UPTIME\x021700000000")
	if got := string(p.Flush()); got != want {
		t.Fatalf("MSSP = %q; want %q", got, want)
	}
	// Plaintext request.
	p = NewProtocol(Config{Name: "Test MUD"})
	text, notes, consumed := p.DecodeLine([]byte("MSSP-REQUEST"))
	if !consumed || text != "" || !hasNote(notes, NoteMSSP) {
		t.Fatalf("DecodeLine = %q %v %v", text, notes, consumed)
	}
	p.SendMSSP(vars)
	want = "\r\nMSSP-REPLY-START\r\nCODEBASE\ttroupe\r\nCODEBASE\tgo\r\nNAME\tTest MUD\r\nPLAYERS\t3\r\nUPTIME\t1700000000\r\nMSSP-REPLY-END\r\n"
	if got := string(p.Flush()); got != want {
		t.Fatalf("plain = %q", got)
	}
}

func TestRenderStrip(t *testing.T) {
	tests := []struct {
		in    string
		depth ColorDepth
		want  string
	}{
		{"{rA{x", Color16, "\x1b[0;31mA\x1b[0m"},
		{"{dA{DB{wC{WD", Color16, "\x1b[0;30mA\x1b[1;30mB\x1b[0;37mC\x1b[1;37mD\x1b[0m"},
		{"{F16}a", Color16, "\x1b[0;30ma\x1b[0m"},
		{"{F231}a", Color16, "\x1b[1;37ma\x1b[0m"},
		{"{F7}a", ColorTrue, "\x1b[38;5;7ma\x1b[0m"},
		{"{#808080}a", Color256, "\x1b[38;5;244ma\x1b[0m"},
		{"{{r}", Color16, "{r}"},
		{"{", Color16, "{"},
		{"{F}{F256}{#12345}{#1234567}", ColorTrue, "{F}{F256}{#12345}{#1234567}"},
		{"{rx", ColorNone, "x"},
	}
	for _, tt := range tests {
		if got := Render(tt.in, tt.depth); got != tt.want {
			t.Errorf("Render(%q, %d) = %q; want %q", tt.in, tt.depth, got, tt.want)
		}
	}
	if got := Strip("{Rhello{x {{world} {q"); got != "hello {world} {q" {
		t.Errorf("Strip = %q", got)
	}
	if got := Strip(Escape("{rtyped{x")); got != "{rtyped{x" {
		t.Errorf("Escape round trip = %q", got)
	}
}
