package telnet

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"sync/atomic"
)

// Shared documents: text made of parts that many links send, each link
// possibly without one of the parts (a room's look lists every occupant,
// but not the viewer to himself). Like Shared, each client form is rendered
// once, into fixed slots filled with atomics only; the rendering keeps the
// offset where each part ends, so a link's copy leaves a part out by copying
// the bytes before it and the bytes after it.
//
// Rendering the parts one by one from column 0 gives exactly the bytes of
// rendering them joined, because a part that ends in "\n" leaves the writer
// at column 0 with no word or spaces pending, and no markup code can span a
// "\n". The only state that crosses a part boundary is the colour: WriteText
// sends one reset at the end of a call that left a colour set, and a colour
// a part leaves set carries on into the parts after it. So each part is
// cached without the reset its own rendering would end with, and a write
// appends one reset when the last part written that holds a colour code
// leaves a colour set, which is exactly when WriteText would: the bytes are
// WriteText's in every case, not only when each part closes its colours.

// SharedDoc is game text made of parts that many links send, each link
// maybe without one of the parts (a room's look: every occupant's line,
// without the viewer's own). It is immutable after NewSharedDoc and
// rendered into at most once per client form (colour depth, UTF-8 or ASCII,
// wrap width), like Shared, for all the links that write it with
// WriteSharedDoc. It is safe for concurrent use by any number of
// goroutines, each with its own Protocol.
type SharedDoc struct {
	parts []string // the caller's slice, never modified
	size  int      // total length of parts

	// clean[j] reports that parts[:j] joined is empty or ends in "\n": a
	// rendering from column 0 is back at column 0 there with nothing
	// pending, so the cached bytes can be cut there. nil when every part
	// ends in "\n" (every j is clean). Parts between two clean boundaries
	// (a part without "\n" and the ones up to the next line end) are
	// rendered joined, as one unit.
	clean []bool
	line  bool // clean at len(parts): the text ends in "\n" (or is empty)

	slots formSlots[docForm]
}

// docForm is one published rendering of a SharedDoc. Neither it nor its
// bytes change after it is published.
type docForm struct {
	// wire is the whole document as WriteText queues it (CR LF, IAC
	// doubled) from column 0, but without the final colour reset; cap ==
	// len, so an append to it can only copy.
	wire []byte
	// ends[k] is the offset in wire where parts[:k+1] ends, or -1 when that
	// is not a clean boundary (the part is joined to the next).
	ends []int32
	// lastCode is the index of the last part (the last part of its unit)
	// that holds a colour code, -1 if none. resetLast reports that a write
	// of the whole document ends with a colour set (so a reset is due),
	// resetPrev the same for a write without part lastCode. Both are false
	// for ColorNone.
	lastCode             int
	resetLast, resetPrev bool
}

// sgrReset is the reset textWriter.render appends when a colour is left set.
const sgrReset = "\x1b[0m"

// testHookSharedDocRender, when set (by tests, before any
// WriteSharedDoc), is called each time a SharedDoc renders a form into its
// cache.
var testHookSharedDocRender func(d *SharedDoc, key uint32)

// NewSharedDoc returns a document of parts (each with colour markup, as for
// WriteText) to be written to many links with WriteSharedDoc. Every part
// should end in "\n". A part that does not is joined to the parts after it,
// up to one that ends in "\n", for rendering: a write without a part of such
// a group, or of a document whose last non-empty part does not end in "\n",
// is WriteText of the joined text, uncached. parts is kept, not copied: the
// caller must not modify it afterwards. NewSharedDoc costs one small
// allocation and a pass over the parts' last bytes; each form costs one
// rendering of the whole document (its bytes plus 4 bytes per part) when it
// is first written.
func NewSharedDoc(parts []string) *SharedDoc {
	d := &SharedDoc{parts: parts}
	for k, s := range parts {
		d.size += len(s)
		ends := len(s) > 0 && s[len(s)-1] == '\n'
		if !ends && d.clean == nil {
			d.clean = make([]bool, len(parts)+1)
			for j := range k + 1 {
				d.clean[j] = true
			}
		}
		if d.clean != nil {
			d.clean[k+1] = ends || s == "" && d.clean[k]
		}
	}
	d.line = d.isClean(len(parts))
	return d
}

