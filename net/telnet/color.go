package telnet

import (
	"strconv"
	"strings"
)

// Colour markup (see doc.go): {r {g {y {b {m {c {w {d normal colours, upper
// case bright, {x reset, {{ a literal brace, {F123} a 256-colour index and
// {#rrggbb} a truecolor value.

// colorKind says what a markup code sets.
type colorKind uint8

const (
	ckReset colorKind = iota + 1
	ck16              // idx is 0..15
	ck256             // idx is 0..255
	ckRGB             // r, g, b
)

// colorSpec is one parsed markup code.
type colorSpec struct {
	kind    colorKind
	idx     uint8
	r, g, b uint8
}

// letter16 maps markup letters to ANSI colour numbers plus one (0: not a
// colour letter), indexed by the lower-case letter.
var letter16 = [256]uint8{'d': 1, 'r': 2, 'g': 3, 'y': 4, 'b': 5, 'm': 6, 'c': 7, 'w': 8}

// parseCode reads a markup code at s[0] == '{'. It returns the code, its
// length, and ok=false when s does not start with a valid code (the brace
// is then shown as itself). "{{" is returned as ok with kind 0.
func parseCode(s string) (spec colorSpec, n int, ok bool) {
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
		if v := letter16[c]; v != 0 {
			return colorSpec{kind: ck16, idx: v - 1}, 2, true
		}
	case c >= 'A' && c <= 'Z':
		if v := letter16[c+'a'-'A']; v != 0 {
			return colorSpec{kind: ck16, idx: v - 1 + 8}, 2, true
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

// sgr returns the escape sequence for spec at depth ("" for ColorNone).
func (spec colorSpec) sgr(depth ColorDepth) string {
	var b [24]byte
	return string(spec.appendSGR(b[:0], depth))
}

// appendSGR appends the escape sequence for spec at depth (nothing for
// ColorNone) to b, without allocating when b has room.
func (spec colorSpec) appendSGR(b []byte, depth ColorDepth) []byte {
	if depth == ColorNone {
		return b
	}
	switch spec.kind {
	case ckReset:
		return append(b, "\x1b[0m"...)
	case ck16:
		return appendSGR16(b, spec.idx)
	case ck256:
		if depth == Color16 {
			return appendSGR16(b, nearest16[spec.idx])
		}
		return appendSGR256(b, spec.idx)
	case ckRGB:
		switch depth {
		case Color16:
			return appendSGR16(b, nearest16[rgbTo256(spec.r, spec.g, spec.b)])
		case Color256:
			return appendSGR256(b, rgbTo256(spec.r, spec.g, spec.b))
		}
		b = append(b, "\x1b[38;2;"...)
		b = strconv.AppendUint(b, uint64(spec.r), 10)
		b = append(b, ';')
		b = strconv.AppendUint(b, uint64(spec.g), 10)
		b = append(b, ';')
		b = strconv.AppendUint(b, uint64(spec.b), 10)
		return append(b, 'm')
	}
	return b
}

// appendSGR256 appends the 256-colour sequence for index i.
func appendSGR256(b []byte, i uint8) []byte {
	b = append(b, "\x1b[38;5;"...)
	b = strconv.AppendUint(b, uint64(i), 10)
	return append(b, 'm')
}

// appendSGR16 appends the classic bold-for-bright form every MUD client
// understands: "ESC[0;3nm" for colour n, "ESC[1;3nm" for bright colour n.
func appendSGR16(b []byte, i uint8) []byte {
	bold := byte('0')
	if i >= 8 {
		bold, i = '1', i-8
	}
	return append(b, '\x1b', '[', bold, ';', '3', '0'+i, 'm')
}

// palette16 is the xterm default palette, used to down-sample.
var palette16 = [16][3]int{
	{0, 0, 0}, {205, 0, 0}, {0, 205, 0}, {205, 205, 0}, {0, 0, 238}, {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
	{127, 127, 127}, {255, 0, 0}, {0, 255, 0}, {255, 255, 0}, {92, 92, 255}, {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
}

// cubeLevels are the six levels of the 6×6×6 cube of the 256-colour palette.
var cubeLevels = [6]int{0, 95, 135, 175, 215, 255}

// nearest16 maps each 256-colour index to the nearest of the 16 colours.
var nearest16 = func() (t [256]uint8) {
	for i := range 256 {
		if i < 16 {
			t[i] = uint8(i)
			continue
		}
		r, g, b := rgbOf256(uint8(i))
		best, bd := 0, 1<<30
		for j, c := range palette16 {
			if d := dist(r, g, b, c[0], c[1], c[2]); d < bd {
				best, bd = j, d
			}
		}
		t[i] = uint8(best)
	}
	return t
}()

// rgbOf256 returns the RGB value of a 256-colour index.
func rgbOf256(i uint8) (r, g, b int) {
	switch {
	case i < 16:
		c := palette16[i]
		return c[0], c[1], c[2]
	case i < 232:
		i -= 16
		return cubeLevels[i/36], cubeLevels[i/6%6], cubeLevels[i%6]
	}
	v := 8 + 10*int(i-232)
	return v, v, v
}

// rgbTo256 returns the nearest 256-colour index (cube or grey ramp).
func rgbTo256(r, g, b uint8) uint8 {
	q := func(v uint8) int {
		best, bd := 0, 1<<30
		for i, l := range cubeLevels {
			if d := (int(v) - l) * (int(v) - l); d < bd {
				best, bd = i, d
			}
		}
		return best
	}
	ri, gi, bi := q(r), q(g), q(b)
	cube := 16 + 36*ri + 6*gi + bi
	cd := dist(int(r), int(g), int(b), cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
	avg := (int(r) + int(g) + int(b)) / 3
	gi2 := min(max((avg-8+5)/10, 0), 23)
	gv := 8 + 10*gi2
	if dist(int(r), int(g), int(b), gv, gv, gv) < cd {
		return uint8(232 + gi2)
	}
	return uint8(cube)
}

func dist(r1, g1, b1, r2, g2, b2 int) int {
	dr, dg, db := r1-r2, g1-g2, b1-b2
	return 2*dr*dr + 4*dg*dg + 3*db*db
}

// Render returns s with colour markup turned into escape sequences for depth
// (removed for ColorNone). Unknown codes stay visible; a reset is appended
// when the text changed colour.
func Render(s string, depth ColorDepth) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	dirty := false
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '{')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		spec, n, ok := parseCode(s[i:])
		if !ok {
			b.WriteByte('{')
			i++
			continue
		}
		i += n
		if spec.kind == 0 {
			b.WriteByte('{')
			continue
		}
		b.WriteString(spec.sgr(depth))
		dirty = spec.kind != ckReset
	}
	if dirty && depth != ColorNone {
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

// Strip returns s with all colour markup removed ("{{" becomes "{"; unknown
// codes stay as they are).
func Strip(s string) string { return Render(s, ColorNone) }

// Escape returns s with every brace doubled, so that text typed by a player
// shows literally instead of being read as colour markup.
func Escape(s string) string { return strings.ReplaceAll(s, "{", "{{") }
