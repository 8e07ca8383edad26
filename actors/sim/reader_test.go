package sim

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

// scan feeds data to a reader cut into reads of the given sizes (cycled;
// nil: one read) and returns what it sent, its negotiation replies and the
// lines a *readDone would carry.
func scan(data []byte, sizes []int) (msgs []any, out []byte, rest []string) {
	r := &reader{send: func(m any) {
		if rp, ok := m.(*replies); ok {
			out = append(out, rp.b...)
			return
		}
		msgs = append(msgs, m)
	}}
	at := time.Unix(0, 0)
	for k := 0; len(data) > 0; k++ {
		n := len(data)
		if len(sizes) > 0 {
			n = min(n, sizes[k%len(sizes)])
		}
		r.feed(data[:n], at)
		r.flushReplies()
		data = data[n:]
	}
	return msgs, out, r.headLines()
}

// scanOracle is scan with the oracle reader.
func scanOracle(data []byte, sizes []int) (msgs []any, out []byte, rest []string) {
	r := newOracleReader(func(m any) { msgs = append(msgs, m) })
	at := time.Unix(0, 0)
	for k := 0; len(data) > 0; k++ {
		n := len(data)
		if len(sizes) > 0 {
			n = min(n, sizes[k%len(sizes)])
		}
		r.feed(data[:n], at)
		data = data[n:]
	}
	return msgs, r.out, r.lines
}

// sameBursts reports the first difference between two message lists.
func sameBursts(got, want []any) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d messages, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i].(*burst), want[i].(*burst)
		if g.prompt != w.prompt || g.dropped != w.dropped || !g.at.Equal(w.at) {
			return fmt.Errorf("burst %d: prompt %q dropped %v at %v; want %q %v %v", i, g.prompt, g.dropped, g.at, w.prompt, w.dropped, w.at)
		}
		if len(g.lines) != len(w.lines) {
			return fmt.Errorf("burst %d: lines %q, want %q", i, g.lines, w.lines)
		}
		for k := range g.lines {
			if g.lines[k] != w.lines[k] {
				return fmt.Errorf("burst %d: line %d = %q, want %q", i, k, g.lines[k], w.lines[k])
			}
		}
	}
	return nil
}

const iac, eor, ga = telnet.IAC, telnet.EOR, telnet.GA

// join builds a byte stream from strings and single bytes.
func join(parts ...any) []byte {
	var b []byte
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			b = append(b, p...)
		case byte:
			b = append(b, p)
		case []byte:
			b = append(b, p...)
		}
	}
	return b
}

