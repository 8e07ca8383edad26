package sim

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

// randomStream builds a telnet stream the way a busy server writes one:
// bursts of coloured lines, some of them long enough to overflow the head
// (and the tail ring many times over), with the line ends, erasers, IAC
// commands, subnegotiations and over-long lines that the scanner's fast
// ways must leave to the slow one, each a prompt with IAC GA or IAC EOR
// at the end, or not.
func randomStream(rng *rand.Rand) []byte {
	var b []byte
	pieces := []string{"Load1x", " is here.", "\x1b[1;33m", "\x1b[0m", "\x1b[", "\x1b", "\x1bX", "\x1b[12;", "é", "\t", "[Exits: north]", "m", "[", ";"}
	ends := []string{"\r\n", "\r\n", "\r\n", "\r\n", "\n", "\r", "\r\x00", "\n\r", "\r\r\n"}
	rare := [][]byte{{0x08}, {0x7f}, {0}, {iac, iac}, {iac, telnet.NOP}, {iac, telnet.EC}, {iac, telnet.EL},
		{iac, telnet.SB, 24, 1, 'x', iac, telnet.SE}, {iac, telnet.WILL, telnet.OptEOR}, {iac, telnet.DO, 1}}
	for range 1 + rng.IntN(4) {
		lines := rng.IntN(8)
		if rng.IntN(2) == 0 {
			lines = 200 + rng.IntN(600)
		}
		for range lines {
			switch rng.IntN(40) {
			case 0:
				b = append(b, rare[rng.IntN(len(rare))]...)
			case 1:
				b = append(b, strings.Repeat("z", maxLineBytes-5+rng.IntN(10))...)
			case 2:
				b = append(b, strings.Repeat("w", 200+rng.IntN(200))...) // fills the head's bytes sooner
			}
			for range rng.IntN(4) {
				b = append(b, pieces[rng.IntN(len(pieces))]...)
			}
			if rng.IntN(60) == 0 {
				b = append(b, rare[rng.IntN(len(rare))]...)
			}
			b = append(b, ends[rng.IntN(len(ends))]...)
		}
		b = append(b, "> "...)
		switch rng.IntN(4) {
		case 0:
			b = append(b, iac, ga)
		case 1, 2:
			b = append(b, iac, eor)
		}
	}
	return b
}

// TestReaderRandomStreams holds the scanner to the oracle on random
// streams cut into reads of many sizes, small ones and the big ones that
// the fast ways work on.
func TestReaderRandomStreams(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cuts := [][]int{nil, {1}, {7}, {97}, {2048}, {4096}, {16384}, {3, 4096, 1, 600}, {8191, 2}}
	n := 300
	if testing.Short() {
		n = 30
	}
	for k := range n {
		data := randomStream(rng)
		sizes := cuts[k%len(cuts)]
		if len(sizes) == 1 && sizes[0] == 1 && len(data) > 50000 {
			sizes = []int{5}
		}
		msgs, out, rest := scan(data, sizes)
		omsgs, oout, orest := scanOracle(data, sizes)
		if err := sameBursts(msgs, omsgs); err != nil {
			t.Fatalf("stream %d (%d bytes, reads of %v): %v", k, len(data), sizes, err)
		}
		if !bytes.Equal(out, oout) || !slices.Equal(rest, orest) {
			t.Fatalf("stream %d (reads of %v): replies %v rest %q, want %v %q", k, sizes, out, rest, oout, orest)
		}
	}
}

