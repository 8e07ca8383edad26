package command

import (
	"errors"
	"fmt"
	"strings"

	"github.com/troupe-mud/troupe/world"
)

// Errors returned by Table.Add, wrapped with the offending name.
var (
	ErrDuplicate = errors.New("command: duplicate name")
	ErrBadEntry  = errors.New("command: bad entry")
)

// Entry is one command in a Table. H is the handler type: the engine uses a
// function type, tests use anything.
type Entry[H any] struct {
	// Name is the full command name, lower case ("look").
	Name string
	// Aliases are extra exact names ("l" is better done with MinAbbrev;
	// aliases are for different words: "inv" → "inventory", "i").
	Aliases []string
	// MinAbbrev is the shortest prefix of Name that selects this entry ("l"
	// for look, "quit" for quit so that "q" does nothing). "" means any
	// non-empty prefix. It must be a prefix of Name.
	MinAbbrev string
	// MinArgs is how many arguments the command needs; see Accepts.
	MinArgs int
	// Admin marks a command only admins can see and use; to everybody else
	// it does not exist (Lookup, Suggest and Visible skip it).
	Admin bool
	// Usage is the syntax line shown when arguments are missing
	// ("give <item> <character>").
	Usage string
	// Help is a one-line summary for the command index.
	Help string
	// Handler is what the engine runs.
	Handler H
}

// Accepts reports whether a command with nargs arguments satisfies MinArgs.
func (e Entry[H]) Accepts(nargs int) bool { return nargs >= e.MinArgs }

// Table is an ordered command table. Order matters: when a typed prefix
// fits several names, the entry added first wins, as in classic Diku (put
// "north" before "news" so that "n" walks north).
//
// A Table is built at start-up and then only read; it is not safe to Add
// while other goroutines call Lookup. The zero value is ready to use.
type Table[H any] struct {
	entries []Entry[H]
	names   map[string]int // name and alias → index
}

// Add appends an entry. It fails (wrapping ErrDuplicate) if the name or an
// alias is already a name or alias in the table, and (wrapping ErrBadEntry)
// if the name is empty, not lower case, contains spaces, or MinAbbrev is not
// a prefix of the name.
func (t *Table[H]) Add(e Entry[H]) error {
	if err := checkName(e.Name); err != nil {
		return err
	}
	if e.MinAbbrev != "" && !strings.HasPrefix(e.Name, e.MinAbbrev) {
		return fmt.Errorf("%w: %q: minimum abbreviation %q is not a prefix of the name", ErrBadEntry, e.Name, e.MinAbbrev)
	}
	if e.MinArgs < 0 {
		return fmt.Errorf("%w: %q: negative MinArgs", ErrBadEntry, e.Name)
	}
	if t.names == nil {
		t.names = map[string]int{}
	}
	all := append([]string{e.Name}, e.Aliases...)
	seen := map[string]bool{}
	for _, n := range all {
		if err := checkName(n); err != nil {
			return err
		}
		if _, dup := t.names[n]; dup || seen[n] {
			return fmt.Errorf("%w: %q", ErrDuplicate, n)
		}
		seen[n] = true
	}
	e.Aliases = append([]string(nil), e.Aliases...)
	t.entries = append(t.entries, e)
	for _, n := range all {
		t.names[n] = len(t.entries) - 1
	}
	return nil
}

// MustAdd is Add for tables built from literals at start-up: it panics on error.
func (t *Table[H]) MustAdd(e Entry[H]) {
	if err := t.Add(e); err != nil {
		panic(err)
	}
}

func checkName(n string) error {
	if n == "" || strings.ToLower(n) != n || strings.ContainsFunc(n, func(r rune) bool { return r <= ' ' }) {
		return fmt.Errorf("%w: name %q must be non-empty lower case without spaces", ErrBadEntry, n)
	}
	return nil
}

// Lookup resolves a typed verb (case-insensitive). An exact name or alias
// wins; otherwise the first entry, in table order, whose name starts with
// the verb and is at least MinAbbrev long. Admin entries are skipped unless
// isAdmin.
func (t *Table[H]) Lookup(verb string, isAdmin bool) (Entry[H], bool) {
	verb = strings.ToLower(verb)
	if verb == "" {
		return Entry[H]{}, false
	}
	if i, ok := t.names[verb]; ok && (isAdmin || !t.entries[i].Admin) {
		return t.entries[i], true
	}
	for _, e := range t.entries {
		if e.Admin && !isAdmin {
			continue
		}
		if strings.HasPrefix(e.Name, verb) && len(verb) >= len(e.MinAbbrev) {
			return e, true
		}
	}
	return Entry[H]{}, false
}

// Suggest returns the visible command name closest to a verb that Lookup did
// not resolve ("lokk" → "look"), or "" when nothing is clearly close (see
// world.Closest). Use it for "Huh? Did you mean 'look'?".
func (t *Table[H]) Suggest(verb string, isAdmin bool) string {
	verb = strings.ToLower(verb)
	var cands []string
	owner := map[string]string{}
	for _, e := range t.entries {
		if e.Admin && !isAdmin {
			continue
		}
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if len(n) < 2 { // one-letter aliases are never "close"
				continue
			}
			cands = append(cands, n)
			owner[n] = e.Name
		}
	}
	best := world.Closest(verb, cands)
	if best == "" {
		return ""
	}
	return owner[best]
}

// Entries returns a copy of every entry in table order (admin ones too:
// filter with Visible for a player's help index).
func (t *Table[H]) Entries() []Entry[H] {
	return append([]Entry[H](nil), t.entries...)
}

// Visible returns the entries a player may see, sorted by table order.
func (t *Table[H]) Visible(isAdmin bool) []Entry[H] {
	var out []Entry[H]
	for _, e := range t.entries {
		if !e.Admin || isAdmin {
			out = append(out, e)
		}
	}
	return out
}

// Len returns the number of entries.
func (t *Table[H]) Len() int { return len(t.entries) }