func TestReaderScan(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    []burst
		replies []byte
		rest    []string
	}{
		{"prompt only", join("> ", iac, eor), []burst{{prompt: "> "}}, nil, nil},
		{"lines then prompt", join("Hello\r\nWorld\r\n> ", iac, ga),
			[]burst{{lines: []string{"Hello", "World"}, prompt: "> "}}, nil, nil},
		{"line ends", join("a\rb\nc\r\x00d\r\n\ne", iac, eor),
			[]burst{{lines: []string{"a", "b", "c", "d", ""}, prompt: "e"}}, nil, nil},
		{"CR after the prompt ends an empty line, its LF is swallowed", join("> ", iac, eor, "\r\nBob says hi\r\n> ", iac, eor),
			[]burst{{prompt: "> "}, {lines: []string{"", "Bob says hi"}, prompt: "> "}}, nil, nil},
		{"LF right after the prompt is swallowed", join("> ", iac, eor, "\nX\r\n> ", iac, eor),
			[]burst{{prompt: "> "}, {lines: []string{"X"}, prompt: "> "}}, nil, nil},
		{"CR IAC LF still pairs", join("a\r", iac, telnet.NOP, "\nb", iac, eor),
			[]burst{{lines: []string{"a"}, prompt: "b"}}, nil, nil},
		{"colours stripped", join("\x1b[1;31mred\x1b[0m plain\r\n\x1b[1m> \x1b[0m", iac, eor),
			[]burst{{lines: []string{"red plain"}, prompt: "> "}}, nil, nil},
		{"escaped IAC", join("X", iac, iac, "Y\r\np", iac, eor),
			[]burst{{lines: []string{"X\xffY"}, prompt: "p"}}, nil, nil},
		{"erase", join("abc\x08d\x7f", iac, telnet.EC, "\r\nxyz", iac, telnet.EL, "q\r\n", "é\x08!\r\n>", iac, ga),
			[]burst{{lines: []string{"a", "q", "!"}, prompt: ">"}}, nil, nil},
		{"negotiation", join(iac, telnet.WILL, telnet.OptEOR, iac, telnet.WILL, telnet.OptMCCP2, iac, telnet.DO, telnet.OptTTYPE,
			iac, telnet.WILL, telnet.OptEOR, iac, telnet.DONT, byte(1), "Name: ", iac, eor),
			[]burst{{prompt: "Name: "}},
			[]byte{iac, telnet.DO, telnet.OptEOR, iac, telnet.DONT, telnet.OptMCCP2, iac, telnet.WONT, telnet.OptTTYPE}, nil},
		{"subnegotiation skipped", join("a", iac, telnet.SB, 24, 1, "x", iac, iac, "y", iac, telnet.SE, "b\r\n", iac, ga),
			[]burst{{lines: []string{"ab"}}}, nil, nil},
		{"IAC EOR inside an unterminated SB still prompts", join("a", iac, telnet.SB, 24, "junk", iac, eor, "b\r\n"),
			[]burst{{prompt: "a"}}, nil, []string{"b"}},
		{"lines after the last prompt", join("> ", iac, eor, "Invalid password.\r\nBye\r\npartial"),
			[]burst{{prompt: "> "}}, nil, []string{"Invalid password.", "Bye"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sizes := range [][]int{nil, {1}, {2}, {3, 1}} {
				msgs, out, rest := scan(tt.in, sizes)
				want := make([]any, len(tt.want))
				for i := range tt.want {
					w := tt.want[i]
					w.at = time.Unix(0, 0)
					want[i] = &w
				}
				if err := sameBursts(msgs, want); err != nil {
					t.Errorf("reads of %v: %v", sizes, err)
				}
				if !bytes.Equal(out, tt.replies) {
					t.Errorf("reads of %v: replies %v, want %v", sizes, out, tt.replies)
				}
				if !slices.Equal(rest, tt.rest) {
					t.Errorf("reads of %v: rest %q, want %q", sizes, rest, tt.rest)
				}
				// The oracle must agree with the table, or the table is wrong.
				omsgs, oout, orest := scanOracle(tt.in, sizes)
				if err := sameBursts(omsgs, want); err != nil || !bytes.Equal(oout, tt.replies) || !slices.Equal(orest, tt.rest) {
					t.Errorf("oracle disagrees with the table: %v, replies %v, rest %q", err, oout, orest)
				}
			}
		})
	}
}

// TestReaderLimits checks the head/tail split of a long burst, a cut long
// line, and that a long burst's buffer is not kept.
func TestReaderLimits(t *testing.T) {
	var b []byte
	for i := range 300 {
		b = append(b, "line "+strconv.Itoa(i)+"\r\n"...)
	}
	b = append(b, strings.Repeat("x", maxLineBytes+10)+"\r\n300 players.\r\n> "...)
	b = append(b, iac, eor)
	r := &reader{}
	var got *burst
	r.send = func(m any) { got = m.(*burst) }
	r.feed(b, time.Unix(0, 0))
	if got == nil || !got.dropped || len(got.lines) != maxHeldLines+maxTailLines {
		t.Fatalf("burst %+v", got)
	}
	if got.lines[0] != "line 0" || got.lines[maxHeldLines-1] != "line 255" || got.lines[len(got.lines)-1] != "300 players." {
		t.Errorf("head %q, last %q", got.lines[:2], got.lines[len(got.lines)-1])
	}
	if l := got.lines[len(got.lines)-2]; l != strings.Repeat("x", maxLineBytes) {
		t.Errorf("long line kept %d bytes, want %d", len(l), maxLineBytes)
	}
	if cap(r.text) > keepTextCap {
		t.Errorf("reader kept a %d-byte buffer after a long burst", cap(r.text))
	}
	msgs, _, _ := scanOracle(b, nil)
	if err := sameBursts([]any{got}, msgs); err != nil {
		t.Error(err)
	}
}

