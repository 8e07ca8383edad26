package character

import (
	"time"

	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
)

// fromRecord builds the game value of a player from its stored record,
// re-linking item prototypes from w (nil w leaves them unresolved).
func fromRecord(r *persistence.CharacterRecord, w *world.World) world.Character {
	ch := world.Character{
		Name:        r.Name,
		Description: r.Description,
		Room:        world.RoomID(r.Room),
		Vitals: world.Vitals{HP: r.Vitals.HP, MaxHP: r.Vitals.MaxHP, MP: r.Vitals.MP,
			MaxMP: r.Vitals.MaxMP, MV: r.Vitals.MV, MaxMV: r.Vitals.MaxMV},
	}
	if ch.Vitals.MaxHP == 0 {
		ch.Vitals = world.DefaultPlayerVitals
	}
	for _, ir := range r.Inventory {
		ch.Inventory = append(ch.Inventory, itemFromRecord(ir, w))
	}
	for _, ir := range r.Equipment {
		it := itemFromRecord(ir, w)
		slot, ok := world.ParseWearSlot(ir.Slot)
		if !ok || slot == world.SlotNone {
			ch.Inventory = append(ch.Inventory, it) // a slot that no longer exists: carry it
			continue
		}
		if ch.Equipment == nil {
			ch.Equipment = map[world.WearSlot]world.Item{}
		}
		ch.Equipment[slot] = it
	}
	return ch
}

// toRecord stores the game value into a fresh record, keeping the
// record-only fields of base.
func toRecord(ch *world.Character, base *persistence.CharacterRecord, now time.Time) *persistence.CharacterRecord {
	r := *base
	r.Schema = persistence.CharacterSchema
	r.Name = ch.Name
	r.Description = ch.Description
	r.Room = string(ch.Room)
	r.Vitals = persistence.Vitals{HP: ch.Vitals.HP, MaxHP: ch.Vitals.MaxHP, MP: ch.Vitals.MP,
		MaxMP: ch.Vitals.MaxMP, MV: ch.Vitals.MV, MaxMV: ch.Vitals.MaxMV}
	r.Inventory = nil
	for _, it := range ch.Inventory {
		r.Inventory = append(r.Inventory, itemToRecord(it, ""))
	}
	r.Equipment = nil
	for _, w := range ch.WornItems() {
		r.Equipment = append(r.Equipment, itemToRecord(w.Item, w.Slot.String()))
	}
	r.LastSeen = now
	return &r
}

func itemFromRecord(ir persistence.ItemRecord, w *world.World) world.Item {
	it := world.Item{ID: ir.ID, ProtoID: world.ItemID(ir.Proto)}
	if w != nil {
		it.Resolve(w)
	}
	return it
}

func itemToRecord(it world.Item, slot string) persistence.ItemRecord {
	return persistence.ItemRecord{ID: it.ID, Proto: string(it.ProtoID), Slot: slot}
}

// ItemsToRecords converts floor items for a room record.
func ItemsToRecords(items []world.Item) []persistence.ItemRecord {
	out := make([]persistence.ItemRecord, 0, len(items))
	for _, it := range items {
		out = append(out, itemToRecord(it, ""))
	}
	return out
}

// ItemsFromRecords converts a room record's items back, resolving
// prototypes in w.
func ItemsFromRecords(recs []persistence.ItemRecord, w *world.World) []world.Item {
	out := make([]world.Item, 0, len(recs))
	for _, ir := range recs {
		out = append(out, itemFromRecord(ir, w))
	}
	return out
}
