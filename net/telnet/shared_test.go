package telnet

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// renderCount counts the renders into Shared caches, per Shared and form.
type renderCount struct {
	mu sync.Mutex
	n  map[renderKey]int
}

// renderKey is one form of one Shared.
type renderKey struct {
	s   *Shared
	key uint32
}

// countRenders installs testHookSharedRender for the test's duration.
func countRenders(t *testing.T) *renderCount {
	t.Helper()
	c := &renderCount{n: map[renderKey]int{}}
	testHookSharedRender = func(s *Shared, key uint32) {
		c.mu.Lock()
		c.n[renderKey{s, key}]++
		c.mu.Unlock()
	}
	t.Cleanup(func() { testHookSharedRender = nil })
	return c
}

// stats returns the number of renders, the number of distinct forms
// rendered, and the most renders of one form of one Shared.
func (c *renderCount) stats() (total, forms, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := map[uint32]bool{}
	for k, n := range c.n {
		total += n
		keys[k.key] = true
		most = max(most, n)
	}
	return total, len(keys), most
}

// compareShared writes s twice with WriteShared to a Protocol in state st
// (a miss or fallback, then usually a hit) and with WriteText to a twin,
// and reports the first difference in bytes or state.
func compareShared(tb testing.TB, st textState, s *Shared) {
	tb.Helper()
	got, want := newTextProtocol(st), newTextProtocol(st)
	for i := range 2 {
		got.WriteShared(s)
		want.WriteText(s.Text())
		g, w := got.Flush(), want.Flush()
		if !bytes.Equal(g, w) || got.col != want.col || got.lastCR != want.lastCR {
			tb.Fatalf("state %+v, call %d WriteShared(%q):\n got %q col %d lastCR %v\nwant %q col %d lastCR %v",
				st, i, s.Text(), g, got.col, got.lastCR, w, want.col, want.lastCR)
		}
	}
}

// TestWriteSharedMatchesWriteText checks WriteShared against WriteText for
// the texts of the differential test, with and without a final newline, and
// random lines, in a sample of its states that always includes column 0.
// One Shared serves all states of a text, so its slots fill up and later
// forms fall back to WriteText.
func TestWriteSharedMatchesWriteText(t *testing.T) {
	renders := countRenders(t)
	texts := append([]string(nil), textSeeds...)
	for _, s := range textSeeds {
		texts = append(texts, s+"\n", s+" \n\n")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		texts = append(texts, randomText(r)+"\n")
	}
	sts := textStates()
	for _, text := range texts {
		s := NewShared(text)
		for _, st := range sts {
			if st.col == 0 || r.IntN(8) == 0 {
				compareShared(t, st, s)
			}
		}
		if got := s.Text(); got != text {
			t.Fatalf("Text() = %q; want %q", got, text)
		}
	}
	if total, forms, most := renders.stats(); total == 0 || forms < sharedSlots || most != 1 {
		t.Fatalf("%d renders of %d forms, at most %d of one form of one text; want some, >= %d, 1",
			total, forms, most, sharedSlots)
	}
}

// TestWriteSharedCache checks when WriteShared renders into the cache: once
// per form, only from column 0, only for text ending in "\n", and never
// past sharedSlots forms.
func TestWriteSharedCache(t *testing.T) {
	renders := countRenders(t)
	total := func() int {
		n, _, _ := renders.stats()
		return n
	}

	s := NewShared("{gHello{x, world.\n")
	a := newTextProtocol(textState{depth: Color256, utf8: true, width: 80})
	b := newTextProtocol(textState{depth: Color256, utf8: true, width: 0}) // also 80 columns: same form
	a.WriteShared(s)
	b.WriteShared(s)
	a.WriteShared(s)
	if n := total(); n != 1 {
		t.Fatalf("renders = %d after three writes of one form; want 1", n)
	}

	c := newTextProtocol(textState{depth: Color256, utf8: true, width: 80, col: 5})
	c.WriteShared(s) // not at column 0: WriteText
	c.WriteShared(s) // now at column 0: a hit
	d := newTextProtocol(textState{depth: Color16})
	d.WriteShared(NewShared("no newline")) // not a line: WriteText
	if n := total(); n != 1 {
		t.Fatalf("renders = %d; want 1 (column 5 and text without newline are not cached)", n)
	}

	// A form another link has claimed but not yet published: WriteText.
	s = NewShared("pending\n")
	e := newTextProtocol(textState{depth: Color256, utf8: true, width: 80})
	s.keys[0].Store(e.textForm().key())
	e.WriteShared(s)
	if got := string(e.Flush()); got != "pending\r\n" || s.forms[0].Load() != nil || total() != 1 {
		t.Fatalf("pending slot: got %q, published %v, renders %d", got, s.forms[0].Load() != nil, total())
	}

	// More forms than slots: the first sharedSlots are cached, the rest not.
	s = NewShared("many forms\n")
	for w := range sharedSlots + 4 {
		p := newTextProtocol(textState{width: 20 + w})
		p.WriteShared(s)
		p.WriteShared(s)
	}
	if n := total(); n != 1+sharedSlots {
		t.Fatalf("renders = %d; want %d", n, 1+sharedSlots)
	}
	seen := map[uint32]bool{}
	for i := range s.keys {
		k := s.keys[i].Load()
		if k == 0 || seen[k] || s.forms[i].Load() == nil {
			t.Fatalf("slot %d: key %#x, published %v (seen before: %v)", i, k, s.forms[i].Load() != nil, seen[k])
		}
		seen[k] = true
	}
}

