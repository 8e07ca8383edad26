package world

import (
	"errors"
	"sort"
	"strings"
)

// Errors from Character's inventory and equipment rules.
var (
	ErrNotWearable = errors.New("world: item cannot be worn")
	ErrNothingWorn = errors.New("world: nothing worn there")
	ErrNoSuchItem  = errors.New("world: no such item")
	ErrTooHeavy    = errors.New("world: too heavy to carry")
)

// MaxCarryWeight is how much weight a character can carry in inventory and
// equipment together.
const MaxCarryWeight = 100

// Character is the plain game state of a player or mobile: the value a
// character actor owns and mutates, and from which persistence builds its
// record. It holds no actor references, so it can be copied and tested
// freely. Item prototypes inside are shared read-only; the Items themselves
// belong to this character.
type Character struct {
	// Name is the display name: "Alice" for a player, the mobile's Short
	// text ("the town crier") for a mobile.
	Name string `msgpack:"name"`
	// Mobile is the prototype id for a mobile, "" for a player.
	Mobile MobID `msgpack:"mobile,omitempty"`
	// Proto is the resolved mobile prototype; nil for players. Not persisted.
	Proto *MobProto `msgpack:"-"`
	// Description is what others see when they look at the character.
	Description string `msgpack:"description"`
	// Room is where the character is.
	Room   RoomID `msgpack:"room"`
	Vitals Vitals `msgpack:"vitals"`
	// Inventory is what the character carries, in the order picked up.
	Inventory []Item `msgpack:"inventory"`
	// Equipment is what the character wears, by slot (never SlotNone).
	Equipment map[WearSlot]Item `msgpack:"equipment"`
	// Admin characters may use admin commands.
	Admin bool `msgpack:"admin,omitempty"`
}

// NewPlayer returns a fresh player character in room.
func NewPlayer(name string, room RoomID) Character {
	return Character{Name: CanonicalName(name), Room: room, Vitals: DefaultPlayerVitals,
		Description: "You see nothing special about " + CanonicalName(name) + "."}
}

// NewMobile returns a fresh mobile of prototype p in room.
func NewMobile(p *MobProto, room RoomID) Character {
	return Character{Name: p.Short, Mobile: p.ID, Proto: p, Description: p.Description, Room: room, Vitals: p.Vitals.Full()}
}

// IsMobile reports whether the character is a mobile.
func (c *Character) IsMobile() bool { return c.Mobile != "" }

// Keywords are the words the character is found by: a player's lower-cased
// name, a mobile's prototype keywords.
func (c *Character) Keywords() []string {
	if c.Proto != nil {
		return c.Proto.Keywords
	}
	return []string{strings.ToLower(c.Name)}
}

// RoomLine is the line others see in the room: the mobile's Long text, or
// "Alice is here." for a player.
func (c *Character) RoomLine() string {
	if c.Proto != nil {
		return c.Proto.Long
	}
	return c.Name + " is here."
}

// Weight is the total weight of everything carried and worn.
func (c *Character) Weight() int {
	w := 0
	for _, it := range c.Inventory {
		if it.Proto != nil {
			w += it.Proto.Weight
		}
	}
	for _, it := range c.Equipment {
		if it.Proto != nil {
			w += it.Proto.Weight
		}
	}
	return w
}

// CanCarry reports whether adding items keeps the character within
// MaxCarryWeight.
func (c *Character) CanCarry(items ...Item) bool {
	w := c.Weight()
	for _, it := range items {
		if it.Proto != nil {
			w += it.Proto.Weight
		}
	}
	return w <= MaxCarryWeight
}

// Give adds an item to the inventory, or fails with ErrTooHeavy.
func (c *Character) Give(it Item) error {
	if !c.CanCarry(it) {
		return ErrTooHeavy
	}
	c.Inventory = append(c.Inventory, it)
	return nil
}

