package telnet

import (
	"strings"
	"unicode/utf8"
)

// wrapWidth is the column at which WriteText wraps: the NAWS width clamped to
// [minWrap, maxWrap], 80 when unknown.
func (p *Protocol) wrapWidth() int {
	w := p.caps.Width
	if w <= 0 {
		return 80
	}
	return min(max(w, minWrap), maxWrap)
}

// textWriter renders one WriteText call: words are collected (with their
// zero-width escape sequences) and placed on the line or wrapped.
type textWriter struct {
	p      *Protocol
	width  int
	depth  ColorDepth
	ascii  bool
	buf    []byte // rendered output (before IAC escaping)
	word   []byte // the word being collected
	wordW  int    // its visible width in runes
	spaces int    // spaces pending before the word
	dirty  bool   // a colour is set and not reset
}

// flushWord places the pending spaces and word, wrapping first if needed.
func (w *textWriter) flushWord() {
	if w.wordW == 0 && len(w.word) == 0 {
		return
	}
	if w.p.col > 0 && w.wordW > 0 && w.p.col+w.spaces+w.wordW > w.width {
		w.buf = append(w.buf, '\r', '\n')
		w.p.col, w.spaces = 0, 0
	}
	for ; w.spaces > 0; w.spaces-- {
		w.buf = append(w.buf, ' ')
		w.p.col++
	}
	w.buf = append(w.buf, w.word...)
	w.p.col += w.wordW
	w.word, w.wordW = w.word[:0], 0
}

// addRune adds one visible rune to the current word.
func (w *textWriter) addRune(r rune) {
	if w.wordW >= w.width {
		w.flushWord() // a word longer than the line: hard break
	}
	w.word = utf8.AppendRune(w.word, r)
	w.wordW++
}

// text handles one visible rune of game text.
func (w *textWriter) text(r rune) {
	switch {
	case r == '\n':
		w.flushWord()
		w.spaces = 0
		w.buf = append(w.buf, '\r', '\n')
		w.p.col = 0
	case r == ' ' || r == '\t':
		w.flushWord()
		w.spaces++
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r):
		// Control bytes never reach a terminal from game text.
	case r < 0x80 || !w.ascii:
		w.addRune(r)
	default:
		for _, c := range asciiFor(r) {
			w.addRune(c)
		}
	}
}

