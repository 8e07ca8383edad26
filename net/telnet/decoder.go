package telnet

import "unicode/utf8"

// decoder states. The CR-seen condition is a separate flag (crSeen) because
// it survives IAC commands between the CR and its LF or NUL.
const (
	stData  uint8 = iota // plain data
	stIAC                // seen IAC
	stOpt                // seen IAC WILL/WONT/DO/DONT, want the option byte
	stSBOpt              // seen IAC SB, want the option byte
	stSB                 // inside a subnegotiation payload
	stSBIAC              // seen IAC inside a subnegotiation
)

// special marks the bytes that end the bulk-copy fast path in the data state.
var special = [256]bool{IAC: true, '\r': true, '\n': true, 0: true, 0x08: true, 0x7f: true}

// Decoder is a streaming telnet state machine: bytes in, events out. It keeps
// any partial sequence (a split IAC, a half line, an open SB) across calls.
// It is used by one goroutine only (the socket reader).
//
// All fields are owned by that goroutine. line and sb are reused between
// events; events get fresh copies.
type Decoder struct {
	maxLine    int  // immutable after NewDecoder
	maxSubneg  int  // immutable after NewDecoder
	maxInflate int  // immutable after NewDecoder
	mccp3      bool // immutable after NewDecoder: MCCP3 was offered

	mccp3Agreed bool      // the client said DO MCCP3 (and no DONT since)
	z           *inflater // non-nil while the client's input is compressed
	zbuf        []byte    // inflated bytes on their way to the parser (with z)
	zStart      bool      // IAC SB MCCP3 IAC SE just ended: compression starts
	cut         int       // bytes of the current line/SB discarded while compressed
	dead        bool      // EventError was sent: everything else is ignored

	state   uint8
	cmd     byte   // the WILL/WONT/DO/DONT being read (stOpt)
	crSeen  bool   // the last line ended in CR: swallow one LF or NUL
	line    []byte // the line being assembled, at most maxLine bytes
	lineCut bool   // the line exceeded maxLine; the rest until its end is dropped
	sbOpt   byte   // the option of the open subnegotiation
	sb      []byte // the payload of the open subnegotiation, at most maxSubneg bytes
	sbCut   bool   // the payload exceeded maxSubneg
}

// NewDecoder returns a decoder with the given limits.
func NewDecoder(l Limits) *Decoder {
	l = l.withDefaults()
	return &Decoder{maxLine: l.MaxLine, maxSubneg: l.MaxSubneg, maxInflate: l.MaxInflate, mccp3: l.MCCP3}
}

// withDefaults fills zero (or negative) limits with the defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxLine <= 0 {
		l.MaxLine = DefaultMaxLine
	}
	if l.MaxSubneg <= 0 {
		l.MaxSubneg = DefaultMaxSubneg
	}
	if l.MaxInflate <= 0 {
		l.MaxInflate = DefaultMaxInflate
	}
	return l
}

// Decode consumes p and appends every event it completes to evs, returning
// the extended slice. It never retains p. With MCCP3 the compressed input
// is inflated as far as it goes and the events found so far are returned;
// a partial compressed sequence waits for the next call.
func (d *Decoder) Decode(p []byte, evs []Event) []Event {
	for !d.dead {
		if d.z != nil {
			var ended bool
			evs, p, ended = d.decodeCompressed(p, evs)
			if !ended {
				break
			}
			d.z, d.zbuf = nil, nil // the stream ended: p is the plain rest
			continue
		}
		evs, p = d.decodePlain(p, evs)
		if !d.zStart {
			break
		}
		d.zStart = false
		d.z = newInflater()
		d.zbuf = make([]byte, 4096)
	}
	if cap(d.sb) > 4096 && d.state < stSB {
		d.sb = nil // do not keep a large payload buffer around between bursts
	}
	return evs
}

// decodeCompressed feeds p to the inflater and parses what comes out. It
// reports whether the zlib stream ended, with the plain bytes after it.
func (d *Decoder) decodeCompressed(p []byte, evs []Event) ([]Event, []byte, bool) {
	d.z.feed(p)
	inflated := 0
	for {
		// Past the limit, a 1-byte probe tells whether more would come.
		room := max(1, min(len(d.zbuf), d.maxInflate-inflated))
		n, st, err := d.z.inflate(d.zbuf[:room])
		if inflated += n; inflated > d.maxInflate {
			return d.fail(evs, ErrInflateLimit), nil, false
		}
		evs, _ = d.decodePlain(d.zbuf[:n], evs)
		switch {
		case d.cut > d.maxInflate:
			return d.fail(evs, ErrInflateLimit), nil, false
		case err != nil:
			return d.fail(evs, ErrCompression), nil, false
		case st == zNeedInput:
			return evs, nil, false
		case st == zEnd:
			return evs, d.z.leftover(), true
		}
	}
}

// fail abandons the input: one EventError, then nothing.
func (d *Decoder) fail(evs []Event, err error) []Event {
	d.dead = true
	d.z, d.zbuf, d.line, d.sb = nil, nil, nil, nil
	return append(evs, Event{Kind: EventError, Err: err})
}

