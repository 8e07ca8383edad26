// Package link is the protocol between the portal and the game: the
// messages that cross the boundary of ../../shared/DESIGN.md ("Portal and
// game"), and nothing else.
//
// The portal keeps players' sockets: one link actor per socket owns the
// net.Conn, the telnet state (negotiated options, MCCP streams, window
// size) and the bytes. The game keeps everything else: one session actor
// per link (the conn package) owns the input-handler stack, the editor,
// the prompt and the account and character played. By default both halves
// run in one actor system and these messages are passed as pointers; in
// the two-process mode (troupe portal, troupe game) they cross proto.actor
// remote as msgpack payloads in one protobuf envelope (package wire). Every
// type here is registered with wire under a stable name, so the two
// processes may run different builds as long as the names and fields agree.
//
// # The conversation
//
// A new socket: the link sends *Attach to the game's sessions service (a
// well-known name, never a cached PID); the game spawns the session, which
// answers *Attached and then speaks *Out (text, echo, GMCP, and — only when
// they change — the prompt and the session snapshot; one message per burst)
// and at the end *Close. The link sends the lines the player typed as
// *Input, telnet news as *Note, and *Closed when the socket dies.
//
// # Lines in one hop
//
// Most of what a player reads is not made by their own session: a room's
// lines (someone arrives, says, emotes; the room's answer to look or say),
// a channel's lines. Those go straight to the link as *Line, one hop, not
// room → character → session → link. A line for many players is made once
// (NewLine) and the same pointer is sent to every link, whose telnet layer
// renders it once per client form (colour depth, charset, width) and
// shares the bytes; Fanout encodes it once for the links of another
// process. The link shows the session's prompt after any text, so the
// session never has to hear about these lines. A character decides when
// its link may be used (msg.Occupant.Link): not while it is linkdead, and
// not before its first look after a link attached has gone through the
// session. Order: everything one room sends one player takes the same
// path, so it arrives in the order the room made it; a command's answer
// sent straight by the room is sent before the command's end travels back
// through the character and the session, so the answer comes first.
//
// Health: the portal actor sends *Ping to the game's sessions service a few
// times a second and gets *Pong with the game's boot id. No pong for
// DownAfter means the game is down: every link tells its player once, holds
// what the player types, and keeps the socket. A pong with a new boot id
// means the game is back (or was restarted between two pings): every link
// sends *Attach again with Resume and the last snapshot its session gave
// it, and the new session rebuilds the handler stack and editor from it.
// The game, in turn, drops every session of a portal whose pings stop
// (LINKDEATH/portal): the characters go linkdead as usual.
package link
