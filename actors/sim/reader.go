package sim

import (
	"bytes"
	"net"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

// Reader limits: what one connection may hold in memory at once.
const (
	readBufSize    = 2048  // bytes per Read
	maxHeldLines   = 256   // lines kept from the start of a burst
	maxHeldBytes   = 32768 // bytes of text kept from the start of a burst
	maxTailLines   = 16    // lines kept from the end of a burst that overflowed (who's total is last)
	maxNegotiation = 256   // negotiation replies per connection (a looping server is ignored after that)
)

// crByte is fed to the decoder after a prompt marker to end the prompt line.
var crByte = []byte{'\r'}

// reader is the socket reader of one sim player: it owns the connection's
// read side, the telnet decoder and the client's (tiny) option state, and
// sends the actor one *burst per prompt and one *readDone at the end.
// Every field is owned by the reader goroutine.
type reader struct {
	send    func(any) // delivers a message to the player actor
	nc      net.Conn
	timeout time.Duration // write deadline for negotiation replies

	dec     *telnet.Decoder
	evs     []telnet.Event
	crEvs   []telnet.Event // events of the synthetic CR after a prompt marker
	lines   []string       // lines since the last prompt (the head of the burst)
	held    int            // bytes in lines
	tail    []string       // ring of the last lines once the head is full
	tailAt  int            // next slot of tail
	dropped bool           // lines were dropped for the limits
	eor     bool           // the server does EOR (we said DO EOR)
	replies int            // negotiation replies sent
	out     []byte         // replies queued during one read
}

// runTo reads until the connection fails or is closed, delivering
// messages with send.
func (r *reader) runTo(send func(any)) {
	r.send = send
	r.dec = telnet.NewDecoder(telnet.Limits{MaxLine: telnet.DefaultMaxLine, MaxSubneg: 1024})
	buf := make([]byte, readBufSize)
	lastIAC := false
	for {
		n, err := r.nc.Read(buf)
		if n > 0 {
			now := time.Now()
			r.chunk(buf[:n], lastIAC, now)
			lastIAC = buf[n-1] == telnet.IAC
			if len(r.out) > 0 {
				_ = r.nc.SetWriteDeadline(now.Add(r.timeout))
				if _, werr := r.nc.Write(r.out); werr != nil && err == nil {
					err = werr
				}
				r.out = r.out[:0]
			}
		}
		if err != nil {
			r.send(&readDone{err: err, lines: r.lines})
			return
		}
	}
}

// chunk decodes one read. It cuts p right after every byte that follows an
// IAC, so that an IAC EOR or IAC GA is always the last event of a piece:
// the text after the marker must not be appended to the prompt line.
// splitIAC says the previous read ended in an IAC, so the first byte
// completes a command and goes alone.
func (r *reader) chunk(p []byte, splitIAC bool, at time.Time) {
	if splitIAC {
		r.piece(p[:1], at)
		p = p[1:]
	}
	for len(p) > 0 {
		n := len(p)
		if k := bytes.IndexByte(p, telnet.IAC); k >= 0 {
			n = min(k+2, len(p))
		}
		r.piece(p[:n], at)
		p = p[n:]
	}
}

func (r *reader) piece(p []byte, at time.Time) {
	r.evs = r.dec.Decode(p, r.evs[:0])
	for i := range r.evs {
		ev := &r.evs[i]
		switch ev.Kind {
		case telnet.EventLine:
			r.addLine(ev.Line)
		case telnet.EventNegotiation:
			r.negotiate(ev.Cmd, ev.Opt)
		case telnet.EventCommand:
			if ev.Cmd == telnet.EOR || ev.Cmd == telnet.GA {
				r.prompt(at)
			}
		case telnet.EventSubneg: // nothing offered, nothing expected
		}
	}
}

// prompt ends the pending partial line (the prompt text) with a synthetic
// CR and hands the burst to the actor. Either marker counts whatever was
// negotiated: the first prompt can leave before our DO EOR arrives.
func (r *reader) prompt(at time.Time) {
	r.crEvs = r.dec.Decode(crByte, r.crEvs[:0])
	text := ""
	if len(r.crEvs) > 0 {
		text = stripANSI(string(r.crEvs[0].Line))
	}
	lines := r.lines
	if len(r.tail) > 0 {
		// The head, then the ring's lines oldest first.
		n := len(r.tail)
		for i := range n {
			lines = append(lines, r.tail[(r.tailAt+i)%n])
		}
	}
	r.send(&burst{lines: lines, prompt: text, at: at, dropped: r.dropped})
	r.lines, r.held, r.dropped = nil, 0, false
	r.tail, r.tailAt = nil, 0
}

// addLine keeps a line of the burst: the first maxHeldLines (and
// maxHeldBytes), then the last maxTailLines in a ring, so that both the
// start of a long answer and its closing line reach the actor.
func (r *reader) addLine(b []byte) {
	if len(r.lines) < maxHeldLines && r.held+len(b) <= maxHeldBytes && len(r.tail) == 0 {
		r.lines = append(r.lines, stripANSI(string(b)))
		r.held += len(b)
		return
	}
	if len(r.tail) < maxTailLines {
		r.tail = append(r.tail, stripANSI(string(b)))
		return
	}
	r.dropped = true
	r.tail[r.tailAt] = stripANSI(string(b))
	r.tailAt = (r.tailAt + 1) % maxTailLines
}

// negotiate answers the server's offers like a plain client that wants
// only EOR: WILL EOR gets DO EOR, any other WILL gets DONT, every DO gets
// WONT; WONT EOR after DO EOR is acknowledged. Answers to answers are
// never sent (RFC 1143), and a bounded number of replies is sent at all.
func (r *reader) negotiate(cmd, opt byte) {
	if r.replies >= maxNegotiation {
		return
	}
	var reply byte
	switch cmd {
	case telnet.WILL:
		switch {
		case opt == telnet.OptEOR && r.eor:
			return // already on: nothing to answer
		case opt == telnet.OptEOR:
			r.eor = true
			reply = telnet.DO
		default:
			reply = telnet.DONT
		}
	case telnet.WONT:
		if opt != telnet.OptEOR || !r.eor {
			return
		}
		r.eor = false
		reply = telnet.DONT
	case telnet.DO:
		reply = telnet.WONT
	default: // DONT: we never agreed to do anything
		return
	}
	r.replies++
	r.out = append(r.out, telnet.IAC, reply, opt)
}