// isClean reports whether the document can be cut before part j.
func (d *SharedDoc) isClean(j int) bool {
	return d.clean == nil || d.clean[j]
}

// Len returns the number of parts.
func (d *SharedDoc) Len() int { return len(d.parts) }

// Text returns the concatenation of every part except part skip (all of
// them when skip < 0 or skip >= Len()). It allocates; it is for links that
// cannot use WriteSharedDoc (in another process, say).
func (d *SharedDoc) Text(skip int) string {
	skip = d.normSkip(skip)
	size := d.size
	if skip >= 0 {
		size -= len(d.parts[skip])
	}
	var b strings.Builder
	b.Grow(size)
	for k, s := range d.parts {
		if k != skip {
			b.WriteString(s)
		}
	}
	return b.String()
}

// normSkip returns skip, or -1 when it names no part.
func (d *SharedDoc) normSkip(skip int) int {
	if skip < 0 || skip >= len(d.parts) {
		return -1
	}
	return skip
}

// WriteSharedDoc queues the document without part skip (every part when
// skip < 0 or skip >= d.Len()): exactly the bytes WriteText(d.Text(skip))
// would queue, leaving the Protocol in the same state. When the cursor is at
// column 0 the rendering depends only on the client's form, so it is taken
// from d (rendered there by the first link of that form) and copied to the
// output queue in at most two pieces, the bytes before part skip and those
// after it, plus a colour reset when one is due: no work per part.
// Otherwise, or when d holds sharedSlots other forms already, when the form
// is being rendered by another link, or for a skip or document that cannot
// be cut (see NewSharedDoc), it is WriteText(d.Text(skip)).
func (p *Protocol) WriteSharedDoc(d *SharedDoc, skip int) {
	skip = d.normSkip(skip)
	if p.col == 0 && d.line && (skip < 0 || d.isClean(skip) && d.isClean(skip+1)) {
		if f := d.form(p.textForm()); f != nil {
			lo, hi := len(f.wire), len(f.wire) // the cut: wire[:lo] + wire[hi:]
			if skip >= 0 {
				lo, hi = 0, int(f.ends[skip])
				if skip > 0 {
					lo = int(f.ends[skip-1])
				}
			}
			reset := f.resetLast
			if skip == f.lastCode {
				reset = f.resetPrev
			}
			n := lo + len(f.wire) - hi
			if reset {
				n += len(sgrReset)
			}
			q := &p.out
			if p.zOn {
				q = &p.zpend
			}
			b := slices.Grow(*q, n) // copies: f.wire is shared and never written to
			b = append(b, f.wire[:lo]...)
			b = append(b, f.wire[hi:]...)
			if reset {
				b = append(b, sgrReset...)
			}
			*q = b
			p.lastCR = false // and p.col stays 0: the text is empty or ends in "\n"
			return
		}
	}
	p.WriteText(d.Text(skip))
}

// form returns d rendered in form f, rendering and publishing it if no
// link has claimed f yet, or nil when f has no slot (all taken), its slot
// is still being rendered by another link, or its rendering failed: the
// caller uses WriteText.
func (d *SharedDoc) form(f textForm) *docForm {
	key := f.key()
	r, slot := d.slots.lookup(key)
	if r != nil || slot < 0 {
		return r
	}
	r = d.render(f)
	if r == nil {
		// Cannot happen (see render); the slot stays claimed and
		// unpublished, and every link of this form uses WriteText.
		return nil
	}
	d.slots.forms[slot].Store(r)
	if testHookSharedDocRender != nil {
		testHookSharedDocRender(d, key)
	}
	return r
}

