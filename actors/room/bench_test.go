package room_test

// Benchmarks for the figures the issues ask of rooms: world start-up, say
// fan-out, and memory per idle room and per idle mobile. They measure and
// report (b.ReportMetric); they assert nothing about timings. Run them with
// scripts/gobench.sh, or for example:
//
//	go test ./actors/room -run '^$' -bench 'WorldStartup|SayFanout' -benchtime 3x
//	go test ./actors/room -run '^$' -bench 'Memory' -benchtime 1x

import (
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/character"
	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
)

// benchWait bounds every wait of these benchmarks.
const benchWait = 30 * time.Second

// noHooks is a hook set with no subscribers (a server where no handler
// listens to game hooks), so rooms publish none.
var noHooks = &msg.HookSet{}

// benchRooms is the size of the generated world of the start-up and memory
// benchmarks.
const benchRooms = 10_000

// readyProbe is the request a probing store sends to a room after handing it
// its state: any answer proves the room has processed the load.
var readyProbe = &msg.Look{Target: "north"}

// probingStore stands at the store's well-known name in front of a real
// store actor: it passes each *store.LoadRoom on, hands the answer to the
// room, then asks the room a question. Rooms handle messages in order, so
// the answer to that question means the room has started and loaded its
// state; the probing store counts answers and closes ready at want.
type probingStore struct {
	real  *actor.PID
	want  int
	got   int
	ready chan struct{}
}

// Receive implements actor.Actor.
func (p *probingStore) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *store.LoadRoom:
		r := ctx.Sender()
		f := ctx.RequestFuture(p.real, m, benchWait)
		ctx.ReenterAfter(f, func(res any, err error) {
			if err != nil {
				res = &store.RoomLoaded{ID: m.ID, Err: err}
			}
			ctx.Send(r, res)
			ctx.Request(r, readyProbe)
		})
	case *msg.Output:
		p.got++
		if p.got == p.want {
			close(p.ready)
		}
	default:
		// Everything else (saves) goes to the real store as is.
		if _, sys := m.(actor.SystemMessage); !sys {
			if _, auto := m.(actor.AutoReceiveMessage); !auto {
				ctx.Forward(p.real)
			}
		}
	}
}

// roomsStarted collects the world actor's *room.RoomsStarted.
type roomsStarted chan *room.RoomsStarted

// Receive implements actor.Actor.
func (c roomsStarted) Receive(ctx actor.Context) {
	if m, ok := ctx.Message().(*room.RoomsStarted); ok {
		c <- m
	}
}

// worldRig is an actor system with a store at msg.ServiceStore behind a
// probing store, ready to spawn a world at msg.ServiceWorld.
type worldRig struct {
	sys     *actor.ActorSystem
	ready   chan struct{}
	started roomsStarted
	onRooms *actor.PID
	stopped sync.Once
}

func newWorldRig(b *testing.B, rooms int) *worldRig {
	b.Helper()
	sys := newSystem()
	rig := &worldRig{sys: sys, ready: make(chan struct{}), started: make(roomsStarted, 1)}
	real, err := sys.Root.SpawnNamed(store.Props(persistence.NewMemory(), zerolog.Nop()), "bench/store")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor {
		return &probingStore{real: real, want: rooms, ready: rig.ready}
	}), msg.ServiceStore); err != nil {
		b.Fatal(err)
	}
	rig.onRooms = sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return rig.started }))
	b.Cleanup(rig.stop) // for a benchmark that stops early; stop is idempotent
	return rig
}

// spawnWorld spawns the world actor for w and returns the time until every
// room was spawned (as the world actor reports it) and until every room
// had started and loaded its state.
func (rig *worldRig) spawnWorld(b *testing.B, w *world.World) (spawned, ready time.Duration) {
	b.Helper()
	t0 := time.Now()
	if _, err := rig.sys.Root.SpawnNamed(room.WorldProps(room.Config{World: w, Log: zerolog.Nop(), OnRooms: rig.onRooms, Hooks: noHooks}), msg.ServiceWorld); err != nil {
		b.Fatal(err)
	}
	select {
	case <-rig.started:
		spawned = time.Since(t0)
	case <-time.After(benchWait):
		b.Fatal("the world actor did not report its rooms")
	}
	select {
	case <-rig.ready:
		ready = time.Since(t0)
	case <-time.After(benchWait):
		b.Fatal("the rooms did not all load their state")
	}
	return spawned, ready
}