// TestWriteSharedWireImmutable checks that writing a cached rendering,
// plain and under MCCP2, never changes the shared bytes, and that they
// have no spare capacity an append could write into.
func TestWriteSharedWireImmutable(t *testing.T) {
	s := NewShared(benchRoom)
	first := newTextProtocol(textState{depth: ColorTrue, utf8: true, width: 80})
	first.WriteShared(s)
	first.Flush()
	wire, ok := s.wire(first.textForm())
	if !ok {
		t.Fatal("the form is not cached after a write from column 0")
	}
	if cap(wire) != len(wire) {
		t.Fatalf("cached rendering has cap %d > len %d", cap(wire), len(wire))
	}
	saved := bytes.Clone(wire)
	for _, mccp2 := range []bool{false, true} {
		p := newTextProtocol(textState{depth: ColorTrue, utf8: true, width: 80, mccp2: mccp2})
		for range 50 {
			p.WriteShared(s)
			p.WriteText("more {rtext{x\n")
			p.Flush()
		}
		p.Finish()
	}
	if !bytes.Equal(wire, saved) {
		t.Fatal("the cached rendering was modified")
	}
}

// TestSharedConcurrent writes one Shared from many goroutines, each with
// its own Protocol in one of a few forms: each form must be rendered once,
// and every link must get exactly WriteText's bytes. Run with -race.
func TestSharedConcurrent(t *testing.T) {
	renders := countRenders(t)
	forms := []textState{
		{depth: Color256, utf8: true, width: 80},
		{depth: ColorTrue, utf8: true, width: 120},
		{depth: Color16, utf8: false, width: 80},
		{depth: ColorNone, utf8: false, width: 0},
		{depth: Color256, utf8: true, width: 200, mccp2: true},
	}
	want := make([][]byte, len(forms))
	for i, st := range forms {
		st.mccp2 = false // compare uncompressed bytes
		p := newTextProtocol(st)
		p.WriteText(benchRoom)
		want[i] = p.Flush()
	}
	for round := range 20 {
		s := NewShared(benchRoom)
		var wg sync.WaitGroup
		var bad atomic.Pointer[string]
		for g := range 32 {
			wg.Go(func() {
				st := forms[g%len(forms)]
				p := newTextProtocol(textState{depth: st.depth, utf8: st.utf8, width: st.width})
				for range 20 {
					p.WriteShared(s)
					if got := p.Flush(); !bytes.Equal(got, want[g%len(forms)]) {
						msg := fmt.Sprintf("round %d goroutine %d: got %q", round, g, got)
						bad.Store(&msg)
						return
					}
				}
				if st.mccp2 { // the compressed path too, from the same cache
					q := newTextProtocol(st)
					q.WriteShared(s)
					q.Finish()
				}
			})
		}
		wg.Wait()
		if m := bad.Load(); m != nil {
			t.Fatal(*m)
		}
	}
	if total, nforms, most := renders.stats(); total != 20*len(forms) || nforms != len(forms) || most != 1 {
		t.Fatalf("%d renders of %d forms, at most %d of one form of one Shared; want %d, %d, 1",
			total, nforms, most, 20*len(forms), len(forms))
	}
}

// TestAppendEscaped checks IAC doubling, which WriteText and WriteShared
// apply to a rendering (rendered text never holds IAC, so this is the
// only way to reach it).
func TestAppendEscaped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"\xff", "\xff\xff"},
		{"a\xffb\xff\xffc", "a\xff\xffb\xff\xff\xff\xffc"},
	}
	for _, tt := range tests {
		if got := string(appendEscaped([]byte("x"), []byte(tt.in))); got != "x"+tt.want {
			t.Errorf("appendEscaped(%q) = %q; want %q", tt.in, got, "x"+tt.want)
		}
	}
}
