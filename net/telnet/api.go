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
	// DefaultMaxInflate bounds MCCP3 input: bytes inflated by one Decode
	// call, and bytes of one over-long line (or subnegotiation) discarded
	// while compressed.
	DefaultMaxInflate = 65536
)

// Errors reported in Event.Err.
var (
	ErrLineTooLong   = errors.New("telnet: input line too long")
	ErrSubnegTooLong = errors.New("telnet: subnegotiation too long")
	// ErrCompression: the client's MCCP3 stream could not be inflated.
	ErrCompression = errors.New("telnet: bad MCCP3 compressed input")
	// ErrInflateLimit: the client's MCCP3 stream inflated beyond
	// Limits.MaxInflate (a zip bomb, or a line that never ends).
	ErrInflateLimit = errors.New("telnet: MCCP3 input inflates beyond the limit")
)

// Limits bounds every buffer a client controls. Zero fields take the defaults.
type Limits struct {
	MaxLine   int
	MaxSubneg int
	// MaxInflate bounds MCCP3: the bytes one Decode call may inflate, and
	// the bytes of one over-long line or subnegotiation it may inflate and
	// discard. Past either the stream is abandoned with EventError.
	MaxInflate int
	// MCCP3 turns on client-to-server compression: the Protocol offers WILL
	// MCCP3 and the Decoder inflates everything after the client's
	// IAC SB MCCP3 IAC SE (once the client said DO MCCP3) until the zlib
	// stream ends. Both must be built from the same Limits.
	MCCP3 bool
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
	// EventError: the input cannot be decoded any further (Err is
	// ErrCompression or ErrInflateLimit); every later byte is ignored and
	// the owner should close the connection.
	EventError
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
	MCCP3         bool // the client may compress its input (it said DO MCCP3)
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
