package telnet

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// decodeSplit feeds in to a fresh decoder in chunks of size n (all at once
// when n <= 0) and returns the events.
func decodeSplit(l Limits, in []byte, n int) []Event {
	d := NewDecoder(l)
	var evs []Event
	if n <= 0 {
		return d.Decode(in, evs)
	}
	for len(in) > 0 {
		k := min(n, len(in))
		evs = d.Decode(in[:k], evs)
		in = in[k:]
	}
	return evs
}

// describe renders events compactly for comparisons and failure messages.
func describe(evs []Event) string {
	var b strings.Builder
	for _, e := range evs {
		switch e.Kind {
		case EventLine:
			fmt.Fprintf(&b, "L%q", e.Line)
		case EventNegotiation:
			fmt.Fprintf(&b, "N%d/%d", e.Cmd, e.Opt)
		case EventSubneg:
			fmt.Fprintf(&b, "S%d%q", e.Opt, e.Data)
		case EventCommand:
			fmt.Fprintf(&b, "C%d", e.Cmd)
		case EventError:
			b.WriteString("E")
		}
		if e.Err != nil {
			fmt.Fprintf(&b, "!%v", e.Err)
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func TestDecoder(t *testing.T) {
	small := Limits{MaxLine: 8, MaxSubneg: 4}
	tests := []struct {
		name string
		lim  Limits
		in   string
		want string
	}{
		{"crlf", Limits{}, "look\r\n", `L"look" `},
		{"lf", Limits{}, "look\nnorth\n", `L"look" L"north" `},
		{"bare cr", Limits{}, "a\rb\r", `L"a" L"b" `},
		{"cr nul", Limits{}, "bob\r\x00pw\r\x00", `L"bob" L"pw" `},
		{"empty lines", Limits{}, "\r\n\r\n\n", `L"" L"" L"" `},
		{"cr then lf later", Limits{}, "a\r", `L"a" `},
		{"cr lf cr lf", Limits{}, "a\r\n\r\nb\n", `L"a" L"" L"b" `},
		{"lf cr is two", Limits{}, "a\n\rb\n", `L"a" L"" L"b" `},
		{"cr iac nop lf", Limits{}, "a\r\xff\xf1\nb\n", `L"a" C241 L"b" `},
		{"stray nul", Limits{}, "lo\x00ok\n\x00", `L"look" `},
		{"backspace", Limits{}, "lookx\x08\n", `L"look" `},
		{"del", Limits{}, "lookx\x7f\n", `L"look" `},
		{"bs empty", Limits{}, "\x08\x08a\n", `L"a" `},
		{"bs utf8 rune", Limits{}, "caf\u00e9\x08e\n", `L"cafe" `},
		{"bs 3-byte rune", Limits{}, "a\u20ac\x7f\n", `L"a" `},
		{"iac iac data", Limits{}, "a\xff\xffb\n", "L\"a\\xffb\" "},
		{"negotiation", Limits{}, "\xff\xfb\x18\xff\xfd\x01", `N251/24 N253/1 `},
		{"negotiation mid line", Limits{}, "lo\xff\xfb\x1fok\n", `N251/31 L"look" `},
		{"subneg", Limits{}, "\xff\xfa\x18\x00xterm\xff\xf0", `S24"\x00xterm" `},
		{"subneg iac iac", Limits{}, "\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0", `S31"\x00\xff\x00\x18" `},
		{"subneg empty", Limits{}, "\xff\xfa\x56\xff\xf0", `S86"" `},
		{"kildclient stray nul", Limits{}, "\xff\xfa\x18\x00KildClient\xff\xf0\x00name\r\n", `S24"\x00KildClient" L"name" `},
		{"commands", Limits{}, "\xff\xf1\xff\xf9\xff\xef\xff\xf6", `C241 C249 C239 C246 `},
		{"ec el", Limits{}, "abc\xff\xf7\n" + "abc\xff\xf8d\n", `C247 L"ab" C248 L"d" `},
		{"sb without se", Limits{}, "\xff\xfa\x18abc\xff\xfd\x01x\n", `N253/1 L"x" `},
		{"line too long", small, "0123456789abc\nok\n", `L"01234567"!telnet: input line too long L"ok" `},
		{"line exactly max", small, "01234567\n", `L"01234567" `},
		{"line too long bs ignored", small, "0123456789\x08\x08\n", `L"01234567"!telnet: input line too long `},
		{"subneg too long", small, "\xff\xfa\xc9abcdef\xff\xff\xff\xf0x\n", `S201""!telnet: subnegotiation too long L"x" `},
		{"subneg exactly max", small, "\xff\xfa\xc9abcd\xff\xf0", `S201"abcd" `},
		{"control bytes kept for DecodeLine", Limits{}, "a\x1b[31mb\n", `L"a\x1b[31mb" `},
		{"partial line not emitted", Limits{}, "abc", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 2, 3} {
				got := describe(decodeSplit(tt.lim, []byte(tt.in), n))
				if got != tt.want {
					t.Errorf("chunk %d: Decode(%q) = %s; want %s", n, tt.in, got, tt.want)
				}
			}
		})
	}
}

// TestDecoderCRThenLFSeparateCall checks that a bare CR at the end of one
// read followed by LF in the next is one line end.
func TestDecoderCRThenLFSeparateCall(t *testing.T) {
	d := NewDecoder(Limits{})
	evs := d.Decode([]byte("look\r"), nil)
	if len(evs) != 1 || string(evs[0].Line) != "look" {
		t.Fatalf("first call: %s", describe(evs))
	}
	evs = d.Decode([]byte("\nnorth\r\n"), nil)
	if got := describe(evs); got != `L"north" ` {
		t.Fatalf("second call: %s", got)
	}
}

// TestDecoderLineTooLongOnce checks the error is reported on one line only
// and the next line is clean.
func TestDecoderLineTooLongOnce(t *testing.T) {
	d := NewDecoder(Limits{MaxLine: 4})
	var evs []Event
	for range 100 {
		evs = d.Decode([]byte("xxxxxxxxxx"), evs)
	}
	evs = d.Decode([]byte("\nab\n"), evs)
	if len(evs) != 2 || !errors.Is(evs[0].Err, ErrLineTooLong) || len(evs[0].Line) != 4 || evs[1].Err != nil {
		t.Fatalf("got %s", describe(evs))
	}
}

// TestDecoderOwnership checks events do not alias the decoder's buffers.
func TestDecoderOwnership(t *testing.T) {
	d := NewDecoder(Limits{})
	evs := d.Decode([]byte("first\n\xff\xfa\x18\x00one\xff\xf0"), nil)
	_ = d.Decode([]byte("XXXXXXXX\n\xff\xfa\x18\x00ZZZZ\xff\xf0"), nil)
	if string(evs[0].Line) != "first" || string(evs[1].Data) != "\x00one" {
		t.Fatalf("events changed after a later Decode: %s", describe(evs))
	}
}

// TestDecoderNoRetain checks Decode does not keep the input slice.
func TestDecoderNoRetain(t *testing.T) {
	d := NewDecoder(Limits{})
	in := []byte("hello")
	_ = d.Decode(in, nil)
	copy(in, "XXXXX")
	evs := d.Decode([]byte(" world\n"), nil)
	if string(evs[0].Line) != "hello world" {
		t.Fatalf("line = %q", evs[0].Line)
	}
}

// TestDecoderAllocs checks the per-byte path does not allocate.
func TestDecoderAllocs(t *testing.T) {
	d := NewDecoder(Limits{})
	chunk := bytes.Repeat([]byte("abcdefgh\xff\xff\xff\xf1"), 64) // no line ends
	evs := make([]Event, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		evs = d.Decode(chunk, evs[:0])
	})
	d.Decode([]byte("\n"), nil)
	if allocs != 0 {
		t.Fatalf("Decode allocated %.1f times per call", allocs)
	}
}

// TestDecoderSplitEverywhere feeds a capture-like stream split at every
// position and requires the same events.
func TestDecoderSplitEverywhere(t *testing.T) {
	in := []byte("\xff\xfb\x18\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0name\r\n\xff\xfa\xc9Core.Hello {\"client\":\"x\"}\xff\xf0pa\xff\xffss\r\x00x\x08y\r\nlast\r")
	want := describe(decodeSplit(Limits{}, in, 0))
	for i := 1; i < len(in); i++ {
		d := NewDecoder(Limits{})
		evs := d.Decode(in[:i], nil)
		evs = d.Decode(in[i:], evs)
		if got := describe(evs); got != want {
			t.Fatalf("split at %d: %s; want %s", i, got, want)
		}
	}
	if !reflect.DeepEqual(want, `N251/24 S31"\x00P\x00\x18" L"name" S201"Core.Hello {\"client\":\"x\"}" L"pa\xffss" L"y" L"last" `) {
		t.Fatalf("events = %s", want)
	}
}
