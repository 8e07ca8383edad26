package world_test

import (
	"reflect"
	"testing"

	"github.com/troupe-mud/troupe/world"
)

func TestGenerateGrid(t *testing.T) {
	for _, n := range []int{1, 2, 7, 100, 2500} {
		w := world.GenerateGrid(n)
		if len(w.Rooms) != n {
			t.Fatalf("n=%d: %d rooms", n, len(w.Rooms))
		}
		if got := len(w.Reachable(w.Start)); got != n {
			t.Errorf("n=%d: %d rooms reachable from start", n, got)
		}
		for id, r := range w.Rooms {
			for _, d := range r.ExitDirections() {
				back := w.Rooms[r.Exits[d].To]
				if back == nil || back.Exits[d.Reverse()].To != id {
					t.Errorf("n=%d: %s %s has no way back", n, id, d)
				}
			}
		}
	}
}

func TestGenerateGridFSMatches(t *testing.T) {
	const n = 2100 // three zones, cross-zone exits
	want := world.GenerateGrid(n)
	got, err := world.LoadDir(world.GenerateGridFS(n), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Zones) != 3 || got.Start != want.Start {
		t.Fatalf("zones %d start %s", len(got.Zones), got.Start)
	}
	for id, r := range want.Rooms {
		g := got.Rooms[id]
		if g == nil || g.Exits != r.Exits || !reflect.DeepEqual(g.Items, r.Items) || !reflect.DeepEqual(g.Mobiles, r.Mobiles) {
			t.Fatalf("room %s differs:\n got %+v\nwant %+v", id, g, r)
		}
	}
}

func BenchmarkGenerateGrid10k(b *testing.B) {
	for b.Loop() {
		world.GenerateGrid(10000)
	}
}

func BenchmarkLoadDirGrid10k(b *testing.B) {
	fsys := world.GenerateGridFS(10000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := world.LoadDir(fsys, "."); err != nil {
			b.Fatal(err)
		}
	}
}
