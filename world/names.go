package world

import (
	"errors"
	"sort"
	"strings"
	"unicode/utf8"
)

// Name-validation errors. Their Error strings are shown to players by the
// login flow verbatim.
var (
	ErrCharNameLetters   = errors.New("Character names must contain only letters.")
	ErrCharNameLength    = errors.New("Character names must be 3-15 characters long.")
	ErrAccountNameChars  = errors.New("Account names must be alphanumeric.")
	ErrAccountNameLength = errors.New("Account names must be 3-20 characters long.")
)

// Name length bounds.
const (
	MinCharNameLen    = 3
	MaxCharNameLen    = 15
	MinAccountNameLen = 3
	MaxAccountNameLen = 20
)

// ValidCharacterName checks a character name: ASCII letters only, 3-15 long.
// The letters check comes first, so "b0b" reports letters, not length.
func ValidCharacterName(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return ErrCharNameLetters
		}
	}
	if len(s) < MinCharNameLen || len(s) > MaxCharNameLen {
		return ErrCharNameLength
	}
	return nil
}

// ValidAccountName checks an account name: ASCII letters and digits only,
// 3-20 long.
func ValidAccountName(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return ErrAccountNameChars
		}
	}
	if len(s) < MinAccountNameLen || len(s) > MaxAccountNameLen {
		return ErrAccountNameLength
	}
	return nil
}

// CanonicalName returns a character name as stored and displayed: first
// letter upper case, the rest lower case ("aLICE" → "Alice").
func CanonicalName(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToLower(s)
	return strings.ToUpper(s[:1]) + s[1:]
}

// EditDistance returns the optimal-string-alignment distance between a and
// b, counted in runes: the number of insertions, deletions, substitutions and
// swaps of two adjacent runes ("loko" → "look" is 1) needed to turn one into
// the other. It is used for "did you mean" suggestions; inputs are short.
func EditDistance(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	// Three rolling rows: i-2, i-1 and i.
	w := len(rb) + 1
	pp, prev, cur := make([]int, w), make([]int, w), make([]int, w)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(rb)]
}

// Closest returns the candidate nearest to word by EditDistance when it is
// clearly close: at most 1 edit for words of up to 4 runes, at most 2 for
// longer ones, and strictly closer than any other candidate. Otherwise "".
func Closest(word string, candidates []string) string {
	if word == "" {
		return ""
	}
	limit := 1
	if utf8.RuneCountInString(word) > 4 {
		limit = 2
	}
	best, bestD, tie := "", limit+1, false
	for _, c := range candidates {
		d := EditDistance(word, c)
		switch {
		case d < bestD:
			best, bestD, tie = c, d, false
		case d == bestD && c != best:
			tie = true
		}
	}
	if best == "" || tie {
		return ""
	}
	return best
}

func sortRoomIDs(ids []RoomID) { sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) }

func sortStrings(s []string) { sort.Strings(s) }
