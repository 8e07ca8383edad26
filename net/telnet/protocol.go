package telnet

// Protocol holds one connection's telnet option state (RFC 1143 Q method per
// option and side), client capabilities, and its outbound byte stream
// (including MCCP2 compression). It does no I/O: the owner writes the bytes
// returned by Flush. It is owned by exactly one goroutine (the connection
// actor); it is not safe for concurrent use.
type Protocol struct {
	cfg Config // immutable after NewProtocol (limits defaulted)

	opts  [maxOpts]qOption // negotiation state of the options seen so far (see opt)
	nopts uint8            // entries used in opts
	spare qOption          // state for an option past maxOpts (see opt)
	caps  Caps             // what we know; recomputed by recompute
	notes []Note           // notes gathered during one Handle/DecodeLine call

	// Output. Bytes go to out directly, or to zpend while MCCP2 is on; Flush
	// compresses zpend into out (see mccp2.go).
	out      []byte
	zpend    []byte
	zOn      bool   // MCCP2 compresses: the zlib header has been sent
	zAdler   uint32 // running adler32 of the uncompressed MCCP2 stream
	zDict    []byte // the stream's last bytes (at most zDictMax), the next burst's dictionary
	zDictMax int    // bytes of dictionary kept; fixed by NewProtocol (benchmarks vary it)
	lastCR   bool   // the last byte queued as text was '\r'
	col      int    // visible column of the cursor, for word wrap
	finished bool   // Finish was called

	echoHidden bool // we asked the client not to echo (WILL ECHO sent, WONT not yet)

	// Capability hints, combined into caps by recompute.
	ttypeSent    int    // SEND requests sent
	ttypeGot     int    // IS replies received
	ttypeLast    string // last TTYPE value
	ttypeDone    bool   // the cycle ended (repeat, MTTS, or 4 rounds)
	ttypeClient  string // first TTYPE value
	ttypeTerm    string // terminal type from TTYPE
	mtts         int    // MTTS bits from TTYPE, -1 unknown
	mnesMTTS     int    // MTTS bits from MNES, -1 unknown
	mnesClient   string
	mnesVersion  string
	mnesTerm     string
	mnesCharset  string
	gmcpClient   string
	gmcpVersion  string
	charsetAsked bool     // we sent CHARSET REQUEST
	charsetUTF8  int8     // CHARSET answer: 1 UTF-8 accepted, -1 other/rejected, 0 none
	envAsked     bool     // we sent NEW-ENVIRON SEND
	msspPlain    bool     // the last MSSP request came as plaintext
	gmcpSubs     []string // subscribed GMCP modules, lower case, bounded
}

// NewProtocol returns a protocol for a new connection.
func NewProtocol(cfg Config) *Protocol {
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.Name == "" {
		cfg.Name = "troupe"
	}
	return &Protocol{cfg: cfg, mtts: -1, mnesMTTS: -1, zDictMax: mccp2Dict}
}

// Start queues the server's opening offers. Nothing ever waits for a reply:
// clients that ignore an offer simply leave the option off.
//
// Offered: WILL EOR, DO TTYPE, DO NAWS, WILL CHARSET (not also DO CHARSET:
// tintin answers only one of the two), WILL MSSP, WILL GMCP, WILL MCCP2 and
// DO NEW-ENVIRON, plus WILL MCCP3 when Config.MCCP3 is set. SGA is not offered (it sends inetutils telnet into
// character mode); ECHO is sent only by SetEcho.
func (p *Protocol) Start() {
	p.requestUs(OptEOR, true)
	p.requestHim(OptTTYPE, true)
	p.requestHim(OptNAWS, true)
	p.requestUs(OptCharset, true)
	p.requestUs(OptMSSP, true)
	p.requestUs(OptGMCP, true)
	p.requestUs(OptMCCP2, true)
	p.requestHim(OptNewEnviron, true)
	if p.cfg.MCCP3 {
		p.requestUs(OptMCCP3, true)
	}
}