// stop shuts the actor system down (once).
func (rig *worldRig) stop() { rig.stopped.Do(rig.sys.Shutdown) }

// BenchmarkWorldStartup measures the start-up of a 10,000-room generated
// world (target ≤ 1 s): from spawning the world actor until every room
// actor has started and loaded its state from the store (proved by a
// request each room answers after its load). spawned-ms is the part until
// the world actor has spawned every room actor.
func BenchmarkWorldStartup(b *testing.B) {
	w := world.GenerateGrid(benchRooms)
	var spawnedSum, readySum time.Duration
	var worst time.Duration
	for range b.N {
		b.StopTimer()
		rig := newWorldRig(b, benchRooms)
		runtime.GC()
		b.StartTimer()
		spawned, ready := rig.spawnWorld(b, w)
		b.StopTimer()
		rig.stop()
		spawnedSum += spawned
		readySum += ready
		worst = max(worst, ready)
		b.StartTimer()
	}
	b.ReportMetric(ms(readySum)/float64(b.N), "ready-ms")
	b.ReportMetric(ms(spawnedSum)/float64(b.N), "spawned-ms")
	b.ReportMetric(ms(worst), "max-ready-ms")
}

// BenchmarkGenerateGrid measures building the 10,000-room world in memory.
func BenchmarkGenerateGrid(b *testing.B) {
	for range b.N {
		world.GenerateGrid(benchRooms)
	}
	b.ReportMetric(ms(b.Elapsed())/float64(b.N), "ms")
}

// BenchmarkLoadGridYAML measures parsing and validating the same world
// from its YAML area files (world.LoadDir on world.GenerateGridFS, which is
// built outside the timer).
func BenchmarkLoadGridYAML(b *testing.B) {
	fsys := world.GenerateGridFS(benchRooms)
	b.ResetTimer()
	for range b.N {
		w, err := world.LoadDir(fsys, ".")
		if err != nil {
			b.Fatal(err)
		}
		if len(w.Rooms) != benchRooms {
			b.Fatalf("loaded %d rooms, want %d", len(w.Rooms), benchRooms)
		}
	}
	b.ReportMetric(ms(b.Elapsed())/float64(b.N), "ms")
}

// recorder is an occupant that counts the *msg.Show it gets down on a
// shared counter and signals the last one.
type recorder struct {
	left *atomic.Int64
	done chan struct{}
}

// Receive implements actor.Actor.
func (r *recorder) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*msg.Show); ok && r.left.Add(-1) == 0 {
		r.done <- struct{}{}
	}
}

