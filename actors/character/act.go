package character

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/command"
)

// Handler runs one command for a character.
type Handler func(a *Act, cmd command.Command)

// Commands is the command table type: entries with a name, abbreviations,
// minimum arguments, an admin flag, help, and a Handler.
type Commands = command.Table[Handler]

// Act is what a command handler gets: the character it runs for, inside
// that character's actor. It is valid only during the handler call.
type Act struct {
	c   *charActor
	ctx actor.Context
}

// Context returns the actor context (for messages to other actors; replies
// come back to the character actor).
func (a *Act) Context() actor.Context { return a.ctx }

// Self returns the character actor's PID.
func (a *Act) Self() *actor.PID { return a.c.self }

// Name returns the character's name.
func (a *Act) Name() string { return a.c.ch.Name }

// Account returns the owning account's key.
func (a *Act) Account() string { return a.c.account }

// Admin reports whether the character may use admin commands.
func (a *Act) Admin() bool { return a.c.admin }

// Char returns the character's game state, for reading and changing (it
// is owned by this actor; do not hand the pointer to another actor).
func (a *Act) Char() *world.Character { return &a.c.ch }

// World returns the static world.
func (a *Act) World() *world.World { return a.c.cfg.World }

// Room returns the id of the character's room.
func (a *Act) Room() world.RoomID { return a.c.ch.Room }

// RoomPID returns the character's room actor.
func (a *Act) RoomPID() *actor.PID { return a.c.room(a.ctx) }

// Occupant returns how rooms know this character.
func (a *Act) Occupant() msg.Occupant { return a.c.occupant() }

// Send shows one line to the player (colour markup allowed).
func (a *Act) Send(line string) { a.c.send(a.ctx, line) }

// Show shows preformatted text (its own newlines) to the player.
func (a *Act) Show(text string) { a.c.show(a.ctx, text) }

// ToRoom shows a line to everyone else in the room.
func (a *Act) ToRoom(line string) {
	a.ctx.Send(a.RoomPID(), &msg.Broadcast{Text: line, Except: a.c.self})
}

// Publish runs a game hook (fanned out to its subscribers).
func (a *Act) Publish(ev msg.Hook) {
	a.ctx.Send(msg.Service(a.ctx.ActorSystem(), msg.ServiceSessions), &msg.Publish{Event: ev})
}

// Conn returns the connection playing the character (nil while linkdead).
func (a *Act) Conn() *actor.PID { return a.c.conn }

// Commands returns the command table in use.
func (a *Act) Commands() *Commands { return a.c.cfg.commands() }

// SaveNow saves the character now; then (if not nil) runs once it is
// durable or has failed.
func (a *Act) SaveNow(then func(err error)) { a.c.save(a.ctx, then) }

// Await marks the running command as finished later, by a reply: the
// engine's own replies complete it (Complete), and so must a command
// that calls Await. Until then the player's next lines wait.
func (a *Act) Await() { a.c.awaiting = true }

// Complete finishes an awaited command with its answer text.
func (a *Act) Complete(text string) { a.c.complete(a.ctx, text) }

// Ask sends a request to another actor and runs then inside this
// character's actor with the reply (or an error after timeout); the
// command is awaited until then finishes and calls Complete.
func (a *Act) Ask(pid *actor.PID, message any, timeout time.Duration, then func(a *Act, reply any, err error)) {
	a.Await()
	c := a.c
	f := a.ctx.RequestFuture(pid, message, timeout)
	a.ctx.ReenterAfter(f, func(res any, err error) {
		then(&Act{c: c, ctx: a.ctx}, res, err)
	})
}

// Prompt refreshes the player's prompt (after vitals changed).
func (a *Act) Prompt() { a.c.sendPrompt(a.ctx) }
