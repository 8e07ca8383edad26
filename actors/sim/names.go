package sim

import (
	"strconv"
	"strings"
)

// AccountName is player n's account in a run with seed: load<seed>x<n>.
// The x keeps seed 1 player 23 apart from seed 12 player 3.
func AccountName(seed int64, n int) string {
	return "load" + strconv.FormatInt(seed, 10) + "x" + strconv.Itoa(n)
}

// CharacterName is player n's character: letters only (the server takes
// letters only), "L" + seed's digits as letters + "x" + n's digits as letters
// (0→a … 9→j): seed 1, player 23 is "Lbxcd". With seed ≤ MaxSeed and
// n < MaxPlayers it is at most 13 letters long. attempt > 0 appends
// attempt-1 as a letter, for when the name is taken.
func CharacterName(seed int64, n, attempt int) string {
	var b strings.Builder
	b.WriteByte('L')
	for _, d := range strconv.FormatInt(seed, 10) {
		b.WriteByte(byte('a' + d - '0'))
	}
	b.WriteByte('x')
	for _, d := range strconv.Itoa(n) {
		b.WriteByte(byte('a' + d - '0'))
	}
	if attempt > 0 {
		b.WriteByte(byte('k' + (attempt-1)%16))
	}
	return b.String()
}

// exitWords are the direction tokens a walker accepts from an exits line.
var exitWords = map[string]bool{
	"north": true, "south": true, "east": true, "west": true, "up": true, "down": true,
	"northeast": true, "northwest": true, "southeast": true, "southwest": true,
	"n": true, "s": true, "e": true, "w": true, "u": true, "d": true,
	"ne": true, "nw": true, "se": true, "sw": true, "in": true, "out": true,
}

// parseExits reads the directions from a line such as "Exits: north, east."
// or "[ Obvious exits: n s u ]", appending them to dst[:0]. ok is false when
// the line is not an exits line.
func parseExits(line string, dst []string) (exits []string, ok bool) {
	lower := strings.ToLower(line)
	i := strings.Index(lower, "exits")
	if i < 0 {
		return dst, false
	}
	rest := lower[i+len("exits"):]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return dst, false
	}
	dst = dst[:0]
	for _, f := range strings.FieldsFunc(rest[j+1:], func(r rune) bool {
		return !(r >= 'a' && r <= 'z')
	}) {
		if exitWords[f] && len(dst) < 16 {
			dst = append(dst, f)
		}
	}
	return dst, true
}

// stripANSI removes ANSI escape sequences (colours) from s.
func stripANSI(s string) string {
	i := strings.IndexByte(s, 0x1b)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i+1:]
		if len(s) > 0 && s[0] == '[' { // CSI: parameters, then a final byte 0x40..0x7e
			k := 1
			for k < len(s) && (s[k] < 0x40 || s[k] > 0x7e) {
				k++
			}
			s = s[min(k+1, len(s)):]
		} else if len(s) > 0 {
			s = s[1:]
		}
		i = strings.IndexByte(s, 0x1b)
	}
	b.WriteString(s)
	return b.String()
}
