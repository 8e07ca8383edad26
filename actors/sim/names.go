package sim

import (
	"bytes"
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
var exitWords = []string{
	"north", "south", "east", "west", "up", "down",
	"northeast", "northwest", "southeast", "southwest",
	"n", "s", "e", "w", "u", "d",
	"ne", "nw", "se", "sw", "in", "out",
}

// parseExits reads the directions from a line such as "Exits: north, east."
// or "[ Obvious exits: n s u ]", appending them to dst[:0]. ok is false when
// the line is not an exits line. Every line of every burst passes through
// it, so it neither allocates nor copies: "exits" is found in any ASCII
// case in place, and a direction is appended as exitWords' own string.
func parseExits(line string, dst []string) (exits []string, ok bool) {
	i := indexExits(line)
	if i < 0 {
		return dst, false
	}
	rest := line[i+len("exits"):]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return dst, false
	}
	rest = rest[j+1:]
	dst = dst[:0]
	for len(rest) > 0 && len(dst) < 16 {
		// A token is a run of ASCII letters; anything else separates.
		k := 0
		for k < len(rest) && !isASCIILetter(rest[k]) {
			k++
		}
		rest = rest[k:]
		k = 0
		for k < len(rest) && isASCIILetter(rest[k]) {
			k++
		}
		if w := exitWord(rest[:k]); w != "" {
			dst = append(dst, w)
		}
		rest = rest[k:]
	}
	return dst, true
}

// indexExits is the index of the first "exits" in l in any ASCII case, or
// -1.
func indexExits(l string) int {
	for i := 0; i+5 <= len(l); i++ {
		// b|0x20 folds exactly the two cases of an ASCII letter together.
		if l[i]|0x20 == 'e' && l[i+1]|0x20 == 'x' && l[i+2]|0x20 == 'i' && l[i+3]|0x20 == 't' && l[i+4]|0x20 == 's' {
			return i
		}
	}
	return -1
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// exitWord returns the exitWords entry that tok spells in any ASCII case,
// or "".
func exitWord(tok string) string {
	for _, w := range exitWords {
		if len(w) == len(tok) && strings.EqualFold(w, tok) {
			return w
		}
	}
	return ""
}

// stripANSIInPlace removes ANSI escape sequences (colours) from b in place
// and returns the length of what is left: an ESC '[' starts a CSI that
// runs to its final byte (0x40..0x7e), any other ESC takes one byte with
// it.
func stripANSIInPlace(b []byte) int {
	i := bytes.IndexByte(b, 0x1b)
	if i < 0 {
		return len(b)
	}
	w, r := i, i // b[r] is an ESC; b[:w] is the text kept so far
	for {
		r++
		if r < len(b) && b[r] == '[' {
			k := r + 1
			for k < len(b) && (b[k] < 0x40 || b[k] > 0x7e) {
				k++
			}
			r = min(k+1, len(b))
		} else if r < len(b) {
			r++
		}
		j := bytes.IndexByte(b[r:], 0x1b)
		if j < 0 {
			return w + copy(b[w:], b[r:])
		}
		w += copy(b[w:], b[r:r+j])
		r += j
	}
}
