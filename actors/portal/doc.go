// Package portal is the half of troupe that keeps players' sockets: the
// listener, one link actor per socket (the net.Conn, the reader and writer
// goroutines, the bounded send queue, the telnet state with its negotiated
// options, MCCP streams and window size) and the portal actor that watches
// the game.
//
// The portal knows nothing of the game: no rooms, no characters, no input
// handlers. It speaks the link protocol (package link) with the game's
// sessions service, found by its well-known name at the game's address
// (the same actor system in the one-process mode, another process over
// proto.actor remote otherwise).
//
// # When the game goes away
//
// The portal pings the game every PingEvery. Nothing heard from the game
// for DownAfter — no pong and no message to any link — (or remote
// reporting the endpoint lost, or the game saying it goes down) marks it
// down. A busy game answers pings late, but its output keeps reaching the
// links, and that counts as a sign of life: a slow second under load does
// not hold every link. Every link then tells its player once that the world is
// restarting, holds up to 32 lines (8 KiB) of what they type and refuses
// the rest politely, and keeps its socket and telnet state: nobody is
// disconnected. The first answer from a game with a new boot id marks it up
// again, and every link attaches with the last snapshot its session gave
// it, so the new game rebuilds each session's handler stack and editor.
//
// # Threads
//
// As in the old single connection actor: a reader decodes telnet and sends
// one message per read, bounded by a credit channel (a flooding client is
// slowed by TCP back-pressure); writes are tried without blocking from the
// actor and only what the socket does not take goes to a short-lived writer
// goroutine. On Linux an idle socket costs no goroutine: it waits in the
// process's epoll set and a small pool of workers reads it when it becomes
// readable (poller_linux.go); elsewhere each socket has a reader goroutine.
// Either way a read buffer is lent from a pool only for the time of a read.
//
// # Memory per link
//
// Every link is spawned with one shared Props (its fields handed to the
// producer by the portal actor itself, see spawnLink), with a compact
// mailbox (dispatch.Mailbox), and decodes envelopes with wire.Decoding
// rather than a receiver middleware (which costs proto.actor's context
// extras per actor).
package portal
