package telnet

// RFC 1143 "Q method" option negotiation. Each option has two independent
// sides: "us" (the server performs the option: WILL/WONT from us, DO/DONT
// from the client) and "him" (the client performs it: DO/DONT from us,
// WILL/WONT from the client). Each side is in one of four states with a queue
// bit that records one pending opposite request. The method never answers an
// answer and cannot loop, whatever the client sends.

// qState is one side's negotiation state.
type qState uint8

const (
	qNo      qState = iota // disabled
	qYes                   // enabled
	qWantNo                // we sent a disable request and wait for the answer
	qWantYes               // we sent an enable request and wait for the answer
)

// qSide is one side of one option.
type qSide struct {
	state    qState
	opposite bool // queue bit: the opposite request is queued behind the pending one
	refused  bool // we already refused a request for this side once; stay silent after
}

// qOption is both sides of one option.
type qOption struct {
	code    byte
	us, him qSide
}

// maxOpts bounds the options a connection keeps negotiation state for.
// We offer about ten; a client names a few more. An option past the bound
// gets a fresh (NO, NO) state on every request: it is refused each time the
// client asks, never more often, so nothing can loop.
const maxOpts = 24

// opt returns the state of option code, adding it (both sides NO) if it
// was never seen. A short fixed array searched linearly is a tenth of a
// 256-entry table (which cost 1.5 KB on every connection), and pointers
// into it stay valid.
func (p *Protocol) opt(code byte) *qOption {
	for i := range p.opts[:p.nopts] {
		if p.opts[i].code == code {
			return &p.opts[i]
		}
	}
	if int(p.nopts) < len(p.opts) {
		p.opts[p.nopts] = qOption{code: code}
		p.nopts++
		return &p.opts[p.nopts-1]
	}
	p.spare = qOption{code: code}
	return &p.spare
}

// optState returns option code's state without adding it.
func (p *Protocol) optState(code byte) qOption {
	for i := range p.opts[:p.nopts] {
		if p.opts[i].code == code {
			return p.opts[i]
		}
	}
	return qOption{code: code}
}

// negotiation bytes for each side: what we send to enable/disable.
func usCmd(enable bool) byte {
	if enable {
		return WILL
	}
	return WONT
}

func himCmd(enable bool) byte {
	if enable {
		return DO
	}
	return DONT
}

// sendNeg queues IAC cmd opt.
func (p *Protocol) sendNeg(cmd, opt byte) {
	p.emit([]byte{IAC, cmd, opt})
}

// requestUs asks to enable or disable an option on our side (WILL/WONT).
func (p *Protocol) requestUs(opt byte, enable bool) {
	p.request(&p.opt(opt).us, opt, enable, usCmd, p.onUs)
}

// requestHim asks the client to enable or disable an option (DO/DONT).
func (p *Protocol) requestHim(opt byte, enable bool) {
	p.request(&p.opt(opt).him, opt, enable, himCmd, p.onHim)
}

// request implements the RFC 1143 request table for one side.
func (p *Protocol) request(s *qSide, opt byte, enable bool, cmd func(bool) byte, changed func(byte, bool)) {
	if enable {
		switch s.state {
		case qNo:
			s.state = qWantYes
			p.sendNeg(cmd(true), opt)
		case qWantNo:
			s.opposite = true
		case qWantYes:
			s.opposite = false
		}
		return
	}
	switch s.state {
	case qYes:
		s.state = qWantNo
		changed(opt, false) // the feature stops now, before the DONT/WONT goes out
		p.sendNeg(cmd(false), opt)
	case qWantNo:
		s.opposite = false
	case qWantYes:
		s.opposite = true
	}
}

// receive implements the RFC 1143 receive table for one side: enable is
// true for WILL (him) / DO (us), false for WONT / DONT.
func (p *Protocol) receive(s *qSide, opt byte, enable, allowed bool, cmd func(bool) byte, changed func(byte, bool)) {
	if enable {
		switch s.state {
		case qNo:
			if allowed {
				s.state = qYes
				p.sendNeg(cmd(true), opt)
				changed(opt, true)
			} else if !s.refused {
				s.refused = true
				p.sendNeg(cmd(false), opt)
			}
		case qYes:
			// Already enabled: an answer to nothing; ignore.
		case qWantNo:
			if s.opposite {
				s.state = qYes
				s.opposite = false
				changed(opt, true)
			} else {
				s.state = qNo // our disable was answered with an enable: take it as no
			}
		case qWantYes:
			if s.opposite {
				s.state = qWantNo
				s.opposite = false
				p.sendNeg(cmd(false), opt)
			} else {
				s.state = qYes
				changed(opt, true)
			}
		}
		return
	}
	switch s.state {
	case qNo:
		// Already disabled; ignore.
	case qYes:
		s.state = qNo
		changed(opt, false)
		p.sendNeg(cmd(false), opt)
	case qWantNo:
		if s.opposite {
			s.state = qWantYes
			s.opposite = false
			p.sendNeg(cmd(true), opt)
		} else {
			s.state = qNo
		}
	case qWantYes:
		s.state = qNo
		s.opposite = false
		changed(opt, false) // refused
	}
}

// usEnabled reports whether we perform opt.
func (p *Protocol) usEnabled(opt byte) bool { return p.optState(opt).us.state == qYes }

// himEnabled reports whether the client performs opt.
func (p *Protocol) himEnabled(opt byte) bool { return p.optState(opt).him.state == qYes }
