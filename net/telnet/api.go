package telnet

// This file is the contract between net/telnet and its callers (the connection
// actor, the load tester). Bodies marked TODO(telnet) are filled in by the
// telnet work; the signatures are what callers compile against. Adding
// methods and fields is fine; changing these signatures needs a look at the
// callers in actors/conn and cmd/troupe-load.

import "errors"

// Telnet command bytes (RFC 854) and the commands MUD clients use.
const (
	IAC  byte = 255
	DONT byte = 254
	DO   byte = 253
	WONT byte = 252
	WILL byte = 251
	SB   byte = 250
	GA   byte = 249
	EL   byte = 248
	EC   byte = 247
	AYT  byte = 246
	AO   byte = 245
	IP   byte = 244
	BRK  byte = 243
	DM   byte = 242
	NOP  byte = 241
	SE   byte = 240
	EOR  byte = 239
)

// Option codes.
const (
	OptBinary     byte = 0
	OptEcho       byte = 1
	OptSGA        byte = 3
	OptTTYPE      byte = 24
	OptEOR        byte = 25
	OptNAWS       byte = 31
	OptNewEnviron byte = 39
	OptCharset    byte = 42
	OptMSDP       byte = 69
	OptMSSP       byte = 70
	OptMCCP2      byte = 86
	OptMCCP3      byte = 87
	OptMXP        byte = 91
	OptGMCP       byte = 201
)

// Default limits on buffers a client controls.
const (
	DefaultMaxLine   = 4096  // bytes of one input line; longer lines are cut
	DefaultMaxSubneg = 16384 // bytes of one subnegotiation payload; larger ones are dropped
)

// Errors reported in Event.Err.
var (
	ErrLineTooLong   = errors.New("telnet: input line too long")
	ErrSubnegTooLong = errors.New("telnet: subnegotiation too long")
)

// Limits bounds every buffer a client controls. Zero fields take the defaults.
type Limits struct {
	MaxLine   int
	MaxSubneg int
}

// EventKind says what an Event carries.
type EventKind uint8

// Event kinds.
const (
	// EventLine is one complete input line: Line holds its bytes without the
	// terminator (CR LF, CR NUL, LF or bare CR), with backspace/DEL applied
	// and NULs dropped. If the line was longer than MaxLine, Line holds the
	// first MaxLine bytes, the rest up to the terminator is discarded, and
	// Err is ErrLineTooLong.
	EventLine EventKind = iota + 1
	// EventNegotiation is IAC WILL/WONT/DO/DONT: Cmd and Opt are set.
	EventNegotiation
	// EventSubneg is IAC SB Opt ... IAC SE: Data holds the payload with IAC
	// IAC unescaped. An oversize payload is dropped and reported once with
	// Err = ErrSubnegTooLong and no Data.
	EventSubneg
	// EventCommand is any other IAC command (GA, NOP, AYT, IP, BRK, EOR, ...):
	// Cmd is set.
	EventCommand
)

// Event is one thing the decoder found in the client's byte stream. Line and
// Data are owned by the event (never aliased to the decoder's buffers).
type Event struct {
	Kind EventKind
	Cmd  byte
	Opt  byte
	Line []byte
	Data []byte
	Err  error
}

// Decoder is a streaming telnet state machine: bytes in, events out. It keeps
// any partial sequence (a split IAC, a half line, an open SB) across calls.
// It is used by one goroutine only (the socket reader).
type Decoder struct {
	// TODO(telnet): state.
}

// NewDecoder returns a decoder with the given limits.
func NewDecoder(l Limits) *Decoder {
	// TODO(telnet)
	return &Decoder{}
}

// Decode consumes p and appends every event it completes to evs, returning
// the extended slice. It never retains p.
func (d *Decoder) Decode(p []byte, evs []Event) []Event {
	// TODO(telnet)
	return evs
}

// ColorDepth is how many colours a client can show.
type ColorDepth uint8

// Colour depths.
const (
	ColorNone ColorDepth = iota
	Color16
	Color256
	ColorTrue
)

// Caps is what the server knows about a client: the out-of-band API's view,
// free of telnet detail. The zero value is a dumb client.
type Caps struct {
	Client        string // client name from TTYPE/MNES/GMCP Core.Hello, e.g. "TINTIN++"
	ClientVersion string
	Terminal      string // terminal type, e.g. "xterm-256color"
	MTTS          int    // MTTS bit field, 0 if unknown
	Width, Height int    // NAWS window size, 0 if unknown
	Color         ColorDepth
	UTF8          bool
	ScreenReader  bool
	EOR           bool // the client agreed to IAC EOR after prompts
	GMCP          bool // GMCP is on
	MCCP2         bool // output is compressed
}

