package world

import (
	"fmt"
	"strings"
)

// WearSlot is where an item can be worn or held. SlotNone means it cannot be
// worn: it is carried only.
type WearSlot uint8

// The wear slots. Their String forms are the names used in area files.
const (
	SlotNone WearSlot = iota
	SlotHead
	SlotNeck
	SlotBody
	SlotAbout
	SlotArms
	SlotHands
	SlotFinger
	SlotWaist
	SlotLegs
	SlotFeet
	SlotWield
	SlotShield
	SlotHold
	numSlots
)

var slotNames = [numSlots]string{"none", "head", "neck", "body", "about", "arms", "hands",
	"finger", "waist", "legs", "feet", "wield", "shield", "hold"}

var slotLabels = [numSlots]string{"", "worn on head", "worn around neck", "worn on body",
	"worn about body", "worn on arms", "worn on hands", "worn on finger", "worn about waist",
	"worn on legs", "worn on feet", "wielded", "worn as shield", "held"}

// WearSlots lists every slot except SlotNone in equipment-list order.
func WearSlots() []WearSlot {
	s := make([]WearSlot, 0, numSlots-1)
	for i := SlotHead; i < numSlots; i++ {
		s = append(s, i)
	}
	return s
}

// String returns the area-file name of the slot ("head", "wield", "none").
func (s WearSlot) String() string {
	if s < numSlots {
		return slotNames[s]
	}
	return fmt.Sprintf("WearSlot(%d)", uint8(s))
}

// Label returns the equipment-list label: "worn on head", "wielded".
func (s WearSlot) Label() string {
	if s < numSlots {
		return slotLabels[s]
	}
	return ""
}

// ParseWearSlot reads a slot name as used in area files (case-insensitive).
func ParseWearSlot(name string) (WearSlot, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, n := range slotNames {
		if n == name {
			return WearSlot(i), true
		}
	}
	return SlotNone, false
}

// ItemProto is an item prototype from an area file. Shared read-only by every
// instance made from it.
type ItemProto struct {
	ID       ItemID
	Keywords []string
	// Short is the name in sentences: "a rusty sword".
	Short string
	// Long is the line shown when it lies on the floor: "A rusty sword lies in the dust."
	Long string
	// Description is shown when a player looks at it.
	Description string
	// Extras are extra descriptions on the item ("look inscription").
	Extras []ExtraDesc
	Wear   WearSlot
	Weight int
	Value  int
}

// Item is one instance of an item: a particular coin in a particular pocket.
// An Item is owned by exactly one actor at a time (the room it lies in or the
// character carrying it) and moves between them by value.
type Item struct {
	// ID is unique among all item instances ever created (see ItemIDGen).
	ID string `msgpack:"id"`
	// ProtoID names the prototype; it is what gets persisted.
	ProtoID ItemID `msgpack:"proto"`
	// Proto is the resolved prototype; not persisted (re-resolve with
	// World.Item after loading). Nil only for an item whose prototype was
	// removed from the area files.
	Proto *ItemProto `msgpack:"-"`
}

// NewItem returns an instance of proto with the given instance id.
func NewItem(id string, proto *ItemProto) Item {
	return Item{ID: id, ProtoID: proto.ID, Proto: proto}
}

// Short returns the prototype's short description, or a placeholder naming
// the missing prototype.
func (it Item) Short() string {
	if it.Proto == nil {
		return "something unknown (" + string(it.ProtoID) + ")"
	}
	return it.Proto.Short
}

// Long returns the prototype's floor line.
func (it Item) Long() string {
	if it.Proto == nil {
		return "Something unknown lies here."
	}
	return it.Proto.Long
}

// Keywords returns the prototype's keywords (nil when the prototype is missing).
func (it Item) Keywords() []string {
	if it.Proto == nil {
		return nil
	}
	return it.Proto.Keywords
}

// Wear returns where the item can be worn (SlotNone if not wearable).
func (it Item) Wear() WearSlot {
	if it.Proto == nil {
		return SlotNone
	}
	return it.Proto.Wear
}

// Resolve fills it.Proto from the world by ProtoID (after a load from the
// store) and reports whether the prototype exists.
func (it *Item) Resolve(w *World) bool {
	p, ok := w.Items[it.ProtoID]
	it.Proto = p
	return ok
}

// ItemIDGen makes unique item instance ids: a prefix (for example the node or
// boot id, so ids never repeat across restarts) and a counter. It is a plain
// value owned by one actor; it is not safe for concurrent use.
type ItemIDGen struct {
	Prefix string `msgpack:"prefix"`
	Next   uint64 `msgpack:"next"`
}

// New returns the next id: "<prefix>-<n>".
func (g *ItemIDGen) New() string {
	g.Next++
	return fmt.Sprintf("%s-%d", g.Prefix, g.Next)
}
