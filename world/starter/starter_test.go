package starter_test

import (
	"testing"

	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/starter"
)

func load(t *testing.T) *world.World {
	t.Helper()
	w, err := starter.Load()
	if err != nil {
		t.Fatalf("starter world does not load:\n%v", err)
	}
	return w
}

func TestStarterSize(t *testing.T) {
	w := load(t)
	if len(w.Zones) < 3 || len(w.Rooms) < 40 {
		t.Errorf("%d zones, %d rooms; want at least 3 and 40", len(w.Zones), len(w.Rooms))
	}
	if w.Start != "village:square" {
		t.Errorf("start = %s", w.Start)
	}
}

func TestStarterReachable(t *testing.T) {
	w := load(t)
	seen := w.Reachable(w.Start)
	for _, id := range w.RoomIDs() {
		if !seen[id] {
			t.Errorf("room %s is not reachable from %s", id, w.Start)
		}
	}
}

// oneWay lists exits that are deliberately one-way ("room direction").
// There are none in the starter world today.
var oneWay = map[string]bool{}

func TestStarterExitsHaveWayBack(t *testing.T) {
	w := load(t)
	for _, id := range w.RoomIDs() {
		r := w.Rooms[id]
		for _, d := range r.ExitDirections() {
			e := r.Exits[d]
			if oneWay[string(id)+" "+d.String()] {
				continue
			}
			back := w.Rooms[e.To].Exits[d.Reverse()]
			if back.To != id {
				t.Errorf("%s %s → %s, but %s %s leads to %q", id, d, e.To, e.To, d.Reverse(), back.To)
			}
			if back.Door != e.Door || back.Closed != e.Closed {
				t.Errorf("door on %s %s does not match its other side", id, d)
			}
		}
	}
}

func TestStarterContent(t *testing.T) {
	w := load(t)
	var wear, carry, wander, greet, respond int
	for _, p := range w.Items {
		if p.Wear != world.SlotNone {
			wear++
		} else {
			carry++
		}
	}
	for _, m := range w.Mobiles {
		if m.Behaviours.Wander != nil {
			wander++
		}
		if m.Behaviours.Greet != "" {
			greet++
		}
		if len(m.Behaviours.Respond) > 0 {
			respond++
		}
	}
	if wear < 3 || carry < 3 || wander < 1 || greet < 1 || respond < 1 {
		t.Errorf("wearable %d, carry-only %d, wanderers %d, greeters %d, responders %d", wear, carry, wander, greet, respond)
	}
	for id, r := range w.Rooms {
		if len(r.Description) < 120 {
			t.Errorf("room %s has a thin description (%d bytes)", id, len(r.Description))
		}
	}
	// Items and mobiles referenced at reset all exist (the loader checks
	// this, but the quest depends on these particular ones).
	for _, id := range []world.ItemID{"village:letter", "village:helm", "mine:lantern"} {
		if _, ok := w.Item(id); !ok {
			t.Errorf("missing item %s", id)
		}
	}
	hermit, _ := w.Mobile("forest:hermit")
	if r, ok := hermit.Behaviours.ResponseTo("I have a letter for you"); !ok || len(r) != 2 {
		t.Errorf("hermit does not answer about the letter: %v", r)
	}
}

func TestStarterFS(t *testing.T) {
	w, err := world.LoadDir(starter.FS(), ".")
	if err != nil || len(w.Rooms) != len(load(t).Rooms) {
		t.Errorf("LoadDir(FS()) = %v", err)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := starter.Load(); err != nil {
			b.Fatal(err)
		}
	}
}