// Config sets what a Protocol offers and its limits.
type Config struct {
	Limits
	// Server name for MSSP; empty means "troupe".
	Name string
}

// NoteKind says what a Note carries.
type NoteKind uint8

// Note kinds: things the protocol layer tells its owner.
const (
	// NoteCaps: Caps() changed (window size, terminal type, colour, ...).
	NoteCaps NoteKind = iota + 1
	// NoteGMCP: the client sent a GMCP message for the game: Package and
	// Data (JSON, validated, possibly empty).
	NoteGMCP
	// NoteMSSP: the client asked for MSSP (DO MSSP or the plaintext
	// MSSP-REQUEST); answer with SendMSSP.
	NoteMSSP
	// NoteError: the client broke a limit; Text is one line to tell the
	// player (the caller decides whether to disconnect).
	NoteError
)

// Note is one thing the protocol layer tells the connection's owner.
type Note struct {
	Kind    NoteKind
	Package string
	Data    []byte
	Text    string
}

// Protocol holds one connection's telnet option state (RFC 1143 Q method per
// option and side), client capabilities, and its outbound byte stream
// (including MCCP2 compression). It does no I/O: the owner writes the bytes
// returned by Flush. It is owned by exactly one goroutine (the connection
// actor); it is not safe for concurrent use.
type Protocol struct {
	// TODO(telnet): state.
}

// NewProtocol returns a protocol for a new connection.
func NewProtocol(cfg Config) *Protocol {
	// TODO(telnet)
	return &Protocol{}
}

// Start queues the server's opening offers. Nothing ever waits for a reply.
func (p *Protocol) Start() {
	// TODO(telnet)
}

// Handle processes a non-line event (negotiation, subnegotiation, command),
// queues any replies, and returns what the owner should know about.
func (p *Protocol) Handle(ev *Event) []Note {
	// TODO(telnet)
	return nil
}

// DecodeLine turns an input line's bytes into clean text: UTF-8 (invalid bytes
// replaced, or Latin-1 decoded for clients without UTF-8), with control bytes
// and escape sequences removed, so that a player's input can never put raw
// control sequences on anyone's terminal. It also reports whether the line was
// a protocol request handled here (the plaintext MSSP-REQUEST), in which case
// the caller does not pass it on as input.
func (p *Protocol) DecodeLine(b []byte) (text string, notes []Note, consumed bool) {
	// TODO(telnet)
	return string(b), nil, false
}

// WriteText queues game text: colour markup rendered for the client's colour
// depth (stripped for none), "\n" sent as CR LF, IAC doubled, text made
// ASCII-safe for clients without UTF-8, and long lines word-wrapped to the
// client's width (clamped; 80 when unknown).
func (p *Protocol) WriteText(s string) {
	// TODO(telnet)
}

// WriteRaw queues text without markup processing or wrapping ("\n" still
// becomes CR LF and IAC is still doubled).
func (p *Protocol) WriteRaw(s string) {
	// TODO(telnet)
}

// EndPrompt marks the end of a prompt: IAC EOR if the client agreed to EOR,
// otherwise IAC GA; never both.
func (p *Protocol) EndPrompt() {
	// TODO(telnet)
}

// SetEcho hides (true) or shows (false) the player's typing: WILL ECHO for a
// password prompt, WONT ECHO after. Sends nothing when the state is already so.
func (p *Protocol) SetEcho(hidden bool) {
	// TODO(telnet)
}

// SendGMCP queues a GMCP message if GMCP is on and the client subscribed to
// the package (Core.* always); it reports whether it was queued.
func (p *Protocol) SendGMCP(pkg string, json []byte) bool {
	// TODO(telnet)
	return false
}

// SendMSSP answers an MSSP request with the given variables (NAME, PLAYERS,
// UPTIME and optional ones), over telnet or as plaintext as it was asked.
func (p *Protocol) SendMSSP(vars map[string][]string) {
	// TODO(telnet)
}

// Caps returns what is known about the client.
func (p *Protocol) Caps() Caps {
	// TODO(telnet)
	return Caps{}
}

// Pending reports whether Flush has bytes to return.
func (p *Protocol) Pending() bool {
	// TODO(telnet)
	return false
}

// Flush returns the wire bytes queued since the last Flush (compressed and
// sync-flushed when MCCP2 is on) and clears the queue. The caller owns the
// returned slice.
func (p *Protocol) Flush() []byte {
	// TODO(telnet)
	return nil
}

// Finish ends the outbound stream cleanly (the MCCP2 stream is finished) and
// returns the last bytes to write before closing the socket.
func (p *Protocol) Finish() []byte {
	// TODO(telnet)
	return nil
}
