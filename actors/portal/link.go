package portal

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/wire"
	"github.com/troupe-mud/troupe/net/telnet"
)

// Messages a link sends itself from its goroutines, and gets from the
// portal actor.
type (
	inbound struct { // one socket read's worth of decoded telnet events
		events []telnet.Event
	}
	readFailed  struct{ err error } // the reader's last message
	writeDone   struct{ err error } // a writer goroutine finished its batch
	flushNow    struct{}            // coalesced protocol output flush
	lineFlush   struct{}            // the line delay is over: write the waiting lines
	attachNow   struct{}            // the game is up: attach (again)
	gameDown    struct{ reason string }
	closeLink   struct{ text string } // the portal shuts down
	tellWaiting struct{}              // a new socket still waits for the game
)

// waitFirstAfter is how long a new socket waits for the game before the
// player is told it is restarting.
const waitFirstAfter = time.Second

// What a player is told about a game restart.
const (
	downLine  = "{Y*** The world shimmers and dissolves around you: it is being restarted. Stay connected; it will be back in a moment. ***{x"
	backLine  = "{Y*** The world takes shape around you again. ***{x"
	heldFull  = "{YThe world is still restarting; what you type now is not kept. Please wait a moment.{x"
	waitFirst = "{YThe world is restarting; please wait a moment.{x"
)

// Bounds of the input a link holds while the game is down.
const (
	maxHeldLines = 32
	maxHeldBytes = 8 << 10
)

// lineTooLong is told to a player whose line was cut.
const lineTooLong = "Your line was too long and has been cut to %d characters."

// inboundCredits bounds the *inbound messages a reader may have queued;
// readBuffer is the size of one socket read.
const (
	inboundCredits = 4
	readBuffer     = 1024
)

// linkActor owns one socket and its telnet state. All fields are owned by
// the actor's mailbox unless marked otherwise.
type linkActor struct {
	cfg    *Config  // immutable, shared
	nc     net.Conn // read only by the reader goroutine, written only by one writer goroutine at a time
	uid    uint64   // immutable
	addr   string   // immutable
	self   *actor.PID
	portal *actor.PID

	proto   *telnet.Protocol
	credits chan struct{} // reader takes a credit per *inbound; the actor gives it back
	done    chan struct{} // closed when the connection ends: the reader stops reporting

	atPrompt   bool      // the last thing sent was a prompt (no newline after it)
	prompt     string    // the session's prompt, shown after game text
	needPrompt bool      // game text was written since the prompt was last shown
	flushing   bool      // a *flushNow is in the mailbox
	delayed    bool      // a *lineFlush is due (lines wait for more output)
	lastInput  time.Time // when the player last typed a line
	lastHeard  time.Time // when this link last recorded a message from the game

	raw       syscall.RawConn // for non-blocking writes from the actor; nil if unsupported
	writing   bool            // a writer goroutine is in flight
	inflight  chan struct{}   // closed when that writer has finished
	sendq     [][]byte        // batches waiting for the writer
	sendqLen  int             // bytes in sendq
	closeWhen bool            // close the socket after the queued bytes are written
	ended     bool
	reason    msg.Reason
	cause     msg.Cause

	session   *actor.PID // the game's session; nil while detached
	attaching bool       // an *Attach is on its way
	boot      string     // the game's boot id the session belongs to
	snapshot  []byte     // the session's last snapshot
	playing   bool       // a character is played here (MSSP)
	toldDown  bool       // the player was told the world is restarting
	held      []string   // lines typed while detached
	heldBytes int
	heldFull  bool
}

// newLinkActor returns the link of a new socket, for the one Props every
// link shares (see portalActor.spawnLink).
func newLinkActor(nc net.Conn, uid uint64, cfg *Config, portal *actor.PID) actor.Actor {
	return wire.Decoding(&linkActor{cfg: cfg, nc: nc, uid: uid, addr: nc.RemoteAddr().String(), portal: portal})
}

