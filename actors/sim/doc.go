// Package sim is troupe's load generator: simulated players, each a
// proto.actor actor owning one real TCP connection, that log in through
// the login flow and play a weighted command mix while the package
// measures what a player would feel. cmd/troupe-load is its command line;
// Run is the whole run as a library call (the integration test drives a
// real server with it).
//
// # A player
//
// Each player is an actor (player.go) with three kinds of helper
// goroutines, none of which touches its fields:
//
//   - a dial goroutine (once), reporting *dialed;
//   - a reader (reader.go) that decodes the telnet stream with
//     net/telnet's Decoder, answers option offers itself (WILL EOR gets
//     DO EOR; every other WILL gets DONT, every DO gets WONT; never a reply
//     to a reply; at most 256 replies), and sends the actor one *burst per
//     prompt — the lines since the last prompt plus the prompt text — and
//     a final *readDone; of a very long burst (who with thousands of
//     players) it keeps the first 256 lines and the last 16;
//   - a short-lived write goroutine per write (one in flight, a few
//     queued), reporting *written. The actor never blocks in Receive.
//
// A prompt is the text before IAC EOR or IAC GA. Either marker counts
// whatever was negotiated: troupe's first prompt leaves before our DO EOR
// arrives, so it ends in GA. The Decoder assembles lines and keeps a
// prompt (which has no line end) as a partial line, so the reader cuts
// every read right after each IAC command byte and, after a marker, feeds
// the decoder a synthetic CR to get the prompt line out before any later
// byte is appended to it.
//
// Timers (think time, answer timeout, login step timeout) are one
// time.AfterFunc per player that sends *timerFired with a generation
// number; a stale timer is ignored.
//
// # Login
//
// Accounts are load<seed>x<n>, characters "L" + the seed's digits as
// letters + "x" + n's digits as letters (letters only, at most 13 long),
// so a second run with the same seed and data directory logs into the
// same accounts and picks the same characters from the menu, and runs
// with other seeds never collide. The player reacts to prompts, not to a
// fixed script: "Account name:" → the account; "Create account:" or
// "(y/n)" → y; "Password:" → the password; "Character name:" → the
// character (a taken name is retried with a suffix, up to 4 names);
// "Choice:" → our character's number from the menu, else "Create new
// character". "Welcome to the game!", or any unknown prompt after a
// character was sent, means in the game. "Invalid password." and every
// step that gets no answer within the timeout are login errors. troupe
// redraws the prompt it showed as soon as it reads a line; an empty
// burst repeating the prompt just answered is ignored.
//
// # Commands and latency
//
// In troupe's game a typed line gets no prompt of its own: the prompt
// comes after the game's answer (every burst of output ends with one
// prompt, IAC EOR or IAC GA), and output that others cause — a say, a
// mobile walking in, a chat line — arrives as a burst of its own at any
// time. An empty line still gets a prompt at once. So each command kind
// has a marker in its answer (answer.go, taken from troupe's own texts):
// look and movement the room's "[Exits: …]" line (or a refusal such as
// "You can't go that way."), say "You say, '", emote the character's own
// name at the start of a line, chat "[chat] Name:", who the closing
// "N players.", score "You are Name.", inventory "You are carrying", help
// the topic title "HELP", describe the editor's "Editing …" intro, a line
// typed into the editor the editor's "] " prompt, and ".s" "Description
// saved.". A command's latency runs from the moment it is handed to the
// writer to the moment the read holding the prompt after the burst with
// its marker returns; bursts before that one are counted as unsolicited
// output. "Huh?" or "Usage:" completes any command, counted as unknown
// (and drops the rest of an editor script). An editor prompt that also
// carries other output still completes the line, counted as ambiguous. A
// command whose marker does not come within the timeout is an error; the
// player then waits (at most one more timeout) for the late answer before
// it types on.
//
// Chat, shout and who are Global entries: a chat line goes to every
// player and who lists every player, so at a fixed share of the mix their
// cost would grow with the square of the players. Config.GlobalRate caps
// each at a rate for the whole run (default 2/s); a draw over the cap is
// drawn again.
//
// Think times are exponential around 1/rate measured from one send to the
// next (a Poisson stream per player, so a run does not march in lock
// step), capped at 20 means; the first command comes a uniform fraction
// of one interval after login. A profile (profile.go) is a weighted mix:
// idler (rate/20), looker, walker (directions from the last "Exits:" line,
// else random), talker, builder (describe, a few lines, .s) and normal.
//
// # Measuring without a shared lock
//
// Players do not own histograms: an HDR histogram with a useful range is
// 20-180 KB, too much for 50,000 players. A player appends raw samples to
// a small batch it owns and sends the batch to the collector actor
// (stats.go) at least every 250 ms or 64 samples, at login and at the end.
// The collector owns the run's histograms (1 µs to 1 h, 3 significant
// digits), a per-second interval histogram for the live p99 and the
// counters, and emits one Progress sample a second. Nothing on the hot
// path takes a lock; the one mutex (connSlot) hands a freshly dialed
// socket over at most twice per player.
//
// # Scale
//
// Per player: an actor, a reader goroutine with a 2 KB buffer, a PCG
// generator, a few small slices; writes use transient goroutines. With
// more than 20,000 players against 127.0.0.1 the players dial from
// 127.0.0.1, .2 and .3 in turn, since one source address has only about
// 28,000 ephemeral ports. Run refuses more than MaxPlayers players, runs
// longer than MaxDuration and (without AllowRemote) non-loopback
// addresses. At the end every player writes "quit" (best effort) and
// closes its socket, and the report is built once every player's last
// batch has reached the collector.
package sim