// BenchmarkSayFanout measures a say in a room of 40 listeners plus the
// speaker (target p99 ≤ 5 ms; a room of 48 or more gathers its bystanders'
// lines for 100 ms by design, which this would measure instead): from sending *msg.Say to the room until the
// 40th listener actor has received its *msg.Show. Listeners are recorder
// actors on troupe's pooled dispatcher (as characters are), registered
// with *msg.EnterRoom. One op is one say.
func BenchmarkSayFanout(b *testing.B) {
	const listeners = 40
	sys := newSystem()
	b.Cleanup(sys.Shutdown)
	if _, err := sys.Root.SpawnNamed(store.Props(persistence.NewMemory(), zerolog.Nop()), msg.ServiceStore); err != nil {
		b.Fatal(err)
	}
	w := world.GenerateGrid(1)
	r, _ := w.Room(w.Start)
	roomPID, err := sys.Root.SpawnNamed(room.Props(w, r, zerolog.Nop(), "", noHooks), msg.ServiceWorld+"/room-"+string(r.ID))
	if err != nil {
		b.Fatal(err)
	}
	left := new(atomic.Int64)
	done := make(chan struct{}, 1)
	enter := func(name string, props *actor.Props) msg.Occupant {
		pid := sys.Root.Spawn(props)
		o := msg.Occupant{Name: name, PID: pid, Line: name + " is here.", Keywords: []string{strings.ToLower(name)}}
		if _, err := sys.Root.RequestFuture(roomPID, &msg.EnterRoom{Who: o, From: msg.NoDirection, Silent: true}, benchWait).Result(); err != nil {
			b.Fatal(err)
		}
		return o
	}
	for i := range listeners {
		enter(fmt.Sprintf("Listener%d", i), actor.PropsFromProducer(func() actor.Actor { return &recorder{left: left, done: done} }, dispatch.Option()))
	}
	speaker := enter("Speaker", actor.PropsFromFunc(func(actor.Context) {}, dispatch.Option()))
	say := &msg.Say{From: speaker, Text: "Hello, everyone in this room!"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		left.Store(listeners)
		t0 := time.Now()
		sys.Root.Send(roomPID, say)
		select {
		case <-done:
		case <-time.After(benchWait):
			b.Fatalf("%d listeners still waiting for the say", left.Load())
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkMemoryPerRoom measures the heap in use per idle room: a
// 10,000-room world is spawned and loaded; the growth of HeapInuse
// (bytes/room) and of HeapAlloc (live-bytes/room), after GC, divided by the
// rooms is reported (means over the iterations; -benchtime 1x is the
// cleanest, later iterations reuse partly filled spans and read lower).
// The static world (the parsed area data) is built before the baseline and
// is not counted.
func BenchmarkMemoryPerRoom(b *testing.B) {
	w := world.GenerateGrid(benchRooms)
	var sum heap
	for range b.N {
		rig := newWorldRig(b, benchRooms)
		before := heapNow()
		rig.spawnWorld(b, w)
		after := heapNow()
		runtime.KeepAlive(w)
		rig.stop()
		sum.growth(before, after, benchRooms)
	}
	b.ReportMetric(sum.inuse/float64(b.N), "bytes/room")
	b.ReportMetric(sum.alloc/float64(b.N), "live-bytes/room")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkMemoryPerMobile measures the heap in use per idle mobile: on a
// running 10,000-room world, one mobile per room (the grid's wandering
// rat, with its wander timer, as a real mobile has) is spawned with
// character.MobileProps; once every mobile stands in its room, the growth
// of HeapInuse and HeapAlloc (after GC) divided by the mobiles is reported
// as for BenchmarkMemoryPerRoom.
// It includes the room's record of its occupant.
func BenchmarkMemoryPerMobile(b *testing.B) {
	w := world.GenerateGrid(benchRooms)
	rat, ok := w.Mobile("grid0:rat")
	if !ok {
		b.Fatal("the grid has no rat")
	}
	ids := w.RoomIDs()
	cfg := &character.Config{World: w, StartRoom: string(w.Start), Log: zerolog.Nop()}
	var sum heap
	for range b.N {
		rig := newWorldRig(b, benchRooms)
		rig.spawnWorld(b, w)
		before := heapNow()
		for _, id := range ids {
			rig.sys.Root.Spawn(character.MobileProps(cfg, rat, id, nil))
		}
		waitMobiles(b, rig.sys, ids)
		after := heapNow()
		rig.stop()
		sum.growth(before, after, len(ids))
	}
	b.ReportMetric(sum.inuse/float64(b.N), "bytes/mobile")
	b.ReportMetric(sum.alloc/float64(b.N), "live-bytes/mobile")
	b.ReportMetric(0, "ns/op")
}

// waitMobiles polls every room until a rat stands in each.
func waitMobiles(b *testing.B, sys *actor.ActorSystem, ids []world.RoomID) {
	b.Helper()
	deadline := time.Now().Add(benchWait)
	todo := ids
	for len(todo) > 0 {
		if time.Now().After(deadline) {
			b.Fatalf("%d rooms still without their mobile", len(todo))
		}
		futures := make([]*actor.Future, len(todo))
		for i, id := range todo {
			futures[i] = sys.Root.RequestFuture(room.PID(sys, id), &msg.Look{Target: "rat"}, benchWait)
		}
		var next []world.RoomID
		for i, f := range futures {
			res, err := f.Result()
			if err != nil {
				b.Fatal(err)
			}
			if out, ok := res.(*msg.Output); !ok || strings.Contains(out.Text, "don't see") {
				next = append(next, todo[i])
			}
		}
		todo = next
		if len(todo) > 0 {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// newSystem returns an actor system whose own logs are discarded.
func newSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// heap is HeapInuse and HeapAlloc after two collections.
type heap struct{ inuse, alloc float64 }

func heapNow() heap {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return heap{inuse: float64(m.HeapInuse), alloc: float64(m.HeapAlloc)}
}

// growth accumulates after-before divided by n into h.
func (h *heap) growth(before, after heap, n int) {
	h.inuse += (after.inuse - before.inuse) / float64(n)
	h.alloc += (after.alloc - before.alloc) / float64(n)
}

// reportLatency reports the p50, p99 and max of lat in microseconds.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return us(lat[min(len(lat)-1, int(p*float64(len(lat))))])
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(us(lat[len(lat)-1]), "max-µs")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
