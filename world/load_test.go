package world_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/troupe-mud/troupe/world"
)

var testWorlds = os.DirFS("../testdata/worlds")

func TestLoadTiny(t *testing.T) {
	w, err := world.LoadDir(testWorlds, "tiny")
	if err != nil {
		t.Fatalf("LoadDir(tiny): %v", err)
	}
	if w.Start != "tiny:hall" {
		t.Errorf("Start = %q, want tiny:hall", w.Start)
	}
	if got := w.RoomIDs(); !reflect.DeepEqual(got, []world.RoomID{"tiny:hall", "tiny:loft", "tiny:yard"}) {
		t.Errorf("RoomIDs = %v", got)
	}
	z := w.Zones["tiny"]
	if z == nil || z.Name != "The Tiny Zone" || z.Credits != "troupe test suite" || z.File != "tiny/tiny.yaml" {
		t.Fatalf("zone = %+v", z)
	}
	if !reflect.DeepEqual(z.Rooms, []world.RoomID{"tiny:hall", "tiny:yard", "tiny:loft"}) {
		t.Errorf("zone rooms in file order = %v", z.Rooms)
	}
	hall, _ := w.Room("tiny:hall")
	if hall.Name != "The Hall" || hall.Description != "A plain hall with bare stone walls. A doorway leads east." {
		t.Errorf("hall = %q / %q", hall.Name, hall.Description)
	}
	if e, ok := hall.Exit(world.East); !ok || e.To != "tiny:yard" || e.Door {
		t.Errorf("hall east = %+v, %v", e, ok)
	}
	up, ok := hall.Exit(world.Up)
	if want := (world.Exit{To: "tiny:loft", Description: "A ladder climbs into darkness.", Door: true, Closed: true}); !ok || up != want {
		t.Errorf("hall up = %+v, want %+v", up, want)
	}
	if _, ok := hall.Exit(world.North); ok {
		t.Error("hall has a north exit")
	}
	if got := hall.ExitDirections(); !reflect.DeepEqual(got, []world.Direction{world.East, world.Up}) {
		t.Errorf("ExitDirections = %v", got)
	}
	if txt, ok := world.ExtraText(hall.Extras, "sto"); !ok || txt != "The stones are cold and damp." {
		t.Errorf("extra 'sto' = %q, %v", txt, ok)
	}
	wantItems := []world.ItemReset{{Item: "tiny:coin", Count: 1}, {Item: "tiny:coin", Count: 2}}
	if !reflect.DeepEqual(hall.Items, wantItems) {
		t.Errorf("hall items = %+v", hall.Items)
	}
	if !reflect.DeepEqual(hall.Mobiles, []world.MobReset{{Mobile: "tiny:cat", Count: 1}}) {
		t.Errorf("hall mobiles = %+v", hall.Mobiles)
	}
	coin, _ := w.Item("tiny:coin")
	if !reflect.DeepEqual(coin.Keywords, []string{"coin", "copper"}) || coin.Short != "a copper coin" || coin.Wear != world.SlotNone {
		t.Errorf("coin = %+v", coin)
	}
	hat, _ := w.Item("tiny:hat")
	if hat.Wear != world.SlotHead || hat.Weight != 1 || hat.Value != 5 || hat.Description != "It is green and has seen better days." {
		t.Errorf("hat = %+v", hat)
	}
	cat, _ := w.Mobile("tiny:cat")
	if cat.Vitals != (world.Vitals{HP: 5, MaxHP: 5, MV: 30, MaxMV: 30}) {
		t.Errorf("cat vitals = %+v", cat.Vitals)
	}
	if cat.Behaviours.Wander == nil || cat.Behaviours.Wander.Interval != 30*time.Second {
		t.Errorf("cat wander = %+v", cat.Behaviours.Wander)
	}
	if cat.Behaviours.Greet != "The cat looks up at $n and purrs." {
		t.Errorf("cat greet = %q", cat.Behaviours.Greet)
	}
	sage, _ := w.Mobile("tiny:sage")
	if sage.Vitals.MaxHP != 10 || sage.Behaviours.Wander != nil {
		t.Errorf("sage defaults = %+v", sage)
	}
	if r, ok := sage.Behaviours.ResponseTo("Tell me a RIDDLE, please!"); !ok || len(r) != 2 {
		t.Errorf("sage riddle = %v, %v", r, ok)
	}
	if r, ok := sage.Behaviours.ResponseTo("hi there"); !ok || !reflect.DeepEqual(r, []string{"The sage nods at you."}) {
		t.Errorf("sage hi = %v, %v", r, ok)
	}
	if _, ok := sage.Behaviours.ResponseTo("this is high noon"); ok {
		t.Error("'high' matched keyword 'hi': keywords must match whole words")
	}
}

func TestLoadBadFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"typo_key", []string{`bad/typo_key.yaml:7: unknown key "descripton" in room (did you mean "description"?)`}},
		{"dup_room", []string{`bad/dup_room.yaml:8: duplicate room id "dup:a" (first defined at bad/dup_room.yaml:5)`}},
		{"unknown_exit", []string{
			`bad/unknown_exit.yaml:9: exit north leads to unknown room "exits:nowhere"`,
			`bad/unknown_exit.yaml:10: exit east leads to unknown room "other:place"`,
		}},
		{"bad_direction", []string{
			`bad/bad_direction.yaml:9: bad direction "nort" (did you mean "north"?)`,
			`bad/bad_direction.yaml:10: bad direction "sideways": use north, east, south, west, up or down`,
		}},
		{"missing_name", []string{`bad/missing_name.yaml:5: room is missing name`}},
		{"unknown_refs", []string{
			`bad/unknown_refs.yaml:9: item reset names unknown item "refs:sword"`,
			`bad/unknown_refs.yaml:11: mobile reset names unknown mobile "refs:dragon"`,
		}},
		{"bad_start", []string{`bad/bad_start.yaml:3: start room "start:nowhere" does not exist`}},
		{"syntax", []string{`bad/syntax.yaml:3: YAML syntax error: did not find expected '-' indicator`}},
		{"bad_values", []string{
			"bad/bad_values.yaml:9: exit up is closed but has no door (add `door: true`)",
			`bad/bad_values.yaml:15: weight must be a whole number, not "heavy"`,
			`bad/bad_values.yaml:16: unknown wear slot "hed" (did you mean "head"?)`,
			`bad/bad_values.yaml:23: wander interval must be a duration like 30s or 2m, not "soon"`,
		}},
		{"no_zone", []string{"bad/no_zone.yaml:1: missing zone id (add `zone: <id>`)"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			w, err := world.LoadFiles(testWorlds, "bad/"+tt.file+".yaml")
			if w != nil {
				t.Error("a world with problems was returned")
			}
			var le *world.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *LoadError", err, err)
			}
			var got []string
			for _, p := range le.Problems {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if err.Error() != strings.Join(tt.want, "\n") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

// TestLoadDirReportsAll loads the whole bad directory at once: every file's
// problems are reported together, sorted by file and line.
func TestLoadDirReportsAll(t *testing.T) {
	_, err := world.LoadDir(testWorlds, "bad")
	var le *world.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v", err)
	}
	files := map[string]bool{}
	for i, p := range le.Problems {
		files[p.File] = true
		if i > 0 {
			prev := le.Problems[i-1]
			if prev.File > p.File || prev.File == p.File && prev.Line > p.Line {
				t.Errorf("problems not sorted: %v before %v", prev, p)
			}
		}
	}
	if len(files) != 10 {
		t.Errorf("problems from %d files, want 10: %v", len(files), err)
	}
	if !strings.Contains(err.Error(), "start room already set at") {
		t.Errorf("several start rooms were not reported:\n%v", err)
	}
}

func TestLoadInline(t *testing.T) {
	const base = "zone: z\nname: Z\nstart: a\nrooms:\n  - id: a\n    name: A\n    description: D.\n"
	tests := []struct {
		name string
		src  string
		want string // "" = loads fine; else the only problem
	}{
		{"ok", base, ""},
		{"empty file", "", "f.yaml: empty area file"},
		{"not a mapping", "- a\n- b\n", "f.yaml:1: zone file must be a mapping of key: value, not a list"},
		{"bad zone id", "zone: Big Zone\nname: Z\n", `f.yaml:1: invalid zone id "Big Zone": use lower-case letters, digits, '-' and '_'`},
		{"alias", base + "items:\n  - &x {id: a, keywords: a, short: a, long: a}\n  - *x\n", "f.yaml:10: anchors and aliases are not supported"},
		{"duplicate key", base + "    name: B\n", `f.yaml:8: duplicate key "name" in room (first at line 6)`},
		{"no start", "zone: z\nname: Z\nrooms:\n  - {id: a, name: A, description: D}\n", "f.yaml: no start room: add `start: <room>` to one zone file"},
		{"bad room id", "zone: z\nname: Z\nstart: a\nrooms:\n  - {id: A B, name: A, description: D}\n", "f.yaml:3: start room \"z:a\" does not exist\n" + `f.yaml:5: invalid room id "A B": use lower-case letters, digits, '-' and '_'`},
		{"exit without to", base + "    exits:\n      north: {door: true}\n", "f.yaml:9: exit north has no destination (add `to: <room>`)"},
		{"bad reference", base + "    exits:\n      north: 'a:b:c'\n", `f.yaml:9: exit north "a:b:c" is not a valid reference: use ` + "`id` or `zone:id`"},
		{"count range", base + "    items:\n      - {item: x, count: 1000}\n", "f.yaml:9: count must be between 1 and 100, not 1000"},
		{"empty name", "zone: z\nname: Z\nstart: a\nrooms:\n  - {id: a, name: '', description: D}\n", "f.yaml:5: room has an empty name"},
		{"rooms not a list", "zone: z\nname: Z\nstart: a\nrooms: {a: b}\n", "f.yaml:3: start room \"z:a\" does not exist\nf.yaml:4: rooms must be a list (lines starting with '-'), not a mapping"},
		{"unknown top key", base + "credit: me\n", `f.yaml:8: unknown key "credit" in zone file (did you mean "credits"?)`},
		{"unrelated key", base + "weather: rain\n", `f.yaml:8: unknown key "weather" in zone file (expected one of: zone, name, description, credits, start, rooms, items, mobiles)`},
		{"door not bool", base + "    exits:\n      north: {to: a, door: yes please}\n", `f.yaml:9: door must be true or false, not "yes please"`},
		{"wander too fast", "zone: z\nname: Z\nstart: a\nrooms:\n  - {id: a, name: A, description: D}\nmobiles:\n  - id: m\n    keywords: m\n    short: m\n    long: M.\n    behaviours: {wander: {interval: 10ms}}\n",
			"f.yaml:11: wander interval must be between 1s and 24h, not 10ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"f.yaml": {Data: []byte(tt.src)}}
			w, err := world.LoadFiles(fsys, "f.yaml")
			if tt.want == "" {
				if err != nil || w == nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if w != nil || err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestLoadCrossZone(t *testing.T) {
	fsys := fstest.MapFS{
		"w/a.yaml":     {Data: []byte("zone: a\nname: A\nstart: one\nrooms:\n  - id: one\n    name: One\n    description: D.\n    exits: {east: 'b:two'}\n    items: ['b:gem']\n")},
		"w/b.yaml":     {Data: []byte("zone: b\nname: B\nrooms:\n  - id: two\n    name: Two\n    description: D.\n    exits: {west: 'a:one'}\nitems:\n  - {id: gem, keywords: gem, short: a gem, long: A gem.}\n")},
		"w/readme.txt": {Data: []byte("not an area file")},
	}
	w, err := world.LoadDir(fsys, "w")
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Zones) != 2 || w.Rooms["a:one"].Exits[world.East].To != "b:two" || w.Rooms["a:one"].Items[0].Item != "b:gem" {
		t.Errorf("cross-zone world wrong: %+v", w.Rooms["a:one"])
	}
	if got := w.Reachable("a:one"); len(got) != 2 {
		t.Errorf("Reachable = %v", got)
	}
}

func TestLoadDirEmpty(t *testing.T) {
	_, err := world.LoadDir(fstest.MapFS{"x/readme.txt": {}}, "x")
	if err == nil || err.Error() != "x: no area files (*.yaml)" {
		t.Errorf("err = %v", err)
	}
}

func TestLoadTooManyProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("zone: z\nname: Z\nstart: a\nrooms:\n")
	for range 300 {
		b.WriteString("  - {id: a, name: A, description: D}\n")
	}
	_, err := world.LoadFiles(fstest.MapFS{"f.yaml": {Data: []byte(b.String())}}, "f.yaml")
	var le *world.LoadError
	if !errors.As(err, &le) {
		t.Fatal(err)
	}
	if len(le.Problems) != world.MaxProblems+1 || !strings.Contains(le.Problems[world.MaxProblems].Msg, "99 more problems") {
		t.Errorf("got %d problems, last %v", len(le.Problems), le.Problems[len(le.Problems)-1])
	}
}
