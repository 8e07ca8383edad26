package telnet

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// mudBursts returns n output bursts that look like a MUD session: room
// descriptions, combat rounds with colour, channel chatter and prompts, each
// burst what one Flush would carry. The generator is seeded: the same bursts
// every run.
func mudBursts(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	rooms := []string{
		"{WThe Market Square{x\nYou stand in the bustling market square of Midgaard. Merchants shout their prices from colourful stalls, and the smell of fresh bread drifts from the bakery to the east. A marble fountain gurgles in the centre of the square.\n{c[Exits: north east south west]{x\n",
		"{WA Dark Forest Path{x\nTall pines crowd the narrow path, their branches blotting out the sky. Somewhere to the north a wolf howls. The ground is soft with fallen needles and the air smells of resin.\n{c[Exits: north south]{x\n",
		"{WThe Temple of Midgaard{x\nYou are in the southern end of the temple hall in the Temple of Midgaard. The temple has been constructed from giant marble blocks, eternal in appearance, and most of the walls are covered by ancient wall paintings picturing gods, giants and peasants.\n{c[Exits: north east west down]{x\n",
	}
	mobs := []string{"A goblin", "The cityguard", "A large brown rat", "The wizard", "A janitor", "Fido"}
	verbs := []string{"hits", "misses", "scratches", "mauls", "massacres", "bruises"}
	chat := []string{"anyone up for a group to the dragon?", "lol", "where do I buy a lantern", "brb", "thanks for the heal!", "selling a +2 longsword, tell me"}
	names := []string{"Alice", "Bob", "Carol", "Dave", "Eve"}
	out := make([]string, n)
	for i := range out {
		var sb strings.Builder
		switch r.IntN(4) {
		case 0:
			sb.WriteString(rooms[r.IntN(len(rooms))])
			for j := r.IntN(3); j > 0; j-- {
				fmt.Fprintf(&sb, "{y%s is here.{x\n", mobs[r.IntN(len(mobs))])
			}
		case 1:
			for j := 1 + r.IntN(3); j > 0; j-- {
				fmt.Fprintf(&sb, "{rYour slash %s %s!{x\n", verbs[r.IntN(len(verbs))], strings.ToLower(mobs[r.IntN(len(mobs))]))
				fmt.Fprintf(&sb, "{R%s's bite %s you.{x\n", mobs[r.IntN(len(mobs))], verbs[r.IntN(len(verbs))])
			}
		case 2:
			fmt.Fprintf(&sb, "{m[gossip] %s: %s{x\n", names[r.IntN(len(names))], chat[r.IntN(len(chat))])
		default:
			fmt.Fprintf(&sb, "You get %d gold coins from the corpse of %s.\n", r.IntN(500), strings.ToLower(mobs[r.IntN(len(mobs))]))
		}
		fmt.Fprintf(&sb, "{g<%dhp %dm %dmv>{x ", 50+r.IntN(200), r.IntN(100), r.IntN(300))
		out[i] = sb.String()
	}
	return out
}

// mccpProtocol returns a protocol with MCCP2 on and nothing pending.
func mccpProtocol() *Protocol {
	p := NewProtocol(Config{})
	p.Start()
	p.Handle(&Event{Kind: EventNegotiation, Cmd: DO, Opt: OptMCCP2})
	p.Handle(&Event{Kind: EventNegotiation, Cmd: DO, Opt: OptEOR})
	p.Flush()
	return p
}

// renderedBursts returns mudBursts rendered for a 16-colour client, as the
// wire bytes one Flush would carry before compression.
func renderedBursts(n int) [][]byte {
	r := withCaps(true, Color16, 80)
	var out [][]byte
	for _, s := range mudBursts(n) {
		r.WriteText(s)
		r.EndPrompt()
		out = append(out, r.Flush())
	}
	return out
}

// BenchmarkMCCP2Session measures compression alone on a MUD-like session
// (16-colour text, one Flush per burst): CPU per byte of game text (MB/s)
// and wire/text, the compressed size over the uncompressed size (lower is
// better).
func BenchmarkMCCP2Session(b *testing.B) {
	bursts := renderedBursts(512)
	total := 0
	for _, s := range bursts {
		total += len(s)
	}
	p := mccpProtocol()
	var text, wire int
	b.SetBytes(int64(total / len(bursts)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := bursts[i%len(bursts)]
		p.emit(s)
		text += len(s)
		wire += len(p.Flush())
		i++
	}
	b.ReportMetric(float64(wire)/float64(text), "wire/text")
}

// BenchmarkMCCP2ConnMemory measures the heap one connection with MCCP2 on
// keeps between bursts: "idle-B/conn" right after the compression started,
// "busy-B/conn" after 50 bursts of game text.
func BenchmarkMCCP2ConnMemory(b *testing.B) {
	const conns = 500
	bursts := mudBursts(50)
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var idle, busy float64
	for b.Loop() {
		ps := make([]*Protocol, conns)
		h0 := heap()
		for i := range ps {
			ps[i] = mccpProtocol()
		}
		h1 := heap()
		for _, p := range ps {
			for _, s := range bursts {
				p.WriteText(s)
				p.EndPrompt()
				p.Flush()
			}
		}
		h2 := heap()
		idle = float64(int64(h1)-int64(h0)) / conns
		busy = float64(int64(h2)-int64(h0)) / conns
		runtime.KeepAlive(ps)
	}
	b.ReportMetric(idle, "idle-B/conn")
	b.ReportMetric(busy, "busy-B/conn")
}

// BenchmarkMCCP2Dict measures the dictionary trade-off: the bytes of past
// output kept per connection against ratio (wire/text) and CPU.
func BenchmarkMCCP2Dict(b *testing.B) {
	bursts := renderedBursts(512)
	total := 0
	for _, s := range bursts {
		total += len(s)
	}
	for _, size := range []int{0, 512, 1024, 2048, 4096, 8192} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			p := mccpProtocol()
			p.zDictMax = size
			var text, wire int
			b.SetBytes(int64(total / len(bursts)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s := bursts[i%len(bursts)]
				p.emit(s)
				text += len(s)
				wire += len(p.Flush())
				i++
			}
			b.ReportMetric(float64(wire)/float64(text), "wire/text")
		})
	}
}
