package text_test

import (
	"reflect"
	"testing"

	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/text"
)

func TestList(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a sword"}, "a sword"},
		{[]string{"a sword", "a shield"}, "a sword and a shield"},
		{[]string{"a sword", "a shield", "a bun"}, "a sword, a shield and a bun"},
		{[]string{"w", "x", "y", "z"}, "w, x, y and z"},
	}
	for _, tt := range tests {
		if got := text.List(tt.in); got != tt.want {
			t.Errorf("List(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCapitalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a copper coin", "A copper coin"},
		{"{ya copper coin{x", "{yA copper coin{x"},
		{"{Y{ga coin", "{Y{gA coin"},
		{"{{a brace", "{{a brace"},
		{"Already", "Already"},
		{"", ""},
		{"{x", "{x"},
		{"élan", "Élan"},
		{"'quoted'", "'quoted'"},
		{"{", "{"},
		{"{zoo", "{zoo"},
	}
	for _, tt := range tests {
		if got := text.Capitalize(tt.in); got != tt.want {
			t.Errorf("Capitalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"{rred{x and {Gbright{x", "red and bright"},
		{"a {{brace}", "a {brace}"},
		{"{z unknown", "{z unknown"},
		{"trailing {", "trailing {"},
		{"{{{r", "{"},
	}
	for _, tt := range tests {
		if got := text.Strip(tt.in); got != tt.want {
			t.Errorf("Strip(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, s := range []string{"hi {rthere{x", "{{", "{", "no braces", "{{{x"} {
		if got := text.Strip(text.Escape(s)); got != s {
			t.Errorf("Strip(Escape(%q)) = %q", s, got)
		}
	}
	if n := text.VisibleLen("{Rhé{x{{"); n != 3 {
		t.Errorf("VisibleLen = %d, want 3", n)
	}
}

func TestGroupLines(t *testing.T) {
	in := []string{"a copper coin", "a sword", "a copper coin", "a copper coin", "a bun", "a sword"}
	want := []string{"(3) a copper coin", "(2) a sword", "a bun"}
	if got := text.GroupLines(in); !reflect.DeepEqual(got, want) {
		t.Errorf("GroupLines = %q, want %q", got, want)
	}
	if got := text.GroupLines(nil); len(got) != 0 {
		t.Errorf("GroupLines(nil) = %q", got)
	}
}

func TestExitsLine(t *testing.T) {
	tests := []struct {
		in   []text.ExitView
		want string
	}{
		{nil, "{c[Exits: none]{x"},
		{[]text.ExitView{{Dir: world.North}}, "{c[Exits: north]{x"},
		{[]text.ExitView{{Dir: world.North}, {Dir: world.East}, {Dir: world.Up, Closed: true}}, "{c[Exits: north east (up)]{x"},
	}
	for _, tt := range tests {
		if got := text.ExitsLine(tt.in); got != tt.want {
			t.Errorf("ExitsLine(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRenderRoom(t *testing.T) {
	v := text.RoomView{
		Name:        "The Village Square",
		Description: "Cobbles spread out\naround a fountain.\n\nA board leans here.\n",
		Exits:       []text.ExitView{{Dir: world.North}, {Dir: world.South, Closed: true}},
		Items:       []string{"a copper coin lies here.", "A sword.", "a copper coin lies here."},
		Occupants:   []string{"the town crier rings a bell.", "Alice is here."},
	}
	want := "{CThe Village Square{x\n" +
		"Cobbles spread out around a fountain.\n\nA board leans here.\n" +
		"{c[Exits: north (south)]{x\n" +
		"{g(2) a copper coin lies here.{x\n" +
		"{gA sword.{x\n" +
		"{yThe town crier rings a bell.{x\n" +
		"{yAlice is here.{x\n"
	if got := text.RenderRoom(v); got != want {
		t.Errorf("RenderRoom =\n%q\nwant\n%q", got, want)
	}
	v.Brief, v.Items, v.Occupants = true, nil, nil
	want = "{CThe Village Square{x\n{c[Exits: north (south)]{x\n"
	if got := text.RenderRoom(v); got != want {
		t.Errorf("brief RenderRoom = %q, want %q", got, want)
	}
}

func TestUnwrap(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one\ntwo\nthree\n", "one two three"},
		{"para one\nstill one\n\n\n\npara two", "para one still one\n\npara two"},
		{"intro:\n  indented line\n  another\nback", "intro:\n  indented line\n  another\nback"},
		{"trailing   \nspaces", "trailing spaces"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := text.Unwrap(tt.in); got != tt.want {
			t.Errorf("Unwrap(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"the quick brown fox jumps over the lazy dog", 10, []string{"the quick", "brown fox", "jumps over", "the lazy", "dog"}},
		{"  spaced    out  ", 80, []string{"spaced out"}},
		{"supercalifragilistic word", 5, []string{"supercalifragilistic", "word"}},
		{"{rred{x words here", 9, []string{"{rred{x words", "here"}},
		{"", 10, nil},
		{"a b", 0, []string{"a", "b"}},
	}
	for _, tt := range tests {
		if got := text.Wrap(tt.in, tt.width); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
