package world

import (
	"fmt"
	"strings"
	"testing/fstest"
)

// GridZoneSize is how many rooms GenerateGrid puts in each zone.
const GridZoneSize = 1000

// GenerateGrid builds an in-memory world of n rooms (at least 1) laid out as
// a square-ish grid, GridZoneSize rooms per zone ("grid0", "grid1", …),
// every room linked to its grid neighbours both ways (zone borders are
// crossed with zone-qualified exits). Room i is "grid<i/1000>:r<i>"; the
// start room is "grid0:r0". Every tenth room holds a copper coin and every
// hundredth a wandering rat, so resets have work to do. It is meant for
// start-up and load benchmarks.
func GenerateGrid(n int) *World {
	n = max(n, 1)
	w := NewWorld()
	width := 1
	for width*width < n {
		width++
	}
	coin := &ItemProto{ID: "grid0:coin", Keywords: []string{"coin", "copper"}, Short: "a copper coin",
		Long: "A copper coin glints here.", Weight: 0, Value: 1}
	rat := &MobProto{ID: "grid0:rat", Keywords: []string{"rat"}, Short: "a grid rat",
		Long: "A grid rat scurries about.", Vitals: Vitals{HP: 3, MaxHP: 3, MV: 50, MaxMV: 50},
		Behaviours: Behaviours{Wander: &WanderBehaviour{Interval: DefaultWanderInterval}}}
	w.Items[coin.ID] = coin
	w.Mobiles[rat.ID] = rat
	id := func(i int) RoomID { return RoomID(fmt.Sprintf("grid%d:r%d", i/GridZoneSize, i)) }
	for i := range n {
		rid := id(i)
		z := rid.Zone()
		zone := w.Zones[z]
		if zone == nil {
			zone = &Zone{ID: z, Name: "Grid zone " + strings.TrimPrefix(z, "grid"), Description: "Generated grid."}
			w.Zones[z] = zone
		}
		zone.Rooms = append(zone.Rooms, rid)
		x, y := i%width, i/width
		r := &Room{ID: rid, Name: fmt.Sprintf("Grid %d,%d", x, y),
			Description: fmt.Sprintf("A featureless square of grid at %d,%d.", x, y)}
		link := func(d Direction, j int) {
			if j >= 0 && j < n {
				r.Exits[d] = Exit{To: id(j)}
			}
		}
		if y > 0 {
			link(North, i-width)
		}
		link(South, i+width)
		if x > 0 {
			link(West, i-1)
		}
		if x < width-1 {
			link(East, i+1)
		}
		if i%10 == 0 {
			r.Items = []ItemReset{{Item: coin.ID, Count: 1}}
		}
		if i%100 == 0 {
			r.Mobiles = []MobReset{{Mobile: rat.ID, Count: 1}}
		}
		w.Rooms[rid] = r
	}
	w.Start = id(0)
	return w
}

// GenerateGridFS renders the same world as GenerateGrid as YAML area files
// (one per zone, "grid<k>.yaml" at the root of the returned fs.FS), so a
// benchmark can measure LoadDir(GenerateGridFS(n), ".") end to end.
func GenerateGridFS(n int) fstest.MapFS {
	w := GenerateGrid(n)
	fsys := fstest.MapFS{}
	for _, zid := range w.ZoneIDs() {
		z := w.Zones[zid]
		var b strings.Builder
		fmt.Fprintf(&b, "zone: %s\nname: %s\ndescription: %s\n", z.ID, z.Name, z.Description)
		if zid == "grid0" {
			b.WriteString("start: r0\n")
			b.WriteString("items:\n  - {id: coin, keywords: [coin, copper], short: a copper coin, long: A copper coin glints here., value: 1}\n")
			b.WriteString("mobiles:\n  - id: rat\n    keywords: rat\n    short: a grid rat\n    long: A grid rat scurries about.\n    vitals: {hp: 3, mv: 50}\n    behaviours: {wander: {interval: 1m}}\n")
		}
		b.WriteString("rooms:\n")
		for _, rid := range z.Rooms {
			r := w.Rooms[rid]
			fmt.Fprintf(&b, "  - id: %s\n    name: %s\n    description: %s\n", rid.Local(), r.Name, r.Description)
			if ds := r.ExitDirections(); len(ds) > 0 {
				b.WriteString("    exits:\n")
				for _, d := range ds {
					to := r.Exits[d].To
					ref := to.Local()
					if to.Zone() != zid {
						ref = string(to)
					}
					fmt.Fprintf(&b, "      %s: '%s'\n", d, ref)
				}
			}
			if len(r.Items) > 0 {
				b.WriteString("    items: ['grid0:coin']\n")
			}
			if len(r.Mobiles) > 0 {
				b.WriteString("    mobiles: ['grid0:rat']\n")
			}
		}
		fsys[zid+".yaml"] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}
