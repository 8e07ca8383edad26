package world

import (
	"fmt"
	"strings"
	"time"
)

// RoomID names a room across the whole world as "zone:local", for example
// "village:square". It is a plain comparable string so it can be used as a map
// key, an actor name suffix ("room-village:square") and a msgpack field.
type RoomID string

// MakeRoomID joins a zone id and a zone-local id into a RoomID.
func MakeRoomID(zone, local string) RoomID { return RoomID(zone + ":" + local) }

// Zone returns the zone part of the id ("village" for "village:square"), or ""
// when the id has no colon.
func (r RoomID) Zone() string {
	z, _, ok := strings.Cut(string(r), ":")
	if !ok {
		return ""
	}
	return z
}

// Local returns the zone-local part of the id ("square" for "village:square").
func (r RoomID) Local() string {
	_, l, ok := strings.Cut(string(r), ":")
	if !ok {
		return string(r)
	}
	return l
}

// ItemID names an item prototype as "zone:local", like RoomID.
type ItemID string

// MobID names a mobile prototype as "zone:local", like RoomID.
type MobID string

// Direction is one of the six exit directions. The zero value is North; use
// ParseDirection to read one from player or builder text.
type Direction uint8

// The six directions, in the classic Diku order used for exits lines.
const (
	North Direction = iota
	East
	South
	West
	Up
	Down
)

// NumDirections is the number of directions; Direction values are 0..NumDirections-1.
const NumDirections = 6

// Directions lists every direction in display order.
var Directions = [NumDirections]Direction{North, East, South, West, Up, Down}

var dirNames = [NumDirections]string{"north", "east", "south", "west", "up", "down"}

// String returns the full lower-case name ("north").
func (d Direction) String() string {
	if d < NumDirections {
		return dirNames[d]
	}
	return fmt.Sprintf("Direction(%d)", uint8(d))
}

// Short returns the one-letter form ("n").
func (d Direction) Short() string {
	if d < NumDirections {
		return dirNames[d][:1]
	}
	return "?"
}

// Valid reports whether d is one of the six directions.
func (d Direction) Valid() bool { return d < NumDirections }

// Reverse returns the opposite direction (north↔south, east↔west, up↔down).
func (d Direction) Reverse() Direction {
	switch d {
	case North:
		return South
	case South:
		return North
	case East:
		return West
	case West:
		return East
	case Up:
		return Down
	case Down:
		return Up
	}
	return d
}

// FromPhrase returns how arrivals from the direction are announced:
// "the north", "above", "below".
func (d Direction) FromPhrase() string {
	switch d {
	case Up:
		return "above"
	case Down:
		return "below"
	}
	return "the " + d.String()
}

// ParseDirection reads a direction case-insensitively from its full name or
// any prefix of it ("n", "no", "north"). The six names start with six
// different letters, so every non-empty prefix is unambiguous.
func ParseDirection(s string) (Direction, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	for i, name := range dirNames {
		if strings.HasPrefix(name, s) {
			return Direction(i), true
		}
	}
	return 0, false
}

// Vitals are a character's hit, mana and movement points, current and maximum.
type Vitals struct {
	HP    int `msgpack:"hp" json:"hp"`
	MaxHP int `msgpack:"max_hp" json:"maxhp"`
	MP    int `msgpack:"mp" json:"mp"`
	MaxMP int `msgpack:"max_mp" json:"maxmp"`
	MV    int `msgpack:"mv" json:"mv"`
	MaxMV int `msgpack:"max_mv" json:"maxmv"`
}

// Full returns v with every current value raised to its maximum.
func (v Vitals) Full() Vitals {
	v.HP, v.MP, v.MV = v.MaxHP, v.MaxMP, v.MaxMV
	return v
}

// DefaultPlayerVitals are the vitals a newly created player character starts with.
var DefaultPlayerVitals = Vitals{HP: 20, MaxHP: 20, MP: 100, MaxMP: 100, MV: 100, MaxMV: 100}

