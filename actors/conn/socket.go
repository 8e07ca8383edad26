package conn

import (
	"strconv"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/net/telnet"
)

// Socket is the API input handlers get: NakedMud's mudsock surface in Go.
// A *Socket is valid only during the handler call that received it, inside
// the connection actor; do not keep it or hand it to another goroutine.
type Socket struct {
	c   *connActor
	ctx actor.Context
}

// Context returns the actor context of the current call, for sending
// messages and making requests (replies come to a MessageHandler).
func (s *Socket) Context() actor.Context { return s.ctx }

// Self returns the connection actor's PID.
func (s *Socket) Self() *actor.PID { return s.c.self }

// Link returns the portal's link actor of this socket: lines many players
// see (a room's, a channel's) may be sent to it directly as *link.Line,
// without passing through the session.
func (s *Socket) Link() *actor.PID { return s.c.link }

// UID returns the socket's unique id.
func (s *Socket) UID() uint64 { return s.c.uid }

// Addr returns the peer's address (host:port).
func (s *Socket) Addr() string { return s.c.addr }

// Hostname returns the peer's reverse-DNS name, or its address until the
// lookup finishes or fails (see CanUse).
func (s *Socket) Hostname() string {
	if s.c.hostname != "" {
		return s.c.hostname
	}
	host := s.c.addr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = strings.Trim(host[:i], "[]")
	}
	return host
}

// CanUse reports whether the hostname lookup has finished (resolved, failed
// or timed out).
func (s *Socket) CanUse() bool { return s.c.canUse }

// Account returns the account logged in on this socket, or "".
func (s *Socket) Account() string { return s.c.account }

// SetAccount records the account logged in on this socket.
func (s *Socket) SetAccount(name string) {
	s.c.account = name
	s.c.whoDirty, s.c.snapDirty = true, true
	s.c.publish(s.ctx)
}

// Character returns the name of the character played on this socket, or "".
func (s *Socket) Character() string { return s.c.char }

// CharacterPID returns the character actor played on this socket, or nil.
func (s *Socket) CharacterPID() *actor.PID { return s.c.charPID }

// SetCharacter records the character played on this socket (nil pid and ""
// when leaving the game).
func (s *Socket) SetCharacter(name string, pid *actor.PID) {
	s.c.char, s.c.charPID = name, pid
	s.c.whoDirty, s.c.snapDirty = true, true
	s.c.publish(s.ctx)
}

// State returns the state name of the top input handler.
func (s *Socket) State() string {
	if n := len(s.c.stack); n > 0 {
		return s.c.stack[n-1].State
	}
	return ""
}

// HasInput reports whether more input lines from the same read are waiting
// behind the current one.
func (s *Socket) HasInput() bool { return s.c.moreInput > 0 }

// IdleTime returns how long since the player last sent a line.
func (s *Socket) IdleTime() time.Duration { return s.c.cfg.now().Sub(s.c.lastInput) }

// Caps returns what is known about the client (name, window size, colour,
// UTF-8, screen reader).
func (s *Socket) Caps() telnet.Caps { return s.c.caps }

// OutboundText is the game text queued for this socket and not yet sent;
// handlers may inspect or append to it. It is flushed once per burst.
func (s *Socket) OutboundText() *strings.Builder {
	s.c.bust(s.ctx)
	return &s.c.outBuf
}

// Send queues msg followed by a newline, after expanding [name] variables
// from vars and the socket's own context ([me.uid], [me.hostname],
// [me.account.name], [me.character.name], [me.state]). Unknown names render
// as [?name]. Colour markup is rendered for the client.
func (s *Socket) Send(msg string, vars map[string]string) {
	s.c.write(s.ctx, Expand(msg, s.lookup(vars))+"\n")
}

// SendRaw queues text as it is: no variables, no newline added.
func (s *Socket) SendRaw(text string) {
	s.c.write(s.ctx, text)
}

// SendGMCP sends an out-of-band GMCP message if the client speaks GMCP
// (the portal drops it if the client did not subscribe to the package).
// It reports whether the client speaks GMCP.
func (s *Socket) SendGMCP(pkg string, json []byte) bool {
	if !s.c.caps.GMCP {
		return false
	}
	s.c.gmcp = append(s.c.gmcp, link.GMCP{Package: pkg, JSON: json})
	s.c.scheduleFlush(s.ctx)
	return true
}

// HideInput asks the client to stop echoing what the player types (for a
// password) or to echo again.
func (s *Socket) HideInput(hidden bool) {
	if hidden {
		s.c.echo = link.EchoHide
	} else {
		s.c.echo = link.EchoShow
	}
	s.c.scheduleFlush(s.ctx)
}

