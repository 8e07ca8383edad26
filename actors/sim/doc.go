// Package sim is troupe's load generator: simulated players, each a
// proto.actor actor owning one real TCP connection, that log in through
// the login flow and play a weighted command mix while the package
// measures what a player would feel. cmd/troupe-load is its command line;
// Run is the whole run as a library call (the integration test drives a
// real server with it).
//
// # A player
//
// Each player is an actor (player.go) with helper goroutines, none of
// which touches its fields:
//
//   - a dial goroutine (once), reporting *dialed;
//   - a reader (reader.go) that scans the telnet stream, decides the
//     answers to option offers (WILL EOR gets DO EOR; every other WILL
//     gets DONT, every DO gets WONT; never a reply to a reply; at most 256
//     replies) and hands them to the actor as *replies, and sends one
//     *burst per prompt — the lines since the last prompt plus the prompt
//     text — and a final *readDone; of a very long burst (who with
//     thousands of players) it keeps the first 256 lines and the last 16;
//   - a write goroutine only when the socket does not take a line at once
//     (one in flight, a few queued), reporting *written.
//
// The actor is the socket's only writer. It writes a line itself with one
// non-blocking write(2) (write_unix.go) and hands the rest, if the
// socket's buffer is full, to a write goroutine; it never blocks in
// Receive.
//
// A prompt is the text before IAC EOR or IAC GA. Either marker counts
// whatever was negotiated: troupe's first prompt leaves before our DO EOR
// arrives, so it ends in GA. The reader's scanner decodes as net/telnet's
// Decoder does (line ends, NUL, erase characters, IAC IAC, a line cut at
// 4 KB, subnegotiations skipped) but writes each line straight into one
// buffer per burst, strips its colours there, and makes the burst one
// string whose lines are substrings of it. Past the first 256 lines only
// the last 16 are kept (raw, stripped at the prompt), and a read of whole
// plain lines is skipped to its last 16 with a backward scan, so a look
// listing thousands of occupants costs little more than a memchr; the prompt is the partial line
// when the marker comes, ended as a CR would end it. FuzzReader holds it
// to the Decoder, fed byte by byte.
//
// The players' and the collector's mailboxes run on the goroutine that
// sends to them (protoactor's synchronized dispatcher; one run per mailbox
// at a time still): a burst is handled on its reader's goroutine once the
// read has been timed, with no hand-off, and its samples reach the
// collector the same way. protoactor's default dispatcher starts a
// goroutine per mailbox run, whose new 2 KB stack had to grow for every
// message. A timer's fire is handed to a small pool of long-lived workers
// (pool.go) for the same reason.
//
// Timers (think time, answer timeout, login step timeout) are a new
// time.AfterFunc per arm, the previous one stopped (Reset costs more: the
// runtime then scans its whole timer heap for the moved timer). A timer
// sends *timerFired; one that arrives before the time the player last
// armed for, or after a disarm, is stale and ignored.
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
// else random), talker, builder (describe, a few lines, .s), crowd (look
// alone: with everyone in one room, each look lists every occupant) and
// normal.
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
// # Its own cost
//
// The tester shares the machine with a local server, so it measures
// itself: the report gives the process's CPU time (getrusage: user plus
// system, and the system part) over the run and over the steady state,
// per command answered, and cmd/troupe-load's --cpuprofile writes a pprof
// profile. About half of what remains is the kernel's loopback TCP work
// for one write per command and one read per burst.
//
// # Scale
//
// Per player: an actor, a reader goroutine with a 2 KB buffer (16 KB while
// reads keep filling it) and a burst
// buffer (released after a burst over 8 KB), a PCG generator, a few small
// slices; no goroutine per write unless the server stops reading. With
// more than 20,000 players against 127.0.0.1 the players dial from
// 127.0.0.1, .2 and .3 in turn, since one source address has only about
// 28,000 ephemeral ports. Run refuses more than MaxPlayers players, runs
// longer than MaxDuration and (without AllowRemote) non-loopback
// addresses. At the end every player writes "quit" (best effort) and
// closes its socket, and the report is built once every player's last
// batch has reached the collector.
package sim
