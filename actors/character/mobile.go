package character

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/world"
)

// Behaviour is a mobile behaviour that developers can write: it gets every
// message the mobile actor receives (after the engine's own handling) and
// may act through the Mob view. Behaviours are plain values; state they
// keep lives in their own fields, owned by the mobile's actor.
type Behaviour interface {
	Receive(m *Mob, message any)
}

// Mob is what a behaviour gets: the mobile it runs for, inside that
// mobile's actor. It is valid only during the call.
type Mob struct {
	a   *mobActor
	ctx actor.Context
}

// Context returns the mobile actor's context.
func (m *Mob) Context() actor.Context { return m.ctx }

// Char returns the mobile's game state.
func (m *Mob) Char() *world.Character { return &m.a.ch }

// Proto returns the mobile's prototype.
func (m *Mob) Proto() *world.MobProto { return m.a.proto }

// Room returns the room the mobile is in.
func (m *Mob) Room() world.RoomID { return m.a.ch.Room }

// Say says a line in the mobile's room.
func (m *Mob) Say(line string) {
	m.ctx.Send(room.PID(m.ctx.ActorSystem(), m.a.ch.Room), &msg.Say{From: m.a.occupant(), Text: line})
}

// Echo shows a line, as written, to the players in the mobile's room (area
// files write greetings and replies as whole sentences).
func (m *Mob) Echo(line string) {
	m.ctx.Send(room.PID(m.ctx.ActorSystem(), m.a.ch.Room), &msg.Broadcast{Text: line})
}

// Emote acts something out in the mobile's room.
func (m *Mob) Emote(action string) {
	m.ctx.Send(room.PID(m.ctx.ActorSystem(), m.a.ch.Room), &msg.Emote{From: m.a.occupant(), Text: action})
}

// Move walks the mobile through an exit of its room.
func (m *Mob) Move(d world.Direction) { m.a.move(m.ctx, d) }

// Rand returns the mobile's random source.
func (m *Mob) Rand() *rand.Rand { return m.a.rng }

// The engine's behaviours, built from a prototype's area-file Behaviours.

// Wander walks a mobile through a random exit within its zone every
// Interval (with jitter).
type Wander struct{ Interval time.Duration }

// wanderTick is Wander's timer message.
type wanderTick struct{}

// Receive implements Behaviour.
func (w Wander) Receive(m *Mob, message any) {
	switch message.(type) {
	case *actor.Started:
		m.a.every(m.ctx, w.Interval, &wanderTick{})
	case *wanderTick:
		r, ok := m.a.cfg.World.Room(m.Room())
		if !ok {
			return
		}
		if exits := r.WanderExits(); len(exits) > 0 {
			m.Move(exits[m.Rand().IntN(len(exits))])
		}
	}
}

// Greet says Text ("$n" = the player's name) to every player who enters.
type Greet struct{ Text string }

// Receive implements Behaviour.
func (g Greet) Receive(m *Mob, message any) {
	if a, ok := message.(*msg.Arrived); ok && !a.Who.Mobile && a.Room == m.Room() {
		m.Echo(world.Behaviours{Greet: g.Text}.GreetFor(a.Who.Name))
	}
}

// Respond answers keywords in what players say with scripted lines.
type Respond struct{ Rules []world.Response }

// Receive implements Behaviour.
func (r Respond) Receive(m *Mob, message any) {
	h, ok := message.(*msg.Heard)
	if !ok || h.From.Mobile {
		return
	}
	if lines, ok := (world.Behaviours{Respond: r.Rules}).ResponseTo(h.Text); ok {
		for _, l := range lines {
			m.Echo(l)
		}
	}
}

// BehavioursFor builds the engine behaviours of a prototype.
func BehavioursFor(p *world.MobProto) []Behaviour {
	var bs []Behaviour
	if w := p.Behaviours.Wander; w != nil {
		bs = append(bs, Wander{Interval: w.Interval})
	}
	if p.Behaviours.Greet != "" {
		bs = append(bs, Greet{Text: p.Behaviours.Greet})
	}
	if len(p.Behaviours.Respond) > 0 {
		bs = append(bs, Respond{Rules: p.Behaviours.Respond})
	}
	return bs
}

// mobActor is a mobile. All fields are owned by its mailbox.
type mobActor struct {
	cfg       *Config
	proto     *world.MobProto
	home      world.RoomID
	ch        world.Character
	behaviour []Behaviour
	self      *actor.PID
	rng       *rand.Rand
	moving    bool
	cancels   []scheduler.CancelFunc
}

// MobileProps returns the props of a mobile of prototype p placed in home,
// running the given behaviours (nil: BehavioursFor(p)).
func MobileProps(cfg *Config, p *world.MobProto, home world.RoomID, bs []Behaviour) *actor.Props {
	if bs == nil {
		bs = BehavioursFor(p)
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &mobActor{cfg: cfg, proto: p, home: home, behaviour: bs}
	}, dispatch.Option())
}

// Receive is the mobile's single entry point.
func (a *mobActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.self = ctx.Self()
		a.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		a.ch = world.NewMobile(a.proto, a.home)
		ctx.Request(room.PID(ctx.ActorSystem(), a.ch.Room), &msg.EnterRoom{Who: a.occupant(), From: msg.NoDirection, Silent: true})
	case *actor.Restarting, *actor.Stopping:
		for _, c := range a.cancels {
			c()
		}
		a.cancels = nil
	case *msg.RoomEntered:
		a.ch.Room, a.moving = m.Room, false
	case *msg.MoveFailed:
		a.moving = false
	case *msg.ReceiveItem:
		a.ch.Inventory = append(a.ch.Inventory, m.Item)
		ctx.Send(m.Giver, &msg.ItemGiven{Item: m.Item, To: a.ch.Name})
	}
	a.runBehaviours(ctx, ctx.Message())
}

// runBehaviours offers a message to each behaviour, recovering a panic in
// one so the others (and the mobile) go on.
func (a *mobActor) runBehaviours(ctx actor.Context, message any) {
	mob := &Mob{a: a, ctx: ctx}
	for _, b := range a.behaviour {
		func() {
			defer func() {
				if r := recover(); r != nil {
					a.cfg.Log.Error().Str("mob", string(a.proto.ID)).Str("panic", fmt.Sprint(r)).Str("behaviour", fmt.Sprintf("%T", b)).Msg("behaviour panicked")
				}
			}()
			b.Receive(mob, message)
		}()
	}
}

func (a *mobActor) occupant() msg.Occupant {
	return msg.Occupant{Name: a.proto.Short, PID: a.self, Line: a.proto.Long, Desc: a.proto.Description,
		Keywords: a.proto.Keywords, Mobile: true}
}

func (a *mobActor) move(ctx actor.Context, d world.Direction) {
	if a.moving {
		return
	}
	a.moving = true
	ctx.Request(room.PID(ctx.ActorSystem(), a.ch.Room), &msg.Move{Who: a.occupant(), Dir: d})
}

// every sends message to the mobile every interval, with ±25% jitter on the
// first tick so that mobiles do not move in lockstep.
func (a *mobActor) every(ctx actor.Context, interval time.Duration, message any) {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	first := interval*3/4 + time.Duration(a.rng.Int64N(int64(interval/2)+1))
	a.cancels = append(a.cancels, scheduler.NewTimerScheduler(ctx.ActorSystem().Root).SendRepeatedly(first, interval, a.self, message))
}
