package telnet

import (
	"strings"
	"testing"
)

// benchRoom is a typical room description: about 600 bytes of prose with a
// few colour codes, ending in a newline.
const benchRoom = "{WThe Crossroads Inn{x\n" +
	"You stand in the common room of the Crossroads Inn. A fire crackles in a wide " +
	"stone hearth to the north, throwing long shadows across the scarred oak tables " +
	"and the sawdust on the floor. Travellers from every road in the valley sit here, " +
	"trading rumours over mugs of {ydark ale{x and bowls of stew. A narrow staircase " +
	"climbs to the rooms above, and behind the long bar the innkeeper polishes the " +
	"same glass he has been polishing since you walked in. The air smells of smoke, " +
	"wet wool and roasting meat; somewhere a bard is tuning a lute, badly.\n" +
	"{cObvious exits: north east south west up{x\n"

// benchChat is a typical 40-byte chat line.
const benchChat = "{cAlice says, 'Meet me at the well.'{x\n"

// benchMarkup is dense markup: a colour code every few words.
var benchMarkup = strings.Repeat("{rThe {F202}goblin{x swings a rusty sword at you and misses by a mile. ", 20) + "\n"

// BenchmarkWriteText measures rendering one text for one client (UTF-8, 256
// colours, 80 columns), the work done per recipient of a line. The ref/
// cases run the frozen pre-fast-path encoder (text_ref_test.go) for
// comparison.
func BenchmarkWriteText(b *testing.B) {
	cases := []struct{ name, text string }{
		{"room", benchRoom},
		{"chat", benchChat},
		{"markup", benchMarkup},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			p := withCaps(true, Color256, 80)
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				p.WriteText(c.text)
				p.out = p.out[:0] // drop it: Flush would allocate a copy

			}
		})
		b.Run("ref/"+c.name, func(b *testing.B) {
			p := withCaps(true, Color256, 80)
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				refWriteText(p, c.text)
				p.out = p.out[:0]

			}
		})
	}
}

// BenchmarkWriteShared measures the cost per recipient of a Shared line.
// hit: the form is cached, so a write is a copy into the output queue
// (compare with BenchmarkWriteText, which is the cost without a Shared);
// hit-parallel: the same from every CPU on one Shared; first: NewShared
// and the first recipient's write, which renders the form into the cache.
func BenchmarkWriteShared(b *testing.B) {
	for _, c := range []struct{ name, text string }{{"room", benchRoom}, {"chat", benchChat}} {
		b.Run("hit/"+c.name, func(b *testing.B) {
			p := withCaps(true, Color256, 80)
			s := NewShared(c.text)
			p.WriteShared(s)
			p.out = p.out[:0]
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				p.WriteShared(s)
				p.out = p.out[:0] // drop it: Flush would allocate a copy
			}
		})
		b.Run("hit-parallel/"+c.name, func(b *testing.B) {
			s := NewShared(c.text)
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				p := withCaps(true, Color256, 80)
				for pb.Next() {
					p.WriteShared(s)
					p.out = p.out[:0]
				}
			})
		})
		b.Run("first/"+c.name, func(b *testing.B) {
			p := withCaps(true, Color256, 80)
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				p.WriteShared(NewShared(c.text))
				p.out = p.out[:0]
			}
		})
	}
}
