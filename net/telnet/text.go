package telnet

import (
	"bytes"
	"slices"
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

// textForm is everything a rendering of game text depends on besides the
// text and the starting column: the wrap width, the colour depth and whether
// the client gets ASCII instead of UTF-8.
type textForm struct {
	width int // wrap column, already clamped (wrapWidth)
	depth ColorDepth
	ascii bool
}

// textForm returns the form this client's text is rendered in.
func (p *Protocol) textForm() textForm {
	return textForm{width: p.wrapWidth(), depth: p.caps.Color, ascii: !p.caps.UTF8}
}

// key packs f into a uint32 that is never 0 (width is at least minWrap), so
// 0 can mean "no form" in Shared's slots.
func (f textForm) key() uint32 {
	k := uint32(f.width)<<3 | uint32(f.depth&3)<<1
	if f.ascii {
		k |= 1
	}
	return k
}

// textWriter renders game text: words are collected (with their zero-width
// escape sequences) and placed on the line or wrapped. The word being
// collected is kept at the end of buf, so rendering needs no buffer of its
// own: placing it only inserts the pending spaces (or a line break) before
// it.
type textWriter struct {
	textForm
	col    int    // visible column of the cursor (the word not counted)
	buf    []byte // rendered output (before IAC escaping), then the word
	word   int    // where the word being collected starts in buf
	wordW  int    // its visible width in runes
	spaces int    // spaces pending before the word
	dirty  bool   // a colour is set and not reset
}

// plainByte marks the bytes the fast path copies in bulk: printable ASCII
// other than space and "{". Each is one visible column and is never changed.
var plainByte = func() (t [256]bool) {
	for c := 0x21; c < 0x7f; c++ {
		t[c] = c != '{'
	}
	return t
}()

// renderText appends s rendered in form f to dst, starting at column col,
// and returns the extended slice and the column after the text. It is the
// whole of WriteText except IAC escaping and the Protocol's state, so that
// WriteShared renders exactly what WriteText would.
func renderText(dst []byte, s string, f textForm, col int) ([]byte, int) {
	w := textWriter{textForm: f, col: col, buf: dst, word: len(dst)}
	w.render(s)
	return w.buf, w.col
}

// render renders s. Between words (no word pending) plainWords places whole
// words of plain ASCII at once; everything else goes one token at a time:
// a run of plainByte (addPlain), a space, a markup code, or one rune (text).
// All paths make exactly the decisions the rune-by-rune encoder made.
func (w *textWriter) render(s string) {
	for i := 0; i < len(s); {
		if len(w.buf) == w.word {
			if i = w.plainWords(s, i); i == len(s) {
				break
			}
		}
		c := s[i]
		switch {
		case plainByte[c]:
			j := i + 1
			for j < len(s) && plainByte[s[j]] {
				j++
			}
			w.addPlain(s[i:j])
			i = j
		case c == ' ':
			w.flushWord()
			w.spaces++
			i++
		case c == '{':
			spec, n, ok := parseCode(s[i:])
			switch {
			case !ok:
				w.text('{')
				i++
			case spec.kind == 0:
				w.text('{')
				i += n
			default:
				w.buf = spec.appendSGR(w.buf, w.depth)
				w.dirty = spec.kind != ckReset && w.depth != ColorNone
				i += n
			}
		case c < utf8.RuneSelf:
			w.text(rune(c))
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			w.text(r) // invalid bytes arrive as U+FFFD
			i += n
		}
	}
	w.flushWord()
	if w.spaces > 0 && w.col+w.spaces <= w.width { // a prompt's trailing space
		w.col += w.spaces
		for ; w.spaces > 0; w.spaces-- {
			w.buf = append(w.buf, ' ')
		}
	}
	if w.dirty {
		w.buf = append(w.buf, "\x1b[0m"...)
	}
}

// plainWords is the fast path. With no word pending, it places the words of
// s from i on that are made of plain ASCII (plainByte) and markup codes and
// end at a space, tab, newline or the end of s, together with the spaces and
// newlines between them, and returns where it stopped: at the end of s, or
// at a byte the general path must handle (non-ASCII, a control, a visible
// "{"). It does what text, addRune and flushWord would do for those bytes,
// keeping its state in locals. A word it cannot finish (such a byte inside
// it, or longer than a line) is left pending in buf for the general path.
//
// Within a line, plain words come out exactly as they are in s, with the
// spaces between them, so they are not copied word by word: s[seg:end] is
// owed to buf and copied in one go when a line ends, before anything that is
// not copied as it is, and on return.
func (w *textWriter) plainWords(s string, i int) int {
	buf, col, spaces, width := w.buf, w.col, w.spaces, w.width
	seg, end := i, i        // s[seg:end] is owed to buf as it is
	verbatim := spaces == 0 // the pending spaces are exactly s[end:i]
loop:
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ':
			spaces++
			i++
			continue
		case c == '\t':
			spaces++
			i++
			verbatim = false // it must become a space
			continue
		case c == '\n': // pending spaces are dropped, as flushWord would
			buf = append(buf, s[seg:end]...)
			buf = append(buf, '\r', '\n')
			col, spaces, verbatim = 0, 0, true
			i++
			seg, end = i, i
			continue
		case plainByte[c]:
			j := i + 1
			for j < len(s) && plainByte[s[j]] {
				j++
			}
			n := j - i
			if n > width {
				break loop // a hard break: the general path splits it
			}
			if j < len(s) && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' {
				break // the word goes on: with markup below, else stop there
			}
			// A plain word: owe it (after its spaces or a line break).
			switch {
			case col > 0 && col+spaces+n > width: // wrap: the spaces are dropped
				buf = append(buf, s[seg:end]...)
				buf = append(buf, '\r', '\n')
				col, spaces, seg = 0, 0, i
			case !verbatim: // write the spaces, then owe the word
				buf = append(buf, s[seg:end]...)
				for k := 0; k < spaces; k++ {
					buf = append(buf, ' ')
				}
				seg = i
			}
			col += spaces + n
			spaces, verbatim = 0, true
			end, i = j, j
			continue
		case c != '{':
			break loop
		}
		// A word with markup codes (zero width), or one the general path
		// must finish, from i: render it at the end of buf, then put its
		// spaces or a line break in front of it, as flushWord does.
		buf = append(buf, s[seg:end]...)
		start, n, k := len(buf), 0, i
		for k < len(s) {
			if plainByte[s[k]] {
				j := k + 1
				for j < len(s) && plainByte[s[j]] {
					j++
				}
				if n+j-k > width {
					break // a hard break: the general path splits it
				}
				buf = append(buf, s[k:j]...)
				n += j - k
				k = j
				continue
			}
			if s[k] != '{' {
				break
			}
			spec, m, ok := parseCode(s[k:])
			if !ok || spec.kind == 0 {
				break // a visible brace
			}
			buf = spec.appendSGR(buf, w.depth)
			w.dirty = spec.kind != ckReset && w.depth != ColorNone
			k += m
		}
		if k < len(s) && s[k] != ' ' && s[k] != '\n' && s[k] != '\t' {
			// Unfinished: the general path takes the word from here.
			w.buf, w.col, w.spaces, w.word, w.wordW = buf, col, spaces, start, n
			return k
		}
		switch {
		case len(buf) == start: // nothing to show (codes at ColorNone)
			// flushWord ignores an empty word: the spaces stay pending.
			verbatim = spaces == 0
			i = k
			seg, end = i, i
			continue
		case col > 0 && n > 0 && col+spaces+n > width:
			buf = insertAt(buf, start, 2)
			buf[start], buf[start+1] = '\r', '\n'
			col, spaces = 0, 0
		case spaces > 0:
			buf = insertAt(buf, start, spaces)
			for k := range spaces {
				buf[start+k] = ' '
			}
		}
		col += spaces + n
		spaces, verbatim = 0, true
		i = k
		seg, end = i, i
	}
	buf = append(buf, s[seg:end]...)
	w.buf, w.col, w.spaces, w.word = buf, col, spaces, len(buf)
	return i
}

