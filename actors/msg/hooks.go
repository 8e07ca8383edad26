package msg

import (
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/world"
)

// Hook names. Subscribe with these; game code may publish its own names.
const (
	HookConnect    = "connect"
	HookDisconnect = "disconnect"
	HookEnterGame  = "enter_game"
	HookQuit       = "quit"
	HookEnterRoom  = "enter_room"
	HookLeaveRoom  = "leave_room"
	HookSay        = "say"
)

// Hook is an event that the sessions supervisor routes to the handlers
// subscribed to its name.
type Hook interface {
	HookName() string
}

// Connected is the connect hook: a new socket was accepted. Handlers run in
// registration order; each answers the request with a *Verdict, and the
// first veto ends the chain and closes the connection with its message.
type Connected struct {
	Conn *actor.PID // the connection actor
	UID  uint64     // the socket's unique id
	Addr string     // the remote address, host:port
	At   time.Time
}

// HookName implements Hook.
func (*Connected) HookName() string { return HookConnect }

// Verdict answers a *Connected hook request.
type Verdict struct {
	Veto    bool
	Message string // shown to the player when vetoed; a default is used if empty
}

// Allow is the verdict of a connect handler that lets the connection in.
var Allow = &Verdict{}

// Disconnected is the disconnect hook. It is published after the connection
// has left the socket list. Handlers run in registration order; each
// answers the request with a *HookDone (or is skipped after a timeout).
type Disconnected struct {
	Conn      *actor.PID
	UID       uint64
	Addr      string
	Reason    Reason
	Cause     Cause
	Account   string     // the account logged in on the socket, if any
	Character string     // the character played on the socket, if any
	CharPID   *actor.PID // the character actor, if any
}

// HookName implements Hook.
func (*Disconnected) HookName() string { return HookDisconnect }

// HookDone acknowledges a hook request so the chain can go on.
type HookDone struct{}

// Done is the shared acknowledgement value.
var Done = &HookDone{}

// Subscribe adds Handler to the hook Name's chain, after the handlers
// already there. The handler is an actor; it is dropped from every chain
// when it stops.
type Subscribe struct {
	Name    string
	Handler *actor.PID
}

// Unsubscribe removes Handler from the hook Name's chain.
type Unsubscribe struct {
	Name    string
	Handler *actor.PID
}

// Publish asks the sessions supervisor to deliver a game hook event to every
// handler subscribed to its name, in registration order. Game hooks are
// facts: they are fanned out as plain messages without waiting for answers.
type Publish struct {
	Event Hook
}

// The game's own hooks, published by the engine (fanned out, no answers).

// EnteredGame: a character entered the game (a login, a reattach after
// linkdeath, or a takeover).
type EnteredGame struct {
	Name       string
	Account    string
	Char       *actor.PID
	Room       world.RoomID
	Reattached bool
}

// HookName implements Hook.
func (*EnteredGame) HookName() string { return HookEnterGame }

// QuitGame: a character left the game (quit, or linkdead too long).
type QuitGame struct {
	Name    string
	Account string
	Room    world.RoomID
}

// HookName implements Hook.
func (*QuitGame) HookName() string { return HookQuit }

// EnteredRoom: a character arrived in a room.
type EnteredRoom struct {
	Who  Occupant
	Room world.RoomID
	From world.Direction // NoDirection for logins and goto
}

// HookName implements Hook.
func (*EnteredRoom) HookName() string { return HookEnterRoom }

// LeftRoom: a character left a room.
type LeftRoom struct {
	Who  Occupant
	Room world.RoomID
}

// HookName implements Hook.
func (*LeftRoom) HookName() string { return HookLeaveRoom }

// Said: someone said something in a room.
type Said struct {
	From Occupant
	Room world.RoomID
	Text string
}

// HookName implements Hook.
func (*Said) HookName() string { return HookSay }

// HookSet publishes which hook names have subscribers, so that publishers
// of frequent game hooks (say, enter_room) can skip the message when nobody
// listens. The sessions supervisor is its only writer; any goroutine may
// read it. A nil *HookSet reports every hook as subscribed.
type HookSet struct {
	p atomic.Pointer[map[string]bool]
}

// Has reports whether name has at least one subscriber.
func (h *HookSet) Has(name string) bool {
	if h == nil {
		return true
	}
	m := h.p.Load()
	return m != nil && (*m)[name]
}

// Store publishes the set of subscribed names. Only the sessions supervisor
// calls it.
func (h *HookSet) Store(names map[string]bool) { h.p.Store(&names) }
