package msg

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
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
