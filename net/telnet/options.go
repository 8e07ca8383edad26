package telnet

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Subnegotiation codes.
const (
	ttypeIS   = 0
	ttypeSend = 1

	charsetReq       = 1
	charsetAccepted  = 2
	charsetRejected  = 3
	envIS            = 0
	envSend          = 1
	envInfo          = 2
	envVar           = 0
	envValue         = 1
	envEsc           = 2
	envUserVar       = 3
	msspVar          = 1
	msspVal          = 2
	maxTTYPERounds   = 4
	maxGMCPSubs      = 64   // subscribed GMCP modules per connection
	maxGMCPPayload   = 8192 // bytes of one inbound GMCP message
	maxClientString  = 64   // bytes kept of a client-supplied name or version
	maxEnvVars       = 32   // NEW-ENVIRON variables read from one message
	minWrap, maxWrap = 20, 250
)

// charsetRequest is our CHARSET REQUEST payload: UTF-8, else plain ASCII.
var charsetRequest = []byte("\x01;UTF-8;US-ASCII")

// subneg dispatches one subnegotiation payload from the client.
func (p *Protocol) subneg(opt byte, data []byte) {
	switch opt {
	case OptTTYPE:
		if p.himEnabled(OptTTYPE) && len(data) > 0 && data[0] == ttypeIS {
			p.gotTTYPE(clientString(data[1:]))
		}
	case OptNAWS:
		if p.himEnabled(OptNAWS) && len(data) == 4 {
			p.caps.Width = int(data[0])<<8 | int(data[1])
			p.caps.Height = int(data[2])<<8 | int(data[3])
		}
	case OptCharset:
		p.gotCharset(data)
	case OptNewEnviron:
		if p.himEnabled(OptNewEnviron) && len(data) > 0 && (data[0] == envIS || data[0] == envInfo) {
			p.gotEnviron(data[1:])
		}
	case OptGMCP:
		if p.usEnabled(OptGMCP) {
			p.gotGMCP(data)
		}
	}
}

// sendTTYPE asks for the next terminal type.
func (p *Protocol) sendTTYPE() {
	p.ttypeSent++
	p.sendSB(OptTTYPE, []byte{ttypeSend})
}

// gotTTYPE reads one TTYPE IS reply and asks for the next until the values
// repeat, an MTTS value arrives, or four rounds are done (MTTS: client name,
// terminal type, "MTTS <bits>").
func (p *Protocol) gotTTYPE(v string) {
	if p.ttypeDone {
		return
	}
	p.ttypeGot++
	repeat := p.ttypeGot > 1 && strings.EqualFold(v, p.ttypeLast)
	p.ttypeLast = v
	switch {
	case repeat:
		p.ttypeDone = true
	case len(v) > 5 && strings.EqualFold(v[:5], "MTTS "):
		if n, err := strconv.Atoi(strings.TrimSpace(v[5:])); err == nil && n >= 0 {
			p.mtts = n
		}
		p.ttypeDone = true
	case p.ttypeGot == 1:
		p.ttypeClient = v
		p.ttypeTerm = v // until a second, different value names the terminal
	case p.ttypeGot == 2:
		p.ttypeTerm = v
	}
	if !p.ttypeDone && p.ttypeSent < maxTTYPERounds {
		p.sendTTYPE()
	} else {
		p.ttypeDone = true
	}
}

// gotCharset handles CHARSET REQUEST/ACCEPTED/REJECTED (RFC 2066).
func (p *Protocol) gotCharset(data []byte) {
	if len(data) == 0 {
		return
	}
	switch data[0] {
	case charsetAccepted:
		if isUTF8Name(string(data[1:])) {
			p.charsetUTF8 = 1
		} else {
			p.charsetUTF8 = -1
		}
	case charsetRejected:
		p.charsetUTF8 = -1
	case charsetReq:
		if p.charsetAsked && p.charsetUTF8 == 0 {
			return // ours is outstanding and the server's request wins (RFC 2066)
		}
		rest := data[1:]
		if len(rest) >= 8 && bytes.HasPrefix(rest, []byte("[TTABLE]")) {
			rest = rest[min(len(rest), 9):] // "[TTABLE]" and its version byte
		}
		if len(rest) < 2 {
			p.sendSB(OptCharset, []byte{charsetRejected})
			return
		}
		sep := rest[0]
		for _, name := range bytes.Split(rest[1:], []byte{sep}) {
			if isUTF8Name(string(name)) {
				p.charsetUTF8 = 1
				p.sendSB(OptCharset, append([]byte{charsetAccepted}, name...))
				return
			}
		}
		p.sendSB(OptCharset, []byte{charsetRejected})
	}
}

// isUTF8Name reports whether a charset name means UTF-8.
func isUTF8Name(s string) bool {
	s = strings.Trim(s, " ;,\t\x00")
	return strings.EqualFold(s, "UTF-8") || strings.EqualFold(s, "UTF8")
}

