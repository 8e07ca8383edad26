package link

import (
	"time"

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
	// Idle is how long ago the player last typed a line (a resumed
	// session's idle clock goes on from there).
	Idle time.Duration
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
// GMCP messages, the text, then the prompt.
//
// The link keeps the session's prompt (PromptSet replaces it with Prompt;
// the session sends it only when it changes) and shows it after any text
// it writes, from an Out or a *Line, once per flush: the game never sends
// the prompt with every burst. ShowPrompt shows it even without text (the
// player pressed enter); More says more text of the same burst follows
// (a big burst sent in pieces), so no prompt yet.
//
// Snapshot, if not nil, is the session's new msgpack snapshot (the link
// keeps the last one for a resume; it is sent only when it changed); Who,
// if not nil, is who plays on the link now.
type Out struct {
	Echo       int8
	GMCP       []GMCP
	Text       string
	Prompt     string
	PromptSet  bool
	ShowPrompt bool
	More       bool
	Snapshot   []byte
	Who        *Who
}

// Line is game text that goes straight to links, bypassing the sessions
// and characters: a line a room, a channel or a combat round produces once
// for many recipients whose characters have nothing to decide about it.
// The same *Line is sent to every recipient and never modified; in one
// process its render cache is shared, so the text is rendered once per
// client form (colour depth, charset, width), not once per recipient. A
// Line decoded from another process has no shared cache and is rendered
// per link. The link shows its prompt after it, like after any text.
//
// Answer marks a command's answer (a room's look, the speaker's own say):
// the link writes it at once. Other lines (someone else's say, a channel)
// may wait up to the portal's line delay to share one write with whatever
// else comes for the same socket.
type Line struct {
	Text   string
	Answer bool
	shared *telnet.Shared    // nil in a decoded copy
	doc    *telnet.SharedDoc // a document line (NewDocLine); Text is then empty
	skip   int               // the part of doc left out
}

// NewLine returns a line for many links; text is colour markup, with "\n"
// ending each line.
func NewLine(text string) *Line {
	return &Line{Text: text, shared: telnet.NewShared(text)}
}

// Shared returns the line's render cache, or nil for a line that came
// from another process.
func (l *Line) Shared() *telnet.Shared { return l.shared }

// NewDocLine returns a line that shows doc without its part skip (-1:
// all of it): a room's look for one viewer, cut from the view every viewer
// shares. It is for a link in the sender's own process only: it carries
// no text for the wire (use NewLine(doc.Text(skip)) for another process).
func NewDocLine(doc *telnet.SharedDoc, skip int, answer bool) *Line {
	return &Line{doc: doc, skip: skip, Answer: answer}
}

// Doc returns the document and the part left out of a document line (nil
// for any other line).
func (l *Line) Doc() (*telnet.SharedDoc, int) { return l.doc, l.skip }

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
	wire.Register[Line]("link.Line")
	wire.Register[Close]("link.Close")
	wire.Register[Ping]("link.Ping")
	wire.Register[Pong]("link.Pong")
	wire.Register[Down]("link.Down")
}

// Fanout sends one *Line to many links: a link in the sender's own actor
// system gets the shared pointer; links in another process get one
// envelope, encoded once for all of them. A Fanout is used by one actor
// for one line, then dropped.
type Fanout struct {
	Line *Line
	env  *wire.Envelope // encoded once, at the first remote link
	err  error
}

// Send sends the line to the link to (nil: nothing).
func (f *Fanout) Send(ctx actor.SenderContext, to *actor.PID) error {
	if to == nil {
		return nil
	}
	if wire.IsLocal(ctx.ActorSystem(), to) {
		ctx.Send(to, f.Line)
		return nil
	}
	if f.env == nil && f.err == nil {
		f.env, f.err = wire.Encode(f.Line)
	}
	if f.err != nil {
		return f.err
	}
	ctx.Send(to, f.env)
	return nil
}
