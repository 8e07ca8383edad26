// Package command parses player input and resolves verbs against a command
// table. It is pure: no I/O, no goroutines, no actors.
//
// Parse turns a line into a Command{Verb, Args, Rest}: Rest keeps the
// argument text as typed (for say, emote, tell), Args splits it into words.
// The classic shorthands work: 'hello is "say hello", :waves is "emote waves".
//
// Targets use Diku syntax: "sword" is the first thing matching, "2.sword" the
// second, "all.coin" every coin and "all" everything. Keywords match by
// prefix of any keyword, case-insensitively (world.MatchKeyword). Select and
// Find apply a Target to any slice, given a function returning an element's
// keywords, and answer indexes so that the owning actor can remove items.
//
// Table[H] is the command table, generic in the handler type so that the
// engine's handler signature does not leak into this package and code
// outside the engine can add commands. Decisions:
//
//   - Resolution is Diku-style. An exact name or alias wins first; otherwise
//     the first entry in table order whose name begins with the typed verb,
//     provided the verb is at least as long as the entry's MinAbbrev. So
//     table order decides that "s" means south and not say, and MinAbbrev
//     "quit" stops a stray "q" from quitting.
//   - Admin entries are invisible to non-admins: Lookup and Suggest skip them,
//     so a player typing "shut" gets "Huh?", not "you may not".
//   - Suggest only answers when one name is clearly closest (world.Closest):
//     a wrong suggestion is worse than none.
//   - MinArgs is data, not enforcement: the dispatcher checks Entry.Accepts
//     and prints Entry.Usage, so the player-facing text stays out of errors.
//   - A Table is written at start-up and read afterwards; it has no lock. The
//     character actors share one table read-only.
package command
