package conn

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"runtime/debug"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/scheduler"
	"github.com/troupe-mud/troupe/actors/wire"
	"github.com/troupe-mud/troupe/net/telnet"
)

// Messages the actor sends itself.
type (
	flushNow struct{} // coalesced output flush
	resolved struct{ host string }
)

// The panic line a player sees when an input handler fails.
const panicLine = "{RSomething went wrong handling that; it has been logged.{x"

// connActor is the game's side of one player's link: the session. All
// fields are owned by the actor's mailbox.
type connActor struct {
	cfg     *Config // immutable, shared
	uid     uint64  // immutable
	addr    string  // immutable
	link    *actor.PID
	portal  string // the portal's boot id
	self    *actor.PID
	resume  []byte // the snapshot to rebuild from, until Started
	resumed bool

	caps   telnet.Caps
	stack  []Frame
	aux    map[string]any
	sock   Socket // the view handed to handlers; valid during a call
	outBuf strings.Builder

	admitted  bool
	flushing  bool     // a flushNow is in the mailbox
	busted    bool     // the prompt must be shown again
	moreInput int      // lines still to come in the current batch (HasInput)
	reinput   []string // lines a handler gave back, to run through the top handler

	// What the next *link.Out carries besides text and prompt.
	echo      int8
	gmcp      []link.GMCP
	whoDirty  bool
	snapDirty bool          // the stack, a handler or the aux data may have changed
	lastSnap  []byte        // the snapshot the link has
	prompt    string        // the prompt the link has
	promptOK  bool          // the link has prompt (false: send it with the next burst)
	idle      time.Duration // a resumed session: how long the player had been idle

	reason  msg.Reason // first close reason wins
	cause   msg.Cause
	account string
	char    string
	charPID *actor.PID

	idleWarned bool

	hostname  string
	canUse    bool
	since     time.Time
	lastInput time.Time
}

var _ actor.Actor = (*connActor)(nil)

// Props returns props of their own for one session, for a link that
// attached (tests spawn a single session this way). The sessions
// supervisor spawns every session with one shared Props, through a
// Spawner.
func Props(a *link.Attach, cfg *Config) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return newSession(a, cfg) }, dispatch.Option())
}

// newSession returns the session of a link that attached. It keeps no
// reference to a.
func newSession(a *link.Attach, cfg *Config) actor.Actor {
	c := &connActor{cfg: cfg, uid: a.UID, addr: a.Addr, link: a.Link, portal: a.Portal,
		caps: a.Caps, hostname: a.Hostname, idle: max(a.Idle, 0)}
	if a.Resume {
		c.resume = a.Snapshot
	}
	// Envelopes from a portal in another process are decoded by a wrapper,
	// not a receiver middleware, which would cost every session proto.actor's
	// context extras and an envelope per message.
	return wire.Decoding(c)
}

// Receive is the actor's single entry point.
func (c *connActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		c.started(ctx)
	case *link.Input:
		c.input(ctx, m.Lines)
	case *link.Note:
		c.caps = m.Caps
		n := m.Note
		c.toHandler(ctx, &n)
	case *link.Closed:
		c.end(ctx, m.Reason, m.Cause)
	case *Reattach:
		// The portal thought the game was down, but this session lived
		// on: the link takes it back.
		c.link = m.Link
		c.sendLink(ctx, &link.Attached{UID: c.uid, Session: c.self, Boot: c.cfg.Boot})
		c.lastSnap = nil
		c.snapDirty, c.whoDirty, c.promptOK = true, true, false
		c.bust(ctx)
	case *flushNow:
		c.flushing = false
		c.flush(ctx)
	case *resolved:
		c.hostname, c.canUse = m.host, true
		c.publish(ctx)
	case *msg.Admit:
		c.admit(ctx)
	case *msg.Reject:
		text := m.Message
		if text == "" {
			text = "Your connection has been refused."
		}
		c.close(ctx, msg.ReasonQuit, msg.CauseVeto, text)
	case *msg.Output:
		if m.Text != "" || !m.Shown {
			c.write(ctx, m.Text) // (a shown answer has had its prompt on the link)
		}
		if m.Done {
			c.commandDone(ctx)
		}
	case *msg.GMCP:
		if c.reason == msg.ReasonNone && c.caps.GMCP {
			c.gmcp = append(c.gmcp, link.GMCP{Package: m.Package, JSON: m.JSON})
			c.scheduleFlush(ctx)
		}
	case *msg.Kick:
		c.close(ctx, m.Reason, m.Cause, m.Message)
	case *scheduler.Event:
		if m.Key == idleKey {
			c.checkIdle(ctx)
		} else {
			c.toHandler(ctx, m)
		}
	case *msg.EditText:
		if c.reason == msg.ReasonNone {
			c.call(ctx, nil, func() { c.sock.EditText(m.Initial, OnDone{To: m.ReplyTo, Tag: m.Tag}, m.Mode) })
		}
	case *actor.Stopping:
		if c.admitted && c.cfg.IdleCheck >= 0 {
			ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceScheduler), &scheduler.Cancel{Owner: c.self, Key: idleKey})
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		c.toHandler(ctx, m)
	}
}