// allowUs reports whether we agree to perform opt when the client asks (DO).
func (p *Protocol) allowUs(opt byte) bool {
	switch opt {
	case OptEOR, OptCharset, OptMSSP, OptGMCP, OptMCCP2:
		return true
	case OptMCCP3:
		return p.cfg.MCCP3 // the Decoder inflates only if it was offered
	}
	return false // ECHO only through SetEcho; SGA not by default
}

// allowHim reports whether we let the client perform opt (WILL).
func allowHim(opt byte) bool {
	switch opt {
	case OptTTYPE, OptNAWS, OptNewEnviron:
		return true
	}
	return false
}

// Handle processes a non-line event (negotiation, subnegotiation, command),
// queues any replies, and returns what the owner should know about.
func (p *Protocol) Handle(ev *Event) []Note {
	before := p.caps
	switch ev.Kind {
	case EventNegotiation:
		o := p.opt(ev.Opt)
		switch ev.Cmd {
		case WILL, WONT:
			p.receive(&o.him, ev.Opt, ev.Cmd == WILL, allowHim(ev.Opt), himCmd, p.onHim)
		case DO, DONT:
			p.receive(&o.us, ev.Opt, ev.Cmd == DO, p.allowUs(ev.Opt), usCmd, p.onUs)
		}
	case EventSubneg:
		if ev.Err != nil {
			p.note(Note{Kind: NoteError, Text: "Your client sent an oversized telnet subnegotiation; it was ignored."})
			break
		}
		p.subneg(ev.Opt, ev.Data)
	case EventCommand:
		if ev.Cmd == AYT {
			p.WriteRaw("\n[" + p.cfg.Name + ": yes]\n")
		}
	case EventError:
		p.note(Note{Kind: NoteError, Text: "Your client's compressed input could not be read; the connection cannot go on."})
	case EventLine:
		// Lines go through DecodeLine; nothing to do here.
	}
	return p.takeNotes(before)
}

// note records a note for the current Handle/DecodeLine call.
func (p *Protocol) note(n Note) { p.notes = append(p.notes, n) }

// takeNotes returns the gathered notes, adding NoteCaps if caps changed.
func (p *Protocol) takeNotes(before Caps) []Note {
	p.recompute()
	if p.caps != before {
		p.notes = append(p.notes, Note{Kind: NoteCaps})
	}
	n := p.notes
	p.notes = nil
	return n
}

// onUs is called when an option on our side turns on or off.
func (p *Protocol) onUs(opt byte, on bool) {
	switch opt {
	case OptEcho:
		if !on {
			p.echoHidden = false
		}
	case OptEOR:
		p.caps.EOR = on
	case OptMCCP3:
		p.caps.MCCP3 = on
	case OptMCCP2:
		if on {
			p.startMCCP2()
		} else {
			p.stopMCCP2()
		}
	case OptCharset:
		if on && !p.charsetAsked {
			p.charsetAsked = true
			p.sendSB(OptCharset, charsetRequest)
		}
	case OptMSSP:
		if on {
			p.msspPlain = false
			p.note(Note{Kind: NoteMSSP})
		}
	case OptGMCP:
		p.caps.GMCP = on
		if !on {
			p.gmcpSubs = p.gmcpSubs[:0]
		}
	}
}

// onHim is called when an option on the client's side turns on or off.
func (p *Protocol) onHim(opt byte, on bool) {
	switch opt {
	case OptTTYPE:
		if on && p.ttypeSent == 0 {
			p.sendTTYPE()
		}
	case OptNAWS:
		if !on {
			p.caps.Width, p.caps.Height = 0, 0
		}
	case OptNewEnviron:
		if on && !p.envAsked {
			p.envAsked = true
			// tintin ignores a bare SEND: ask for all VARs explicitly.
			p.sendSB(OptNewEnviron, []byte{envSend, envVar})
		}
	}
}

