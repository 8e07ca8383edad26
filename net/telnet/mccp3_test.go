package telnet

import (
	"bytes"
	"compress/zlib"
	"strings"
	"testing"
)

// mccp3Start is what tintin sends to turn MCCP3 on.
var mccp3Start = neg(DO, OptMCCP3) + sb(OptMCCP3, "")

// deflateBursts compresses each burst with a sync flush (as tintin does per
// line), and finishes the stream when finish is set.
func deflateBursts(t testing.TB, finish bool, bursts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	for _, b := range bursts {
		w.Write([]byte(b))
		w.Flush()
	}
	if finish {
		w.Close()
	}
	return buf.Bytes()
}

func TestDecoderMCCP3(t *testing.T) {
	on := Limits{MCCP3: true}
	plainPart := "look\r\n" + neg(WILL, OptNAWS) + sb(OptNAWS, "\x00\x50\x00\x18")
	compressed := []string{"alice\r\n", neg(WILL, OptTTYPE) + sb(OptTTYPE, "\x00TINTIN++"), "sec", "ret\r\n" + strings.Repeat("north\r\n", 3)}
	in := []byte(mccp3Start)
	in = append(in, deflateBursts(t, true, compressed...)...)
	in = append(in, plainPart...)
	// The same events as if everything had come plain, however it is split.
	want := describe(decodeSplit(Limits{}, []byte(mccp3Start+strings.Join(compressed, "")+plainPart), 0))
	for _, n := range []int{0, 1, 2, 3, 7, 64} {
		if got := describe(decodeSplit(on, in, n)); got != want {
			t.Fatalf("chunks of %d:\n got %s\nwant %s", n, got, want)
		}
	}
	// Each sync-flushed burst is decoded as it arrives.
	d := NewDecoder(on)
	if evs := d.Decode([]byte(mccp3Start), nil); d.z == nil || len(evs) != 2 {
		t.Fatalf("compression did not start: %s", describe(evs))
	}
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	for _, line := range []string{"alice", "secret", "look"} {
		w.Write([]byte(line + "\r\n"))
		w.Flush()
		evs := d.Decode(buf.Bytes(), nil)
		buf.Reset()
		if describe(evs) != describe([]Event{{Kind: EventLine, Line: []byte(line)}}) {
			t.Fatalf("burst %q: %s", line, describe(evs))
		}
	}
	// Not offered, or not agreed: SB MCCP3 is an ordinary subnegotiation.
	for _, c := range []struct {
		lim Limits
		in  string
	}{{Limits{}, mccp3Start}, {on, sb(OptMCCP3, "")}, {on, neg(DO, OptMCCP3, DONT, OptMCCP3) + sb(OptMCCP3, "")}} {
		d := NewDecoder(c.lim)
		evs := d.Decode([]byte(c.in+"plain\r\n"), nil)
		if d.z != nil || evs[len(evs)-1].Kind != EventLine || string(evs[len(evs)-1].Line) != "plain" {
			t.Errorf("%q with %+v: %s", c.in, c.lim, describe(evs))
		}
	}
}

func TestDecoderMCCP3Errors(t *testing.T) {
	on := Limits{MCCP3: true, MaxLine: 100}
	decode := func(in []byte, chunk int) []Event {
		d := NewDecoder(on)
		evs := d.Decode([]byte(mccp3Start), nil)
		for len(in) > 0 {
			k := min(chunk, len(in))
			evs = d.Decode(in[:k], evs)
			in = in[k:]
		}
		if d.dead {
			// Nothing after the error.
			if more := d.Decode([]byte("look\r\n"), nil); len(more) != 0 {
				t.Errorf("events after EventError: %s", describe(more))
			}
		}
		return evs
	}
	last := func(evs []Event) Event { return evs[len(evs)-1] }
	// A bomb of empty lines: one read inflates past MaxInflate.
	bomb := deflateBursts(t, false, strings.Repeat("\n", 10<<20))
	evs := decode(bomb, 2048)
	if e := last(evs); e.Kind != EventError || e.Err != ErrInflateLimit || len(evs) > DefaultMaxInflate+3 {
		t.Fatalf("bomb: %d events, last %+v", len(evs), e)
	}
	// An endless line in small reads: each under the per-call limit, but
	// the discarded part of the line is bounded too.
	endless := deflateBursts(t, false, strings.Repeat("a", 4<<20))
	evs = decode(endless, 16)
	if e := last(evs); e.Kind != EventError || e.Err != ErrInflateLimit {
		t.Fatalf("endless line: last %+v", e)
	}
	// Garbage instead of zlib.
	evs = decode([]byte("look\r\n"), 100)
	if e := last(evs); e.Kind != EventError || e.Err != ErrCompression {
		t.Fatalf("garbage: %s", describe(evs))
	}
	// The protocol tells the player.
	p := NewProtocol(Config{Limits: on})
	if notes := p.Handle(&Event{Kind: EventError, Err: ErrCompression}); len(notes) != 1 || notes[0].Kind != NoteError {
		t.Fatalf("notes %+v", notes)
	}
}

func TestProtocolMCCP3Offer(t *testing.T) {
	p := NewProtocol(Config{Limits: Limits{MCCP3: true}})
	p.Start()
	if b := p.Flush(); !bytes.Contains(b, []byte(neg(WILL, OptMCCP3))) {
		t.Fatalf("no WILL MCCP3 in %q", b)
	}
	feed(p, neg(DO, OptMCCP3))
	if !p.Caps().MCCP3 {
		t.Fatal("Caps().MCCP3 false after DO")
	}
	// Without the option: not offered, refused.
	p = NewProtocol(Config{})
	p.Start()
	if b := p.Flush(); bytes.Contains(b, []byte(neg(WILL, OptMCCP3))) {
		t.Fatalf("WILL MCCP3 offered: %q", b)
	}
	feed(p, neg(DO, OptMCCP3))
	if b := p.Flush(); string(b) != neg(WONT, OptMCCP3) || p.Caps().MCCP3 {
		t.Fatalf("DO MCCP3 answered %q", b)
	}
}
