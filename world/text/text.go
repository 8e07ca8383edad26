package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/troupe-mud/troupe/world"
)

// Colour markup codes. A code is '{' followed by one of these letters; upper
// case is the bright variant. "{x" resets, "{{" is a literal brace.
const (
	Red     = "{r"
	Green   = "{g"
	Yellow  = "{y"
	Blue    = "{b"
	Magenta = "{m"
	Cyan    = "{c"
	White   = "{w"
	Dark    = "{d" // dark grey (bright black)
	Reset   = "{x"
)

// IsCode reports whether c, following a '{', forms a colour code (including
// the reset 'x'). "{{" is not a code but an escaped brace.
func IsCode(c byte) bool {
	switch c | 0x20 { // lower-case ASCII letters
	case 'r', 'g', 'y', 'b', 'm', 'c', 'w', 'd', 'x':
		return true
	}
	return false
}

// Escape doubles every '{' so that text typed by a player (a say, a
// description, a name) cannot inject colour codes.
func Escape(s string) string { return strings.ReplaceAll(s, "{", "{{") }

// Strip removes colour codes and turns "{{" back into "{": the text as a
// client without colour shows it. An unknown code ("{z") and a trailing lone
// '{' are kept as typed.
func Strip(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '{' && i+1 < len(s) {
			if s[i+1] == '{' {
				b.WriteByte('{')
				i++
				continue
			}
			if IsCode(s[i+1]) {
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// VisibleLen returns the number of runes s shows once markup is removed.
func VisibleLen(s string) int { return utf8.RuneCountInString(Strip(s)) }

// Capitalize upper-cases the first visible character of s, skipping any
// leading colour codes: "{ya copper coin{x" → "{yA copper coin{x". If the
// first visible character is not a letter (or is an escaped brace) s is
// returned unchanged.
func Capitalize(s string) string {
	i := 0
	for i+1 < len(s) && s[i] == '{' && IsCode(s[i+1]) {
		i += 2
	}
	if i >= len(s) {
		return s
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsLower(r) {
		return s
	}
	return s[:i] + string(unicode.ToUpper(r)) + s[i+n:]
}

// List joins items as English: "", "a", "a and b", "a, b and c".
func List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Counted is one line of a grouped list: Text seen Count times.
type Counted struct {
	Text  string
	Count int
}

// Group collapses identical lines, keeping the order in which each was first
// seen: [coin, sword, coin] → [coin ×2, sword ×1].
func Group(lines []string) []Counted {
	idx := make(map[string]int, len(lines))
	var out []Counted
	for _, l := range lines {
		if i, ok := idx[l]; ok {
			out[i].Count++
			continue
		}
		idx[l] = len(out)
		out = append(out, Counted{Text: l, Count: 1})
	}
	return out
}

// GroupLines is Group rendered Diku-style: "(2) a copper coin" for repeated
// lines, the line alone otherwise.
func GroupLines(lines []string) []string {
	g := Group(lines)
	out := make([]string, len(g))
	for i, c := range g {
		if c.Count > 1 {
			out[i] = "(" + strconv.Itoa(c.Count) + ") " + c.Text
		} else {
			out[i] = c.Text
		}
	}
	return out
}

// ExitView is an exit as the looker sees it.
type ExitView struct {
	Dir world.Direction
	// Closed is true for a closed door: shown in parentheses, "(north)".
	Closed bool
}

// ExitsLine renders the exits line, in cyan: "{c[Exits: north east (up)]{x",
// where parentheses mark closed doors; "{c[Exits: none]{x" with no exits.
// Exits are shown in the order given (use world direction order).
func ExitsLine(exits []ExitView) string {
	var b strings.Builder
	b.WriteString(Cyan + "[Exits:")
	if len(exits) == 0 {
		b.WriteString(" none")
	}
	for _, e := range exits {
		b.WriteByte(' ')
		if e.Closed {
			b.WriteString("(" + e.Dir.String() + ")")
		} else {
			b.WriteString(e.Dir.String())
		}
	}
	b.WriteString("]" + Reset)
	return b.String()
}

// RoomView is everything `look` shows about a room. The room actor fills it
// from its state; RenderRoom turns it into text.
type RoomView struct {
	// Name is the room's title.
	Name string
	// Description as in the area file; RenderRoom reflows it (Unwrap) so the
	// telnet layer can wrap it to the client's width.
	Description string
	// Brief omits the description (brief mode, or moving quickly).
	Brief bool
	Exits []ExitView
	// Items are the floor lines of the items lying here (their Long text),
	// one per item; RenderRoom groups identical ones with a count.
	Items []string
	// Occupants are lines for the characters here other than the looker:
	// mobiles' Long text, "Alice is here." for players. Escape player-typed
	// parts before putting them here.
	Occupants []string
}

// RenderRoom renders a room for `look`: the name in bright cyan, the
// description, the exits line, then items (green, grouped with counts) and
// occupants (yellow), one per line. Every line ends in "\n"; the telnet layer
// turns that into CRLF and wraps.
func RenderRoom(v RoomView) string {
	var b strings.Builder
	b.WriteString("{C" + v.Name + Reset + "\n")
	if !v.Brief && v.Description != "" {
		b.WriteString(Unwrap(v.Description))
		b.WriteByte('\n')
	}
	b.WriteString(ExitsLine(v.Exits))
	b.WriteByte('\n')
	for _, l := range GroupLines(v.Items) {
		b.WriteString(Green + Capitalize(l) + Reset + "\n")
	}
	for _, l := range v.Occupants {
		b.WriteString(OccupantLine(l))
	}
	return b.String()
}

// OccupantLine renders one occupant's line of a room's look, as
// RenderRoom does after the items.
func OccupantLine(line string) string { return Yellow + Capitalize(line) + Reset + "\n" }

// Unwrap joins the hard-wrapped lines of each paragraph into one line, so
// that text written in an editor at 76 columns can be wrapped to whatever
// width the client has. Paragraphs (separated by blank lines) stay separate,
// as do lines that start with white space (indented lines, verse, tables).
func Unwrap(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	var b strings.Builder
	inPara := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		switch {
		case l == "":
			b.WriteString("\n\n")
			inPara = false
			continue
		case strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t"):
			if inPara {
				b.WriteByte('\n')
			}
			b.WriteString(l)
			b.WriteByte('\n')
			inPara = false
			continue
		}
		if inPara {
			b.WriteByte(' ')
		}
		b.WriteString(l)
		inPara = true
	}
	out := b.String()
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	return strings.TrimRight(out, "\n")
}

// Wrap breaks one paragraph into lines of at most width visible runes (colour
// codes do not count), breaking at spaces. A word longer than width gets a
// line of its own rather than being cut. Runs of spaces collapse to one.
// width < 1 is treated as 1.
func Wrap(paragraph string, width int) []string {
	width = max(width, 1)
	var lines []string
	var cur strings.Builder
	curLen := 0
	for _, w := range strings.Fields(paragraph) {
		wl := VisibleLen(w)
		if curLen > 0 && curLen+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			curLen = 0
		}
		if curLen > 0 {
			cur.WriteByte(' ')
			curLen++
		}
		cur.WriteString(w)
		curLen += wl
	}
	if curLen > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