// gotEnviron reads NEW-ENVIRON IS/INFO variables (RFC 1572, MNES names).
// tintin repeats IS before every VAR, which reads as empty VARs: skipped.
func (p *Protocol) gotEnviron(data []byte) {
	var name, val []byte
	inVal, have := false, false
	n := 0
	commit := func() {
		if have && len(name) > 0 && n < maxEnvVars {
			n++
			p.setEnv(strings.ToUpper(clientString(name)), clientString(val))
		}
		name, val, inVal, have = name[:0], val[:0], false, false
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case envVar, envUserVar:
			commit()
			have = true
		case envValue:
			inVal = true
		default:
			if c == envEsc && i+1 < len(data) {
				i++
				c = data[i]
			}
			if !have {
				continue
			}
			if inVal {
				val = append(val, c)
			} else {
				name = append(name, c)
			}
		}
	}
	commit()
}

// setEnv records one MNES variable.
func (p *Protocol) setEnv(name, val string) {
	switch name {
	case "CLIENT_NAME":
		p.mnesClient = val
	case "CLIENT_VERSION":
		p.mnesVersion = val
	case "TERMINAL_TYPE":
		p.mnesTerm = val
	case "CHARSET":
		p.mnesCharset = val
	case "MTTS":
		if n, err := strconv.Atoi(val); err == nil && n >= 0 {
			p.mnesMTTS = n
		}
	}
}

// clientString makes a client-supplied name printable, bounded and trimmed.
func clientString(b []byte) string {
	if len(b) > maxClientString {
		b = b[:maxClientString]
	}
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return -1
		}
		return r
	}, string(b))
	return strings.TrimSpace(s)
}

// MTTS bits (https://tintin.mudhalla.net/protocols/mtts/).
const (
	MTTSANSI         = 1
	MTTSVT100        = 2
	MTTSUTF8         = 4
	MTTS256Colors    = 8
	MTTSMouse        = 16
	MTTSOSCPalette   = 32
	MTTSScreenReader = 64
	MTTSProxy        = 128
	MTTSTrueColor    = 256
	MTTSMNES         = 512
	MTTSMSLP         = 1024
	MTTSTLS          = 2048
)

// recompute derives the client-description fields of caps from all hints.
// Priority: GMCP Core.Hello, then MNES, then TTYPE for the name; an explicit
// CHARSET answer, then MNES CHARSET, then MTTS bit 4 for UTF-8.
func (p *Protocol) recompute() {
	c := &p.caps
	c.Client = firstNonEmpty(p.gmcpClient, p.mnesClient, p.ttypeClient)
	c.ClientVersion = firstNonEmpty(p.gmcpVersion, p.mnesVersion)
	c.Terminal = firstNonEmpty(p.ttypeTerm, p.mnesTerm)
	mtts := p.mtts
	if mtts < 0 {
		mtts = p.mnesMTTS
	}
	c.MTTS = max(mtts, 0)
	switch {
	case p.charsetUTF8 != 0:
		c.UTF8 = p.charsetUTF8 > 0
	case p.mnesCharset != "":
		c.UTF8 = isUTF8Name(p.mnesCharset)
	case mtts >= 0:
		c.UTF8 = mtts&MTTSUTF8 != 0
	default:
		c.UTF8 = false
	}
	c.ScreenReader = mtts >= 0 && mtts&MTTSScreenReader != 0
	switch {
	case mtts >= 0 && mtts&MTTSTrueColor != 0:
		c.Color = ColorTrue
	case mtts >= 0 && mtts&MTTS256Colors != 0:
		c.Color = Color256
	case mtts >= 0 && mtts&MTTSANSI != 0:
		c.Color = Color16
	case mtts >= 0:
		c.Color = ColorNone
	default:
		c.Color = colorFromName(c.Terminal, c.Client)
	}
}

// colorFromName guesses the colour depth of a client that sent no MTTS.
func colorFromName(term, client string) ColorDepth {
	t := strings.ToLower(term)
	switch {
	case t == "" && client == "":
		return ColorNone
	case strings.Contains(t, "truecolor"), strings.Contains(t, "24bit"), strings.Contains(t, "direct"):
		return ColorTrue
	case strings.Contains(t, "256"):
		return Color256
	case t == "dumb", t == "hardcopy", t == "unknown", t == "network":
		return ColorNone
	}
	return Color16
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// gotGMCP handles one inbound GMCP message: "Package.Sub" [SP json].
func (p *Protocol) gotGMCP(data []byte) {
	if len(data) > maxGMCPPayload {
		p.note(Note{Kind: NoteError, Text: "Your client sent an oversized GMCP message; it was ignored."})
		return
	}
	pkg, body, _ := bytes.Cut(data, []byte{' '})
	body = bytes.TrimSpace(body)
	if !validPackage(pkg) || !utf8.Valid(body) || (len(body) > 0 && !json.Valid(body)) {
		p.note(Note{Kind: NoteError, Text: "Your client sent a malformed GMCP message; it was ignored."})
		return
	}
	name := string(pkg)
	switch strings.ToLower(name) {
	case "core.hello":
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			for k, v := range m {
				s, ok := v.(string)
				if !ok {
					continue
				}
				switch strings.ToLower(k) {
				case "client":
					p.gmcpClient = clientString([]byte(s))
				case "version":
					p.gmcpVersion = clientString([]byte(s))
				}
			}
		}
	case "core.supports.set":
		p.gmcpSubs = p.gmcpSubs[:0]
		p.gmcpModules(body, true)
	case "core.supports.add":
		p.gmcpModules(body, true)
	case "core.supports.remove":
		p.gmcpModules(body, false)
	case "core.ping":
		p.sendGMCP("Core.Ping", nil)
	default:
		p.note(Note{Kind: NoteGMCP, Package: name, Data: slices.Clone(body)})
	}
}

