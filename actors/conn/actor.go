package conn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/scheduler"
	"github.com/troupe-mud/troupe/net/telnet"
)

// Messages the actor sends itself from its goroutines.
type (
	inbound struct { // one socket read's worth of decoded telnet events
		events []telnet.Event
	}
	readFailed struct{ err error } // the reader's last message
	writeDone  struct{ err error } // a writer goroutine finished its batch
	flushNow   struct{}            // coalesced output flush
	resolved   struct{ host string }
)

// The panic line a player sees when an input handler fails.
const panicLine = "{RSomething went wrong handling that; it has been logged.{x"

// lineTooLong is told to a player whose line was cut.
const lineTooLong = "Your line was too long and has been cut to %d characters."

// connActor owns one socket. All fields are owned by the actor's mailbox
// unless marked otherwise.
type connActor struct {
	cfg  *Config  // immutable, shared
	nc   net.Conn // read only by the reader goroutine, written only by one writer goroutine at a time
	uid  uint64   // immutable
	addr string   // immutable
	self *actor.PID

	proto   *telnet.Protocol
	credits chan struct{} // reader takes a credit per *inbound; the actor gives it back
	done    chan struct{} // closed when the connection ends: the reader stops reporting

	stack  []Frame
	aux    map[string]any
	sock   Socket // the view handed to handlers; valid during a call
	outBuf strings.Builder

	admitted  bool
	flushing  bool     // a flushNow is in the mailbox
	busted    bool     // the prompt must be shown again
	atPrompt  bool     // the last thing sent was a prompt (no newline after it)
	moreInput int      // lines still to come in the current batch (HasInput)
	reinput   []string // lines a handler gave back, to run through the top handler

	raw       syscall.RawConn // for non-blocking writes from the actor; nil if unsupported
	writing   bool            // a writer goroutine is in flight
	inflight  chan struct{}   // closed when that writer has finished
	sendq     [][]byte        // batches waiting for the writer
	sendqLen  int             // bytes in sendq
	closeWhen bool            // close the socket after the queued bytes are written

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

// Props returns the props of the connection actor for an accepted socket.
// The actor takes ownership of nc.
func Props(nc net.Conn, uid uint64, cfg *Config) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		return newConnActor(nc, uid, cfg)
	}, dispatch.Option())
}

func newConnActor(nc net.Conn, uid uint64, cfg *Config) *connActor {
	return &connActor{cfg: cfg, nc: nc, uid: uid, addr: nc.RemoteAddr().String()}
}

// Receive is the actor's single entry point.
func (c *connActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		c.started(ctx)
	case *inbound:
		<-c.credits // give the reader its credit back; never blocks: it put one in
		c.input(ctx, m.events)
	case *flushNow:
		c.flushing = false
		c.flush(ctx)
	case *writeDone:
		c.written(ctx, m.err)
	case *readFailed:
		c.readFailed(ctx, m.err)
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
		c.write(ctx, m.Text)
		if m.Done {
			c.commandDone(ctx)
		}
	case *msg.GMCP:
		if c.reason == msg.ReasonNone && c.proto.SendGMCP(m.Package, m.JSON) {
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
			c.call(ctx, func() { c.sock.EditText(m.Initial, OnDone{To: m.ReplyTo, Tag: m.Tag}, m.Mode) })
		}
	case *actor.Stopping:
		if c.admitted && c.cfg.IdleCheck >= 0 {
			ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceScheduler), &scheduler.Cancel{Owner: c.self, Key: idleKey})
		}
		switch {
		case c.closeWhen && len(c.sendq) > 0:
			// The last bytes wait behind a write in flight; once the actor
			// is gone nobody would hand them over, so a goroutine does.
			go finalWrite(c.nc, c.inflight, c.sendq, c.cfg.writeTimeout())
			c.sendq = nil
		case c.closeWhen:
			// A graceful close is lingering (see writeBatch); bound it.
			_ = c.nc.SetReadDeadline(time.Now().Add(lingerTimeout))
		default:
			c.closeSocketNow()
		}
	case *actor.Restarting:
		// A connection is never restarted (its supervisor stops it), but if
		// it were, the socket would be orphaned: close it.
		c.closeSocketNow()
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		c.toHandler(ctx, m)
	}
}

