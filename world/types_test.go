package world_test

import (
	"errors"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/troupe-mud/troupe/world"
)

func TestParseDirection(t *testing.T) {
	tests := []struct {
		in   string
		want world.Direction
		ok   bool
	}{
		{"n", world.North, true}, {"north", world.North, true}, {"NoR", world.North, true},
		{"e", world.East, true}, {"s", world.South, true}, {"w", world.West, true},
		{"u", world.Up, true}, {"d", world.Down, true}, {" down ", world.Down, true},
		{"", 0, false}, {"x", 0, false}, {"northeast", 0, false}, {"norths", 0, false},
	}
	for _, tt := range tests {
		got, ok := world.ParseDirection(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseDirection(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDirectionMethods(t *testing.T) {
	tests := []struct {
		d                 world.Direction
		name, short, from string
		reverse           world.Direction
	}{
		{world.North, "north", "n", "the north", world.South},
		{world.East, "east", "e", "the east", world.West},
		{world.South, "south", "s", "the south", world.North},
		{world.West, "west", "w", "the west", world.East},
		{world.Up, "up", "u", "above", world.Down},
		{world.Down, "down", "d", "below", world.Up},
	}
	for _, tt := range tests {
		if tt.d.String() != tt.name || tt.d.Short() != tt.short || tt.d.FromPhrase() != tt.from || tt.d.Reverse() != tt.reverse {
			t.Errorf("%v: %q %q %q %v", tt.d, tt.d.String(), tt.d.Short(), tt.d.FromPhrase(), tt.d.Reverse())
		}
		if tt.d.Reverse().Reverse() != tt.d {
			t.Errorf("%v: Reverse is not an involution", tt.d)
		}
	}
	if world.Direction(9).Valid() || world.Direction(9).String() != "Direction(9)" {
		t.Error("invalid direction not reported")
	}
}

func TestRoomID(t *testing.T) {
	id := world.MakeRoomID("village", "square")
	if id != "village:square" || id.Zone() != "village" || id.Local() != "square" {
		t.Errorf("%q %q %q", id, id.Zone(), id.Local())
	}
	if world.RoomID("bare").Zone() != "" || world.RoomID("bare").Local() != "bare" {
		t.Error("id without zone")
	}
}

func TestValidCharacterName(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"Bob", nil}, {"alice", nil}, {"Abcdefghijklmno", nil},
		{"Al", world.ErrCharNameLength}, {"", world.ErrCharNameLength}, {"Abcdefghijklmnop", world.ErrCharNameLength},
		{"b0b", world.ErrCharNameLetters}, {"Mary Ann", world.ErrCharNameLetters}, {"Zoë", world.ErrCharNameLetters}, {"a-b", world.ErrCharNameLetters},
	}
	for _, tt := range tests {
		if got := world.ValidCharacterName(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("ValidCharacterName(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if world.ErrCharNameLetters.Error() != "Character names must contain only letters." ||
		world.ErrCharNameLength.Error() != "Character names must be 3-15 characters long." {
		t.Error("login-flow messages changed")
	}
}

func TestValidAccountName(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"bob42", nil}, {"ABC", nil}, {"a2345678901234567890", nil},
		{"ab", world.ErrAccountNameLength}, {"a23456789012345678901", world.ErrAccountNameLength},
		{"bob_42", world.ErrAccountNameChars}, {"bob 42", world.ErrAccountNameChars}, {"", world.ErrAccountNameLength},
	}
	for _, tt := range tests {
		if got := world.ValidAccountName(tt.in); !errors.Is(got, tt.want) {
			t.Errorf("ValidAccountName(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if world.ErrAccountNameChars.Error() != "Account names must be alphanumeric." {
		t.Error("login-flow message changed")
	}
}

func TestCanonicalName(t *testing.T) {
	for in, want := range map[string]string{"aLICE": "Alice", "bob": "Bob", "": ""} {
		if got := world.CanonicalName(in); got != want {
			t.Errorf("CanonicalName(%q) = %q", in, got)
		}
	}
}

func TestEditDistanceAndClosest(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"look", "look", 0}, {"lok", "look", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"héllo", "hello", 1}, {"loko", "look", 1}, {"inventroy", "inventory", 1}, {"ab", "ba", 1}, {"abc", "ca", 3}} {
		if got := world.EditDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
	cands := []string{"look", "say", "score", "south", "inventory"}
	for _, tt := range []struct{ in, want string }{
		{"lokk", "look"}, {"inventroy", "inventory"}, {"xyzzy", ""}, {"", ""},
		{"sa", "say"}, {"scor", "score"}, {"soth", "south"},
		{"sxxxx", ""},
	} {
		if got := world.Closest(tt.in, cands); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := world.Closest("cat", []string{"bat", "hat"}); got != "" {
		t.Errorf("tie must not suggest, got %q", got)
	}
}

func TestWearSlots(t *testing.T) {
	for _, s := range world.WearSlots() {
		got, ok := world.ParseWearSlot(s.String())
		if !ok || got != s || s.Label() == "" {
			t.Errorf("slot %v round trip = %v %v, label %q", s, got, ok, s.Label())
		}
	}
	if s, ok := world.ParseWearSlot("NONE"); !ok || s != world.SlotNone {
		t.Error("none")
	}
	if _, ok := world.ParseWearSlot("tail"); ok {
		t.Error("tail accepted")
	}
}

func TestItemInstance(t *testing.T) {
	w := world.GenerateGrid(1)
	proto, _ := w.Item("grid0:coin")
	var gen world.ItemIDGen
	gen.Prefix = "boot7"
	a, b := world.NewItem(gen.New(), proto), world.NewItem(gen.New(), proto)
	if a.ID != "boot7-1" || b.ID != "boot7-2" || a.Short() != "a copper coin" || !world.MatchKeyword(a.Keywords(), "COP") {
		t.Errorf("items %+v %+v", a, b)
	}
	data, err := msgpack.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back world.Item
	if err := msgpack.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Proto != nil || back.ID != a.ID || back.ProtoID != a.ProtoID {
		t.Errorf("round trip = %+v", back)
	}
	if !back.Resolve(w) || back.Proto != proto {
		t.Error("Resolve failed")
	}
	gone := world.Item{ID: "x", ProtoID: "old:thing"}
	if gone.Resolve(w) || gone.Short() != "something unknown (old:thing)" || gone.Keywords() != nil || gone.Wear() != world.SlotNone {
		t.Errorf("missing proto item = %+v", gone)
	}
}

func TestVitalsFull(t *testing.T) {
	v := world.Vitals{HP: 1, MaxHP: 10, MP: 0, MaxMP: 5, MV: 2, MaxMV: 7}.Full()
	if v != (world.Vitals{HP: 10, MaxHP: 10, MP: 5, MaxMP: 5, MV: 7, MaxMV: 7}) {
		t.Errorf("Full = %+v", v)
	}
}
