package sim

import (
	"slices"
	"strings"
	"testing"
)

// parseExitsLower is parseExits as it was: the line lowered, then split
// into runs of letters.
func parseExitsLower(line string) ([]string, bool) {
	lower := strings.ToLower(line)
	i := strings.Index(lower, "exits")
	if i < 0 {
		return nil, false
	}
	rest := lower[i+len("exits"):]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return nil, false
	}
	var dst []string
	for _, f := range strings.FieldsFunc(rest[j+1:], func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
		if slices.Contains(exitWords, f) && len(dst) < 16 {
			dst = append(dst, f)
		}
	}
	return dst, true
}

func TestParseExitsCases(t *testing.T) {
	tests := []struct {
		line string
		want []string
		ok   bool
	}{
		{"[EXITS: NORTH East sOuTh]", []string{"north", "east", "south"}, true},
		{"\tObvious Exits:n,s;up(closed) down.", []string{"n", "s", "up", "down"}, true},
		{"exits:" + strings.Repeat(" n", 20), slices.Repeat([]string{"n"}, 16), true},
		{"Exits: northwestern nw2 ne", []string{"nw", "ne"}, true},
		{"ExitsXYZ: west", []string{"west"}, true},
		{"Exit: north", nil, false},
		{"exits north", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseExits(tt.line, []string{"stale"})
		if ok != tt.ok || (ok && !slices.Equal(got, tt.want)) {
			t.Errorf("parseExits(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { parseExits("A wide square paved with old stones.", nil) }); n != 0 {
		t.Errorf("parseExits allocates %v times on a line that is not an exits line", n)
	}
}

// FuzzParseExits checks parseExits against the lower-casing version it
// replaced, on ASCII lines (strings.ToLower also folds a few non-ASCII
// letters, such as the Kelvin sign, into ASCII ones).
func FuzzParseExits(f *testing.F) {
	for _, s := range []string{"[Exits: north east]", "Obvious exits: n, s, up.", "EXITS: DOWN", "The exits are blocked", "exits:in out"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for i := range len(line) {
			if line[i] >= 0x80 {
				return
			}
		}
		got, ok := parseExits(line, nil)
		want, wok := parseExitsLower(line)
		if ok != wok || !slices.Equal(got, want) {
			t.Fatalf("parseExits(%q) = %q, %v; want %q, %v", line, got, ok, want, wok)
		}
	})
}
