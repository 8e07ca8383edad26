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
// answers *Attached and then speaks *Out (text, prompt, echo, GMCP and the
// session snapshot, one message per burst) and at the end *Close. The link
// sends the lines the player typed as *Input, telnet news as *Note, and
// *Closed when the socket dies.
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