// Receive is the link's single entry point.
func (l *linkActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		l.started(ctx)
	case *inbound:
		<-l.credits // give the reader its credit back; never blocks: it put one in
		l.input(ctx, m.events)
	case *flushNow:
		l.flushing = false
		l.flush(ctx)
	case *lineFlush:
		l.delayed = false
		l.flush(ctx)
	case *writeDone:
		l.written(ctx, m.err)
	case *readFailed:
		l.readFailed(ctx, m.err)
	case *attachNow:
		l.attach(ctx)
	case *gameDown:
		l.detach(ctx)
	case *tellWaiting:
		if l.session == nil && !l.ended && !l.toldDown {
			l.toldDown = true
			l.text(waitFirst + "\n")
			l.flush(ctx)
		}
	case *link.Attached:
		l.attached(ctx, m)
	case *link.Refused:
		l.attaching = false
		l.close(ctx, m.Text, msg.ReasonQuit, msg.CauseVeto)
	case *link.Out:
		l.heard()
		l.out(ctx, m)
	case *link.Line:
		l.heard()
		l.line(ctx, m)
	case *link.Close:
		l.session = nil // the session has ended: it needs no *Closed
		l.close(ctx, m.Text, msg.ReasonQuit, msg.CauseQuit)
	case *closeLink:
		l.close(ctx, m.text, msg.ReasonQuit, msg.CauseShutdown)
	case *actor.Stopping:
		switch {
		case l.closeWhen && len(l.sendq) > 0:
			// The last bytes wait behind a write in flight; once the actor
			// is gone nobody would hand them over, so a goroutine does.
			go finalWrite(l.nc, l.inflight, l.sendq, l.cfg.writeTimeout())
			l.sendq = nil
		case l.closeWhen:
			_ = l.nc.SetReadDeadline(time.Now().Add(lingerTimeout))
		default:
			_ = l.nc.Close()
		}
	case *actor.Restarting:
		_ = l.nc.Close()
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		l.ev(l.cfg.Log.Debug()).Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

func (l *linkActor) started(ctx actor.Context) {
	l.self = ctx.Self()
	l.lastInput = time.Now()
	l.raw = rawConn(l.nc)
	l.proto = telnet.NewProtocol(l.cfg.Protocol)
	l.credits = make(chan struct{}, inboundCredits)
	l.done = make(chan struct{})
	l.proto.Start()
	l.flush(ctx)
	startReader(ctx.ActorSystem().Root, l.self, l.nc, l.credits, l.done, telnet.NewDecoder(l.cfg.Protocol.Limits))
}

// attach asks the game for a session: a new one, or one rebuilt from the
// snapshot after a game restart.
func (l *linkActor) attach(ctx actor.Context) {
	if l.ended || l.session != nil || l.attaching {
		return
	}
	l.attaching = true
	l.send(ctx, l.cfg.gameSess, &link.Attach{
		UID: l.uid, Link: l.self, Portal: l.cfg.boot, Addr: l.addr, Caps: l.proto.Caps(),
		Resume: l.boot != "" || l.snapshot != nil, Snapshot: l.snapshot, Idle: time.Since(l.lastInput),
	})
}

func (l *linkActor) attached(ctx actor.Context, m *link.Attached) {
	if l.ended {
		// The socket died while the game answered: the session ends.
		l.send(ctx, m.Session, &link.Closed{Reason: l.reason, Cause: l.cause})
		ctx.Stop(l.self)
		return
	}
	l.attaching = false
	l.session, l.boot = m.Session, m.Boot
	ctx.Send(l.portal, &attachedNote{})
	if l.toldDown {
		l.toldDown = false
		l.text(backLine + "\n")
	}
	l.heldFull = false
	if len(l.held) > 0 {
		lines := l.held
		l.held, l.heldBytes = nil, 0
		l.send(ctx, l.session, &link.Input{Lines: lines})
	}
	l.flush(ctx)
}

// detach forgets the session of a game that went away; the player is told
// once, and what they type is held until the game is back.
func (l *linkActor) detach(ctx actor.Context) {
	l.attaching = false
	if l.ended {
		ctx.Stop(l.self) // it was waiting for an answer that will not come
		return
	}
	if l.session == nil {
		if l.boot == "" && l.snapshot == nil && !l.toldDown {
			// A new socket while the game is away: it has not even seen
			// the greeting. Say why, unless the game answers within a
			// moment (a portal that has just started).
			self, root := l.self, ctx.ActorSystem().Root
			time.AfterFunc(waitFirstAfter, func() { root.Send(self, &tellWaiting{}) })
		}
		return
	}
	l.session = nil
	if !l.toldDown {
		l.toldDown = true
		l.text(downLine + "\n")
		l.flush(ctx)
	}
}

// send sends a message to the game side.
func (l *linkActor) send(ctx actor.Context, to *actor.PID, m any) {
	if err := wire.Send(ctx, to, m); err != nil {
		l.ev(l.cfg.Log.Error()).Err(err).Msg("sending to the game")
	}
}

// input runs the decoded events of one read, in order.
func (l *linkActor) input(ctx actor.Context, events []telnet.Event) {
	if l.ended {
		return
	}
	var lines []string
	for i := range events {
		ev := &events[i]
		if ev.Kind == telnet.EventError {
			// The client's compressed stream broke a limit or was corrupt:
			// nothing it sends can be read any more.
			l.notes(ctx, l.proto.Handle(ev))
			l.close(ctx, "", msg.ReasonLinkDeath, msg.CauseProtocol)
			return
		}
		if ev.Kind != telnet.EventLine {
			l.notes(ctx, l.proto.Handle(ev))
			continue
		}
		text, notes, consumed := l.proto.DecodeLine(ev.Line)
		l.notes(ctx, notes)
		if ev.Err != nil && errors.Is(ev.Err, telnet.ErrLineTooLong) {
			l.text(fmt.Sprintf(lineTooLong, len(ev.Line)) + "\n")
		}
		if consumed {
			continue
		}
		l.atPrompt = false // the client's own newline ended the prompt line
		lines = append(lines, text)
	}
	if len(lines) > 0 {
		l.lastInput = time.Now()
		if l.session != nil {
			l.send(ctx, l.session, &link.Input{Lines: lines})
		} else {
			l.hold(lines)
		}
	}
	if l.proto.Pending() {
		l.flush(ctx)
	}
}

// hold keeps lines typed while the game is down, within bounds.
func (l *linkActor) hold(lines []string) {
	for _, s := range lines {
		if len(l.held) >= maxHeldLines || l.heldBytes+len(s) > maxHeldBytes {
			if !l.heldFull {
				l.heldFull = true
				l.text(heldFull + "\n")
			}
			return
		}
		l.held = append(l.held, s)
		l.heldBytes += len(s)
	}
}

// notes acts on what the telnet layer reports.
func (l *linkActor) notes(ctx actor.Context, notes []telnet.Note) {
	for _, n := range notes {
		switch n.Kind {
		case telnet.NoteError:
			if n.Text != "" {
				l.text(n.Text + "\n")
			}
		case telnet.NoteMSSP:
			l.proto.SendMSSP(l.cfg.msspVars())
		case telnet.NoteGMCP, telnet.NoteCaps:
			if l.session != nil {
				l.send(ctx, l.session, &link.Note{Note: n, Caps: l.proto.Caps()})
			}
		}
	}
}

// out renders one burst from the session. It is written at the next
// flush, with whatever else arrives meanwhile.
func (l *linkActor) out(ctx actor.Context, m *link.Out) {
	if m.Snapshot != nil {
		l.snapshot = m.Snapshot
	}
	promptChanged := false
	if m.PromptSet {
		promptChanged = m.Prompt != l.prompt
		l.prompt = m.Prompt
	}
	if m.Who != nil {
		if playing := m.Who.Character != ""; playing != l.playing {
			l.playing = playing
			if playing {
				l.cfg.players.Add(1)
			} else {
				l.cfg.players.Add(-1)
			}
		}
	}
	if l.ended {
		return
	}
	switch m.Echo {
	case link.EchoHide:
		l.proto.SetEcho(true)
	case link.EchoShow:
		l.proto.SetEcho(false)
	}
	for _, g := range m.GMCP {
		l.proto.SendGMCP(g.Package, g.JSON)
	}
	if m.Text != "" {
		l.text(m.Text)
		if !m.More {
			l.needPrompt = true
		}
	}
	if m.ShowPrompt && (!l.atPrompt || promptChanged) {
		// Not again if the prompt already shows, unchanged, after the
		// last text (a room showed a command's answer straight here, and
		// this is the command's end).
		l.needPrompt = true
	}
	l.scheduleFlush(ctx)
}

// line shows a line sent straight to this link (a room's or a channel's),
// rendered through its shared cache when it has one.
func (l *linkActor) line(ctx actor.Context, m *link.Line) {
	doc, skip := m.Doc()
	if l.ended || (m.Text == "" && doc == nil) {
		return
	}
	l.breakPrompt()
	if doc != nil {
		l.proto.WriteSharedDoc(doc, skip) // a room's view, rendered once per form for every viewer
	} else if sh := m.Shared(); sh != nil {
		l.proto.WriteShared(sh) // rendered once per client form, for every link
	} else {
		l.proto.WriteText(m.Text) // from another process, or for one player only
	}
	l.needPrompt = true
	if m.Answer || l.cfg.LineDelay <= 0 {
		l.scheduleFlush(ctx)
	} else if !l.delayed && !l.flushing {
		// Someone else's line: wait a moment for more (another line, the
		// player's own answer), then write them together.
		l.delayed = true
		self, root := l.self, ctx.ActorSystem().Root
		time.AfterFunc(l.cfg.LineDelay, func() { root.Send(self, lineFlushMsg) })
	}
}

// lineFlushMsg is shared: it carries nothing.
var lineFlushMsg = &lineFlush{}

// heard notes that the game is alive (a busy game answers pings late).
// Stores are spread out: at most one per link every heardEvery.
func (l *linkActor) heard() {
	now := time.Now()
	if now.Sub(l.lastHeard) >= heardEvery {
		l.lastHeard = now
		l.cfg.heard.Store(now.UnixNano())
	}
}

// heardEvery bounds how often one link records that it heard the game.
const heardEvery = 100 * time.Millisecond

// text hands game text to the protocol, starting a new line if the cursor
// sits after a prompt.
func (l *linkActor) text(s string) {
	l.breakPrompt()
	l.proto.WriteText(s)
}

// breakPrompt ends the prompt line before new text.
func (l *linkActor) breakPrompt() {
	if l.atPrompt {
		l.proto.WriteRaw("\n")
		l.atPrompt = false
	}
}

// scheduleFlush writes what is pending once the messages already in the
// mailbox are handled: output that arrives together (a command's answer,
// a room's lines, a channel's) costs one write.
func (l *linkActor) scheduleFlush(ctx actor.Context) {
	if !l.flushing && !l.ended {
		l.flushing = true
		ctx.Send(l.self, flushNowMsg)
	}
}

// flushNowMsg is shared: it carries nothing.
var flushNowMsg = &flushNow{}

// flush shows the prompt after any game text written since it was last
// shown, then hands what the protocol has to the writer.
func (l *linkActor) flush(ctx actor.Context) {
	if l.ended {
		return
	}
	if l.needPrompt {
		l.needPrompt = false
		if l.prompt != "" {
			l.proto.WriteText(l.prompt)
			l.proto.EndPrompt()
			l.atPrompt = true
		}
	}
	if !l.proto.Pending() {
		return
	}
	if !l.writing && l.raw != nil {
		// Write straight from the protocol's buffer: nearly every burst fits
		// the socket's send buffer, and then it costs no copy and no
		// allocation; only what the socket does not take is copied for the
		// writer goroutine.
		out := l.proto.Output()
		n, err := tryWrite(l.raw, [][]byte{out})
		if err != nil {
			l.proto.Consumed(len(out))
			l.writing = true
			l.written(ctx, err)
			return
		}
		if n == len(out) {
			l.proto.Consumed(n)
			return
		}
		rest := append([]byte(nil), out[n:]...)
		l.proto.Consumed(len(out))
		l.writing = true
		l.inflight = make(chan struct{})
		go writeBatch(ctx.ActorSystem().Root, l.self, l.nc, [][]byte{rest}, l.cfg.writeTimeout(), false, l.inflight)
		return
	}
	l.enqueue(ctx, l.proto.Flush())
}

// enqueue hands bytes to the writer goroutine, or queues them while one is
// in flight. An overflowing queue ends the link as LINKDEATH/sendq.
func (l *linkActor) enqueue(ctx actor.Context, b []byte) {
	if len(b) == 0 {
		return
	}
	if !l.writing {
		l.startWrite(ctx, [][]byte{b}, false)
		return
	}
	if l.sendqLen+len(b) > l.cfg.sendQueue() {
		l.sendq, l.sendqLen = nil, 0
		l.end(ctx, msg.ReasonLinkDeath, msg.CauseSendQ)
		_ = l.nc.Close()
		return
	}
	l.sendq = append(l.sendq, b)
	l.sendqLen += len(b)
}

func (l *linkActor) startWrite(ctx actor.Context, bufs [][]byte, closeAfter bool) {
	if l.raw != nil {
		// Most writes fit in the socket's send buffer: write them here,
		// without blocking, and spare a goroutine. Only what the socket
		// does not take at once goes to a writer goroutine.
		n, err := tryWrite(l.raw, bufs)
		if err != nil {
			l.writing = true
			l.written(ctx, err)
			return
		}
		if bufs = consumed(bufs, n); len(bufs) == 0 {
			if closeAfter {
				lingerClose(l.nc)
			}
			return
		}
	}
	l.writing = true
	l.inflight = make(chan struct{})
	go writeBatch(ctx.ActorSystem().Root, l.self, l.nc, bufs, l.cfg.writeTimeout(), closeAfter, l.inflight)
}

func (l *linkActor) written(ctx actor.Context, err error) {
	l.writing = false
	if err != nil {
		if !l.ended {
			cause := msg.CauseWriteError
			if errors.Is(err, os.ErrDeadlineExceeded) {
				cause = msg.CauseSendQ
			}
			l.ev(l.cfg.Log.Debug()).Err(err).Msg("write failed")
			l.end(ctx, msg.ReasonLinkDeath, cause)
		}
		l.sendq, l.sendqLen = nil, 0
		_ = l.nc.Close()
		return
	}
	if len(l.sendq) > 0 {
		bufs := l.sendq
		l.sendq, l.sendqLen = nil, 0
		l.startWrite(ctx, bufs, l.closeWhen)
		return
	}
	if l.closeWhen {
		lingerClose(l.nc)
	}
}

func (l *linkActor) readFailed(ctx actor.Context, err error) {
	if l.ended {
		return
	}
	cause := msg.CauseReadError
	if errors.Is(err, io.EOF) {
		cause = msg.CauseEOF
	}
	l.ev(l.cfg.Log.Debug()).Err(err).Msg("read ended")
	l.end(ctx, msg.ReasonLinkDeath, cause)
	_ = l.nc.Close()
}

// close ends the link deliberately: text (if any) is written, the
// outbound stream finished, and the socket closed once written.
func (l *linkActor) close(ctx actor.Context, text string, reason msg.Reason, cause msg.Cause) {
	if l.closeWhen {
		return
	}
	if text != "" && !l.ended {
		l.text(text)
	}
	var final []byte
	if !l.ended {
		final = append(l.proto.Flush(), l.proto.Finish()...)
	}
	l.closeWhen = true
	l.end(ctx, reason, cause)
	switch {
	case l.writing:
		if len(final) > 0 {
			l.sendq = append(l.sendq, final)
		}
	case len(final) > 0:
		l.startWrite(ctx, [][]byte{final}, true)
	default:
		lingerClose(l.nc)
	}
}

// end records that the link has ended: the session (if any) is told, and
// the actor stops (a write in flight finishes from a goroutine).
func (l *linkActor) end(ctx actor.Context, reason msg.Reason, cause msg.Cause) {
	if l.ended {
		return
	}
	l.ended = true
	l.reason, l.cause = reason, cause
	close(l.done)
	l.ev(l.cfg.Log.Debug()).Stringer("reason", reason).Str("cause", string(cause)).Msg("link ended")
	if l.session != nil {
		l.send(ctx, l.session, &link.Closed{Reason: reason, Cause: cause})
		l.session = nil
	}
	if l.playing {
		l.playing = false
		l.cfg.players.Add(-1)
	}
	if !l.attaching {
		// Otherwise the link waits for the game's answer, to end the
		// session it is about to get.
		ctx.Stop(l.self)
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
	rd := newSockReader(nc) // holds no buffer while it waits (see sockReader)
	for {
		evs, err := rd.read(dec)
		if len(evs) > 0 {
			select {
			case credits <- struct{}{}:
				root.Send(self, &inbound{events: evs})
			case <-done:
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

// finalWrite writes the last bytes of a closing link whose actor has
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

// ev adds the link's identifying fields to a log event.
func (l *linkActor) ev(e *zerolog.Event) *zerolog.Event {
	return e.Uint64("conn", l.uid).Str("addr", l.addr)
}