// insertAt makes room for n bytes at b[at:] and returns the longer slice.
func insertAt(b []byte, at, n int) []byte {
	end := len(b)
	b = slices.Grow(b, n)[:end+n]
	copy(b[at+n:], b[at:end])
	return b
}

// flushWord places the pending spaces and word, wrapping first if needed.
func (w *textWriter) flushWord() {
	if w.wordW == 0 && len(w.buf) == w.word {
		return
	}
	if w.col > 0 && w.wordW > 0 && w.col+w.spaces+w.wordW > w.width {
		copy(w.open(2), "\r\n")
		w.col, w.spaces = 0, 0
	} else if w.spaces > 0 {
		gap := w.open(w.spaces)
		for k := range gap {
			gap[k] = ' '
		}
		w.col += w.spaces
		w.spaces = 0
	}
	w.col += w.wordW
	w.word, w.wordW = len(w.buf), 0
}

// open inserts n bytes before the pending word and returns them.
func (w *textWriter) open(n int) []byte {
	w.buf = insertAt(w.buf, w.word, n)
	return w.buf[w.word : w.word+n]
}

// addPlain adds a run of plainByte to the current word: the same as adding
// its bytes one by one with addRune, hard breaks included.
func (w *textWriter) addPlain(run string) {
	for {
		if w.wordW >= w.width {
			w.flushWord() // a word longer than the line: hard break
		}
		k := min(w.width-w.wordW, len(run))
		w.buf = append(w.buf, run[:k]...)
		w.wordW += k
		run = run[k:]
		if len(run) == 0 {
			return
		}
	}
}

// addRune adds one visible rune to the current word.
func (w *textWriter) addRune(r rune) {
	if w.wordW >= w.width {
		w.flushWord() // a word longer than the line: hard break
	}
	w.buf = utf8.AppendRune(w.buf, r)
	w.wordW++
}

// text handles one visible rune of game text.
func (w *textWriter) text(r rune) {
	switch {
	case r == '\n':
		w.flushWord()
		w.spaces = 0
		w.buf = append(w.buf, '\r', '\n')
		w.col = 0
		w.word = len(w.buf)
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
	// Render straight onto the end of the output queue: no buffer of its own.
	q := &p.out
	if p.zOn {
		q = &p.zpend
	}
	start := len(*q)
	b, col := renderText(slices.Grow(*q, len(s)+len(s)/8+8), s, p.textForm(), p.col)
	p.col, p.lastCR = col, false
	// Rendered text cannot hold IAC (0xff is never a byte of UTF-8, markup
	// or ASCII stand-ins), but if it ever did it must be doubled.
	if bytes.IndexByte(b[start:], IAC) >= 0 {
		b = appendEscaped(b[:start], bytes.Clone(b[start:]))
	}
	*q = b
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
