package command

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/troupe-mud/troupe/world"
)

// ErrEmptyInput is returned by Parse for a line with nothing but spaces.
var ErrEmptyInput = errors.New("command: empty input")

// ErrBadTarget is returned by ParseTarget for malformed target syntax.
var ErrBadTarget = errors.New("command: bad target")

// MaxLineLength bounds what Parse looks at; longer input is cut here (the
// telnet layer already limits lines, this is a second fence).
const MaxLineLength = 4096

// Command is one parsed line of player input.
type Command struct {
	// Verb is the first word, lower-cased ("look"), or "say"/"emote" for the
	// ' and : shorthands. It is not yet resolved against a Table.
	Verb string
	// Args are the words after the verb, split on white space. Nil when there
	// are none.
	Args []string
	// Rest is the text after the verb exactly as typed, minus the spaces that
	// separate it from the verb and trailing spaces: what say, emote and tell
	// repeat.
	Rest string
}

// Arg returns the i-th argument or "" when there are fewer.
func (c Command) Arg(i int) string {
	if i < 0 || i >= len(c.Args) {
		return ""
	}
	return c.Args[i]
}

// RestAfter returns Rest with its first n words removed, keeping the
// spacing of what follows: for "tell bob  hi  there", RestAfter(1) is
// "hi  there".
func (c Command) RestAfter(n int) string {
	s := c.Rest
	for range n {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		i := strings.IndexFunc(s, unicode.IsSpace)
		if i < 0 {
			return ""
		}
		s = s[i:]
	}
	return strings.TrimLeftFunc(s, unicode.IsSpace)
}

// shorthands maps a leading punctuation character to the verb it stands for.
var shorthands = map[byte]string{'\'': "say", '"': "say", ':': "emote", ',': "emote"}

// Parse splits a line of input into a Command. Control characters are
// dropped (tabs become spaces), leading and trailing space is trimmed, and
// the verb is lower-cased. A line starting with ' or " is say, one starting
// with : or , is emote ("'hello" → say hello). An empty line gives
// ErrEmptyInput.
func Parse(line string) (Command, error) {
	if len(line) > MaxLineLength {
		line = line[:MaxLineLength]
	}
	line = clean(line)
	line = strings.TrimSpace(line)
	if line == "" {
		return Command{}, ErrEmptyInput
	}
	var verb, rest string
	if v, ok := shorthands[line[0]]; ok {
		verb, rest = v, strings.TrimSpace(line[1:])
	} else {
		i := strings.IndexFunc(line, unicode.IsSpace)
		if i < 0 {
			verb = line
		} else {
			verb, rest = line[:i], strings.TrimSpace(line[i:])
		}
		verb = strings.ToLower(verb)
	}
	c := Command{Verb: verb, Rest: rest}
	if f := strings.Fields(rest); len(f) > 0 {
		c.Args = f
	}
	return c, nil
}

// clean drops control characters and invalid UTF-8 and turns tabs into spaces.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == unicode.ReplacementChar || (r >= 0x80 && r < 0xa0) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || r == unicode.ReplacementChar || (r >= 0x80 && r < 0xa0):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Target is an object reference typed by a player: "sword", "2.sword",
// "all.coin" or "all".
type Target struct {
	// Keyword to match by prefix; "" only for a bare "all".
	Keyword string
	// Index is which match is meant, counting from 1 ("2.sword" → 2). It is
	// 1 for a plain keyword and 0 when All is set.
	Index int
	// All selects every match ("all.coin") or everything ("all").
	All bool
}

// MaxTargetIndex bounds the N in "N.keyword".
const MaxTargetIndex = 10000

// ParseTarget reads target syntax. "all" and "all.x" set All; "N.x" sets
// Index N (1 or more); anything else is a plain keyword. Keywords are
// lower-cased. Errors (wrapping ErrBadTarget): empty input, an empty keyword
// after the dot, or an index that is not a positive number.
func ParseTarget(s string) (Target, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Target{}, ErrBadTarget
	}
	if s == "all" {
		return Target{All: true}, nil
	}
	prefix, kw, dotted := strings.Cut(s, ".")
	if !dotted {
		return Target{Keyword: s, Index: 1}, nil
	}
	if kw == "" {
		return Target{}, ErrBadTarget
	}
	if prefix == "all" {
		return Target{Keyword: kw, All: true}, nil
	}
	n, err := strconv.Atoi(prefix)
	if err != nil || n < 1 || n > MaxTargetIndex {
		return Target{}, ErrBadTarget
	}
	return Target{Keyword: kw, Index: n}, nil
}

// Matches reports whether keywords match the target's keyword (by prefix).
// A bare "all" matches everything.
func (t Target) Matches(keywords []string) bool {
	if t.All && t.Keyword == "" {
		return true
	}
	return world.MatchKeyword(keywords, t.Keyword)
}

// Select returns the indexes into list of the elements the target names:
// every match for All, otherwise the Index-th match (or none). keywords
// extracts an element's keywords. The result is in list order.
func Select[T any](list []T, keywords func(T) []string, t Target) []int {
	var out []int
	n := 0
	for i, x := range list {
		if !t.Matches(keywords(x)) {
			continue
		}
		if t.All {
			out = append(out, i)
			continue
		}
		n++
		if n == t.Index {
			return []int{i}
		}
	}
	return out
}

// Find is Select for a single target: the index of the element the target
// names, or -1. With All it returns the first match.
func Find[T any](list []T, keywords func(T) []string, t Target) int {
	if t.All {
		t = Target{Keyword: t.Keyword, Index: 1}
		if t.Keyword == "" {
			if len(list) > 0 {
				return 0
			}
			return -1
		}
	}
	if idx := Select(list, keywords, t); len(idx) > 0 {
		return idx[0]
	}
	return -1
}