// Close ends the connection as a QUIT after sending the queued text.
func (s *Socket) Close() {
	s.c.close(s.ctx, msg.ReasonQuit, msg.CauseQuit, "")
}

// CloseWith ends the connection with an explicit reason, cause and last line.
func (s *Socket) CloseWith(reason msg.Reason, cause msg.Cause, message string) {
	s.c.close(s.ctx, reason, cause, message)
}

// PushIH puts a handler on top of the stack with its prompt and state name.
func (s *Socket) PushIH(h Handler, prompt, state string) {
	s.c.stack = append(s.c.stack, Frame{Handler: h, Prompt: prompt, State: state})
	s.c.snapDirty = true
	s.entered()
}

// PopIH removes the top handler; the one below it (if any) gets the input
// again.
func (s *Socket) PopIH() {
	n := len(s.c.stack)
	if n == 0 {
		return
	}
	s.c.stack[n-1] = Frame{}
	s.c.stack = s.c.stack[:n-1]
	s.c.snapDirty = true
	if n > 1 {
		s.entered()
	} else {
		s.c.publish(s.ctx)
	}
}

// ReplaceIH replaces the top handler (or pushes onto an empty stack).
func (s *Socket) ReplaceIH(h Handler, prompt, state string) {
	if n := len(s.c.stack); n > 0 {
		s.c.stack[n-1] = Frame{Handler: h, Prompt: prompt, State: state}
	} else {
		s.c.stack = append(s.c.stack, Frame{Handler: h, Prompt: prompt, State: state})
	}
	s.c.snapDirty = true
	s.entered()
}

// SetTop replaces the state of the top handler, keeping its frame (for a
// handler value that changed its own fields: handlers are values, so a
// handler that mutates itself must store the new value).
func (s *Socket) SetTop(h Handler) {
	if n := len(s.c.stack); n > 0 {
		s.c.stack[n-1].Handler = h
		s.c.snapDirty = true
	}
}

// SetPrompt changes the top frame's static prompt and state name.
func (s *Socket) SetPrompt(prompt, state string) {
	if n := len(s.c.stack); n > 0 {
		s.c.stack[n-1].Prompt, s.c.stack[n-1].State = prompt, state
		s.c.snapDirty = true
		s.c.publish(s.ctx)
	}
}

// StackDepth returns how many handlers are on the stack.
func (s *Socket) StackDepth() int { return len(s.c.stack) }

func (s *Socket) entered() {
	top := s.c.stack[len(s.c.stack)-1].Handler
	if q, ok := top.(Quiet); !ok || !q.QuietEntry() {
		s.c.bust(s.ctx)
	}
	s.c.publish(s.ctx)
	if e, ok := top.(Enterer); ok {
		e.Enter(s)
	}
}

// Reinput gives lines back to the connection, to be run in order through
// whatever handler is on top once the current call returns, before any
// later input (a handler that queued lines and is no longer on top).
func (s *Socket) Reinput(lines ...string) {
	s.c.reinput = append(s.c.reinput, lines...)
}

// IsTop reports whether h is the handler on top of the stack.
func (s *Socket) IsTop(h Handler) bool {
	n := len(s.c.stack)
	return n > 0 && s.c.stack[n-1].Handler == h
}

// BustPrompt makes the prompt show again at the next flush.
func (s *Socket) BustPrompt() { s.c.bust(s.ctx) }

// Aux returns the auxiliary data installed under name, created on first
// use from Config.Aux; nil if nothing is installed under that name.
func (s *Socket) Aux(name string) any {
	s.c.snapDirty = true // the caller may change it
	if v, ok := s.c.aux[name]; ok {
		return v
	}
	ctor, ok := s.c.cfg.Aux[name]
	if !ok {
		return nil
	}
	if s.c.aux == nil {
		s.c.aux = make(map[string]any, 1)
	}
	v := ctor()
	s.c.aux[name] = v
	return v
}

// SocketList returns a snapshot of every connected socket.
func (s *Socket) SocketList() []msg.SocketInfo {
	if s.c.cfg.Sockets == nil {
		return nil
	}
	return s.c.cfg.Sockets.Load()
}

func (s *Socket) lookup(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if v, ok := vars[name]; ok {
			return v, true
		}
		switch name {
		case "me.uid":
			return strconv.FormatUint(s.c.uid, 10), true
		case "me.hostname":
			return s.Hostname(), true
		case "me.addr":
			return s.c.addr, true
		case "me.account.name", "me.account":
			return s.c.account, s.c.account != ""
		case "me.character.name", "me.name":
			return s.c.char, s.c.char != ""
		case "me.state":
			return s.State(), true
		case "me.idle":
			return s.IdleTime().Truncate(time.Second).String(), true
		}
		return "", false
	}
}
