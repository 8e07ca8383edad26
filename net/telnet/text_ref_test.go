package telnet

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a frozen copy of WriteText as it was before the ASCII fast
// path (text.go at commit 2bba7d8), kept as the reference that
// TestWriteTextMatchesRef and FuzzWriteTextMatchesRef compare the real
// encoder with. Do not optimise it: its worth is that it is the old,
// obviously rune-by-rune code. It has its own copies of parseCode and sgr
// (since rewritten not to allocate) and shares only the helpers that did not
// change (asciiFor, isBidiControl, rgbTo256, nearest16, wrapWidth, emit).

// refTextWriter is the old textWriter: one WriteText call.
type refTextWriter struct {
	p      *Protocol // p.col is the column, updated as text is placed
	width  int
	depth  ColorDepth
	ascii  bool
	buf    []byte
	word   []byte
	wordW  int
	spaces int
	dirty  bool
}

func (w *refTextWriter) flushWord() {
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

func (w *refTextWriter) addRune(r rune) {
	if w.wordW >= w.width {
		w.flushWord()
	}
	w.word = utf8.AppendRune(w.word, r)
	w.wordW++
}

func (w *refTextWriter) text(r rune) {
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
	case r < 0x80 || !w.ascii:
		w.addRune(r)
	default:
		for _, c := range asciiFor(r) {
			w.addRune(c)
		}
	}
}

// refWriteText is the old (*Protocol).WriteText.
func refWriteText(p *Protocol, s string) {
	w := refTextWriter{p: p, width: p.wrapWidth(), depth: p.caps.Color, ascii: !p.caps.UTF8,
		buf: make([]byte, 0, len(s)+len(s)/8+8)}
	for i := 0; i < len(s); {
		c := s[i]
		if c == '{' {
			spec, n, ok := refParseCode(s[i:])
			switch {
			case !ok:
				w.text('{')
				i++
			case spec.kind == 0:
				w.text('{')
				i += n
			default:
				w.word = append(w.word, refSGR(spec, w.depth)...)
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
		w.text(r)
		i += n
	}
	w.flushWord()
	if w.spaces > 0 && p.col+w.spaces <= w.width {
		for ; w.spaces > 0; w.spaces-- {
			w.buf = append(w.buf, ' ')
			p.col++
		}
	}
	if w.dirty {
		w.buf = append(w.buf, "\x1b[0m"...)
	}
	p.lastCR = false
	refEmitEscaped(p, w.buf)
}

// refEmitEscaped is the old emitEscaped.
func refEmitEscaped(p *Protocol, b []byte) {
	for len(b) > 0 {
		i := refIndexByte(b, IAC)
		if i < 0 {
			p.emit(b)
			return
		}
		p.emit(b[:i+1])
		p.emit([]byte{IAC})
		b = b[i+1:]
	}
}

// refIndexByte is the old hand-written indexByte.
func refIndexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// refLetter16 is the old letter16: markup letters to ANSI colour numbers.
var refLetter16 = map[byte]uint8{'d': 0, 'r': 1, 'g': 2, 'y': 3, 'b': 4, 'm': 5, 'c': 6, 'w': 7}

// refParseCode is the old parseCode: it reads a markup code at s[0] == '{'
// and returns the code, its length, and ok=false when s does not start with
// a valid code. "{{" is returned as ok with kind 0.
func refParseCode(s string) (spec colorSpec, n int, ok bool) {
	if len(s) < 2 {
		return spec, 0, false
	}
	c := s[1]
	switch {
	case c == '{':
		return spec, 2, true
	case c == 'x' || c == 'X':
		return colorSpec{kind: ckReset}, 2, true
	case c >= 'a' && c <= 'z':
		if v, ok := refLetter16[c]; ok {
			return colorSpec{kind: ck16, idx: v}, 2, true
		}
	case c >= 'A' && c <= 'Z':
		if v, ok := refLetter16[c+'a'-'A']; ok {
			return colorSpec{kind: ck16, idx: v + 8}, 2, true
		}
	}
	if c == 'F' || c == '#' {
		end := strings.IndexByte(s, '}')
		if end < 0 || end > 9 {
			return spec, 0, false
		}
		body := s[2:end]
		if c == 'F' {
			v, err := strconv.ParseUint(body, 10, 8)
			if err != nil || len(body) == 0 || len(body) > 3 {
				return spec, 0, false
			}
			return colorSpec{kind: ck256, idx: uint8(v)}, end + 1, true
		}
		if len(body) != 6 {
			return spec, 0, false
		}
		v, err := strconv.ParseUint(body, 16, 32)
		if err != nil {
			return spec, 0, false
		}
		return colorSpec{kind: ckRGB, r: uint8(v >> 16), g: uint8(v >> 8), b: uint8(v)}, end + 1, true
	}
	return spec, 0, false
}

// refSGR is the old colorSpec.sgr: the escape sequence for spec at depth.
func refSGR(spec colorSpec, depth ColorDepth) string {
	if depth == ColorNone {
		return ""
	}
	switch spec.kind {
	case ckReset:
		return "\x1b[0m"
	case ck16:
		return refSGR16(spec.idx)
	case ck256:
		if depth == Color16 {
			return refSGR16(nearest16[spec.idx])
		}
		return "\x1b[38;5;" + strconv.Itoa(int(spec.idx)) + "m"
	case ckRGB:
		switch depth {
		case Color16:
			return refSGR16(nearest16[rgbTo256(spec.r, spec.g, spec.b)])
		case Color256:
			return "\x1b[38;5;" + strconv.Itoa(int(rgbTo256(spec.r, spec.g, spec.b))) + "m"
		}
		return "\x1b[38;2;" + strconv.Itoa(int(spec.r)) + ";" + strconv.Itoa(int(spec.g)) + ";" + strconv.Itoa(int(spec.b)) + "m"
	}
	return ""
}

// refSGR16 is the old sgr16 (bold for bright).
func refSGR16(i uint8) string {
	if i >= 8 {
		return "\x1b[1;3" + string('0'+rune(i-8)) + "m"
	}
	return "\x1b[0;3" + string('0'+rune(i)) + "m"
}
