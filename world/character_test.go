package world_test

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/troupe-mud/troupe/world"
)

func tinyWorld(t *testing.T) *world.World {
	t.Helper()
	w, err := world.LoadDir(os.DirFS("../testdata/worlds"), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestResets(t *testing.T) {
	w := tinyWorld(t)
	gen := world.ItemIDGen{Prefix: "t"}
	hall := w.Rooms["tiny:hall"]
	items := w.ResetItems(hall, &gen)
	if len(items) != 3 || items[0].ID != "t-1" || items[2].ID != "t-3" || items[1].Short() != "a copper coin" {
		t.Errorf("ResetItems = %+v", items)
	}
	mobs := w.ResetMobiles(hall)
	if len(mobs) != 1 || mobs[0].Name != "a grey cat" || !mobs[0].IsMobile() || mobs[0].Vitals.HP != 5 || mobs[0].Room != "tiny:hall" {
		t.Errorf("ResetMobiles = %+v", mobs)
	}
	if mobs[0].RoomLine() != "A grey cat washes itself here." || !world.MatchKeyword(mobs[0].Keywords(), "ca") {
		t.Errorf("mobile lines: %q %v", mobs[0].RoomLine(), mobs[0].Keywords())
	}
}

func TestCharacterInventory(t *testing.T) {
	w := tinyWorld(t)
	gen := world.ItemIDGen{Prefix: "t"}
	coin, hat := w.Items["tiny:coin"], w.Items["tiny:hat"]
	c := world.NewPlayer("aLiCe", "tiny:hall")
	if c.Name != "Alice" || c.IsMobile() || c.RoomLine() != "Alice is here." || !reflect.DeepEqual(c.Keywords(), []string{"alice"}) {
		t.Errorf("player = %+v", c)
	}
	for _, p := range []*world.ItemProto{coin, hat, coin} {
		if err := c.Give(world.NewItem(gen.New(), p)); err != nil {
			t.Fatal(err)
		}
	}
	if c.Weight() != 1 {
		t.Errorf("Weight = %d", c.Weight())
	}
	if _, _, _, err := c.Wear(0); !errors.Is(err, world.ErrNotWearable) {
		t.Errorf("wearing a coin: %v", err)
	}
	if _, _, _, err := c.Wear(7); !errors.Is(err, world.ErrNoSuchItem) {
		t.Errorf("wearing nothing: %v", err)
	}
	worn, _, swapped, err := c.Wear(1)
	if err != nil || swapped || worn.ID != "t-2" || len(c.Inventory) != 2 || c.Equipment[world.SlotHead].ID != "t-2" {
		t.Fatalf("Wear hat: %+v %v %v", c, swapped, err)
	}
	if c.Weight() != 1 {
		t.Errorf("worn items must count: Weight = %d", c.Weight())
	}
	// A second hat swaps with the first.
	c.Give(world.NewItem(gen.New(), hat))
	_, removed, swapped, err := c.Wear(2)
	if err != nil || !swapped || removed.ID != "t-2" || c.Equipment[world.SlotHead].ID != "t-4" || c.Inventory[len(c.Inventory)-1].ID != "t-2" {
		t.Errorf("swap: removed %+v swapped %v, eq %+v inv %+v", removed, swapped, c.Equipment, c.Inventory)
	}
	if got := c.WornItems(); len(got) != 1 || got[0].Slot != world.SlotHead {
		t.Errorf("WornItems = %+v", got)
	}
	if _, err := c.Remove(world.SlotFeet); !errors.Is(err, world.ErrNothingWorn) {
		t.Errorf("Remove feet: %v", err)
	}
	if it, err := c.Remove(world.SlotHead); err != nil || it.ID != "t-4" || len(c.Equipment) != 0 {
		t.Errorf("Remove head: %v %v", it, err)
	}
	taken := c.TakeItems([]int{2, 0, 0, 99, -1})
	if len(taken) != 2 || taken[0].ID != "t-1" || taken[1].ID != "t-2" || len(c.Inventory) != 2 {
		t.Errorf("TakeItems = %+v, left %+v", taken, c.Inventory)
	}
	if c.TakeItems(nil) != nil {
		t.Error("TakeItems(nil) took something")
	}
}

func TestCarryLimit(t *testing.T) {
	c := world.NewPlayer("bob", "x:y")
	anvil := &world.ItemProto{ID: "x:anvil", Keywords: []string{"anvil"}, Short: "an anvil", Weight: 60}
	if err := c.Give(world.NewItem("1", anvil)); err != nil {
		t.Fatal(err)
	}
	if err := c.Give(world.NewItem("2", anvil)); !errors.Is(err, world.ErrTooHeavy) || len(c.Inventory) != 1 {
		t.Errorf("second anvil: %v", err)
	}
}

func TestCharacterMsgpack(t *testing.T) {
	w := tinyWorld(t)
	c := world.NewMobile(w.Mobiles["tiny:cat"], "tiny:yard")
	c.Give(world.NewItem("i1", w.Items["tiny:hat"]))
	c.Give(world.NewItem("i2", w.Items["tiny:coin"]))
	if _, _, _, err := c.Wear(0); err != nil {
		t.Fatal(err)
	}
	data, err := msgpack.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	var back world.Character
	if err := msgpack.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Proto != nil || back.Equipment[world.SlotHead].Proto != nil {
		t.Error("prototypes were serialized")
	}
	if !back.Resolve(w) || !reflect.DeepEqual(back, c) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, c)
	}
	back.Inventory = append(back.Inventory, world.Item{ID: "i3", ProtoID: "gone:thing"})
	if back.Resolve(w) {
		t.Error("Resolve ignored a missing prototype")
	}
}

func TestWanderExitsAndGreet(t *testing.T) {
	w := tinyWorld(t)
	// The hall's up exit has a closed door: a wanderer does not take it.
	if got := w.Rooms["tiny:hall"].WanderExits(); !reflect.DeepEqual(got, []world.Direction{world.East}) {
		t.Errorf("hall WanderExits = %v", got)
	}
	r := &world.Room{ID: "a:x"}
	r.Exits[world.North] = world.Exit{To: "b:y"}
	r.Exits[world.South] = world.Exit{To: "a:z", Door: true}
	if got := r.WanderExits(); !reflect.DeepEqual(got, []world.Direction{world.South}) {
		t.Errorf("cross-zone exit offered to a wanderer: %v", got)
	}
	cat := w.Mobiles["tiny:cat"]
	if got := cat.Behaviours.GreetFor("Alice"); got != "The cat looks up at Alice and purrs." {
		t.Errorf("GreetFor = %q", got)
	}
	if got := w.Mobiles["tiny:sage"].Behaviours.GreetFor("Alice"); got != "" {
		t.Errorf("non-greeter greets: %q", got)
	}
}