func (c *connActor) started(ctx actor.Context) {
	c.self = ctx.Self()
	c.raw = rawConn(c.nc)
	c.since = c.cfg.now()
	c.lastInput = c.since
	c.proto = telnet.NewProtocol(c.cfg.Telnet)
	c.credits = make(chan struct{}, inboundCredits)
	c.done = make(chan struct{})
	c.sock = Socket{c: c}
	c.proto.Start()
	c.scheduleFlush(ctx)
	if c.cfg.ResolveHostnames {
		go resolve(ctx.ActorSystem().Root, c.self, c.addr, c.cfg.dnsTimeout())
	} else {
		c.canUse = true
	}
	// The reader starts at once so that telnet negotiation proceeds while
	// the connect chain runs; lines that arrive before Admit are held by
	// the empty stack (dropped with no handler) — clients do not type
	// before they see a prompt.
	go readLoop(ctx.ActorSystem().Root, c.self, c.nc, c.credits, c.done, telnet.NewDecoder(c.cfg.Telnet.Limits))
}

func (c *connActor) admit(ctx actor.Context) {
	if c.admitted || c.reason != msg.ReasonNone {
		return
	}
	c.admitted = true
	if c.cfg.IdleCheck >= 0 {
		every := orDur(c.cfg.IdleCheck, 30*time.Second)
		ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceScheduler),
			&scheduler.Start{Owner: c.self, Key: idleKey, Delay: every, Every: every})
	}
	if c.cfg.Greeting != "" {
		c.outBuf.WriteString(c.cfg.Greeting)
	}
	if c.cfg.First != nil {
		f := c.cfg.First()
		c.call(ctx, func() { c.sock.PushIH(f.Handler, f.Prompt, f.State) })
	}
	c.bust(ctx)
	c.publish(ctx)
}

// input runs the decoded events of one read, in order.
func (c *connActor) input(ctx actor.Context, events []telnet.Event) {
	if c.reason != msg.ReasonNone {
		return
	}
	lines := 0
	for i := range events {
		if events[i].Kind == telnet.EventLine {
			lines++
		}
	}
	for i := range events {
		ev := &events[i]
		if ev.Kind == telnet.EventError {
			// The client's compressed stream broke a limit or was corrupt:
			// nothing it sends can be read any more.
			c.notes(ctx, c.proto.Handle(ev))
			c.close(ctx, msg.ReasonLinkDeath, msg.CauseProtocol, "")
			return
		}
		if ev.Kind != telnet.EventLine {
			c.notes(ctx, c.proto.Handle(ev))
			continue
		}
		lines--
		text, notes, consumed := c.proto.DecodeLine(ev.Line)
		c.notes(ctx, notes)
		if ev.Err != nil && errors.Is(ev.Err, telnet.ErrLineTooLong) {
			c.outBuf.WriteString(fmt.Sprintf(lineTooLong, len(ev.Line)) + "\n")
		}
		if consumed || !c.admitted {
			continue
		}
		c.lastInput = c.cfg.now()
		c.idleWarned = false
		c.atPrompt = false // the client's own newline ended the prompt line
		c.moreInput = lines
		c.line(ctx, text)
		c.moreInput = 0
		if c.reason != msg.ReasonNone {
			return
		}
	}
	if c.proto.Pending() {
		c.scheduleFlush(ctx)
	}
}

// notes acts on what the telnet layer reports.
func (c *connActor) notes(ctx actor.Context, notes []telnet.Note) {
	for _, n := range notes {
		switch n.Kind {
		case telnet.NoteError:
			if n.Text != "" {
				c.outBuf.WriteString(n.Text + "\n")
				c.bust(ctx)
			}
		case telnet.NoteMSSP:
			c.proto.SendMSSP(c.msspVars())
		case telnet.NoteGMCP, telnet.NoteCaps:
			c.toHandler(ctx, &n)
		}
	}
	if len(notes) > 0 {
		c.scheduleFlush(ctx)
	}
}

