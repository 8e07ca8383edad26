package telnet

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// docRenders counts the renders into SharedDoc caches, per doc and form.
type docRenders struct {
	mu sync.Mutex
	n  map[docRenderKey]int
}

// docRenderKey is one form of one SharedDoc.
type docRenderKey struct {
	d   *SharedDoc
	key uint32
}

// countDocRenders installs testHookSharedDocRender for the test's duration.
func countDocRenders(t *testing.T) *docRenders {
	t.Helper()
	c := &docRenders{n: map[docRenderKey]int{}}
	testHookSharedDocRender = func(d *SharedDoc, key uint32) {
		c.mu.Lock()
		c.n[docRenderKey{d, key}]++
		c.mu.Unlock()
	}
	t.Cleanup(func() { testHookSharedDocRender = nil })
	return c
}

// stats returns the number of renders and the most renders of one form of
// one doc.
func (c *docRenders) stats() (total, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.n {
		total += n
		most = max(most, n)
	}
	return total, most
}

// occupantParts returns n parts like a room's list of occupants, each
// closing its colours: mostly short lines, some with non-ASCII names (for
// the ASCII forms) and some long enough to wrap.
func occupantParts(n int) []string {
	names := []string{"Alice", "Bob", "Zoë", "Eärendil", "Grimgar", "Li"}
	parts := make([]string, n)
	for i := range parts {
		name := names[i%len(names)]
		switch {
		case i%97 == 13:
			parts[i] = fmt.Sprintf("{Y%s%d{x, a very tall and weathered traveller from the far northern reaches, is resting here by the {rfire{x.\n", name, i)
		case i%31 == 7:
			parts[i] = fmt.Sprintf("{F202}%s%d{x is here — {#80ff00}glowing{x.\n", name, i)
		default:
			parts[i] = fmt.Sprintf("{Y%s%d is here.{x\n", name, i)
		}
	}
	return parts
}

// docSkips returns the skips worth trying on a doc of n parts: none,
// first, second, middle, last, and out of range on both sides.
func docSkips(n int) []int {
	return []int{-1, -7, 0, 1, n / 2, n - 1, n, n + 5}
}

// compareDoc writes d without part skip twice with WriteSharedDoc to a
// Protocol in state st (a miss or fallback, then usually a hit) and with
// WriteText(d.Text(skip)) to a twin, and reports the first difference in
// bytes or state.
func compareDoc(tb testing.TB, st textState, d *SharedDoc, skip int) {
	tb.Helper()
	got, want := newTextProtocol(st), newTextProtocol(st)
	for i := range 2 {
		got.WriteSharedDoc(d, skip)
		want.WriteText(d.Text(skip))
		g, w := got.Flush(), want.Flush()
		if !bytes.Equal(g, w) || got.col != want.col || got.lastCR != want.lastCR {
			tb.Fatalf("state %+v, skip %d, call %d, %d parts:\n got %q col %d lastCR %v\nwant %q col %d lastCR %v",
				st, skip, i, d.Len(), trunc(g), got.col, got.lastCR, trunc(w), want.col, want.lastCR)
		}
	}
}

// trunc shortens b for a failure message.
func trunc(b []byte) string {
	if len(b) > 400 {
		return string(b[:200]) + "..." + string(b[len(b)-200:])
	}
	return string(b)
}

// TestWriteSharedDocOccupants checks a 3,000-part doc whose parts close
// their colours against WriteText, byte for byte, in every form (a doc per
// state, so that every form is cached) for every kind of skip, from column
// 0 (hits) and from other columns (WriteText). One render per doc.
func TestWriteSharedDocOccupants(t *testing.T) {
	renders := countDocRenders(t)
	parts := occupantParts(3000)
	docs := 0
	for _, st := range textStates() {
		if st.col != 0 && (st.col != 21 || st.width != 80) {
			continue
		}
		d := NewSharedDoc(parts)
		docs++
		for _, skip := range docSkips(d.Len()) {
			twin := newTextProtocol(st)
			twin.WriteText(d.Text(skip))
			want := twin.Flush()
			p := newTextProtocol(st)
			for i := range 2 { // from column 21, the second is from column 0
				p.WriteSharedDoc(d, skip)
				got := p.Flush()
				if st.col == 0 || i == 0 {
					if !bytes.Equal(got, want) || p.col != twin.col || p.lastCR != twin.lastCR {
						t.Fatalf("state %+v, skip %d, call %d:\n got %q col %d lastCR %v\nwant %q col %d lastCR %v",
							st, skip, i, trunc(got), p.col, p.lastCR, trunc(want), twin.col, twin.lastCR)
					}
				}
			}
		}
	}
	if total, most := renders.stats(); total != docs || most != 1 {
		t.Fatalf("%d renders of %d docs, at most %d of one form of one doc; want %d, 1", total, docs, most, docs)
	}
}

