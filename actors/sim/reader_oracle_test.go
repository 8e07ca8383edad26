package sim

import (
	"strings"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

// oracleReader is what the reader's scanner must say, written the plain
// way: net/telnet's Decoder fed one byte at a time (so an IAC EOR or IAC GA
// is always the last event of its call), every line turned into a string,
// stripANSI on each, and a synthetic CR after a prompt marker to get the
// prompt line out of the decoder. It is the reader as it was before the
// scanner, minus its piece cutting. FuzzReader compares the two.
type oracleReader struct {
	send    func(any)
	dec     *telnet.Decoder
	evs     []telnet.Event
	lines   []string // lines since the last prompt (the head of the burst)
	held    int      // bytes in lines
	tail    []string // ring of the last lines once the head is full
	tailAt  int      // next slot of tail
	dropped bool     // lines were dropped for the limits
	eor     bool     // the server does EOR (we said DO EOR)
	replies int      // negotiation replies sent
	out     []byte   // replies
}

func newOracleReader(send func(any)) *oracleReader {
	return &oracleReader{send: send, dec: telnet.NewDecoder(telnet.Limits{MaxLine: telnet.DefaultMaxLine, MaxSubneg: 1024})}
}

// feed decodes one read.
func (r *oracleReader) feed(p []byte, at time.Time) {
	for i := range p {
		r.evs = r.dec.Decode(p[i:i+1], r.evs[:0])
		for _, ev := range r.evs {
			switch ev.Kind {
			case telnet.EventLine:
				r.addLine(ev.Line)
			case telnet.EventNegotiation:
				r.negotiate(ev.Cmd, ev.Opt)
			case telnet.EventCommand:
				if ev.Cmd == telnet.EOR || ev.Cmd == telnet.GA {
					r.prompt(at)
				}
			}
		}
	}
}

func (r *oracleReader) prompt(at time.Time) {
	evs := r.dec.Decode([]byte{'\r'}, nil)
	text := ""
	if len(evs) > 0 {
		text = stripANSI(string(evs[0].Line))
	}
	lines := r.lines
	for i := range r.tail {
		lines = append(lines, r.tail[(r.tailAt+i)%len(r.tail)])
	}
	r.send(&burst{lines: lines, prompt: text, at: at, dropped: r.dropped})
	r.lines, r.held, r.dropped = nil, 0, false
	r.tail, r.tailAt = nil, 0
}

func (r *oracleReader) addLine(b []byte) {
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

func (r *oracleReader) negotiate(cmd, opt byte) {
	if r.replies >= maxNegotiation {
		return
	}
	var reply byte
	switch {
	case cmd == telnet.WILL && opt == telnet.OptEOR && r.eor:
		return
	case cmd == telnet.WILL && opt == telnet.OptEOR:
		r.eor, reply = true, telnet.DO
	case cmd == telnet.WILL:
		reply = telnet.DONT
	case cmd == telnet.WONT && opt == telnet.OptEOR && r.eor:
		r.eor, reply = false, telnet.DONT
	case cmd == telnet.DO:
		reply = telnet.WONT
	default:
		return
	}
	r.replies++
	r.out = append(r.out, telnet.IAC, reply, opt)
}

// stripANSI removes ANSI escape sequences (colours) from s: the string
// form of stripANSIInPlace, written the obvious way.
func stripANSI(s string) string {
	i := strings.IndexByte(s, 0x1b)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i+1:]
		if len(s) > 0 && s[0] == '[' { // CSI: parameters, then a final byte 0x40..0x7e
			k := 1
			for k < len(s) && (s[k] < 0x40 || s[k] > 0x7e) {
				k++
			}
			s = s[min(k+1, len(s)):]
		} else if len(s) > 0 {
			s = s[1:]
		}
		i = strings.IndexByte(s, 0x1b)
	}
	b.WriteString(s)
	return b.String()
}