// render renders d in form f from column 0, unit by unit (a unit is the
// parts between two clean boundaries, usually one part), each unit from
// column 0 and without the reset at its end. It returns nil if a unit does
// not end at column 0, its colour state disagrees with codeEffect, or the
// rendering is too large for int32 offsets: none can happen for a
// document that can be cut (d.line).
func (d *SharedDoc) render(f textForm) *docForm {
	r := &docForm{ends: make([]int32, len(d.parts)), lastCode: -1}
	size := d.size + d.size/8 + 8 // plain text: CR LF, ASCII stand-ins
	if f.depth != ColorNone {
		size += d.size / 3 // escape sequences are longer than codes
	}
	b := make([]byte, 0, size)
	var lastSet, prevSet bool
	start := 0 // first part of the current unit
	for k := range d.parts {
		if !d.isClean(k + 1) {
			r.ends[k] = -1
			continue
		}
		text := d.parts[k]
		if start < k {
			text = strings.Join(d.parts[start:k+1], "")
		}
		start = k + 1
		at := len(b)
		w := textWriter{textForm: f, buf: b, word: at}
		w.render(text)
		b = w.buf
		if w.col != 0 {
			return nil
		}
		if w.dirty {
			if !bytes.HasSuffix(b[at:], []byte(sgrReset)) {
				return nil
			}
			b = b[:len(b)-len(sgrReset)]
		}
		if bytes.IndexByte(b[at:], IAC) >= 0 { // never, as for WriteText
			b = appendEscaped(b[:at], bytes.Clone(b[at:]))
		}
		switch e := codeEffect(text); {
		case f.depth != ColorNone && w.dirty != (e == effectSet):
			return nil
		case e != effectNone:
			prevSet, lastSet = lastSet, e == effectSet
			r.lastCode = k
		}
		if len(b) > math.MaxInt32 {
			return nil
		}
		r.ends[k] = int32(len(b))
	}
	if cap(b)-len(b) > len(b)/8 {
		b = bytes.Clone(b) // the form is kept: not its slack too
	}
	r.wire = b[:len(b):len(b)]
	if f.depth != ColorNone {
		r.resetLast, r.resetPrev = lastSet, prevSet
	}
	return r
}

// Colour effects of a text (codeEffect).
const (
	effectNone  = iota // no colour code
	effectSet          // the last code sets a colour
	effectReset        // the last code is {x
)

// codeEffect reports what the last colour code of s does, reading codes
// exactly as textWriter.render does: a "{" that starts no code is shown,
// "{{" is a literal brace.
func codeEffect(s string) int {
	e := effectNone
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return e
		}
		spec, n, ok := parseCode(s[i:])
		switch {
		case !ok:
			n = 1
		case spec.kind == ckReset:
			e = effectReset
		case spec.kind != 0:
			e = effectSet
		}
		s = s[i+n:]
	}
}

// formSlots holds up to sharedSlots renderings of something in different
// client forms, filled with atomics only (the scheme of Shared). Slot i
// holds the rendering of the form whose key is keys[i]. A slot is claimed
// once, by a CompareAndSwap of its key from 0, and always the first free
// one, so a free slot means every later slot is free too. forms[i] is nil
// until the claimer has rendered and published it; after that it never
// changes.
type formSlots[T any] struct {
	keys  [sharedSlots]atomic.Uint32
	forms [sharedSlots]atomic.Pointer[T]
}

// lookup returns the rendering published for key, if any. Otherwise, if
// key has no slot yet and one is free, it claims it and returns its index:
// the caller renders and stores into forms[slot]. Otherwise (no slot free,
// or the slot of key is still being rendered) it returns nil, -1.
func (c *formSlots[T]) lookup(key uint32) (r *T, slot int) {
	for i := range c.keys {
		k := c.keys[i].Load()
		if k == 0 {
			if c.keys[i].CompareAndSwap(0, key) {
				return nil, i
			}
			k = c.keys[i].Load() // another link claimed it first
		}
		if k == key {
			return c.forms[i].Load(), -1 // nil while being rendered
		}
	}
	return nil, -1
}