// TestWriteSharedDocMatchesWriteText checks WriteSharedDoc against
// WriteText on docs of random parts (the differential test's texts and
// random ones, with and without a final "\n", colours left open, empty
// parts, IAC bytes, controls), for every skip, in a sample of states that
// always includes column 0.
func TestWriteSharedDocMatchesWriteText(t *testing.T) {
	renders := countDocRenders(t)
	r := rand.New(rand.NewPCG(5, 6))
	pool := append([]string(nil), textSeeds...)
	for range 200 {
		pool = append(pool, randomText(r))
	}
	piece := func() string {
		s := pool[r.IntN(len(pool))]
		switch r.IntN(10) {
		case 0: // as it is: maybe without "\n", maybe empty
		case 1:
			s += " \n\n"
		default:
			s += "\n"
		}
		return s
	}
	sts := textStates()
	for range 200 {
		parts := make([]string, r.IntN(8))
		for i := range parts {
			parts[i] = piece()
		}
		d := NewSharedDoc(parts)
		for _, st := range sts {
			if st.col != 0 && r.IntN(16) != 0 || st.col == 0 && r.IntN(4) != 0 {
				continue
			}
			for skip := -1; skip <= d.Len(); skip++ {
				compareDoc(t, st, d, skip)
			}
		}
	}
	if total, most := renders.stats(); total == 0 || most != 1 {
		t.Fatalf("%d renders, at most %d of one form of one doc; want some, 1", total, most)
	}
}

