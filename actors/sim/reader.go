package sim

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"net"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/troupe-mud/troupe/net/telnet"
)

// Reader limits: what one connection may hold in memory at once.
const (
	readBufSize    = 2048                  // bytes per Read while the server sends little
	bigReadBufSize = 16384                 // bytes per Read while it sends long bursts (a read filled the small buffer)
	bigReadKeep    = 10 * time.Second      // the big buffer goes after this long without a read that filled it
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

// rareSpecial are the special bytes other than the line ends: a run of
// lines without them is decoded by its line ends alone (skipTail).
var rareSpecial = [...]byte{telnet.IAC, 0, 0x08, 0x7f}

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
// maxLineBytes; subnegotiations are skipped), but it assembles the burst
// in one buffer, text: each head line is written straight into it with
// its colours stripped (in one pass as it is copied if it needs no other
// decoding, headLine; else raw, stripped in place when it ends). Past the
// head only the last maxTailLines lines are kept, raw, in tailBuf; when at
// least maxTailLines whole lines of one read need no decoding but their
// line ends, skipTail finds the last maxTailLines of them from the end and
// never looks at the others but for one memchr per rare special byte over
// the read: a long listing costs that per read, not work per line. At the
// prompt the tail lines are stripped and appended to text, and the burst
// becomes a single string whose lines are substrings of it. A burst costs
// three allocations (its text, its line slice, the message) whatever its
// number of lines, plus, after a long one released them, the regrowth of
// the line ends and text (put).
type reader struct {
	send func(any) // delivers a message to the player actor
	nc   net.Conn  // read only: the player writes

	state   uint8 // rsData …
	cmd     byte  // the WILL/WONT/DO/DONT being read (rsOpt)
	crSeen  bool  // the last line ended in CR: swallow one LF or NUL
	lineCut bool  // the current line passed maxLineBytes; the rest until its end is dropped

	text    []byte // the burst so far: the kept head lines back to back, then the line being assembled
	lineAt  int    // where the line being assembled starts in text
	ends    []int  // end offset in text of each kept head line (it starts where the previous one ends)
	held    int    // raw bytes of the head lines (before colours are stripped)
	dropped bool   // lines were dropped for the limits

	// The last maxTailLines lines once the head is full, raw (colours are
	// stripped at the prompt), oldest first, back to back at the end of
	// tailBuf: line k starts at tailStarts[k] and ends where the next one
	// starts (the last one at len(tailBuf)). Dropped lines are cleared out
	// of tailBuf once they outweigh the kept ones.
	tailBuf    []byte
	tailStarts []int

	eor     bool   // the server does EOR (we said DO EOR)
	replies int    // negotiation replies sent
	out     []byte // replies not yet handed to the actor
}

// runTo reads until the connection fails or is closed, delivering
// messages with send. It reads into a small buffer, and into a big one
// while the server sends long bursts (a read filled the buffer in the last
// bigReadKeep): a 60 KB answer then takes 4 reads, not 30.
func (r *reader) runTo(send func(any)) {
	r.send = send
	buf := make([]byte, readBufSize)
	var lastFull time.Time
	for {
		n, err := r.nc.Read(buf)
		if n > 0 {
			now := time.Now()
			r.feed(buf[:n], now)
			r.flushReplies()
			switch {
			case n == len(buf):
				lastFull = now
				if len(buf) < bigReadBufSize {
					buf = make([]byte, bigReadBufSize)
				}
			case len(buf) > readBufSize && now.Sub(lastFull) > bigReadKeep:
				buf = make([]byte, readBufSize)
			}
		}
		if err != nil {
			r.send(&readDone{err: err, lines: r.headLines()})
			return
		}
	}
}

// feed scans one read, which returned at at: text goes into the burst,
// each IAC EOR or IAC GA sends it, negotiation replies queue in out. It
// keeps no reference to p.
func (r *reader) feed(p []byte, at time.Time) {
	var rs rareScan // where the rare special bytes are in p, for skipTail
	for i := 0; i < len(p); {
		switch r.state {
		case rsData:
			if len(r.text) == r.lineAt && !r.lineCut && !special[p[i]] {
				// Nothing of the line kept yet (and not at the LF of a
				// CR LF): the fast ways, for lines with nothing to decode.
				if len(r.tailStarts) == 0 {
					if k := r.headLine(p, i); k >= 0 {
						i = r.pastLineEnd(p, k)
						continue
					}
				} else if i >= rs.noSkipTo {
					if i = r.skipTail(p, i, &rs); i == len(p) {
						continue
					}
				}
			}
			// Plain text: append the run up to the next special byte at once.
			if j := i + nextSpecial(p[i:]); j > i {
				r.crSeen = false
				r.appendText(p[i:j])
				if i = j; i == len(p) {
					continue
				}
			}
			b := p[i]
			i++
			switch b {
			case telnet.IAC:
				r.state = rsIAC
			case '\r':
				r.endLine()
				i = r.pastLineEnd(p, i-1)
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
			k := bytes.IndexByte(p[i:], telnet.IAC)
			if k < 0 {
				i = len(p)
			} else {
				i += k + 1
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

// pastLineEnd returns where the scan goes on after the CR or LF at p[k],
// which ended a line already kept: after it, and after the LF or NUL of a
// CR LF or CR NUL.
func (r *reader) pastLineEnd(p []byte, k int) int {
	r.crSeen = p[k] == '\r'
	k++
	if r.crSeen && k < len(p) && (p[k] == '\n' || p[k] == 0) {
		r.crSeen = false
		k++
	}
	return k
}

// nextSpecial returns the index of the first special byte of p, or len(p).
// It tests 8 bytes at a time: a byte below 0x0e or with its low 7 bits set
// (0x7f, 0xff) is a candidate, the first candidate is checked in special.
func nextSpecial(p []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for {
		for ; i+8 <= len(p); i += 8 {
			x := binary.LittleEndian.Uint64(p[i:])
			// Borrows make only candidates above the first one inexact.
			m := ((x-0x0e*ones)&^x | (^x&^highs - ones)) & highs
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				goto candidate
			}
		}
		for ; i < len(p); i++ {
			if special[p[i]] {
				return i
			}
		}
		return len(p)
	candidate:
		if special[p[i]] {
			return i
		}
		i++
	}
}

// nextControl returns the index of the first byte of p below 0x20 (the
// special bytes but IAC and DEL, ESC and the other control characters),
// 0x7f or 0xff, or len(p); as nextSpecial.
func nextControl(p []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(p); i += 8 {
		x := binary.LittleEndian.Uint64(p[i:])
		if m := ((x-0x20*ones)&^x | (^x&^highs - ones)) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c&0x7f == 0x7f {
			return i
		}
	}
	return len(p)
}

// rareScan finds the rare special bytes of one read, each with its own
// cursor that only moves forward, so that finding them costs a memchr
// over the read whatever skipTail asks.
type rareScan struct {
	at       [len(rareSpecial)]int  // next position of each rare byte in p (len(p): none)
	valid    [len(rareSpecial)]bool // at was searched for
	noSkipTo int                    // skipTail found nothing to skip before this position
}

// next returns the position of the first rare special byte in p at or
// after i, or len(p).
func (rs *rareScan) next(p []byte, i int) int {
	end := len(p)
	for k, c := range rareSpecial {
		if !rs.valid[k] || rs.at[k] < i {
			rs.valid[k] = true
			if j := bytes.IndexByte(p[i:], c); j >= 0 {
				rs.at[k] = i + j
			} else {
				rs.at[k] = len(p)
			}
		}
		end = min(end, rs.at[k])
	}
	return end
}

// skipTail consumes, from i (the start of a line past the head), the whole
// lines of p up to its last line end before the next rare special byte,
// if there are at least maxTailLines of them: the ring, which held a line
// at least, then holds their last maxTailLines, and lines were dropped.
// Those lines need no decoding but their line ends, and the ring none of
// the lines before them, so they are found from the end and the others
// are never looked at (but for rare special bytes). It returns where the
// scan goes on; with fewer lines it leaves them to feed (which handles
// them one by one) up to rs.noSkipTo. p[i] is not a special byte (so not
// the LF of a CR LF).
func (r *reader) skipTail(p []byte, i int, rs *rareScan) int {
	end := rs.next(p, i)
	rs.noSkipTo = end
	// The kept lines from the last one back, each found from the last
	// byte of its line end (CR LF, a lone CR, a lone LF).
	var lines [maxTailLines][2]int // start and stop of each kept line
	last := i + lastLineEnd(p[i:end])
	e := last + 1
	for k := maxTailLines - 1; k >= 0; k-- {
		if last < i {
			return i // fewer lines
		}
		stop := last // where the line's text stops
		if p[last] == '\n' && last > i && p[last-1] == '\r' {
			stop--
		}
		last = i + lastLineEnd(p[i:stop])
		lines[k] = [2]int{last + 1, stop}
	}
	r.dropped = true
	r.tailBuf, r.tailStarts = r.tailBuf[:0], r.tailStarts[:maxTailLines]
	for k, l := range lines {
		r.tailStarts[k] = len(r.tailBuf)
		r.tailBuf = append(r.tailBuf, p[l[0]:min(l[1], l[0]+maxLineBytes)]...)
	}
	r.crSeen = p[e-1] == '\r' // a lone CR last: an LF or NUL next (in the next read) is part of its line end
	return e
}

// lastLineEnd returns the index of the last CR or LF in p, or -1. It tests
// 8 bytes at a time for bytes below 0x0e (exactly: no borrows).
func lastLineEnd(p []byte) int {
	const highs = 0x8080808080808080
	i := len(p)
	for ; i >= 8; i -= 8 {
		x := binary.LittleEndian.Uint64(p[i-8:])
		m := ^(x&^highs + 0x7272727272727272 | x) & highs // 0x72 = 0x80 - 0x0e
		for m != 0 {
			n := (63 - bits.LeadingZeros64(m)) >> 3
			if c := p[i-8+n]; c == '\r' || c == '\n' {
				return i - 8 + n
			}
			m &^= 0x80 << (8 * n)
		}
	}
	for i--; i >= 0; i-- {
		if c := p[i]; c == '\r' || c == '\n' {
			return i
		}
	}
	return -1
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
	r.put(b)
}

// put appends b to text, which grows 4 times at a time from 512 bytes: a
// long burst after one that released the buffer (keepTextCap) then takes
// a few allocations, not one per doubling.
func (r *reader) put(b []byte) {
	if len(b) > cap(r.text)-len(r.text) {
		r.text = slices.Grow(r.text, max(len(b), 3*cap(r.text), 512))
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

// headLine keeps the line that starts at p[i] in the head as endLine
// would, if it needs no decoding but its colours, ends in p and fits in
// the head: it strips the colours as it copies the line into text, in one
// pass, and returns the index of the CR or LF that ends it. Otherwise it
// returns -1 and leaves everything as it was, for the slow way.
func (r *reader) headLine(p []byte, i int) int {
	if len(r.ends) >= maxHeldLines {
		return -1
	}
	from := len(r.text)
	seg := i // the text not copied yet starts here
	for k := i; ; {
		k += nextControl(p[k:])
		if k == len(p) {
			break // the line goes on in the next read
		}
		switch c := p[k]; {
		case c == 0x1b: // as stripANSIInPlace does, but stopping at the special bytes
			r.put(p[seg:k])
			k++
			if k < len(p) && p[k] == '[' { // CSI: parameters, then a final byte 0x40..0x7e
				k++
				for k < len(p) && (p[k] < 0x40 || p[k] > 0x7e) && !special[p[k]] {
					k++
				}
			}
			if k < len(p) && !special[p[k]] {
				k++
			}
			seg = k
		case c == '\r' || c == '\n':
			r.put(p[seg:k])
			if raw := k - i; raw <= maxLineBytes && r.held+raw <= maxHeldBytes {
				r.held += raw
				r.endHead()
				return k
			}
			r.text = r.text[:from]
			return -1
		case special[c]:
			r.text = r.text[:from]
			return -1
		default: // another control character: text
			k++
		}
	}
	r.text = r.text[:from]
	return -1
}

// endHead ends the head line at the end of text.
func (r *reader) endHead() {
	if len(r.ends) == cap(r.ends) { // 16, 64, then all 256 at once
		r.ends = append(make([]int, 0, min(max(16, 4*cap(r.ends)), maxHeldLines)), r.ends...)
	}
	r.ends = append(r.ends, len(r.text))
	r.lineAt = len(r.text)
}

// endLine keeps the line just assembled: the first maxHeldLines (and
// maxHeldBytes) in text, then the last maxTailLines in a ring, so that
// both the start of a long answer and its closing line reach the actor.
func (r *reader) endLine() {
	raw := len(r.text) - r.lineAt
	r.lineCut = false
	if len(r.ends) < maxHeldLines && r.held+raw <= maxHeldBytes && len(r.tailStarts) == 0 {
		r.text = r.text[:r.lineAt+stripANSIInPlace(r.text[r.lineAt:])]
		r.held += raw
		r.endHead()
		return
	}
	// Past the head: into the ring, raw (colours are stripped at the
	// prompt, for the lines still there).
	if r.tailStarts == nil {
		r.tailStarts = make([]int, 0, maxTailLines)
	}
	if len(r.tailStarts) == maxTailLines {
		r.dropped = true
		copy(r.tailStarts, r.tailStarts[1:])
		r.tailStarts = r.tailStarts[:maxTailLines-1]
		if dead := r.tailStarts[0]; dead >= len(r.tailBuf)-dead {
			r.tailBuf = r.tailBuf[:copy(r.tailBuf, r.tailBuf[dead:])]
			for k := range r.tailStarts {
				r.tailStarts[k] -= dead
			}
		}
	}
	r.tailStarts = append(r.tailStarts, len(r.tailBuf))
	r.tailBuf = append(r.tailBuf, r.text[r.lineAt:]...)
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
	promptEnd := len(r.text)
	// The ring's lines, oldest first, go after the prompt in text.
	var tailEnds [maxTailLines]int
	for k, from := range r.tailStarts {
		to := len(r.tailBuf)
		if k+1 < len(r.tailStarts) {
			to = r.tailStarts[k+1]
		}
		at := len(r.text)
		r.put(r.tailBuf[from:to])
		r.text = r.text[:at+stripANSIInPlace(r.text[at:])]
		tailEnds[k] = len(r.text)
	}
	all := string(r.text)
	b := &burst{prompt: all[r.lineAt:promptEnd], at: at, dropped: r.dropped}
	if n := len(r.ends) + len(r.tailStarts); n > 0 {
		b.lines = make([]string, 0, n)
		b.lines = appendLines(b.lines, all, r.ends)
		start := promptEnd
		for _, e := range tailEnds[:len(r.tailStarts)] {
			b.lines = append(b.lines, all[start:e])
			start = e
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
	r.tailBuf, r.tailStarts = r.tailBuf[:0], r.tailStarts[:0]
	if cap(r.tailBuf) > keepTextCap/2 {
		r.tailBuf = nil
	}
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