func TestStripANSIInPlace(t *testing.T) {
	for _, s := range []string{"", "plain", "\x1b[1;31mred\x1b[0m plain \x1b[38;5;200mx", "\x1b", "a\x1b", "a\x1b[", "a\x1b[12", "\x1bXy\x1b\x1b[mz", "é\x1b[0mè"} {
		b := []byte(s)
		if got, want := string(b[:stripANSIInPlace(b)]), stripANSI(s); got != want {
			t.Errorf("stripANSIInPlace(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzReader checks that the reader's scanner sends exactly the bursts,
// replies and leftover lines of the oracle (net/telnet's Decoder, byte by
// byte), whatever the stream and however it is cut into reads: a cut byte
// c is a read of 1+c%97 bytes, or of (c-0xef) KiB from 0xf0 on (the fast
// ways work on whole lines in one read).
func FuzzReader(f *testing.F) {
	seeds := [][]byte{
		join(iac, telnet.WILL, telnet.OptEOR, iac, telnet.WILL, telnet.OptMCCP2, "Welcome to troupe!\r\nAccount name: ", iac, ga),
		join("\x1b[1;36mThe Square\x1b[0m\r\nA wide square.\r\n\x1b[32m[Exits: north east]\x1b[0m\r\n> ", iac, eor),
		join("You say, 'hi'\r\n> ", iac, eor, "\r\nBob arrives.\r\n> ", iac, eor),
		join("Huh?\r\n> ", iac, eor, "X", iac, iac, "Y\r\np", iac, eor),
		join("Editing the description.\r\n] ", iac, eor, "] ", iac, eor, "Text saved.\r\nDescription saved.\r\n> ", iac, eor),
		join("a", iac, telnet.SB, 24, 1, iac, iac, iac, telnet.SE, "b\r", iac, telnet.NOP, "\n\x00c\x08\x7f", iac, telnet.EC, iac, telnet.EL, iac, ga),
		join(iac, telnet.WILL, iac, iac, ga, "text", iac, eor),
		join("Players in the game:\r\n", bytes.Repeat([]byte("  Lbxcd\r\n"), 300), "300 players.\r\n> ", iac, eor),
		join(strings.Repeat("y", maxLineBytes+3), "\x08\r\n", iac, eor),
		// Past the head: the tail's fast way and the cases it leaves alone.
		join(strings.Repeat("\x1b[1;33mL\x1b[0m\r\n", maxHeldLines+40), "u\r", byte(0), "v\nw\rx\r\r\n\n> ", iac, ga),
		join(strings.Repeat("h\n", maxHeldLines), strings.Repeat("t\r", 20), "a\x08b", iac, telnet.EL, strings.Repeat("s\r\n", 20), "p", iac, eor, "\n"),
		join(strings.Repeat("h\r\n", maxHeldLines+1), strings.Repeat("z", maxLineBytes+5), "\r\n", strings.Repeat("s\r\n", 17), iac, iac, "\r\n> ", iac, eor),
	}
	for _, s := range seeds {
		f.Add(s, []byte{})
		f.Add(s, []byte{0, 2, 5})
		f.Add(s, []byte{0xf3, 40})
	}
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		sizes := make([]int, len(cuts))
		for i, c := range cuts {
			if sizes[i] = 1 + int(c)%97; c >= 0xf0 {
				sizes[i] = int(c-0xef) << 10
			}
		}
		msgs, out, rest := scan(data, sizes)
		omsgs, oout, orest := scanOracle(data, sizes)
		if err := sameBursts(msgs, omsgs); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, oout) {
			t.Fatalf("replies %v, want %v", out, oout)
		}
		if !slices.Equal(rest, orest) {
			t.Fatalf("rest %q, want %q", rest, orest)
		}
	})
}

// BenchmarkReader measures the reader on a typical game stream: a room
// answer and two unsolicited bursts.
func BenchmarkReader(b *testing.B) {
	stream := join(
		"\x1b[1;36mThe Square\x1b[0m\r\nA wide square paved with old stones, busy at every hour.\r\n",
		"Lbxcd is standing here.\r\n\x1b[32m[Exits: north east south west]\x1b[0m\r\n> ", iac, eor,
		"\r\nLbxce arrives from the north.\r\n> ", iac, eor,
		"\r\nLbxcf says, 'hello there'\r\n> ", iac, eor)
	b.Run("scanner", func(b *testing.B) {
		r := &reader{send: func(any) {}}
		at := time.Now()
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			r.feed(stream, at)
		}
	})
	b.Run("oracle", func(b *testing.B) {
		r := newOracleReader(func(any) {})
		at := time.Now()
		b.SetBytes(int64(len(stream)))
		b.ReportAllocs()
		for b.Loop() {
			r.feed(stream, at)
		}
	})
}