// decodePlain runs the telnet state machine over p. It stops right after an
// IAC SB MCCP3 IAC SE that starts compression (zStart set) and returns the
// bytes after it.
func (d *Decoder) decodePlain(p []byte, evs []Event) ([]Event, []byte) {
	for i := 0; i < len(p); {
		switch d.state {
		case stData:
			// Fast path: copy the run of ordinary bytes in one go.
			j := i
			for j < len(p) && !special[p[j]] {
				j++
			}
			if j > i {
				d.crSeen = false
				d.appendLine(p[i:j])
				i = j
				continue
			}
			b := p[i]
			i++
			switch b {
			case IAC:
				d.state = stIAC
			case '\r':
				evs = d.endLine(evs)
				d.crSeen = true
			case '\n':
				if d.crSeen {
					d.crSeen = false
				} else {
					evs = d.endLine(evs)
				}
			case 0:
				d.crSeen = false // CR NUL, or a stray NUL: dropped either way
			case 0x08, 0x7f:
				d.crSeen = false
				d.eraseChar()
			}
		case stIAC:
			b := p[i]
			i++
			d.state = stData
			switch b {
			case IAC:
				d.crSeen = false
				d.appendLine([]byte{IAC})
			case WILL, WONT, DO, DONT:
				d.cmd = b
				d.state = stOpt
			case SB:
				d.state = stSBOpt
			case EC:
				d.eraseChar()
				evs = append(evs, Event{Kind: EventCommand, Cmd: b})
			case EL:
				if !d.lineCut {
					d.line = d.line[:0]
				}
				evs = append(evs, Event{Kind: EventCommand, Cmd: b})
			default:
				evs = append(evs, Event{Kind: EventCommand, Cmd: b})
			}
		case stOpt:
			if p[i] == OptMCCP3 && (d.cmd == DO || d.cmd == DONT) {
				d.mccp3Agreed = d.cmd == DO
			}
			evs = append(evs, Event{Kind: EventNegotiation, Cmd: d.cmd, Opt: p[i]})
			i++
			d.state = stData
		case stSBOpt:
			d.sbOpt = p[i]
			d.sb = d.sb[:0]
			d.sbCut = false
			d.cut = 0
			i++
			d.state = stSB
		case stSB:
			j := i
			for j < len(p) && p[j] != IAC {
				j++
			}
			d.appendSB(p[i:j])
			i = j
			if i < len(p) {
				i++ // the IAC
				d.state = stSBIAC
			}
		case stSBIAC:
			b := p[i]
			switch b {
			case IAC:
				d.appendSB([]byte{IAC})
				d.state = stSB
				i++
			case SE:
				evs = d.endSB(evs)
				d.state = stData
				i++
				if d.zStart {
					return evs, p[i:]
				}
			default:
				// IAC <cmd> inside SB without SE: the client lost track.
				// Drop the subnegotiation and read IAC <cmd> as a command.
				d.sb = d.sb[:0]
				d.sbCut = false
				d.state = stIAC
			}
		}
	}
	return evs, nil
}

// appendLine adds data bytes to the current line, cutting it at maxLine.
func (d *Decoder) appendLine(b []byte) {
	if d.lineCut {
		if d.z != nil {
			d.cut += len(b)
		}
		return
	}
	room := d.maxLine - len(d.line)
	if len(b) > room {
		if d.z != nil {
			d.cut += len(b) - room
		}
		b = b[:room]
		d.lineCut = true
	}
	d.line = append(d.line, b...)
}

// eraseChar deletes the last character (a whole UTF-8 rune) of the line.
func (d *Decoder) eraseChar() {
	if d.lineCut || len(d.line) == 0 {
		return
	}
	_, n := utf8.DecodeLastRune(d.line)
	d.line = d.line[:len(d.line)-n]
}

// endLine emits the current line and starts a new one.
func (d *Decoder) endLine(evs []Event) []Event {
	ev := Event{Kind: EventLine, Line: append([]byte{}, d.line...)}
	if d.lineCut {
		ev.Err = ErrLineTooLong
	}
	d.line = d.line[:0]
	d.lineCut = false
	d.cut = 0
	return append(evs, ev)
}

// appendSB adds payload bytes to the open subnegotiation, up to maxSubneg.
func (d *Decoder) appendSB(b []byte) {
	if d.sbCut {
		if d.z != nil {
			d.cut += len(b)
		}
		return
	}
	if len(d.sb)+len(b) > d.maxSubneg {
		d.sbCut = true
		d.sb = d.sb[:0]
		return
	}
	d.sb = append(d.sb, b...)
}

// endSB emits the finished subnegotiation.
func (d *Decoder) endSB(evs []Event) []Event {
	ev := Event{Kind: EventSubneg, Opt: d.sbOpt}
	if d.sbOpt == OptMCCP3 && d.mccp3 && d.mccp3Agreed && d.z == nil && len(d.sb) == 0 && !d.sbCut {
		d.zStart = true // everything after IAC SE is compressed
	}
	d.cut = 0
	if d.sbCut {
		ev.Err = ErrSubnegTooLong
	} else {
		ev.Data = append([]byte{}, d.sb...)
	}
	d.sb = d.sb[:0]
	d.sbCut = false
	return append(evs, ev)
}