func (c *connActor) started(ctx actor.Context) {
	c.self = ctx.Self()
	c.since = c.cfg.now()
	c.lastInput = c.since.Add(-c.idle)
	c.sock = Socket{c: c}
	// The link learns where to send input before anything else.
	c.sendLink(ctx, &link.Attached{UID: c.uid, Session: c.self, Boot: c.cfg.Boot})
	if c.hostname != "" {
		c.canUse = true
	} else if c.cfg.ResolveHostnames {
		go resolve(ctx.ActorSystem().Root, c.self, c.addr, c.cfg.dnsTimeout())
	} else {
		c.canUse = true
	}
	if c.resume != nil {
		c.restore(ctx)
	}
}

// startIdle starts the idle monitor of an admitted session.
func (c *connActor) startIdle(ctx actor.Context) {
	if c.cfg.IdleCheck >= 0 {
		every := orDur(c.cfg.IdleCheck, 30*time.Second)
		ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceScheduler),
			&scheduler.Start{Owner: c.self, Key: idleKey, Delay: every, Every: every})
	}
}

func (c *connActor) admit(ctx actor.Context) {
	if c.admitted || c.reason != msg.ReasonNone {
		return
	}
	c.admitted = true
	c.startIdle(ctx)
	if c.cfg.Greeting != "" {
		c.outBuf.WriteString(c.cfg.Greeting)
	}
	if c.cfg.First != nil {
		f := c.cfg.First()
		c.call(ctx, nil, func() { c.sock.PushIH(f.Handler, f.Prompt, f.State) })
	}
	c.bust(ctx)
	c.publish(ctx)
}

// input runs the lines of one read, in order.
func (c *connActor) input(ctx actor.Context, lines []string) {
	if c.reason != msg.ReasonNone || !c.admitted {
		return
	}
	c.lastInput = c.cfg.now()
	c.idleWarned = false
	for i, text := range lines {
		c.moreInput = len(lines) - i - 1
		c.line(ctx, text)
		c.moreInput = 0
		if c.reason != msg.ReasonNone {
			return
		}
	}
}

// idleKey names the idle monitor's scheduler event.
const idleKey = "conn.idle"

// checkIdle is the idle monitor (see Config).
func (c *connActor) checkIdle(ctx actor.Context) {
	if c.reason != msg.ReasonNone {
		return
	}
	now := c.cfg.now()
	if c.account == "" && now.Sub(c.since) >= orDur(c.cfg.LoginTimeout, 5*time.Minute) {
		c.close(ctx, msg.ReasonLinkDeath, msg.CauseIdle, "You took too long to log in. Goodbye!")
		return
	}
	idle := now.Sub(c.lastInput)
	timeout := orDur(c.cfg.IdleTimeout, 30*time.Minute)
	switch {
	case idle >= timeout:
		c.close(ctx, msg.ReasonLinkDeath, msg.CauseIdle, "You have been idle too long. Goodbye!")
	case idle >= orDur(c.cfg.IdleWarn, 25*time.Minute) && !c.idleWarned:
		c.idleWarned = true
		c.write(ctx, fmt.Sprintf("{YYou have been idle for %s; you will be disconnected in %s unless you type something.{x\n",
			idle.Round(time.Second), (timeout-idle).Round(time.Second)))
	}
}

// line hands one line of input to the top handler, then any lines a
// handler gave back (Socket.Reinput), in order.
func (c *connActor) line(ctx actor.Context, text string) {
	if n := len(c.stack); n > 0 {
		top := c.stack[n-1].Handler
		if d, ok := top.(Deferrer); !ok || !d.Defer(text) {
			c.bust(ctx)
		}
		c.call(ctx, top, func() { top.HandleLine(&c.sock, text) })
	}
	c.drainReinput(ctx)
}

// drainReinput runs the lines handlers gave back, through the top handler
// of the moment, before any later input.
func (c *connActor) drainReinput(ctx actor.Context) {
	for len(c.reinput) > 0 && c.reason == msg.ReasonNone {
		next := c.reinput[0]
		c.reinput = c.reinput[1:]
		if n := len(c.stack); n > 0 {
			top := c.stack[n-1].Handler
			if d, ok := top.(Deferrer); !ok || !d.Defer(next) {
				c.bust(ctx)
			}
			c.call(ctx, top, func() { top.HandleLine(&c.sock, next) })
		}
	}
	c.reinput = nil
}

