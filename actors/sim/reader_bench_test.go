package sim

import (
	"strconv"
	"testing"
	"time"
)

// crowdLook is the answer to look in a room holding n players (the crowd
// scenario): a title, a description, the exits and one coloured line per
// occupant, then the prompt with IAC GA.
func crowdLook(n int) []byte {
	b := join("\x1b[1;36mThe Square\x1b[0m\r\n",
		"A wide square paved with old stones, busy at every hour. Stalls line its\r\n",
		"edges and a fountain murmurs at its centre.\r\n",
		"\x1b[32m[Exits: north east south west]\x1b[0m\r\n")
	for i := range n {
		b = append(b, "\x1b[1;33mLoad1x"...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, " is here.\x1b[0m\r\n"...)
	}
	return join(b, "> ", iac, ga)
}

// BenchmarkReaderCrowd measures the reader on one crowd look fed in reads
// of a fixed size: look2000/read4KiB (2,000 occupants, ~70 KB, in 4 KiB
// reads) is the figure; read16KiB is what runTo's big buffer reads, and
// look200 a look that fits in the head (no line goes to the tail).
func BenchmarkReaderCrowd(b *testing.B) {
	for _, bc := range []struct {
		name      string
		occupants int
		readSize  int
	}{
		{"look2000/read4KiB", 2000, 4096},
		{"look2000/read16KiB", 2000, 16384},
		{"look200/read4KiB", 200, 4096},
	} {
		b.Run(bc.name, func(b *testing.B) {
			stream := crowdLook(bc.occupants)
			var got *burst
			r := &reader{send: func(m any) { got = m.(*burst) }}
			at := time.Now()
			b.SetBytes(int64(len(stream)))
			b.ReportAllocs()
			for b.Loop() {
				for p := stream; len(p) > 0; {
					n := min(len(p), bc.readSize)
					r.feed(p[:n], at)
					p = p[n:]
				}
			}
			b.StopTimer()
			last := "Load1x" + strconv.Itoa(bc.occupants-1) + " is here."
			if got == nil || got.lines[len(got.lines)-1] != last || got.prompt != "> " || got.dropped != (bc.occupants > maxHeldLines) {
				b.Fatalf("burst of %d lines, last %q, prompt %q", len(got.lines), got.lines[len(got.lines)-1], got.prompt)
			}
		})
	}
}