// Exit leads from a room in one direction. The zero Exit (To == "") means
// "no exit". Exits are values inside Room and are shared read-only.
type Exit struct {
	// To is the destination room.
	To RoomID
	// Description is shown when a player looks in the direction ("look north");
	// may be empty.
	Description string
	// Door is true when the exit has a door that can be opened and closed.
	Door bool
	// Closed is the door's state at reset; only meaningful when Door is true.
	Closed bool
}

// ExtraDesc is extra text a player sees with "look <keyword>" in a room or at
// an item: a statue, a sign, the view from a window.
type ExtraDesc struct {
	Keywords []string
	Text     string
}

// ItemReset places Count instances of an item prototype in a room at reset.
type ItemReset struct {
	Item  ItemID
	Count int
}

// MobReset places Count instances of a mobile prototype in a room at reset.
type MobReset struct {
	Mobile MobID
	Count  int
}

// Room is a room's static data as loaded from an area file. A *Room held in a
// World is a shared prototype: never mutate it. A room actor copies what it
// needs (exits, door states, the reset lists) into its own state.
type Room struct {
	ID          RoomID
	Name        string
	Description string
	// Exits is indexed by Direction; an entry with To == "" is no exit.
	Exits  [NumDirections]Exit
	Extras []ExtraDesc
	// Items and Mobiles are what a reset puts in the room.
	Items   []ItemReset
	Mobiles []MobReset
}

// Zone returns the zone id of the room.
func (r *Room) Zone() string { return r.ID.Zone() }

// Exit returns the exit in direction d and whether there is one.
func (r *Room) Exit(d Direction) (Exit, bool) {
	if !d.Valid() || r.Exits[d].To == "" {
		return Exit{}, false
	}
	return r.Exits[d], true
}

// ExitDirections lists the directions that have an exit, in display order.
func (r *Room) ExitDirections() []Direction {
	var ds []Direction
	for _, d := range Directions {
		if r.Exits[d].To != "" {
			ds = append(ds, d)
		}
	}
	return ds
}

// ExtraText returns the extra description whose keywords match word (by
// prefix, case-insensitively; see MatchKeyword) and whether one matched.
func ExtraText(extras []ExtraDesc, word string) (string, bool) {
	for _, e := range extras {
		if MatchKeyword(e.Keywords, word) {
			return e.Text, true
		}
	}
	return "", false
}

// MatchKeyword reports whether word is a case-insensitive prefix of any of
// the keywords. An empty word matches nothing.
func MatchKeyword(keywords []string, word string) bool {
	if word == "" {
		return false
	}
	word = strings.ToLower(word)
	for _, k := range keywords {
		if strings.HasPrefix(strings.ToLower(k), word) {
			return true
		}
	}
	return false
}

// Zone is one area file's header: who made it and what it is.
type Zone struct {
	ID          string
	Name        string
	Description string
	Credits     string
	// File is the area file the zone came from ("" for generated zones).
	File string
	// Rooms lists the zone's rooms in file order.
	Rooms []RoomID
}

// World is the whole static world: every zone, room and prototype. It is
// built once (LoadDir, GenerateGrid) and then shared read-only between
// actors; nothing in it may be mutated after it is returned.
type World struct {
	// Start is the room new and returning players appear in.
	Start RoomID
	// Zones by zone id.
	Zones map[string]*Zone
	// Rooms by id.
	Rooms map[RoomID]*Room
	// Items are the item prototypes by id.
	Items map[ItemID]*ItemProto
	// Mobiles are the mobile prototypes by id.
	Mobiles map[MobID]*MobProto
}

// NewWorld returns an empty world with its maps allocated.
func NewWorld() *World {
	return &World{
		Zones:   map[string]*Zone{},
		Rooms:   map[RoomID]*Room{},
		Items:   map[ItemID]*ItemProto{},
		Mobiles: map[MobID]*MobProto{},
	}
}

// Room returns the room with the given id.
func (w *World) Room(id RoomID) (*Room, bool) {
	r, ok := w.Rooms[id]
	return r, ok
}

// Item returns the item prototype with the given id.
func (w *World) Item(id ItemID) (*ItemProto, bool) {
	p, ok := w.Items[id]
	return p, ok
}

