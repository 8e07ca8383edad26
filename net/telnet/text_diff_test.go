package telnet

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// The fast path of WriteText must be invisible: for every text and every
// Protocol state it must queue exactly the bytes the old rune-by-rune
// encoder (refWriteText, text_ref_test.go) queued and leave the same column.

// textState is the Protocol state WriteText's output depends on.
type textState struct {
	depth  ColorDepth
	utf8   bool
	width  int // Caps.Width as NAWS reported it (0: unknown)
	col    int // column before the call
	lastCR bool
	mccp2  bool // output goes to the MCCP2 queue
}

// newTextProtocol returns a Protocol in state st, with nothing queued.
func newTextProtocol(st textState) *Protocol {
	p := NewProtocol(Config{})
	if st.mccp2 {
		p.Handle(&Event{Kind: EventNegotiation, Cmd: DO, Opt: OptMCCP2})
	}
	p.Flush()
	p.caps.Color, p.caps.UTF8, p.caps.Width = st.depth, st.utf8, st.width
	p.col, p.lastCR = st.col, st.lastCR
	return p
}

// compareWithRef writes texts (one WriteText call each) to a Protocol and
// to a twin through refWriteText, and reports the first difference in the
// queued bytes or the state left behind.
func compareWithRef(tb testing.TB, st textState, texts ...string) {
	tb.Helper()
	got, want := newTextProtocol(st), newTextProtocol(st)
	for i, s := range texts {
		got.WriteText(s)
		refWriteText(want, s)
		g, w := got.Flush(), want.Flush()
		if !bytes.Equal(g, w) || got.col != want.col || got.lastCR != want.lastCR {
			tb.Fatalf("state %+v, call %d WriteText(%q):\n got %q col %d lastCR %v\nwant %q col %d lastCR %v",
				st, i, s, g, got.col, got.lastCR, w, want.col, want.lastCR)
		}
	}
}

// textSeeds are hand-picked texts covering every branch of the encoder.
var textSeeds = []string{
	"",
	"\n",
	"hello\n",
	"Name: ",
	"a  b\t\tc \n d",
	"  indented\n  twice\n",
	strings.Repeat("x", 45),
	strings.Repeat("y", 20) + " " + strings.Repeat("z", 21) + "\n",
	strings.Repeat("word ", 60),
	strings.Repeat("ab ", 10),
	"aaaa bbbb cccc ",
	"{rred{x {{x} {q{F999}{#zz} {F196}a{#ff8000}b{Gc{D",
	"{rThe {F202}goblin{x swings",
	"wo{rrd{x{{s and}{",
	"{",
	"{{",
	"x{",
	"{F1}{F12}{F123}{F1234}{F}{#12345}{#1234567}{#abcdef}",
	"“hi” — it’s… café ★ ─│┼ « » © ® ™ × ← → ° · ÿ À",
	"ééééé ééééé ééééé ééééé ééééé",
	"a\x1b[31mb\x07c\u202ed\u009be\r\nf\rg\x00h\x7fi",
	"a\xffb\xfe\xc3(\xe2\x82 \xf0\x9f\x98\x80",
	"\xff\xff\xff\n",
	strings.Repeat("{Ga{x", 30) + "\n",
	strings.Repeat("é", 300),
	"ab\x07cd" + strings.Repeat("e", 30) + "\x07" + strings.Repeat("f", 30),
	benchRoom,
	benchChat,
	benchMarkup,
}

// textStates returns the states the differential test covers.
func textStates() []textState {
	var sts []textState
	for depth := ColorNone; depth <= ColorTrue; depth++ {
		for _, utf8 := range []bool{false, true} {
			for _, width := range []int{0, 5, 20, 80, 200, 300} {
				for _, col := range []int{0, 1, 19, 20, 21, 79, 150, 250, 400} {
					sts = append(sts, textState{depth: depth, utf8: utf8, width: width, col: col, lastCR: col%2 == 1, mccp2: col == 19})
				}
			}
		}
	}
	return sts
}

// randomText builds text from pieces that exercise the encoder: words of
// every length, spaces, tabs, newlines, markup (valid and not), UTF-8 that
// is transliterated or replaced, controls, invalid UTF-8 and IAC bytes.
func randomText(r *rand.Rand) string {
	pieces := []string{
		" ", " ", " ", "  ", "\t", "\n", "\n", "\r\n", "{r", "{x", "{{", "{", "{F202}", "{F999}",
		"{#00ff80}", "{#zz}", "{W", "é", "—", "“", "★", "─", "\u202e", "\u0085", "\x1b", "\x07",
		"\x7f", "\x00", "\xff", "\xc3", "\xe2\x82", ".", ",", "'",
	}
	var b strings.Builder
	for n := r.IntN(40); n > 0; n-- {
		switch k := r.IntN(10); {
		case k < 5: // a word
			l := 1 + r.IntN(8)
			if r.IntN(20) == 0 {
				l = 1 + r.IntN(300)
			}
			for range l {
				b.WriteByte(byte('!' + r.IntN(94)))
			}
		case k < 9:
			b.WriteString(pieces[r.IntN(len(pieces))])
		default: // any byte
			b.WriteByte(byte(r.IntN(256)))
		}
	}
	return b.String()
}

// TestWriteTextMatchesRef compares the encoder with the reference on the
// seeds, on random texts and on sequences of calls, in every state.
func TestWriteTextMatchesRef(t *testing.T) {
	sts := textStates()
	for _, st := range sts {
		for _, s := range textSeeds {
			compareWithRef(t, st, s)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for range n {
		st := sts[r.IntN(len(sts))]
		compareWithRef(t, st, randomText(r), randomText(r), randomText(r))
	}
}

// FuzzWriteTextMatchesRef compares the encoder with the reference on
// arbitrary text, in the state chosen by the other arguments.
func FuzzWriteTextMatchesRef(f *testing.F) {
	for i, s := range textSeeds {
		f.Add(s, uint8(i%4), i%2 == 0, uint16([]int{0, 20, 80, 200}[i%4]), uint16(i*7%90))
	}
	f.Fuzz(func(t *testing.T, s string, depth uint8, utf8 bool, width, col uint16) {
		st := textState{depth: ColorDepth(depth % 4), utf8: utf8, width: int(width % 300), col: int(col % 300), lastCR: col&1 == 1}
		compareWithRef(t, st, s, s)
	})
}
