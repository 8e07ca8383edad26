package sim

import (
	"net"
	"time"
	"unicode/utf8"

	"github.com/troupe-mud/troupe/net/telnet"
)

// Reader limits: what one connection may hold in memory at once.
const (
	readBufSize    = 2048                  // bytes per Read
	maxLineBytes   = telnet.DefaultMaxLine // bytes of one line; the rest of a longer line is dropped
	maxHeldLines   = 256                   // lines kept from the start of a burst
	maxHeldBytes   = 32768                 // bytes of text kept from the start of a burst
	maxTailLines   = 16                    // lines kept from the end of a burst that overflowed (who's total is last)
	maxNegotiation = 256                   // negotiation replies per connection (a looping server is ignored after that)
	keepTextCap    = 8192                  // a burst buffer grown past this is released after the burst
)

// Scanner states: where the reader is in the telnet stream. The CR-seen
// condition is a separate flag (crSeen) because it survives IAC commands
// between a CR and its LF or NUL.
const (
	rsData  uint8 = iota // text
	rsIAC                // seen IAC
	rsOpt                // seen IAC WILL/WONT/DO/DONT, want the option byte
	rsSBOpt              // seen IAC SB, want the option byte
	rsSB                 // inside a subnegotiation (its payload is skipped)
	rsSBIAC              // seen IAC inside a subnegotiation
)

// special marks the bytes that end a run of plain text: IAC, the line
// ends, NUL and the two erase characters.
var special = [256]bool{telnet.IAC: true, '\r': true, '\n': true, 0: true, 0x08: true, 0x7f: true}

// reader is the socket reader of one sim player: it owns the connection's
// read side, a client-side telnet scanner and the client's (tiny) option
// state, and sends the actor one *burst per prompt, a *replies with the
// negotiation answers it decided (the actor writes them: it is the
// socket's only writer) and one *readDone at the end. Every field is owned
// by the reader goroutine.
//
// The scanner decodes the way net/telnet's Decoder does (CR LF, CR NUL, a
// lone CR or LF end a line; NUL is dropped; BS, DEL and IAC EC erase a
// character, IAC EL the line; IAC IAC is a 0xFF byte; a line is cut at
// maxLineBytes; subnegotiations are skipped), but it assembles the whole
// burst in one buffer: each line is written straight into text, its
// colours stripped in place when it ends, and the burst becomes a single
// string whose lines are substrings of it. A burst costs three
// allocations (its text, its line slice, the message), whatever its
// number of lines.
type reader struct {
	send func(any) // delivers a message to the player actor
	nc   net.Conn  // read only: the player writes

	state   uint8 // rsData …
	cmd     byte  // the WILL/WONT/DO/DONT being read (rsOpt)
	crSeen  bool  // the last line ended in CR: swallow one LF or NUL
	lineCut bool  // the current line passed maxLineBytes; the rest until its end is dropped

	text    []byte   // the burst so far: the kept head lines back to back, then the line being assembled
	lineAt  int      // where the line being assembled starts in text
	ends    []int    // end offset in text of each kept head line (it starts where the previous one ends)
	held    int      // raw bytes of the head lines (before colours are stripped)
	tail    [][]byte // ring of the last lines once the head is full; its buffers are reused
	tailAt  int      // next slot of tail
	dropped bool     // lines were dropped for the limits

	eor     bool   // the server does EOR (we said DO EOR)
	replies int    // negotiation replies sent
	out     []byte // replies not yet handed to the actor
}

// runTo reads until the connection fails or is closed, delivering
// messages with send.
func (r *reader) runTo(send func(any)) {
	r.send = send
	buf := make([]byte, readBufSize)
	for {
		n, err := r.nc.Read(buf)
		if n > 0 {
			r.feed(buf[:n], time.Now())
			r.flushReplies()
		}
		if err != nil {
			r.send(&readDone{err: err, lines: r.headLines()})
			return
		}
	}
}

// feed scans one read, which returned at at: text goes into the burst,
// each IAC EOR or IAC GA sends it, negotiation replies queue in out.
func (r *reader) feed(p []byte, at time.Time) {
	for i := 0; i < len(p); {
		switch r.state {
		case rsData:
			// Plain text: append the run up to the next special byte at once.
			j := i
			for j < len(p) && !special[p[j]] {
				j++
			}
			if j > i {
				r.crSeen = false
				r.appendText(p[i:j])
				i = j
				continue
			}
			b := p[i]
			i++
			switch b {
			case telnet.IAC:
				r.state = rsIAC
			case '\r':
				r.endLine()
				r.crSeen = true
			case '\n':
				if r.crSeen {
					r.crSeen = false
				} else {
					r.endLine()
				}
			case 0:
				r.crSeen = false // CR NUL, or a stray NUL: dropped either way
			default: // BS, DEL
				r.crSeen = false
				r.eraseChar()
			}
		case rsIAC:
			b := p[i]
			i++
			r.state = rsData
			switch b {
			case telnet.IAC:
				r.crSeen = false
				r.appendText(p[i-1 : i])
			case telnet.WILL, telnet.WONT, telnet.DO, telnet.DONT:
				r.cmd = b
				r.state = rsOpt
			case telnet.SB:
				r.state = rsSBOpt
			case telnet.EC:
				r.eraseChar()
			case telnet.EL:
				if !r.lineCut {
					r.text = r.text[:r.lineAt]
				}
			case telnet.EOR, telnet.GA:
				r.prompt(at)
			}
		case rsOpt:
			r.negotiate(r.cmd, p[i])
			i++
			r.state = rsData
		case rsSBOpt:
			i++
			r.state = rsSB
		case rsSB:
			// Nothing is offered, so nothing is expected: skip the payload.
			k := i
			for k < len(p) && p[k] != telnet.IAC {
				k++
			}
			i = k
			if i < len(p) {
				i++
				r.state = rsSBIAC
			}
		case rsSBIAC:
			switch p[i] {
			case telnet.IAC: // an escaped 0xFF in the payload
				r.state = rsSB
				i++
			case telnet.SE:
				r.state = rsData
				i++
			default:
				// IAC <cmd> inside SB without SE: the server lost track.
				// Drop the subnegotiation and read IAC <cmd> as a command.
				r.state = rsIAC
			}
		}
	}
}

