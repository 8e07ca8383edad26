package telnet

import (
	"bytes"
	"strings"
	"testing"
)

// BenchmarkDecodePlain measures decoder throughput on plain text lines.
func BenchmarkDecodePlain(b *testing.B) {
	in := bytes.Repeat([]byte("say The quick brown fox jumps over the lazy dog again and again.\r\n"), 1024)
	d := NewDecoder(Limits{})
	evs := make([]Event, 0, 2048)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		evs = d.Decode(in, evs[:0])
	}
}

// BenchmarkDecodeOptions measures throughput on negotiation-heavy input.
func BenchmarkDecodeOptions(b *testing.B) {
	unit := "\xff\xfb\x18\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfa\x18\x00xterm-256color\xff\xf0\xff\xf1" +
		"\xff\xfa\xc9Char.Vitals {\"hp\":10,\"maxhp\":20}\xff\xf0look\r\n"
	in := []byte(strings.Repeat(unit, 512))
	d := NewDecoder(Limits{})
	evs := make([]Event, 0, 4096)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		evs = d.Decode(in, evs[:0])
	}
}

// BenchmarkMCCP2 measures compression cost per byte of game text sent in
// 2 KiB bursts (one sync flush per burst).
func BenchmarkMCCP2(b *testing.B) {
	p := NewProtocol(Config{})
	p.Start()
	p.Flush()
	p.Handle(&Event{Kind: EventNegotiation, Cmd: DO, Opt: OptMCCP2})
	p.Flush()
	var sb strings.Builder
	for sb.Len() < 2048 {
		sb.WriteString("{gA goblin{x arrives from the north, snarling. You see a rusty sword here.\n")
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var wire int
	for b.Loop() {
		p.WriteRaw(text)
		wire += len(p.Flush())
	}
	b.ReportMetric(float64(wire)/float64(b.N*len(text)), "wire/text")
}

// BenchmarkProtocolMCCP2Memory measures the memory one connection with
// MCCP2 on allocates while it starts and sends a first line.
func BenchmarkProtocolMCCP2Memory(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p := NewProtocol(Config{})
		p.Start()
		p.Handle(&Event{Kind: EventNegotiation, Cmd: DO, Opt: OptMCCP2})
		p.WriteText("hello\n")
		p.Flush()
	}
}
