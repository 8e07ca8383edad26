package msg

import (
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Output is game text for a connection: colour markup allowed, "\n" ends a
// line. The connection appends it to its outbound text and busts its prompt.
// Done marks the end of the answer to the command the connection sent last
// (the connection then sends the next queued line).
//
// Shown says the text was already shown on the player's link directly (a
// room's answer sent as a link.Line): the link has shown its prompt after
// it, so the session need not show it again.
type Output struct {
	Text  string
	Done  bool
	Shown bool
}

// CommandDone is what a connection tells its input handlers when an
// *Output with Done arrives.
type CommandDone struct{}

// GMCP asks a connection to send an out-of-band GMCP message (e.g.
// "Char.Vitals") if its client subscribed to the package. JSON is the
// message body.
type GMCP struct {
	Package string
	JSON    []byte
}

// Kick asks a connection to end: Message (if any) is its last line.
type Kick struct {
	Reason  Reason
	Cause   Cause
	Message string
}

// ConnUpdated tells the sessions supervisor that what the socket list shows
// of a connection changed (login, character, state, hostname).
type ConnUpdated struct {
	UID  uint64
	Info SocketInfo
}

// ConnEnded tells the sessions supervisor that a connection has ended with
// Reason and Cause; its socket is closed or closing. The supervisor drops it
// from the socket list, runs the disconnect chain, then stops the actor.
type ConnEnded struct {
	UID       uint64
	Reason    Reason
	Cause     Cause
	Account   string
	Character string
	CharPID   *actor.PID
}

// Admit tells a new connection that the connect chain let it in: it starts
// its first input handler and reads input.
type Admit struct{}

// Reject tells a new connection that a connect hook vetoed it: it shows
// Message and closes.
type Reject struct {
	Message string
}

// SocketInfo is one row of the socket list: a snapshot, never live state.
type SocketInfo struct {
	UID       uint64
	PID       *actor.PID
	Addr      string
	Hostname  string
	Account   string
	Character string
	State     string // the state name of the top input handler
	Since     time.Time
	LastInput time.Time
}

// SocketList publishes the socket list as an immutable snapshot. The
// sessions supervisor is its only writer; any goroutine may Load it. A
// loaded slice is never modified.
type SocketList struct {
	p atomic.Pointer[[]SocketInfo]
}

// Load returns the current snapshot (nil before the first Store).
func (l *SocketList) Load() []SocketInfo {
	if s := l.p.Load(); s != nil {
		return *s
	}
	return nil
}

// Store publishes a new snapshot. Only the sessions supervisor calls it.
func (l *SocketList) Store(s []SocketInfo) { l.p.Store(&s) }
