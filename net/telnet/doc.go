// Package telnet is troupe's telnet layer: a streaming decoder (bytes in,
// lines and option events out), per-connection option negotiation with the
// RFC 1143 Q method, client capabilities (TTYPE/MTTS, NAWS, CHARSET, ...),
// MUD protocols (EOR/GA, GMCP, MSSP, MCCP2) and the rendering of game text
// with colour markup for each client.
//
// It has no game knowledge and does no I/O: the socket reader goroutine owns
// a Decoder, the connection actor owns a Protocol and hands the bytes from
// Protocol.Flush to its writer.
//
// # Decoder
//
// A byte-at-a-time state machine (data, IAC, WILL/WONT/DO/DONT, SB, SB-IAC,
// plus a CR-seen flag) with a bulk-copy fast path for runs of plain bytes.
// Any sequence may be split across reads. CR LF, CR NUL, LF and bare CR end
// a line exactly once (the CR-seen flag survives IAC commands and read
// boundaries); NUL is dropped (kildclient's stray NUL after TTYPE);
// backspace and DEL delete the last rune; IAC EC and IAC EL edit the line.
// Lines are cut at Limits.MaxLine and subnegotiations over MaxSubneg are
// dropped, each reported once. An IAC <command> inside SB that is not SE or
// IAC aborts the subnegotiation (a client that forgot SE) and is read as a
// command. Input controls other than those stay in the line bytes: the
// Protocol's DecodeLine removes them.
//
// # Negotiation
//
// Each option side follows the RFC 1143 Q method, so the server never
// answers an answer and no exchange can loop. A request for an option we do
// not support is refused once; a client that repeats it is ignored after.
// ECHO is the exception: SetEcho keeps its own state because tintin++ never
// answers WONT ECHO, which would leave a strict Q method unable to hide the
// next password prompt. Start offers WILL EOR, DO TTYPE, DO NAWS, WILL
// CHARSET (not DO CHARSET too: tintin answers only one), WILL MSSP, WILL
// GMCP, WILL MCCP2 and DO NEW-ENVIRON (and WILL MCCP3 when Limits.MCCP3 is
// set), and never waits for replies. SGA is not offered (it sends inetutils
// telnet into character mode); MSDP and MXP are not implemented and are
// refused.
//
// # Capabilities
//
// Caps merges every hint: the client name from GMCP Core.Hello, then MNES
// CLIENT_NAME, then the first TTYPE value; the TTYPE cycle asks up to four
// times and stops when a value repeats or "MTTS <n>" arrives. UTF-8 comes
// from the CHARSET answer (we REQUEST ";UTF-8;US-ASCII"), else MNES CHARSET,
// else MTTS bit 4. Colour depth comes from MTTS bits (256 truecolor, 8 256
// colours, 1 ANSI), else from the terminal name ("256", "truecolor"; dumb,
// hardcopy and unknown mean none; anything else 16). A client that said
// nothing is a dumb client: no colour, ASCII text, 80 columns.
//
// # Colour markup
//
// Game text passed to WriteText (or Render) may contain:
//
//	{r {g {y {b {m {c {w {d   red, green, yellow, blue, magenta, cyan, white, dark (black)
//	{R {G {Y {B {M {C {W {D   the bright forms ({D is dark grey)
//	{x                        reset to the default colour
//	{{                        a literal "{"
//	{F123}                    256-colour index 0..255
//	{#rrggbb}                 truecolor
//
// Codes are rendered for the client's depth: 256-colour and truecolor codes
// are down-sampled to the nearest available colour (truecolor to the 6×6×6
// cube or grey ramp; 256 to the xterm 16-colour palette, bright as bold),
// and all markup is removed for ColorNone. Anything after "{" that is not a
// code is shown as it is. A reset is sent at the end of any WriteText that
// left a colour set. Escape doubles braces so a player's typed text shows
// literally; Strip removes markup for logs and plain contexts.
//
// # Text out
//
// WriteText word-wraps to the NAWS width clamped to [20, 250] (80 when
// unknown), counting runes and ignoring escape codes; a word longer than a
// line is broken hard. The column carries over between calls. "\n" becomes
// CR LF, IAC is doubled, control characters other than "\n" are removed
// (players' text cannot inject escape sequences), and clients without UTF-8
// get ASCII: common punctuation and Latin-1 letters are transliterated, other
// runes become "?". WriteRaw only converts "\n" and doubles IAC.
//
// WriteText renders straight onto the output queue. Between words, runs of
// plain ASCII words and markup codes take a fast path that copies each line
// of words in one go; anything else (non-ASCII, controls, a visible brace, a
// word longer than a line) goes rune by rune. Both give the bytes the
// original rune-by-rune encoder gave, which text_ref_test.go keeps as the
// reference for a differential test and FuzzWriteTextMatchesRef.
//
// A line many links send (a say, an emote, a channel message) can be made a
// Shared with NewShared and written with WriteShared: it queues what
// WriteText would, but when the cursor is at column 0 and the text ends in
// "\n" the rendering depends only on the client's form (colour depth, UTF-8
// or ASCII, wrap width), so each form is rendered once, by the first link
// that needs it, and kept in one of eight slots of the Shared (claimed and
// published with atomics; links run on their own goroutines). The other
// links only copy the cached bytes, which are never modified.
//
// A SharedDoc is the same for text made of parts that links send each
// without one part (a room's look lists every occupant but the viewer):
// each form is rendered once, with the offset where each part ends, and
// WriteSharedDoc writes it minus one part with two copies.
//
// Output and Consumed let a caller write straight from the protocol's
// buffer (no copy when the socket takes it all); Flush hands out a copy.
//
// # Text in
//
// DecodeLine reads valid UTF-8 as UTF-8 whatever was negotiated; invalid
// input is Latin-1 for clients that did not agree to UTF-8 and U+FFFD per
// bad byte for those that did. C0 controls (tab becomes a space), DEL, C1
// controls and bidi overrides are removed. The plaintext line MSSP-REQUEST
// is consumed and answered in plaintext by SendMSSP.
//
// # GMCP, MSSP, MCCP2
//
// GMCP messages are "Package.Sub json": the package name must be
// [A-Za-z0-9._-], the JSON valid UTF-8 JSON and the message at most 8 KiB.
// Core.Hello fills Caps (keys case-insensitive), Core.Supports.Set/Add/Remove
// keep at most 64 module names (case-insensitive, versions ignored),
// Core.Ping is answered, and everything else becomes NoteGMCP. SendGMCP
// sends only packages the client subscribed to ("Char.Vitals" under "Char"),
// Core always. MSSP is answered on DO MSSP with VAR/VAL pairs (NAME defaults
// to Config.Name) and on MSSP-REQUEST with MSSP-REPLY-START...END; the
// connection stays up.
//
// # MCCP2 and MCCP3
//
// MCCP2 starts on DO MCCP2: IAC SB 86 IAC SE, the zlib header and the
// compressed bytes after it come out of the same Flush. A stateful zlib
// writer costs about 800 KiB per connection, so the stream is written
// nearly statelessly (mccp2.go): each Flush burst is deflated alone by
// klauspost's flate.StatelessDeflate with the last 4 KiB of the stream as
// its dictionary and ends in a sync flush; the adler32 is kept running; DONT
// MCCP2 and Finish write a final empty block and the adler32 trailer
// (Z_STREAM_END). A compressing connection keeps about 4 KiB instead of
// 800 KiB, at the price of a worse ratio (BenchmarkMCCP2Dict has the
// trade-off).
//
// MCCP3 (client to server, only tintin++ does it) is on when Limits.MCCP3
// is set, for both the Protocol (which offers it) and the Decoder. After the
// client's DO MCCP3 and IAC SB 87 IAC SE, the Decoder inflates everything
// with its own push-style inflater (inflate.go: fed by each Decode call,
// stops and resumes at any byte, never reads past the end of the stream),
// and after the zlib stream ends the bytes that follow go back to the plain
// parser. Limits.MaxInflate bounds the bytes one Decode call may inflate and
// the discarded part of one over-long line or subnegotiation (zip bombs);
// past either, or on corrupt data, the Decoder sends one EventError and
// ignores everything after it: the owner should close the connection.
package telnet