func (c *connActor) msspVars() map[string][]string {
	name := c.cfg.Telnet.Name
	if name == "" {
		name = "troupe"
	}
	players := 0
	if c.cfg.Sockets != nil {
		for _, s := range c.cfg.Sockets.Load() {
			if s.Character != "" {
				players++
			}
		}
	}
	return map[string][]string{
		"NAME":              {name},
		"PLAYERS":           {fmt.Sprint(players)},
		"UPTIME":            {fmt.Sprint(processStart.Unix())},
		"CODEBASE":          {"troupe"},
		"FAMILY":            {"Custom"},
		"ANSI":              {"1"},
		"UTF-8":             {"1"},
		"GMCP":              {"1"},
		"MCCP":              {"1"},
		"MSSP":              {"1"},
		"XTERM 256 COLORS":  {"1"},
		"XTERM TRUE COLORS": {"1"},
	}
}

var processStart = time.Now()

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
		c.call(ctx, func() { top.HandleLine(&c.sock, text) })
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
			c.call(ctx, func() { top.HandleLine(&c.sock, next) })
		}
	}
	c.reinput = nil
}

// commandDoneMsg is shared: it carries nothing.
var commandDoneMsg = &msg.CommandDone{}

// commandDone tells the handlers, from the top down, that the game finished
// the last command; the first that wants it (the play handler, perhaps
// under an editor the command opened) takes it.
func (c *connActor) commandDone(ctx actor.Context) {
	for i := len(c.stack) - 1; i >= 0; i-- {
		mh, ok := c.stack[i].Handler.(MessageHandler)
		if !ok {
			continue
		}
		var consumed bool
		c.call(ctx, func() { consumed = mh.HandleMessage(&c.sock, commandDoneMsg) })
		if consumed {
			c.drainReinput(ctx)
			return
		}
	}
}

// toHandler offers a message the actor does not handle to the top handler.
func (c *connActor) toHandler(ctx actor.Context, m any) {
	if n := len(c.stack); n > 0 {
		if mh, ok := c.stack[n-1].Handler.(MessageHandler); ok {
			var consumed bool
			c.call(ctx, func() { consumed = mh.HandleMessage(&c.sock, m) })
			if consumed {
				return
			}
		}
	}
	if _, ok := m.(*telnet.Note); ok {
		return // notes nobody wants are fine
	}
	c.ev(c.cfg.Log.Debug()).Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
}