// commandDoneMsg is shared: it carries nothing.
var commandDoneMsg = &msg.CommandDone{}

// commandDone tells the handlers, from the top down, that the game finished
// the last command; the first that wants it (the play handler, perhaps
// under an editor the command opened) takes it.
func (c *connActor) commandDone(ctx actor.Context) { c.toHandler(ctx, commandDoneMsg) }

// toHandler offers a message the actor does not handle to the handlers,
// from the top of the stack down: the first that wants it takes it (a
// reply to a request made by a handler that is now under an editor still
// reaches it).
func (c *connActor) toHandler(ctx actor.Context, m any) {
	for i := len(c.stack) - 1; i >= 0; i-- {
		mh, ok := c.stack[i].Handler.(MessageHandler)
		if !ok {
			continue
		}
		var consumed bool
		c.call(ctx, c.stack[i].Handler, func() { consumed = mh.HandleMessage(&c.sock, m) })
		if consumed {
			c.drainReinput(ctx)
			return
		}
	}
	switch m.(type) {
	case *telnet.Note, *msg.CommandDone:
		return // notes nobody wants are fine; so is a done nobody waits for
	}
	c.ev(c.cfg.Log.Debug()).Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
}

// call runs handler code with the socket view bound to ctx, recovering a
// panic so that one bad handler cannot take the connection down. h is the
// handler called (nil when the code is not one handler's): unless it is
// Tracked and reports no change, the snapshot is marked dirty, since the
// handler may have changed its own fields.
func (c *connActor) call(ctx actor.Context, h Handler, f func()) {
	c.sock.ctx = ctx
	defer func() {
		c.sock.ctx = nil
		if t, ok := h.(Tracked); !ok || t.SnapshotChanged() {
			c.snapDirty = true
		}
		if r := recover(); r != nil {
			c.ev(c.cfg.Log.Error()).Str("panic", fmt.Sprint(r)).Str("stack", string(debug.Stack())).Msg("input handler panicked")
			c.outBuf.WriteString(panicLine + "\n")
			c.bust(ctx)
		}
		if c.snapDirty {
			c.scheduleFlush(ctx) // output schedules its own flush; a state change needs one too
		}
	}()
	f()
}

// write appends game text to the outbound buffer and busts the prompt.
func (c *connActor) write(ctx actor.Context, text string) {
	if c.reason != msg.ReasonNone {
		return
	}
	c.outBuf.WriteString(text)
	c.bust(ctx)
	if c.outBuf.Len() >= flushThreshold {
		c.flushText(ctx) // a big burst goes out in pieces, each counted against the send queue
	}
}

// flushThreshold is how much outbound text may pile up within one burst
// before it is rendered and queued for writing.
const flushThreshold = 16 << 10

func (c *connActor) bust(ctx actor.Context) {
	c.busted = true
	c.scheduleFlush(ctx)
}

func (c *connActor) scheduleFlush(ctx actor.Context) {
	if !c.flushing {
		c.flushing = true
		ctx.Send(c.self, &flushNow{})
	}
}

// flush sends the outbound text, the prompt if it changed, whether to show
// it, and what else changed (echo, GMCP, the snapshot, who plays) to the
// link, as one *link.Out. The link shows the prompt after any text (its own
// lines from rooms and channels too), so the prompt travels only when it
// changes.
func (c *connActor) flush(ctx actor.Context) {
	if c.reason != msg.ReasonNone {
		return
	}
	out := &link.Out{Echo: c.echo, GMCP: c.gmcp, Text: c.outBuf.String()}
	c.outBuf.Reset()
	c.echo, c.gmcp = link.EchoUnchanged, nil
	if p := c.promptText(ctx); p != c.prompt || !c.promptOK {
		c.prompt, c.promptOK = p, true
		out.Prompt, out.PromptSet = p, true
	}
	if c.busted {
		c.busted = false
		out.ShowPrompt = true
	}
	if c.whoDirty {
		c.whoDirty = false
		out.Who = &link.Who{Account: c.account, Character: c.char}
	}
	if c.snapDirty {
		c.snapDirty = false
		if snap := c.snapshot(); snap != nil && !bytes.Equal(snap, c.lastSnap) {
			c.lastSnap = snap
			out.Snapshot = snap
		}
	}
	if out.Text == "" && !out.ShowPrompt && !out.PromptSet && out.Echo == link.EchoUnchanged && out.GMCP == nil &&
		out.Who == nil && out.Snapshot == nil {
		return
	}
	c.sendLink(ctx, out)
}