// Mobile returns the mobile prototype with the given id.
func (w *World) Mobile(id MobID) (*MobProto, bool) {
	p, ok := w.Mobiles[id]
	return p, ok
}

// RoomIDs returns every room id, sorted, for deterministic iteration (for
// example when the world actor spawns room actors).
func (w *World) RoomIDs() []RoomID {
	ids := make([]RoomID, 0, len(w.Rooms))
	for id := range w.Rooms {
		ids = append(ids, id)
	}
	sortRoomIDs(ids)
	return ids
}

// ZoneIDs returns every zone id, sorted.
func (w *World) ZoneIDs() []string {
	ids := make([]string, 0, len(w.Zones))
	for id := range w.Zones {
		ids = append(ids, id)
	}
	sortStrings(ids)
	return ids
}

// Reachable returns the set of rooms reachable from the given room by
// following exits (closed doors count as passable: they can be opened).
func (w *World) Reachable(from RoomID) map[RoomID]bool {
	seen := map[RoomID]bool{}
	if _, ok := w.Rooms[from]; !ok {
		return seen
	}
	queue := []RoomID{from}
	seen[from] = true
	for len(queue) > 0 {
		r := w.Rooms[queue[0]]
		queue = queue[1:]
		for _, e := range r.Exits {
			if e.To == "" || seen[e.To] {
				continue
			}
			if _, ok := w.Rooms[e.To]; ok {
				seen[e.To] = true
				queue = append(queue, e.To)
			}
		}
	}
	return seen
}

// WanderBehaviour makes a mobile move to a random neighbouring room of its own
// zone every Interval (the scheduler adds jitter).
type WanderBehaviour struct {
	Interval time.Duration
}

// Response is one `say` responder rule: when a player says something
// containing any of Keywords (as a whole word, case-insensitively) the mobile
// replies with each of Reply's lines, in order.
type Response struct {
	Keywords []string
	Reply    []string
}

// Behaviours are a mobile prototype's scripted reactions. Each is optional.
type Behaviours struct {
	// Wander is nil for a mobile that stays put.
	Wander *WanderBehaviour
	// Greet is said to a player who enters the mobile's room ("" = no greeting).
	// "$n" in the text is replaced by the player's name.
	Greet string
	// Respond lists the say responders, tried in order; the first match wins.
	Respond []Response
}

// ResponseTo returns the reply lines of the first responder rule matching the
// spoken text, and whether one matched. Keywords match whole words of the
// text, case-insensitively, ignoring punctuation.
func (b Behaviours) ResponseTo(said string) ([]string, bool) {
	words := strings.FieldsFunc(strings.ToLower(said), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r >= 0x80)
	})
	for _, rule := range b.Respond {
		for _, k := range rule.Keywords {
			k = strings.ToLower(k)
			for _, w := range words {
				if w == k {
					return rule.Reply, true
				}
			}
		}
	}
	return nil, false
}

// MobProto is a mobile (non-player character) prototype. Shared read-only.
type MobProto struct {
	ID       MobID
	Keywords []string
	// Short is the name used in sentences: "the village cat".
	Short string
	// Long is the line shown in the room: "A scruffy cat is sunning itself here."
	Long string
	// Description is shown when a player looks at the mobile.
	Description string
	// Vitals at reset (current = maximum).
	Vitals     Vitals
	Behaviours Behaviours
}

// WanderExits returns the directions a wandering mobile may take from r: the
// exits that stay inside r's zone and have no closed door, in direction
// order. The scheduler picks one at random.
func (r *Room) WanderExits() []Direction {
	var ds []Direction
	zone := r.ID.Zone()
	for _, d := range Directions {
		e := r.Exits[d]
		if e.To != "" && e.To.Zone() == zone && !(e.Door && e.Closed) {
			ds = append(ds, d)
		}
	}
	return ds
}

// GreetFor returns the greeting for a player entering, with "$n" replaced by
// the player's name, or "" when the mobile does not greet.
func (b Behaviours) GreetFor(name string) string {
	return strings.ReplaceAll(b.Greet, "$n", name)
}
