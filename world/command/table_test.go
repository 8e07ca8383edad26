package command_test

import (
	"errors"
	"testing"

	"github.com/troupe-mud/troupe/world/command"
)

// newTable builds a table in classic Diku order; the handler is just a tag.
func newTable(t *testing.T) *command.Table[string] {
	t.Helper()
	var tb command.Table[string]
	for _, e := range []command.Entry[string]{
		{Name: "north", Handler: "north"},
		{Name: "east", Handler: "east"},
		{Name: "south", Handler: "south"},
		{Name: "west", Handler: "west"},
		{Name: "up", Handler: "up"},
		{Name: "down", Handler: "down"},
		{Name: "look", MinAbbrev: "l", Aliases: []string{"examine"}, Handler: "look"},
		{Name: "say", Handler: "say", MinArgs: 1, Usage: "say <text>"},
		{Name: "score", MinAbbrev: "sc", Handler: "score"},
		{Name: "shutdown", MinAbbrev: "shutdown", Admin: true, Handler: "shutdown"},
		{Name: "inventory", Aliases: []string{"i"}, Handler: "inventory"},
		{Name: "quit", MinAbbrev: "quit", Handler: "quit"},
		{Name: "goto", Admin: true, Handler: "goto", MinArgs: 1},
		{Name: "give", MinArgs: 2, Handler: "give"},
		{Name: "get", Handler: "get"},
	} {
		if err := tb.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	return &tb
}

func TestLookup(t *testing.T) {
	tb := newTable(t)
	tests := []struct {
		verb  string
		admin bool
		want  string // handler, "" = not found
	}{
		{"n", false, "north"},
		{"s", false, "south"}, // south comes before say and score
		{"sa", false, "say"},
		{"sc", false, "score"},
		{"l", false, "look"},
		{"LOOK", false, "look"},
		{"exam", false, ""}, // aliases match exactly only
		{"examine", false, "look"},
		{"i", false, "inventory"},
		{"inv", false, "inventory"},
		{"q", false, ""}, // quit needs the full word
		{"qui", false, ""},
		{"quit", false, "quit"},
		{"shutdown", false, ""}, // admin only: invisible
		{"shutdown", true, "shutdown"},
		{"shut", true, ""},
		{"go", false, ""},
		{"go", true, "goto"},
		{"g", false, "give"}, // give precedes get
		{"ge", false, "get"},
		{"xyzzy", false, ""},
		{"", false, ""},
		{"looking", false, ""},
	}
	for _, tt := range tests {
		e, ok := tb.Lookup(tt.verb, tt.admin)
		if ok != (tt.want != "") || e.Handler != tt.want {
			t.Errorf("Lookup(%q, admin=%v) = %q, %v; want %q", tt.verb, tt.admin, e.Handler, ok, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tb := newTable(t)
	tests := []struct {
		verb  string
		admin bool
		want  string
	}{
		{"lokk", false, "look"},
		{"loko", false, "look"},
		{"inventroy", false, "inventory"},
		{"scroe", false, "score"},
		{"shutdwn", false, ""},
		{"shutdwn", true, "shutdown"},
		{"xyzzy", false, ""},
		{"exmaine", false, "look"}, // alias suggests its command
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := tb.Suggest(tt.verb, tt.admin); got != tt.want {
			t.Errorf("Suggest(%q, admin=%v) = %q, want %q", tt.verb, tt.admin, got, tt.want)
		}
	}
}

func TestAddErrors(t *testing.T) {
	tb := newTable(t)
	tests := []struct {
		name string
		e    command.Entry[string]
		want error
	}{
		{"duplicate name", command.Entry[string]{Name: "look"}, command.ErrDuplicate},
		{"name clashes with alias", command.Entry[string]{Name: "examine"}, command.ErrDuplicate},
		{"alias clashes with name", command.Entry[string]{Name: "peer", Aliases: []string{"look"}}, command.ErrDuplicate},
		{"alias repeated", command.Entry[string]{Name: "peer", Aliases: []string{"pe", "pe"}}, command.ErrDuplicate},
		{"empty", command.Entry[string]{}, command.ErrBadEntry},
		{"upper", command.Entry[string]{Name: "Peer"}, command.ErrBadEntry},
		{"space", command.Entry[string]{Name: "pe er"}, command.ErrBadEntry},
		{"abbrev not prefix", command.Entry[string]{Name: "peer", MinAbbrev: "x"}, command.ErrBadEntry},
		{"negative args", command.Entry[string]{Name: "peer", MinArgs: -1}, command.ErrBadEntry},
	}
	for _, tt := range tests {
		if err := tb.Add(tt.e); !errors.Is(err, tt.want) {
			t.Errorf("%s: Add = %v, want %v", tt.name, err, tt.want)
		}
	}
	if tb.Len() != 15 {
		t.Errorf("failed Adds changed the table: %d entries", tb.Len())
	}
	if err := tb.Add(command.Entry[string]{Name: "peer", Handler: "peer"}); err != nil {
		t.Fatal(err)
	}
	if e, ok := tb.Lookup("pe", false); !ok || e.Handler != "peer" {
		t.Errorf("added command not found: %v", e)
	}
}

func TestMustAddPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustAdd of a duplicate did not panic")
		}
	}()
	tb := newTable(t)
	tb.MustAdd(command.Entry[string]{Name: "look"})
}

func TestEntriesAndAccepts(t *testing.T) {
	tb := newTable(t)
	all := tb.Entries()
	if len(all) != 15 || all[0].Name != "north" || all[14].Name != "get" {
		t.Fatalf("Entries order wrong: %d", len(all))
	}
	all[0].Name = "mutated"
	if tb.Entries()[0].Name != "north" {
		t.Error("Entries returned the table's own slice")
	}
	if n := len(tb.Visible(false)); n != 13 {
		t.Errorf("Visible(false) = %d entries, want 13", n)
	}
	if n := len(tb.Visible(true)); n != 15 {
		t.Errorf("Visible(true) = %d entries", n)
	}
	give, _ := tb.Lookup("give", false)
	if give.Accepts(1) || !give.Accepts(2) || !give.Accepts(3) {
		t.Error("give MinArgs 2 not honoured")
	}
	var zero command.Table[int]
	if _, ok := zero.Lookup("x", true); ok || zero.Suggest("x", true) != "" {
		t.Error("zero table found something")
	}
}

func BenchmarkLookupPrefix(b *testing.B) {
	var tb command.Table[int]
	for i, n := range []string{"north", "east", "south", "west", "up", "down", "look", "say", "score", "inventory", "get", "give", "drop", "who", "tell"} {
		tb.MustAdd(command.Entry[int]{Name: n, Handler: i})
	}
	for b.Loop() {
		if _, ok := tb.Lookup("te", false); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := command.Parse("give 2.coin  bob"); err != nil {
			b.Fatal(err)
		}
	}
}
