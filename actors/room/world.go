package room

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/world"
)

// Config configures the world actor.
type Config struct {
	World *world.World
	Log   zerolog.Logger
	// OnRooms, if set, is sent the message *RoomsStarted once every room
	// actor has been spawned (with the mobiles to place).
	OnRooms *actor.PID
	// PanicOn makes rooms panic when a Say contains it (supervision tests).
	PanicOn string
	// Hooks tells rooms which game hooks have subscribers (nil: publish all).
	Hooks *msg.HookSet
}

// Ready asks the world actor whether its rooms are spawned; it answers
// *RoomsReady (its Started, which spawns them, runs before any message).
type Ready struct{}

// RoomsReady answers *Ready.
type RoomsReady struct{ Rooms int }

// RoomsStarted tells Config.OnRooms (the characters supervisor) that every
// room exists, and which mobiles the area resets place where.
type RoomsStarted struct {
	Rooms   int
	Mobiles []MobileSpawn
	Took    time.Duration
}

// MobileSpawn is one mobile to create in a room.
type MobileSpawn struct {
	Proto *world.MobProto
	Room  world.RoomID
}

// SaveAll asks the world actor to save every room's floor; reply *SavedAll
// once the saves have been handed to the store (the store's own Flush then
// makes them durable).
type SaveAll struct{}

// SavedAll answers *SaveAll.
type SavedAll struct{ Rooms int }

// worldActor spawns and supervises the rooms. Its fields are owned by its
// mailbox.
type worldActor struct {
	cfg Config
	log zerolog.Logger

	saveTo   *actor.PID
	saveWait int
	rooms    int
}

// WorldProps returns the props of the world actor: it spawns a room actor
// per room in cfg.World and restarts any that fails.
func WorldProps(cfg Config) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		return &worldActor{cfg: cfg}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(100, time.Minute, func(reason any) actor.Directive {
		cfg.Log.Error().Str("panic", fmt.Sprint(reason)).Msg("room failed; restarting it with its occupants")
		return actor.RestartDirective
	})))
}

// Receive is the world actor's single entry point.
func (w *worldActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		w.log = w.cfg.Log.With().Str("actor", "world").Logger()
		w.spawnRooms(ctx)
	case *SaveAll:
		w.saveTo = ctx.Sender()
		w.saveWait = 0
		for _, c := range ctx.Children() {
			w.saveWait++
			ctx.Request(c, &saveRoom{})
		}
		w.checkSaved(ctx)
	case *Ready:
		ctx.Respond(&RoomsReady{Rooms: w.rooms})
	case *roomSaved:
		w.saveWait--
		w.checkSaved(ctx)
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		w.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

func (w *worldActor) spawnRooms(ctx actor.Context) {
	start := time.Now()
	var mobs []MobileSpawn
	for _, id := range w.cfg.World.RoomIDs() {
		r, _ := w.cfg.World.Room(id)
		if _, err := ctx.SpawnNamed(Props(w.cfg.World, r, w.cfg.Log, w.cfg.PanicOn, w.cfg.Hooks), "room-"+string(id)); err != nil {
			w.log.Error().Err(err).Str("room", string(id)).Msg("spawning room")
			continue
		}
		w.rooms++
		for _, mr := range r.Mobiles {
			if p, ok := w.cfg.World.Mobile(mr.Mobile); ok {
				for range max(mr.Count, 1) {
					mobs = append(mobs, MobileSpawn{Proto: p, Room: id})
				}
			}
		}
	}
	took := time.Since(start)
	w.log.Info().Int("rooms", w.rooms).Int("mobiles", len(mobs)).Dur("took", took).Msg("world started")
	if w.cfg.OnRooms != nil {
		ctx.Send(w.cfg.OnRooms, &RoomsStarted{Rooms: w.rooms, Mobiles: mobs, Took: took})
	}
}

func (w *worldActor) checkSaved(ctx actor.Context) {
	if w.saveWait == 0 && w.saveTo != nil {
		ctx.Send(w.saveTo, &SavedAll{Rooms: w.rooms})
		w.saveTo = nil
	}
}