// TestReaderTailEdges checks the tail's fast way where its line ends meet
// the edges: of the read, of the run without rare bytes, of the count.
func TestReaderTailEdges(t *testing.T) {
	head := strings.Repeat("h\r\n", maxHeldLines)
	cases := map[string][]byte{
		"exactly the ring":           join(head, strings.Repeat("t\r\n", maxTailLines), "> ", iac, eor),
		"one more than the ring":     join(head, strings.Repeat("t\r\n", maxTailLines+1), "> ", iac, eor),
		"ring then prompt mid-line":  join(head, strings.Repeat("\x1b[1mt\x1b[0m\r\n", 40), "part", iac, ga, "\nnext\r\n> ", iac, eor),
		"lone CRs":                   join(head, strings.Repeat("a\rb\r\r", 30), "> ", iac, eor),
		"lone LFs and empty lines":   join(head, strings.Repeat("a\n\n\r\n", 30), "> ", iac, eor),
		"CR at the run's end, NUL":   join(head, strings.Repeat("t\r\n", 30), "u\r", byte(0), "v\r\n> ", iac, eor),
		"CR at the run's end, IAC":   join(head, strings.Repeat("t\r\n", 30), "u\r", iac, telnet.NOP, "\nv\r\n> ", iac, eor),
		"erase in the tail":          join(head, strings.Repeat("t\r\n", 30), "ab\x08c\r\n", strings.Repeat("s\r\n", 30), "> ", iac, eor),
		"erase near the end":         join(head, strings.Repeat("t\r\n", 30), "ab\x7fc\r\nd", iac, telnet.EL, "e\r\n> ", iac, eor),
		"long line in the tail":      join(head, strings.Repeat("t\r\n", 30), strings.Repeat("L", maxLineBytes+100), "\r\n", strings.Repeat("s\r\n", 3), "> ", iac, eor),
		"long line, then many":       join(head, strings.Repeat("L", 3*maxLineBytes), "\r\n", strings.Repeat("s\r\n", 20), "> ", iac, eor),
		"head full by bytes":         join(strings.Repeat(strings.Repeat("b", 1000)+"\r\n", 40), strings.Repeat("t\r\n", 40), "> ", iac, eor),
		"escape cut by the line end": join(strings.Repeat("\x1b[1\r\n\x1b\r\nq\x1b\n", 120), "> ", iac, eor),
		"two long bursts":            join(head, strings.Repeat("t\r\n", 100), "> ", iac, eor, head, strings.Repeat("u\n", 100), "> ", iac, eor),
		"no prompt":                  join(head, strings.Repeat("t\r\n", 100)),
	}
	for name, data := range cases {
		for _, sizes := range [][]int{nil, {1}, {2}, {3}, {64}, {100}, {4096}, {4095, 1}} {
			msgs, out, rest := scan(data, sizes)
			omsgs, oout, orest := scanOracle(data, sizes)
			if err := sameBursts(msgs, omsgs); err != nil {
				t.Errorf("%s, reads of %v: %v", name, sizes, err)
			}
			if !bytes.Equal(out, oout) || !slices.Equal(rest, orest) {
				t.Errorf("%s, reads of %v: replies %v rest %q, want %v %q", name, sizes, out, rest, oout, orest)
			}
		}
	}
}

func TestLineScanners(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{'a', 'b', 0x1b, '\t', '\r', '\n', 0, 0x08, 0x7f, 0xff, 0xfe, 0x7e, 0x0e, 0x0d, 0x1f, 0x20, 0x80}
	for range 20000 {
		p := make([]byte, rng.IntN(40))
		for k := range p {
			p[k] = alphabet[rng.IntN(len(alphabet))]
		}
		wantSpecial, wantControl, wantLast := len(p), len(p), -1
		for k, c := range p {
			if special[c] && wantSpecial == len(p) {
				wantSpecial = k
			}
			if (c < 0x20 || c == 0x7f || c == 0xff) && wantControl == len(p) {
				wantControl = k
			}
			if c == '\r' || c == '\n' {
				wantLast = k
			}
		}
		if got := nextSpecial(p); got != wantSpecial {
			t.Fatalf("nextSpecial(%q) = %d, want %d", p, got, wantSpecial)
		}
		if got := nextControl(p); got != wantControl {
			t.Fatalf("nextControl(%q) = %d, want %d", p, got, wantControl)
		}
		if got := lastLineEnd(p); got != wantLast {
			t.Fatalf("lastLineEnd(%q) = %d, want %d", p, got, wantLast)
		}
	}
}

// TestReaderAllocs checks that a long burst costs a fixed number of
// allocations once the reader's buffers have grown, whatever its length.
func TestReaderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	wide := join(strings.Repeat("\x1b[1;33m"+strings.Repeat("x", 80)+"\x1b[0m\r\n", 3000), "> ", iac, ga)
	for _, c := range []struct {
		name   string
		stream []byte
		max    float64
	}{
		// The burst's text, its line slice, the message and the head's
		// line ends (16, 64, 256: released after a long burst).
		{"look 300", crowdLook(300), 6},
		{"look 3000", crowdLook(3000), 6},
		// And text, released after a burst over keepTextCap: 512 bytes,
		// 2, 8 and 32 KB.
		{"head over keepTextCap", wide, 10},
	} {
		r := &reader{send: func(any) {}}
		feed := func() {
			for p := c.stream; len(p) > 0; {
				k := min(len(p), 4096)
				r.feed(p[:k], time.Unix(0, 0))
				p = p[k:]
			}
		}
		feed()
		if got := testing.AllocsPerRun(20, feed); got > c.max {
			t.Errorf("%s: %v allocations per burst, want at most %v", c.name, got, c.max)
		}
	}
}

// TestReaderTailMemory checks that a long burst read byte by byte (the
// slow way: every tail line goes through endLine) keeps the tail's buffer
// to about twice its lines.
func TestReaderTailMemory(t *testing.T) {
	r := &reader{send: func(any) {}}
	line := []byte("\x1b[1;33mLoad1x123 is here.\x1b[0m\r\n")
	for range maxHeldLines + 5000 {
		for k := range line {
			r.feed(line[k:k+1], time.Unix(0, 0))
		}
		if len(r.tailBuf) > 2*(maxTailLines+1)*len(line) {
			t.Fatalf("tail buffer of %d bytes for %d lines of %d", len(r.tailBuf), len(r.tailStarts), len(line))
		}
	}
	if !r.dropped || len(r.tailStarts) != maxTailLines {
		t.Fatalf("dropped %v, %d tail lines", r.dropped, len(r.tailStarts))
	}
}