// WriteText queues game text: colour markup rendered for the client's colour
// depth (stripped for none), "\n" sent as CR LF, IAC doubled, text made
// ASCII-safe for clients without UTF-8, and long lines word-wrapped to the
// client's width (clamped; 80 when unknown). Control characters other than
// "\n" are removed (a tab counts as a space), so text quoted from another
// player cannot carry escape sequences. The column carries over between
// calls; a reset is sent at the end of any call that changed colour.
func (p *Protocol) WriteText(s string) {
	w := textWriter{p: p, width: p.wrapWidth(), depth: p.caps.Color, ascii: !p.caps.UTF8,
		buf: make([]byte, 0, len(s)+len(s)/8+8)}
	for i := 0; i < len(s); {
		c := s[i]
		if c == '{' {
			spec, n, ok := parseCode(s[i:])
			switch {
			case !ok:
				w.text('{')
				i++
			case spec.kind == 0:
				w.text('{')
				i += n
			default:
				w.word = append(w.word, spec.sgr(w.depth)...)
				w.dirty = spec.kind != ckReset && w.depth != ColorNone
				i += n
			}
			continue
		}
		if c < utf8.RuneSelf {
			w.text(rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		w.text(r) // invalid bytes arrive as U+FFFD
		i += n
	}
	w.flushWord()
	if w.spaces > 0 && p.col+w.spaces <= w.width { // a prompt's trailing space
		for ; w.spaces > 0; w.spaces-- {
			w.buf = append(w.buf, ' ')
			p.col++
		}
	}
	if w.dirty {
		w.buf = append(w.buf, "\x1b[0m"...)
	}
	p.lastCR = false
	p.emitEscaped(w.buf)
}

// emitEscaped queues b with IAC doubled.
func (p *Protocol) emitEscaped(b []byte) {
	for len(b) > 0 {
		i := indexByte(b, IAC)
		if i < 0 {
			p.emit(b)
			return
		}
		p.emit(b[:i+1])
		p.emit([]byte{IAC})
		b = b[i+1:]
	}
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// WriteRaw queues text without markup processing or wrapping ("\n" still
// becomes CR LF, an existing "\r\n" stays one CR LF, and IAC is still
// doubled).
func (p *Protocol) WriteRaw(s string) {
	buf := make([]byte, 0, len(s)+len(s)/16+4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\n':
			if !p.lastCR {
				buf = append(buf, '\r')
			}
			buf = append(buf, '\n')
			p.col = 0
		case IAC:
			buf = append(buf, IAC, IAC)
			p.col++
		default:
			buf = append(buf, c)
			if c >= 0x20 && (c < 0x80 || c >= 0xc0) {
				p.col++
			}
		}
		p.lastCR = c == '\r'
	}
	p.emit(buf)
}

// isBidiControl reports Unicode bidirectional controls, which let text spoof
// what follows it on screen.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// latin1ASCII transliterates U+00C0..U+00FF.
const latin1ASCII = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty"

// asciiFor returns the ASCII stand-in for a non-ASCII rune.
func asciiFor(r rune) string {
	switch r {
	case '\u2018', '\u2019', '\u201a', '\u201b', '\u2032', '\u00b4', '`':
		return "'"
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033':
		return `"`
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u00ad':
		return "-"
	case '\u2026':
		return "..."
	case '\u00ab':
		return "<<"
	case '\u00bb':
		return ">>"
	case '\u2022', '\u00b7', '\u2219':
		return "*"
	case '\u00a0', '\u2002', '\u2003', '\u2009', '\u202f':
		return " "
	case '\u00a9':
		return "(c)"
	case '\u00ae':
		return "(R)"
	case '\u2122':
		return "TM"
	case '\u00d7':
		return "x"
	case '\u2190':
		return "<-"
	case '\u2192':
		return "->"
	case '\u00b0':
		return "deg"
	}
	switch {
	case r >= 0xc0 && r <= 0xff:
		return latin1ASCII[r-0xc0 : r-0xc0+1]
	case r == 0x2500 || r == 0x2501 || r == 0x2550:
		return "-"
	case r == 0x2502 || r == 0x2503 || r == 0x2551:
		return "|"
	case r >= 0x2500 && r <= 0x257f:
		return "+"
	}
	return "?"
}

// DecodeLine turns an input line's bytes into clean text: UTF-8 (invalid bytes
// replaced, or Latin-1 decoded for clients without UTF-8), with control bytes
// and escape sequences removed, so that a player's input can never put raw
// control sequences on anyone's terminal. It also reports whether the line was
// a protocol request handled here (the plaintext MSSP-REQUEST), in which case
// the caller does not pass it on as input.
//
// Valid UTF-8 is always read as UTF-8 (many clients send it without
// negotiating). Otherwise a client that agreed to UTF-8 gets U+FFFD for each
// invalid byte and any other client is read as Latin-1. Tabs become spaces;
// every other C0 control, DEL, C1 control and bidi override is removed.
// It also resets the wrap column: the client's cursor is at the start of a
// line after the player's newline.
func (p *Protocol) DecodeLine(b []byte) (text string, notes []Note, consumed bool) {
	// The player pressed enter: the client's cursor is back at column 0, so
	// the next output wraps from there, not from the end of the prompt.
	p.col = 0
	latin1 := !p.caps.UTF8 && !utf8.Valid(b)
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		var r rune
		n := 1
		switch {
		case b[i] < utf8.RuneSelf:
			r = rune(b[i])
		case latin1:
			r = rune(b[i])
		default:
			r, n = utf8.DecodeRune(b[i:])
		}
		i += n
		switch {
		case r == '\t':
			sb.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r):
		default:
			sb.WriteRune(r)
		}
	}
	text = sb.String()
	if strings.TrimSpace(text) == "MSSP-REQUEST" {
		before := p.caps
		p.msspPlain = true
		p.note(Note{Kind: NoteMSSP})
		return "", p.takeNotes(before), true
	}
	return text, nil, false
}