// TestWriteSharedDocColourCarries checks parts that leave a colour set: the
// colour carries into the next parts and one reset comes at the end, as
// with WriteText, whichever part is left out.
func TestWriteSharedDocColourCarries(t *testing.T) {
	parts := []string{"{rred\n", "still red\n", "{gg{x\n", "plain\n", "{Bblue\n", "{{not a code\n"}
	d := NewSharedDoc(parts)
	for _, depth := range []ColorDepth{ColorNone, Color16, Color256, ColorTrue} {
		st := textState{depth: depth, utf8: true, width: 80}
		for skip := -1; skip <= d.Len(); skip++ {
			compareDoc(t, st, d, skip)
		}
	}
	p := newTextProtocol(textState{depth: Color16, utf8: true, width: 80})
	p.WriteSharedDoc(d, -1) // renders
	p.Flush()
	p.WriteSharedDoc(d, 2) // a hit
	want := "\x1b[0;31mred\r\nstill red\r\nplain\r\n\x1b[1;34mblue\r\n{not a code\r\n\x1b[0m"
	if got := string(p.Flush()); got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	p.WriteSharedDoc(d, 4) // without the last part with a code: "{gg{x" ends clean
	want = "\x1b[0;31mred\r\nstill red\r\n\x1b[0;32mg\x1b[0m\r\nplain\r\n{not a code\r\n"
	if got := string(p.Flush()); got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestSharedDocText checks Len and Text.
func TestSharedDocText(t *testing.T) {
	d := NewSharedDoc([]string{"a\n", "b\n", "c\n"})
	if d.Len() != 3 {
		t.Fatalf("Len() = %d; want 3", d.Len())
	}
	for skip, want := range map[int]string{-1: "a\nb\nc\n", -9: "a\nb\nc\n", 0: "b\nc\n", 1: "a\nc\n", 2: "a\nb\n", 3: "a\nb\nc\n", 99: "a\nb\nc\n"} {
		if got := d.Text(skip); got != want {
			t.Errorf("Text(%d) = %q; want %q", skip, got, want)
		}
	}
	e := NewSharedDoc(nil)
	if e.Len() != 0 || e.Text(-1) != "" || e.Text(0) != "" {
		t.Fatalf("empty doc: Len %d, Text %q", e.Len(), e.Text(-1))
	}
	p := newTextProtocol(textState{depth: Color256, utf8: true, lastCR: true})
	p.WriteSharedDoc(e, -1)
	if got := p.Flush(); len(got) != 0 || p.col != 0 || p.lastCR {
		t.Fatalf("empty doc wrote %q, col %d, lastCR %v", got, p.col, p.lastCR)
	}
}

// TestSharedDocCache checks when WriteSharedDoc renders into the cache:
// once per form, only from column 0, only for a doc that ends in "\n",
// never past sharedSlots forms; and that a skip inside a group of joined
// parts falls back to WriteText while other writes of the doc still hit.
func TestSharedDocCache(t *testing.T) {
	renders := countDocRenders(t)
	total := func() int {
		n, _ := renders.stats()
		return n
	}

	d := NewSharedDoc(occupantParts(10))
	a := newTextProtocol(textState{depth: Color256, utf8: true, width: 80})
	b := newTextProtocol(textState{depth: Color256, utf8: true, width: 0}) // also 80 columns: same form
	a.WriteSharedDoc(d, -1)
	b.WriteSharedDoc(d, 3)
	a.WriteSharedDoc(d, 9)
	if n := total(); n != 1 {
		t.Fatalf("renders = %d after three writes of one form; want 1", n)
	}

	c := newTextProtocol(textState{depth: Color256, utf8: true, width: 120, col: 5})
	c.WriteSharedDoc(d, 2) // not at column 0: WriteText
	if n := total(); n != 1 {
		t.Fatalf("renders = %d; want 1 (column 5 is not cached)", n)
	}
	c.WriteSharedDoc(d, 2) // now at column 0
	if n := total(); n != 2 {
		t.Fatalf("renders = %d; want 2", n)
	}

	// A doc whose last part does not end in "\n" is never cached.
	tail := NewSharedDoc([]string{"a\n", "b"})
	for _, skip := range []int{-1, 0, 1} {
		compareDoc(t, textState{depth: Color16, width: 80}, tail, skip)
	}
	if n := total(); n != 2 {
		t.Fatalf("renders = %d; want 2 (a doc without a final newline is not cached)", n)
	}

	// Parts 1 to 3 are joined ("b " has no newline, nor has the empty part
	// after it), part 4 is empty: cuts at 1, 2 and 3 fall back, the others
	// hit.
	joined := NewSharedDoc([]string{"a\n", "{rb ", "", "c{x\n", "", "d\n"})
	st := textState{depth: Color16, width: 80}
	for skip := -1; skip <= joined.Len(); skip++ {
		compareDoc(t, st, joined, skip)
	}
	if n := total(); n != 3 {
		t.Fatalf("renders = %d; want 3", n)
	}
	f := joined.form(newTextProtocol(st).textForm())
	if f == nil || f.ends[0] != 3 || f.ends[1] != -1 || f.ends[2] != -1 || f.ends[3] != f.ends[4] {
		t.Fatalf("joined doc form: %+v", f)
	}
	for skip, hit := range map[int]bool{-1: true, 0: true, 1: false, 2: false, 3: false, 4: true, 5: true} {
		p := newTextProtocol(st)
		p.out = make([]byte, 0, 256)
		allocs := testing.AllocsPerRun(10, func() {
			p.WriteSharedDoc(joined, skip)
			p.out = p.out[:0]
		})
		if (allocs == 0) != hit {
			t.Errorf("skip %d: %v allocs per write; want a hit (no allocation): %v", skip, allocs, hit)
		}
	}

	// A form another link has claimed but not yet published: WriteText.
	d = NewSharedDoc([]string{"pending\n"})
	e := newTextProtocol(textState{depth: Color256, utf8: true, width: 80})
	d.slots.keys[0].Store(e.textForm().key())
	e.WriteSharedDoc(d, -1)
	if got := string(e.Flush()); got != "pending\r\n" || d.slots.forms[0].Load() != nil || total() != 3 {
		t.Fatalf("pending slot: got %q, published %v, renders %d", got, d.slots.forms[0].Load() != nil, total())
	}

	// More forms than slots: the first sharedSlots are cached, the rest not.
	d = NewSharedDoc(occupantParts(5))
	for w := range sharedSlots + 4 {
		st := textState{width: 20 + w}
		compareDoc(t, st, d, 2)
	}
	if n := total(); n != 3+sharedSlots {
		t.Fatalf("renders = %d; want %d", n, 3+sharedSlots)
	}
	seen := map[uint32]bool{}
	for i := range d.slots.keys {
		k := d.slots.keys[i].Load()
		if k == 0 || seen[k] || d.slots.forms[i].Load() == nil {
			t.Fatalf("slot %d: key %#x, published %v (seen before: %v)", i, k, d.slots.forms[i].Load() != nil, seen[k])
		}
		seen[k] = true
	}
}

// TestWriteSharedDocHitAllocs checks that a hit allocates nothing when the
// output queue has room: two copies, no per-part work, no Text.
func TestWriteSharedDocHitAllocs(t *testing.T) {
	d := NewSharedDoc(occupantParts(2500))
	for _, mccp2 := range []bool{false, true} {
		p := newTextProtocol(textState{depth: Color256, utf8: true, width: 80, mccp2: mccp2})
		p.WriteSharedDoc(d, -1)
		p.Flush()
		q := &p.out
		if mccp2 {
			q = &p.zpend
		}
		*q = make([]byte, 0, 256<<10)
		allocs := testing.AllocsPerRun(20, func() {
			p.WriteSharedDoc(d, 1250)
			*q = (*q)[:0]
		})
		if allocs != 0 {
			t.Fatalf("mccp2 %v: %v allocs per hit; want 0", mccp2, allocs)
		}
	}
}

// TestSharedDocWireImmutable checks that writing a cached rendering, plain
// and under MCCP2, with every kind of skip, never changes the shared bytes
// or offsets, and that they have no spare capacity an append could write
// into.
func TestSharedDocWireImmutable(t *testing.T) {
	d := NewSharedDoc(append(occupantParts(300), "{rleft open\n"))
	st := textState{depth: ColorTrue, utf8: true, width: 80}
	f := d.form(newTextProtocol(st).textForm())
	if f == nil {
		t.Fatal("the form is not cached")
	}
	if cap(f.wire) != len(f.wire) {
		t.Fatalf("cached rendering has cap %d > len %d", cap(f.wire), len(f.wire))
	}
	saved, savedEnds := bytes.Clone(f.wire), append([]int32(nil), f.ends...)
	for _, mccp2 := range []bool{false, true} {
		st.mccp2 = mccp2
		p := newTextProtocol(st)
		for i := range 50 {
			for _, skip := range docSkips(d.Len()) {
				p.WriteSharedDoc(d, skip)
				p.WriteText("more {rtext{x\n")
			}
			if i%2 == 0 {
				p.Flush()
			}
		}
		p.Finish()
		compareDoc(t, st, d, 17)
	}
	if !bytes.Equal(f.wire, saved) || !equalInt32s(f.ends, savedEnds) {
		t.Fatal("the cached rendering was modified")
	}
	if d.form(newTextProtocol(st).textForm()) != f {
		t.Fatal("the form was replaced")
	}
}

// equalInt32s reports whether a and b hold the same values.
func equalInt32s(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSharedDocConcurrent writes one SharedDoc from many goroutines, each
// with its own Protocol in one of a few forms and its own skips: each form
// must be rendered once, and every link must get exactly WriteText's bytes.
// Run with -race.
func TestSharedDocConcurrent(t *testing.T) {
	renders := countDocRenders(t)
	forms := []textState{
		{depth: Color256, utf8: true, width: 80},
		{depth: ColorTrue, utf8: true, width: 120},
		{depth: Color16, utf8: false, width: 80},
		{depth: ColorNone, utf8: false, width: 0},
		{depth: Color256, utf8: true, width: 200, mccp2: true},
	}
	parts := occupantParts(400)
	parts[399] = "{gleft open at the end\n"
	base := NewSharedDoc(parts)
	skips := docSkips(len(parts))
	want := make([][][]byte, len(forms)) // [form][skip index]
	for i, st := range forms {
		st.mccp2 = false // compare uncompressed bytes
		p := newTextProtocol(st)
		for _, skip := range skips {
			p.WriteText(base.Text(skip))
			want[i] = append(want[i], p.Flush())
		}
	}
	const rounds, links = 10, 32
	for round := range rounds {
		d := NewSharedDoc(parts)
		var wg sync.WaitGroup
		var bad atomic.Pointer[string]
		for g := range links {
			wg.Go(func() {
				fi := g % len(forms)
				st := forms[fi]
				p := newTextProtocol(textState{depth: st.depth, utf8: st.utf8, width: st.width})
				for n := range 20 {
					si := (g + n) % len(skips)
					p.WriteSharedDoc(d, skips[si])
					if got := p.Flush(); !bytes.Equal(got, want[fi][si]) {
						msg := fmt.Sprintf("round %d goroutine %d skip %d: got %q", round, g, skips[si], trunc(got))
						bad.Store(&msg)
						return
					}
				}
				if st.mccp2 { // the compressed path too, from the same cache
					q := newTextProtocol(st)
					q.WriteSharedDoc(d, skips[g%len(skips)])
					q.Finish()
				}
			})
		}
		wg.Wait()
		if m := bad.Load(); m != nil {
			t.Fatal(*m)
		}
	}
	if total, most := renders.stats(); total != rounds*len(forms) || most != 1 {
		t.Fatalf("%d renders, at most %d of one form of one doc; want %d, 1", total, most, rounds*len(forms))
	}
}

// TestCodeEffect checks codeEffect against the markup rules.
func TestCodeEffect(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", effectNone},
		{"plain\n", effectNone},
		{"{{r literal\n", effectNone},
		{"{q {F999} {#zz} {\n", effectNone},
		{"{rred\n", effectSet},
		{"{rred{x\n", effectReset},
		{"{x{F12}\n", effectSet},
		{"{#00ff00}{X\n", effectReset},
		{"{{{g\n", effectSet},
		{"{{{{x\n", effectNone},
	}
	for _, tt := range tests {
		if got := codeEffect(tt.s); got != tt.want {
			t.Errorf("codeEffect(%q) = %d; want %d", tt.s, got, tt.want)
		}
	}
}

// benchDocParts is a room of 2,500 occupants, one part each.
var benchDocParts = occupantParts(2500)

// BenchmarkWriteSharedDoc measures the cost per recipient of a 2,500-part
// SharedDoc (about 70 KB). hit/skip-middle: the form is cached and the
// recipient's own part (the middle one) is left out, two copies;
// hit/all: the whole doc, one copy; writetext/skip-middle: the same
// without a SharedDoc, WriteText(d.Text(skip)), which is also the
// fallback; first: NewSharedDoc and the first write, which renders the
// form; new: NewSharedDoc alone.
func BenchmarkWriteSharedDoc(b *testing.B) {
	d := NewSharedDoc(benchDocParts)
	skip := d.Len() / 2
	size := int64(len(d.Text(skip)))
	b.Run("hit/skip-middle", func(b *testing.B) {
		p := withCaps(true, Color256, 80)
		p.WriteSharedDoc(d, skip)
		p.out = p.out[:0]
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			p.WriteSharedDoc(d, skip)
			p.out = p.out[:0] // drop it: Flush would allocate a copy
		}
	})
	b.Run("hit/all", func(b *testing.B) {
		p := withCaps(true, Color256, 80)
		p.WriteSharedDoc(d, -1)
		p.out = p.out[:0]
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			p.WriteSharedDoc(d, -1)
			p.out = p.out[:0]
		}
	})
	b.Run("hit-parallel/skip-middle", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			p := withCaps(true, Color256, 80)
			for pb.Next() {
				p.WriteSharedDoc(d, skip)
				p.out = p.out[:0]
			}
		})
	})
	b.Run("writetext/skip-middle", func(b *testing.B) {
		p := withCaps(true, Color256, 80)
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			p.WriteText(d.Text(skip))
			p.out = p.out[:0]
		}
	})
	b.Run("first", func(b *testing.B) {
		p := withCaps(true, Color256, 80)
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			p.WriteSharedDoc(NewSharedDoc(benchDocParts), skip)
			p.out = p.out[:0]
		}
	})
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewSharedDoc(benchDocParts)
		}
	})
}