// call runs handler code with the socket view bound to ctx, recovering a
// panic so that one bad handler cannot take the connection down.
func (c *connActor) call(ctx actor.Context, f func()) {
	c.sock.ctx = ctx
	defer func() {
		c.sock.ctx = nil
		if r := recover(); r != nil {
			c.ev(c.cfg.Log.Error()).Str("panic", fmt.Sprint(r)).Str("stack", string(debug.Stack())).Msg("input handler panicked")
			c.outBuf.WriteString(panicLine + "\n")
			c.bust(ctx)
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

// flush renders the outbound text and the prompt, then hands the bytes to
// the writer.
func (c *connActor) flush(ctx actor.Context) {
	if c.reason != msg.ReasonNone {
		return
	}
	c.renderText() // the text and the prompt go out in one write
	if c.busted {
		c.busted = false
		if p := c.prompt(ctx); p != "" {
			c.proto.WriteText(p)
			c.proto.EndPrompt()
			c.atPrompt = true
		}
	}
	if c.proto.Pending() {
		c.enqueue(ctx, c.proto.Flush())
	}
}

// flushText renders the outbound text (without a prompt) and queues it:
// for a burst too big to hold until its end.
func (c *connActor) flushText(ctx actor.Context) {
	if c.renderText() {
		c.enqueue(ctx, c.proto.Flush())
	}
}

// renderText hands the outbound text to the protocol (starting a new line
// if the cursor sits after a prompt); it reports whether there was any.
func (c *connActor) renderText() bool {
	if c.outBuf.Len() == 0 {
		return false
	}
	if c.atPrompt {
		c.proto.WriteRaw("\n")
	}
	c.proto.WriteText(c.outBuf.String())
	c.outBuf.Reset()
	c.atPrompt = false
	return true
}

func (c *connActor) prompt(ctx actor.Context) string {
	n := len(c.stack)
	if n == 0 {
		return ""
	}
	f := c.stack[n-1]
	if p, ok := f.Handler.(Prompter); ok {
		var s string
		c.call(ctx, func() { s = p.Prompt(&c.sock) })
		return s
	}
	return f.Prompt
}

// enqueue hands bytes to the writer goroutine, or queues them while one is
// in flight. An overflowing queue ends the connection as LINKDEATH/sendq.
func (c *connActor) enqueue(ctx actor.Context, b []byte) {
	if len(b) == 0 {
		return
	}
	if !c.writing {
		c.startWrite(ctx, [][]byte{b}, false)
		return
	}
	if c.sendqLen+len(b) > c.cfg.sendQueue() {
		c.sendq, c.sendqLen = nil, 0
		c.end(ctx, msg.ReasonLinkDeath, msg.CauseSendQ)
		c.closeSocketNow()
		return
	}
	c.sendq = append(c.sendq, b)
	c.sendqLen += len(b)
}

func (c *connActor) startWrite(ctx actor.Context, bufs [][]byte, closeAfter bool) {
	if c.raw != nil {
		// Most writes fit in the socket's send buffer: write them here,
		// without blocking, and spare a goroutine. Only what the socket
		// does not take at once goes to a writer goroutine.
		n, err := tryWrite(c.raw, bufs)
		if err != nil {
			c.writing = true
			c.written(ctx, err)
			return
		}
		if bufs = consumed(bufs, n); len(bufs) == 0 {
			if closeAfter {
				lingerClose(c.nc)
			}
			return
		}
	}
	c.writing = true
	c.inflight = make(chan struct{})
	go writeBatch(ctx.ActorSystem().Root, c.self, c.nc, bufs, c.cfg.writeTimeout(), closeAfter, c.inflight)
}

func (c *connActor) written(ctx actor.Context, err error) {
	c.writing = false
	if err != nil {
		if c.reason == msg.ReasonNone {
			cause := msg.CauseWriteError
			if errors.Is(err, os.ErrDeadlineExceeded) {
				cause = msg.CauseSendQ
			}
			c.ev(c.cfg.Log.Debug()).Err(err).Msg("write failed")
			c.end(ctx, msg.ReasonLinkDeath, cause)
		}
		c.sendq, c.sendqLen = nil, 0
		c.closeSocketNow()
		return
	}
	if len(c.sendq) > 0 {
		bufs := c.sendq
		c.sendq, c.sendqLen = nil, 0
		c.startWrite(ctx, bufs, c.closeWhen && c.reason != msg.ReasonNone)
		return
	}
	if c.closeWhen {
		lingerClose(c.nc)
	}
}

func (c *connActor) readFailed(ctx actor.Context, err error) {
	if c.reason != msg.ReasonNone {
		return
	}
	cause := msg.CauseReadError
	if errors.Is(err, io.EOF) {
		cause = msg.CauseEOF
	}
	c.ev(c.cfg.Log.Debug()).Err(err).Msg("read ended")
	c.end(ctx, msg.ReasonLinkDeath, cause)
	c.closeSocketNow()
}

// close ends the connection deliberately: message (if any) is written,
// the outbound stream finished, and the socket closed once written.
func (c *connActor) close(ctx actor.Context, reason msg.Reason, cause msg.Cause, message string) {
	if c.reason != msg.ReasonNone {
		return
	}
	if message != "" {
		if c.atPrompt {
			c.proto.WriteRaw("\n")
		}
		c.proto.WriteText(c.outBuf.String() + message + "\n")
	} else if c.outBuf.Len() > 0 {
		c.proto.WriteText(c.outBuf.String())
	}
	c.outBuf.Reset()
	final := append(c.proto.Flush(), c.proto.Finish()...)
	c.end(ctx, reason, cause)
	c.closeWhen = true
	switch {
	case c.writing:
		if len(final) > 0 {
			c.sendq = append(c.sendq, final)
		}
	case len(final) > 0:
		c.startWrite(ctx, [][]byte{final}, true)
	default:
		lingerClose(c.nc)
	}
}

// end records the first close reason and tells the supervisor.
func (c *connActor) end(ctx actor.Context, reason msg.Reason, cause msg.Cause) {
	if c.reason != msg.ReasonNone {
		return
	}
	c.reason, c.cause = reason, cause
	close(c.done)
	c.ev(c.cfg.Log.Debug()).Stringer("reason", reason).Str("cause", string(cause)).Msg("connection ended")
	ctx.Send(ctx.Parent(), &msg.ConnEnded{
		UID: c.uid, Reason: reason, Cause: cause,
		Account: c.account, Character: c.char, CharPID: c.charPID,
	})
}

func (c *connActor) closeSocketNow() {
	_ = c.nc.Close() // idempotent enough: a second Close only returns an error
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

// lingerTimeout bounds a graceful close: after the last bytes are written
// the write side is shut and the reader drains the client's input for at
// most this long before the socket is closed. Closing a socket with unread
// input would make the kernel send RST, and a client that gets RST may
// discard the goodbye it has not read yet.
const lingerTimeout = 2 * time.Second

// readLoop is the socket reader goroutine. It only moves bytes: decode,
// send, repeat. It takes a credit before each send so that at most
// inboundCredits messages wait in the mailbox. Once done is closed it only
// drains (for a lingering close) and reports nothing. It closes the socket
// when it exits.
func readLoop(root *actor.RootContext, self *actor.PID, nc net.Conn, credits, done chan struct{}, dec *telnet.Decoder) {
	defer nc.Close()
	buf := make([]byte, DefaultReadBuffer)
	for {
		n, err := nc.Read(buf)
		if n > 0 {
			if evs := dec.Decode(buf[:n], nil); len(evs) > 0 {
				select {
				case credits <- struct{}{}:
					root.Send(self, &inbound{events: evs})
				case <-done:
				}
			}
		}
		if err != nil {
			select {
			case <-done:
			default:
				root.Send(self, &readFailed{err: err})
			}
			return
		}
	}
}

// writeBatch is a short-lived writer goroutine: it writes one batch with a
// deadline and reports back. With closeAfter it then shuts the write side
// and leaves the reader to drain and close (a lingering close).
func writeBatch(root *actor.RootContext, self *actor.PID, nc net.Conn, bufs [][]byte, timeout time.Duration, closeAfter bool, done chan struct{}) {
	defer close(done)
	_ = nc.SetWriteDeadline(time.Now().Add(timeout))
	nb := net.Buffers(bufs)
	_, err := nb.WriteTo(nc)
	if closeAfter {
		lingerClose(nc)
	}
	root.Send(self, &writeDone{err: err})
}

// consumed drops the first n bytes from bufs.
func consumed(bufs [][]byte, n int) [][]byte {
	for len(bufs) > 0 && n >= len(bufs[0]) {
		n -= len(bufs[0])
		bufs = bufs[1:]
	}
	if len(bufs) > 0 && n > 0 {
		bufs[0] = bufs[0][n:]
	}
	return bufs
}

// finalWrite writes the last bytes of a closing connection whose actor has
// stopped: after the write in flight (if any), then a lingering close.
func finalWrite(nc net.Conn, inflight chan struct{}, bufs [][]byte, timeout time.Duration) {
	if inflight != nil {
		<-inflight
	}
	_ = nc.SetWriteDeadline(time.Now().Add(timeout))
	nb := net.Buffers(bufs)
	if _, err := nb.WriteTo(nc); err != nil {
		_ = nc.Close()
		return
	}
	lingerClose(nc)
}

// lingerClose shuts the write side (the client sees EOF after our last
// byte) and gives the reader lingerTimeout to drain before it closes.
func lingerClose(nc net.Conn) {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
		_ = nc.SetReadDeadline(time.Now().Add(lingerTimeout))
		return
	}
	_ = nc.Close()
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
