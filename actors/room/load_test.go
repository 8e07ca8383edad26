package room_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
)

// TestRoomsKeepSavedFloorsWhenTheStoreIsBusy: every room of a big world
// asks the store for its floor at once when the game starts; loads the
// store refuses as busy are asked again, never replaced by the area file's
// resets (which would throw the saved floor away — after every restart).
func TestRoomsKeepSavedFloorsWhenTheStoreIsBusy(t *testing.T) {
	w := world.GenerateGrid(400)
	mem := persistence.NewMemory()
	var ops []persistence.Op
	withCoin := 0
	saved := map[world.RoomID]bool{} // the saved floor has a coin
	for id, r := range w.Rooms {
		// The saved state is the opposite of the area file's: rooms that
		// reset a coin were swept clean, the others got one dropped.
		rec := &persistence.RoomRecord{Schema: persistence.RoomSchema, ID: string(id)}
		if len(r.Items) > 0 {
			withCoin++
		} else {
			saved[id] = true
			rec.Items = []persistence.ItemRecord{{ID: "dropped-" + string(id), Proto: "grid0:coin"}}
		}
		ops = append(ops, persistence.Put(rec))
	}
	if withCoin == 0 || len(saved) == 0 {
		t.Fatal("the grid world resets coins everywhere or nowhere; the test would prove nothing")
	}
	if _, err := mem.Apply(context.Background(), ops); err != nil {
		t.Fatal(err)
	}
	system := actor.NewActorSystem()
	defer system.Shutdown()
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	// One reader with room for four loads: most rooms are refused at first.
	if _, err := system.Root.SpawnNamed(store.Props(mem, log, store.WithReaders(1, 4)), "server/store"); err != nil {
		t.Fatal(err)
	}
	wpid, err := system.Root.SpawnNamed(room.WorldProps(room.Config{World: w, Log: log}), "server/world")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := system.Root.RequestFuture(wpid, &room.Ready{}, 10*time.Second).Result(); err != nil {
		t.Fatal(err)
	}
	// A room shows its saved floor once its load got through; poll.
	deadline := time.Now().Add(30 * time.Second)
	for id := range w.Rooms {
		for {
			res, err := system.Root.RequestFuture(room.PID(system, id), &msg.Look{}, 10*time.Second).Result()
			if err != nil {
				t.Fatalf("look in %s: %v", id, err)
			}
			out, ok := res.(*msg.Output)
			if !ok {
				t.Fatalf("look in %s: %T", id, res)
			}
			if strings.Contains(out.Text, "copper coin") == saved[id] {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("room %s does not show its saved floor (coin: %v):\n%s", id, saved[id], out.Text)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
