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
	maxHeldLines   = 256   // lines kept while waiting for a prompt; later ones are dropped
	maxHeldBytes   = 32768 // bytes of text kept while waiting for a prompt
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
	tail    []telnet.Event // events of the synthetic CR after a prompt marker
	lines   []string       // lines since the last prompt
	held    int            // bytes in lines
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
	r.tail = r.dec.Decode(crByte, r.tail[:0])
	text := ""
	if len(r.tail) > 0 {
		text = stripANSI(string(r.tail[0].Line))
	}
	r.send(&burst{lines: r.lines, prompt: text, at: at, dropped: r.dropped})
	r.lines, r.held, r.dropped = nil, 0, false
}

func (r *reader) addLine(b []byte) {
	if len(r.lines) >= maxHeldLines || r.held+len(b) > maxHeldBytes {
		r.dropped = true
		return
	}
	r.lines = append(r.lines, stripANSI(string(b)))
	r.held += len(b)
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
