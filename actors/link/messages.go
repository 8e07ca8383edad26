package link

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/wire"
	"github.com/troupe-mud/troupe/net/telnet"
)

// CausePortal ends the sessions of a portal that stopped answering.
const CausePortal msg.Cause = "portal"

// Attach asks the game's sessions service to take a link: a new socket, or
// (Resume) a socket whose session was lost with a game restart, with the
// last Snapshot its session gave (nil if it never gave one).
type Attach struct {
	UID      uint64
	Link     *actor.PID
	Portal   string // the portal's boot id
	Addr     string // the peer, host:port
	Hostname string
	Caps     telnet.Caps
	Resume   bool
	Snapshot []byte
}

// Attached answers *Attach, from the new session itself: input goes to
// Session from now on.
type Attached struct {
	UID     uint64
	Session *actor.PID
	Boot    string // the game's boot id
}

// Refused answers *Attach when the game will not take the link (it is
// full, or shutting down): the link shows Text and closes.
type Refused struct {
	Text string
}

// Input is the lines a player typed in one read, in order, decoded.
type Input struct {
	Lines []string
}

// Note is telnet news for the session: the client's capabilities changed
// (Caps is the new value) or it sent a GMCP message for the game.
type Note struct {
	Note telnet.Note
	Caps telnet.Caps
}

// Closed tells the session its socket died (EOF, an error, a full send
// queue, a broken protocol): the session ends with Reason and Cause.
type Closed struct {
	Reason msg.Reason
	Cause  msg.Cause
}

// Echo values of *Out.
const (
	EchoUnchanged int8 = iota
	EchoHide           // stop the client echoing (a password)
	EchoShow           // echo again
)

// GMCP is one out-of-band message in *Out.
type GMCP struct {
	Package string
	JSON    []byte
}

// Out is one burst of output for a link, in order: the echo change, the
// GMCP messages, the text, then the prompt if ShowPrompt. Snapshot, if not
// nil, is the session's new msgpack snapshot (the link keeps the last one
// for a resume); Who, if not nil, is who plays on the link now.
type Out struct {
	Echo       int8
	GMCP       []GMCP
	Text       string
	Prompt     string
	ShowPrompt bool
	Snapshot   []byte
	Who        *Who
}

// Who is the account and character played on a link (MSSP counts players).
type Who struct {
	Account   string
	Character string
}

// Close ends a link: Text is written, the stream finished, the socket
// closed once written.
type Close struct {
	Text string
}

// Ping is the portal's heartbeat to the game's sessions service; From is
// the portal actor, Portal its boot id.
type Ping struct {
	From   *actor.PID
	Portal string
}

// Pong answers *Ping with the game's boot id.
type Pong struct {
	Boot string
}

// Down tells a portal that the game is going away on purpose (a reboot or
// a shutdown of the game process): it need not wait for pings to fail.
type Down struct {
	Boot   string
	Reason string
}

func init() {
	wire.Register[Attach]("link.Attach")
	wire.Register[Attached]("link.Attached")
	wire.Register[Refused]("link.Refused")
	wire.Register[Input]("link.Input")
	wire.Register[Note]("link.Note")
	wire.Register[Closed]("link.Closed")
	wire.Register[Out]("link.Out")
	wire.Register[Close]("link.Close")
	wire.Register[Ping]("link.Ping")
	wire.Register[Pong]("link.Pong")
	wire.Register[Down]("link.Down")
}