// gmcpModules adds or removes modules named like "Char 1" (version optional).
func (p *Protocol) gmcpModules(body []byte, add bool) {
	var list []any
	if json.Unmarshal(body, &list) != nil {
		return
	}
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			continue
		}
		mod, _, _ := strings.Cut(strings.TrimSpace(s), " ")
		mod = strings.ToLower(mod)
		if mod == "" || len(mod) > maxClientString {
			continue
		}
		i := slices.Index(p.gmcpSubs, mod)
		switch {
		case add && i < 0 && len(p.gmcpSubs) < maxGMCPSubs:
			p.gmcpSubs = append(p.gmcpSubs, mod)
		case !add && i >= 0:
			p.gmcpSubs = slices.Delete(p.gmcpSubs, i, i+1)
		}
	}
}

// validPackage reports whether b is a plausible GMCP package name.
func validPackage(b []byte) bool {
	if len(b) == 0 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// GMCPSubscribed reports whether the client subscribed to pkg ("Char.Vitals"
// is covered by "Char" or "Char.Vitals"; Core always is).
func (p *Protocol) GMCPSubscribed(pkg string) bool {
	l := strings.ToLower(pkg)
	if l == "core" || strings.HasPrefix(l, "core.") {
		return true
	}
	for {
		if slices.Contains(p.gmcpSubs, l) {
			return true
		}
		i := strings.LastIndexByte(l, '.')
		if i < 0 {
			return false
		}
		l = l[:i]
	}
}

// SendGMCP queues a GMCP message if GMCP is on and the client subscribed to
// the package (Core.* always); it reports whether it was queued. The JSON
// must be valid (or empty).
func (p *Protocol) SendGMCP(pkg string, json []byte) bool {
	if !p.usEnabled(OptGMCP) || !validPackage([]byte(pkg)) || !p.GMCPSubscribed(pkg) {
		return false
	}
	return p.sendGMCP(pkg, json)
}

// sendGMCP queues a GMCP message without the subscription check.
func (p *Protocol) sendGMCP(pkg string, body []byte) bool {
	if len(body) > 0 && !json.Valid(body) {
		return false
	}
	b := make([]byte, 0, len(pkg)+1+len(body))
	b = append(b, pkg...)
	if len(body) > 0 {
		b = append(b, ' ')
		b = append(b, body...)
	}
	p.sendSB(OptGMCP, b)
	return true
}

// SendMSSP answers an MSSP request with the given variables (NAME, PLAYERS,
// UPTIME and optional ones), over telnet or as plaintext as it was asked.
// Variables are sent in name order; NAME defaults to Config.Name. Values
// are cleaned of bytes that would break the framing.
func (p *Protocol) SendMSSP(vars map[string][]string) {
	names := make([]string, 0, len(vars)+1)
	for k := range vars {
		names = append(names, k)
	}
	if _, ok := vars["NAME"]; !ok {
		names = append(names, "NAME")
	}
	sort.Strings(names)
	value := func(k string) []string {
		if v, ok := vars[k]; ok {
			return v
		}
		return []string{p.cfg.Name}
	}
	if p.msspPlain || !p.usEnabled(OptMSSP) {
		var sb strings.Builder
		sb.WriteString("\r\nMSSP-REPLY-START\r\n")
		for _, k := range names {
			for _, v := range value(k) {
				sb.WriteString(msspClean(k, "\t\r\n"))
				sb.WriteByte('\t')
				sb.WriteString(msspClean(v, "\t\r\n"))
				sb.WriteString("\r\n")
			}
		}
		sb.WriteString("MSSP-REPLY-END\r\n")
		p.WriteRaw(sb.String())
		return
	}
	var b []byte
	for _, k := range names {
		b = append(b, msspVar)
		b = append(b, msspClean(k, "")...)
		for _, v := range value(k) {
			b = append(b, msspVal)
			b = append(b, msspClean(v, "")...)
		}
	}
	p.sendSB(OptMSSP, b)
}

// msspClean removes the given bytes (and IAC) from s.
func msspClean(s, bad string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(bad, r) {
			return -1
		}
		return r
	}, s)
}
