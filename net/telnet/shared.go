package telnet

import (
	"bytes"
	"sync/atomic"
)

// Shared text: a line that many links send (a room's say, an emote, a
// channel message) is rendered once per client form instead of once per
// recipient. The renderings live in a few fixed slots filled with atomics
// only, since the links that share one Shared run on different goroutines.

// sharedSlots is how many client forms one Shared keeps. A room rarely
// holds more than a handful (most clients are UTF-8, 256 colours or more,
// and report one of a few widths); a form past the last slot is rendered by
// WriteText for each recipient, as without a Shared.
const sharedSlots = 8

// Shared is game text that many links send: immutable after NewShared, and
// rendered into it at most once per client form (colour depth, UTF-8 or
// ASCII, wrap width) for all the links that write it with WriteShared. A
// link whose form is still being rendered by another, or finds every slot
// taken, renders for itself as WriteText does. It is safe for concurrent use
// by any number of goroutines, each with its own Protocol.
type Shared struct {
	text string // immutable
	line bool   // text ends in "\n": from column 0 it renders the same and ends at column 0

	// Slot i holds the rendering of the form whose key is keys[i]. A slot
	// is claimed once, by a CompareAndSwap of its key from 0, and always the
	// first free one, so a free slot means every later slot is free too.
	// forms[i] is nil until the claimer has rendered and published it;
	// after that neither it nor its bytes ever change.
	keys  [sharedSlots]atomic.Uint32
	forms [sharedSlots]atomic.Pointer[sharedForm]
}

// sharedForm is one published rendering: wire bytes as WriteText queues
// them (CR LF, IAC doubled), never modified, with cap == len so that an
// append to it can only copy.
type sharedForm struct {
	wire []byte
}

// testHookSharedRender, when set (by tests, before any WriteShared), is
// called each time a Shared renders a form into its cache.
var testHookSharedRender func(s *Shared, key uint32)

// NewShared returns text (with colour markup, as for WriteText) to be
// written to many links with WriteShared. It costs one small allocation;
// each form costs one rendering and its bytes when first written.
func NewShared(text string) *Shared {
	return &Shared{text: text, line: len(text) > 0 && text[len(text)-1] == '\n'}
}

// Text returns the text as given to NewShared.
func (s *Shared) Text() string { return s.text }

// WriteShared queues exactly what WriteText(s.Text()) would queue at this
// point and leaves the Protocol in the same state. When the cursor is at
// column 0 and the text ends in "\n", the rendering depends only on the
// client's form, so it is taken from s (rendered there by the first link of
// that form) and only copied to the output queue. Otherwise, or when s
// holds sharedSlots other forms already, it is WriteText.
func (p *Protocol) WriteShared(s *Shared) {
	if p.col == 0 && s.line {
		if wire, ok := s.wire(p.textForm()); ok {
			p.emit(wire) // copies: wire is shared and never written to
			p.lastCR = false
			return
		}
	}
	p.WriteText(s.text)
}

// wire returns s rendered in form f from column 0, rendering and publishing
// it if no link has claimed f yet. ok is false when f has no slot (all
// taken) or its slot is still being rendered by another link: the caller
// renders for itself.
func (s *Shared) wire(f textForm) (wire []byte, ok bool) {
	key := f.key()
	for i := range s.keys {
		k := s.keys[i].Load()
		if k == 0 {
			if s.keys[i].CompareAndSwap(0, key) {
				return s.render(i, f)
			}
			k = s.keys[i].Load() // another link claimed it first
		}
		if k == key {
			if r := s.forms[i].Load(); r != nil {
				return r.wire, true
			}
			return nil, false // still being rendered
		}
	}
	return nil, false
}

// render renders s in form f into a buffer of its own and publishes it in
// slot i, which the caller has claimed.
func (s *Shared) render(i int, f textForm) ([]byte, bool) {
	b, col := renderText(make([]byte, 0, len(s.text)+len(s.text)/8+8), s.text, f, 0)
	if col != 0 {
		// Cannot happen for text ending in "\n"; if it did, the slot stays
		// claimed and unpublished, and every link of this form uses WriteText.
		return nil, false
	}
	if bytes.IndexByte(b, IAC) >= 0 {
		b = appendEscaped(nil, b)
	}
	b = b[:len(b):len(b)]
	s.forms[i].Store(&sharedForm{wire: b})
	if testHookSharedRender != nil {
		testHookSharedRender(s, f.key())
	}
	return b, true
}

// appendEscaped appends b to dst with IAC doubled.
func appendEscaped(dst, b []byte) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, IAC)
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i+1]...)
		dst = append(dst, IAC)
		b = b[i+1:]
	}
	return dst
}