// appendText adds text to the line being assembled, cutting the line at
// maxLineBytes.
func (r *reader) appendText(b []byte) {
	if r.lineCut {
		return
	}
	if room := maxLineBytes - (len(r.text) - r.lineAt); len(b) > room {
		b = b[:room]
		r.lineCut = true
	}
	r.text = append(r.text, b...)
}

// eraseChar deletes the last character (a whole UTF-8 rune) of the line.
func (r *reader) eraseChar() {
	line := r.text[r.lineAt:]
	if r.lineCut || len(line) == 0 {
		return
	}
	_, n := utf8.DecodeLastRune(line)
	r.text = r.text[:len(r.text)-n]
}

// endLine keeps the line just assembled: the first maxHeldLines (and
// maxHeldBytes) in text, then the last maxTailLines in a ring, so that
// both the start of a long answer and its closing line reach the actor.
func (r *reader) endLine() {
	raw := len(r.text) - r.lineAt
	r.lineCut = false
	if len(r.ends) < maxHeldLines && r.held+raw <= maxHeldBytes && len(r.tail) == 0 {
		r.text = r.text[:r.lineAt+stripANSIInPlace(r.text[r.lineAt:])]
		r.ends = append(r.ends, len(r.text))
		r.lineAt = len(r.text)
		r.held += raw
		return
	}
	// Past the head: into the ring, copied, so that a long listing costs
	// a copy per line and no allocation.
	line := r.text[r.lineAt : r.lineAt+stripANSIInPlace(r.text[r.lineAt:])]
	if r.tail == nil {
		r.tail = make([][]byte, 0, maxTailLines)
	}
	if n := len(r.tail); n < maxTailLines {
		r.tail = r.tail[:n+1] // a slot kept from an earlier burst keeps its buffer
		r.tail[n] = append(r.tail[n][:0], line...)
	} else {
		r.dropped = true
		r.tail[r.tailAt] = append(r.tail[r.tailAt][:0], line...)
		r.tailAt = (r.tailAt + 1) % maxTailLines
	}
	r.text = r.text[:r.lineAt]
}

// prompt ends the line being assembled as the prompt text (as a CR would:
// a following LF or NUL is swallowed) and hands the burst to the actor.
// Either marker counts whatever was negotiated: the first prompt can leave
// before our DO EOR arrives.
func (r *reader) prompt(at time.Time) {
	r.flushReplies() // answers first, as they came first
	r.text = r.text[:r.lineAt+stripANSIInPlace(r.text[r.lineAt:])]
	r.lineCut = false
	r.crSeen = true
	all := string(r.text)
	b := &burst{prompt: all[r.lineAt:], at: at, dropped: r.dropped}
	if n := len(r.ends) + len(r.tail); n > 0 {
		b.lines = make([]string, 0, n)
		b.lines = appendLines(b.lines, all, r.ends)
		// Then the ring's lines, oldest first.
		for i := range r.tail {
			b.lines = append(b.lines, string(r.tail[(r.tailAt+i)%len(r.tail)]))
		}
	}
	r.send(b)
	r.ends, r.lineAt, r.held, r.dropped = r.ends[:0], 0, 0, false
	r.text = r.text[:0]
	// Do not keep a long burst's buffers for the whole run.
	if cap(r.text) > keepTextCap {
		r.text = nil
	}
	if cap(r.ends) > maxHeldLines/4 {
		r.ends = nil
	}
	tailBytes := 0
	for _, l := range r.tail {
		tailBytes += cap(l)
	}
	if tailBytes > keepTextCap/2 {
		r.tail = nil
	}
	r.tail, r.tailAt = r.tail[:0], 0
}

// headLines returns the head lines since the last prompt (what *readDone
// carries: e.g. "Invalid password." before the server hangs up).
func (r *reader) headLines() []string {
	if len(r.ends) == 0 {
		return nil
	}
	return appendLines(make([]string, 0, len(r.ends)), string(r.text[:r.ends[len(r.ends)-1]]), r.ends)
}

// appendLines appends the lines of all that end at ends (each starting
// where the previous one ends) to dst.
func appendLines(dst []string, all string, ends []int) []string {
	start := 0
	for _, e := range ends {
		dst = append(dst, all[start:e])
		start = e
	}
	return dst
}

// flushReplies hands the replies decided so far to the actor.
func (r *reader) flushReplies() {
	if len(r.out) > 0 {
		r.send(&replies{b: r.out})
		r.out = nil
	}
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