// emit queues wire bytes (already escaped).
func (p *Protocol) emit(b []byte) {
	if p.zOn {
		p.zpend = append(p.zpend, b...)
	} else {
		p.out = append(p.out, b...)
	}
}

// sendSB queues IAC SB opt payload IAC SE, doubling IAC in the payload.
func (p *Protocol) sendSB(opt byte, payload []byte) {
	b := make([]byte, 0, len(payload)+8)
	b = append(b, IAC, SB, opt)
	for _, c := range payload {
		if c == IAC {
			b = append(b, IAC)
		}
		b = append(b, c)
	}
	b = append(b, IAC, SE)
	p.emit(b)
}

// EndPrompt marks the end of a prompt: IAC EOR if the client agreed to EOR,
// otherwise IAC GA; never both.
func (p *Protocol) EndPrompt() {
	if p.usEnabled(OptEOR) {
		p.emit([]byte{IAC, EOR})
	} else {
		p.emit([]byte{IAC, GA})
	}
}

// SetEcho hides (true) or shows (false) the player's typing: WILL ECHO for a
// password prompt, WONT ECHO after. Sends nothing when the state is already so.
//
// ECHO keeps its own state beside the Q method: tintin++ answers WILL ECHO
// but never answers WONT ECHO, which would leave a strict Q method stuck in
// WANTNO and unable to hide the next password prompt.
func (p *Protocol) SetEcho(hidden bool) {
	if hidden == p.echoHidden {
		return
	}
	p.echoHidden = hidden
	s := &p.opt(OptEcho).us
	s.opposite = false
	if hidden {
		s.state = qWantYes
		p.sendNeg(WILL, OptEcho)
	} else {
		s.state = qWantNo
		p.sendNeg(WONT, OptEcho)
	}
}

// Caps returns what is known about the client.
func (p *Protocol) Caps() Caps { return p.caps }

// Pending reports whether Flush has bytes to return.
func (p *Protocol) Pending() bool { return len(p.out) > 0 || len(p.zpend) > 0 }

// Flush returns the wire bytes queued since the last Flush (compressed and
// sync-flushed when MCCP2 is on) and clears the queue. The caller owns the
// returned slice.
// Output returns the bytes ready for the socket (compressing what waits
// for MCCP first) without copying them: the slice belongs to the Protocol
// and is valid only until the next call on it. Call Consumed with how much
// of it was written. With Output and Consumed a caller that writes at once
// and in full (the common case) costs no copy and no allocation.
func (p *Protocol) Output() []byte {
	p.compress()
	return p.out
}

// Consumed drops the first n bytes of Output (all of them, typically).
func (p *Protocol) Consumed(n int) {
	switch {
	case n >= len(p.out) && cap(p.out) > 64<<10:
		p.out = nil // a burst was large: do not keep its buffer
	case n >= len(p.out):
		p.out = p.out[:0]
	default:
		p.out = append(p.out[:0], p.out[n:]...)
	}
	if cap(p.zpend) > 64<<10 {
		p.zpend = nil
	}
}

// Flush returns the bytes ready for the socket as a new slice the caller
// owns, and empties the output.
func (p *Protocol) Flush() []byte {
	p.compress()
	if len(p.out) == 0 {
		return nil
	}
	b := make([]byte, len(p.out))
	copy(b, p.out)
	if cap(p.out) > 64<<10 {
		p.out = nil // a burst was large: do not keep its buffer
	} else {
		p.out = p.out[:0]
	}
	if cap(p.zpend) > 64<<10 {
		p.zpend = nil
	}
	return b
}

// Finish ends the outbound stream cleanly (the MCCP2 stream is finished) and
// returns the last bytes to write before closing the socket. Output queued
// after Finish is sent uncompressed.
func (p *Protocol) Finish() []byte {
	p.stopMCCP2()
	p.finished = true
	return p.Flush()
}