// flushText sends the outbound text without a prompt: for a burst too big
// to hold until its end.
func (c *connActor) flushText(ctx actor.Context) {
	if c.outBuf.Len() == 0 {
		return
	}
	c.sendLink(ctx, &link.Out{Text: c.outBuf.String(), More: true})
	c.outBuf.Reset()
}

// sendLink sends a message to the link, across the process boundary if the
// portal is elsewhere.
func (c *connActor) sendLink(ctx actor.Context, m any) {
	if err := wire.Send(ctx, c.link, m); err != nil {
		c.ev(c.cfg.Log.Error()).Err(err).Msg("sending to the link")
	}
}

// promptText returns the prompt of the top handler.
func (c *connActor) promptText(ctx actor.Context) string {
	n := len(c.stack)
	if n == 0 {
		return ""
	}
	f := c.stack[n-1]
	if p, ok := f.Handler.(Prompter); ok {
		return c.computePrompt(ctx, p)
	}
	return f.Prompt
}

// computePrompt asks a Prompter for its prompt. It runs inside flush: it
// marks nothing dirty and schedules nothing (a prompt is computed at every
// flush), and a panic shows no prompt.
func (c *connActor) computePrompt(ctx actor.Context, p Prompter) (s string) {
	c.sock.ctx = ctx
	defer func() {
		c.sock.ctx = nil
		if r := recover(); r != nil {
			c.ev(c.cfg.Log.Error()).Str("panic", fmt.Sprint(r)).Str("stack", string(debug.Stack())).Msg("prompt panicked")
			s = ""
		}
	}()
	return p.Prompt(&c.sock)
}

// close ends the connection deliberately: the queued text and message (if
// any) are written, then the link closes its socket.
func (c *connActor) close(ctx actor.Context, reason msg.Reason, cause msg.Cause, message string) {
	if c.reason != msg.ReasonNone {
		return
	}
	c.flushPending(ctx)
	text := c.outBuf.String()
	if message != "" {
		text += message + "\n"
	}
	c.outBuf.Reset()
	c.sendLink(ctx, &link.Close{Text: text})
	c.end(ctx, reason, cause)
}

// flushPending sends what is not text (echo, GMCP) ahead of a close.
func (c *connActor) flushPending(ctx actor.Context) {
	if c.echo != link.EchoUnchanged || c.gmcp != nil {
		c.sendLink(ctx, &link.Out{Echo: c.echo, GMCP: c.gmcp})
		c.echo, c.gmcp = link.EchoUnchanged, nil
	}
}

// end records the first close reason and tells the supervisor.
func (c *connActor) end(ctx actor.Context, reason msg.Reason, cause msg.Cause) {
	if c.reason != msg.ReasonNone {
		return
	}
	c.reason, c.cause = reason, cause
	c.ev(c.cfg.Log.Debug()).Stringer("reason", reason).Str("cause", string(cause)).Msg("connection ended")
	ctx.Send(ctx.Parent(), &msg.ConnEnded{
		UID: c.uid, Reason: reason, Cause: cause,
		Account: c.account, Character: c.char, CharPID: c.charPID,
	})
}

// publish tells the supervisor what the socket list should show.
func (c *connActor) publish(ctx actor.Context) {
	if c.reason != msg.ReasonNone {
		return
	}
	ctx.Send(ctx.Parent(), &msg.ConnUpdated{UID: c.uid, Info: c.info()})
}

func (c *connActor) info() msg.SocketInfo {
	state := ""
	if n := len(c.stack); n > 0 {
		state = c.stack[n-1].State
	}
	return msg.SocketInfo{
		UID: c.uid, PID: c.self, Addr: c.addr, Hostname: c.hostname,
		Account: c.account, Character: c.char, State: state,
		Since: c.since, LastInput: c.lastInput,
	}
}

// resolve looks up the peer's hostname off the actor.
func resolve(root *actor.RootContext, self *actor.PID, addr string, timeout time.Duration) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	name := host
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if names, err := net.DefaultResolver.LookupAddr(ctx, host); err == nil && len(names) > 0 {
		name = strings.TrimSuffix(names[0], ".")
	}
	root.Send(self, &resolved{host: name})
}

// ev adds the actor's identifying fields to a log event (built per event:
// a child logger per actor would cost half a kilobyte each).
func (c *connActor) ev(e *zerolog.Event) *zerolog.Event {
	return e.Uint64("conn", c.uid).Str("addr", c.addr)
}
