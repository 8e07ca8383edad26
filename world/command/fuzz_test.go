package command_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/troupe-mud/troupe/world/command"
)

// FuzzParse checks Parse's invariants on arbitrary input: no panic; a verb
// without spaces; Rest trimmed; Args exactly the words of Rest.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"look", "get   sword", "'hello", ":waves", "  ", "give 2.coin bob", "say \x00\xff{r", "\t", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := command.Parse(s)
		if err != nil {
			if !errors.Is(err, command.ErrEmptyInput) {
				t.Fatalf("Parse(%q) = unexpected error %v", s, err)
			}
			return
		}
		if c.Verb == "" || strings.ContainsFunc(c.Verb, unicode.IsSpace) {
			t.Fatalf("Parse(%q): bad verb %q", s, c.Verb)
		}
		if strings.TrimSpace(c.Rest) != c.Rest {
			t.Fatalf("Parse(%q): Rest %q not trimmed", s, c.Rest)
		}
		words := strings.Fields(c.Rest)
		if len(words) == 0 {
			words = nil
		}
		if !reflect.DeepEqual(words, c.Args) {
			t.Fatalf("Parse(%q): Args %q, Rest %q", s, c.Args, c.Rest)
		}
		if _, err := command.ParseTarget(c.Arg(0)); err != nil && c.Arg(0) != "" && !strings.Contains(c.Arg(0), ".") {
			t.Fatalf("ParseTarget(%q) failed on a plain word", c.Arg(0))
		}
	})
}