// TakeItems removes the inventory items at the given indexes (as returned by
// command.Select) and returns them in inventory order. Out-of-range and
// repeated indexes are ignored.
func (c *Character) TakeItems(idx []int) []Item {
	return TakeItems(&c.Inventory, idx)
}

// TakeItems removes the elements of *list at the given indexes and returns
// them in list order; the room actor uses it for its floor items too.
// Out-of-range and repeated indexes are ignored.
func TakeItems(list *[]Item, idx []int) []Item {
	take := map[int]bool{}
	for _, i := range idx {
		if i >= 0 && i < len(*list) {
			take[i] = true
		}
	}
	if len(take) == 0 {
		return nil
	}
	var taken []Item
	kept := make([]Item, 0, len(*list)-len(take))
	for i, it := range *list {
		if take[i] {
			taken = append(taken, it)
		} else {
			kept = append(kept, it)
		}
	}
	*list = kept
	return taken
}

// Wear moves inventory item i into its wear slot. Whatever was in that slot
// goes back to the end of the inventory and is returned as removed, with
// swapped true (swapped is false when the slot was empty). Fails with
// ErrNoSuchItem or ErrNotWearable, leaving the character unchanged.
func (c *Character) Wear(i int) (worn Item, removed Item, swapped bool, err error) {
	if i < 0 || i >= len(c.Inventory) {
		return Item{}, Item{}, false, ErrNoSuchItem
	}
	it := c.Inventory[i]
	slot := it.Wear()
	if slot == SlotNone {
		return Item{}, Item{}, false, ErrNotWearable
	}
	if c.Equipment == nil {
		c.Equipment = map[WearSlot]Item{}
	}
	c.Inventory = append(c.Inventory[:i:i], c.Inventory[i+1:]...)
	prev, had := c.Equipment[slot]
	c.Equipment[slot] = it
	if had {
		c.Inventory = append(c.Inventory, prev)
	}
	return it, prev, had, nil
}

// Remove takes off whatever is worn in slot and puts it in the inventory.
func (c *Character) Remove(slot WearSlot) (Item, error) {
	it, ok := c.Equipment[slot]
	if !ok {
		return Item{}, ErrNothingWorn
	}
	delete(c.Equipment, slot)
	c.Inventory = append(c.Inventory, it)
	return it, nil
}

// WornItems returns the worn items in equipment-list slot order.
func (c *Character) WornItems() []WornItem {
	var out []WornItem
	for s, it := range c.Equipment {
		out = append(out, WornItem{Slot: s, Item: it})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Slot < out[j].Slot })
	return out
}

// WornItem is one line of the equipment list.
type WornItem struct {
	Slot WearSlot
	Item Item
}

// Resolve re-attaches prototypes after loading from the store: the mobile
// prototype and every item's prototype. It reports whether all were found.
func (c *Character) Resolve(w *World) bool {
	ok := true
	if c.Mobile != "" {
		c.Proto, ok = w.Mobiles[c.Mobile]
	}
	for i := range c.Inventory {
		ok = c.Inventory[i].Resolve(w) && ok
	}
	for s, it := range c.Equipment {
		ok = it.Resolve(w) && ok
		c.Equipment[s] = it
	}
	return ok
}

// ResetItems makes fresh instances of the room's item resets, numbering them
// with gen. Unknown prototypes are skipped (LoadDir rules them out).
func (w *World) ResetItems(r *Room, gen *ItemIDGen) []Item {
	var out []Item
	for _, rs := range r.Items {
		p, ok := w.Items[rs.Item]
		if !ok {
			continue
		}
		for range rs.Count {
			out = append(out, NewItem(gen.New(), p))
		}
	}
	return out
}

// ResetMobiles makes fresh mobiles for the room's mobile resets.
func (w *World) ResetMobiles(r *Room) []Character {
	var out []Character
	for _, rs := range r.Mobiles {
		p, ok := w.Mobiles[rs.Mobile]
		if !ok {
			continue
		}
		for range rs.Count {
			out = append(out, NewMobile(p, r.ID))
		}
	}
	return out
}
