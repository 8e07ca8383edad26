// Package persistence stores accounts, characters and room state durably.
//
// Records are explicit DTOs (AccountRecord, CharacterRecord, RoomRecord, ItemRecord)
// encoded with msgpack under fixed field tags; actor structs are never serialized.
// Every record carries a schema version ("v"). Decoding ignores unknown fields (an
// older binary can read a newer additive change), leaves missing fields at their zero
// value, migrates older versions one step at a time (CharacterRecord v1 → v2 nested
// the vitals and added movement points), and refuses versions newer than it knows
// with ErrTooNew rather than dropping data on the next save. Encoding sorts map keys,
// so a record has exactly one encoding; testdata/store holds goldens of the current
// versions (refreshed with -update) and of older versions (never rewritten).
//
// Store is the interface; it is shaped for one writer (the store actor) and many
// readers, and names no engine, so a networked store can implement it later
// (persistence/storetest holds the contract suite). Writes go through Apply, one atomic
// batch of ops: puts, deletes, conditional creates (create-if-absent, the way account
// and character names stay unique, case-insensitively, across all accounts, even when
// two players race), and the two character ops that must change a character and its
// account's list together (OpCreateCharacter, OpDeleteCharacter). A failed condition
// fails only its op (ErrExists/ErrNotFound in the per-op result); an I/O failure fails
// the whole batch and applies nothing. The condition checks and bookkeeping are written
// once (apply.go) over a tiny txn interface that both stores implement.
//
// Keys are NormalizeKey(name): trimmed and lower-cased; records keep the display name.
//
// Bolt (OpenBolt) is the embedded default: a single bbolt file in the data directory,
// buckets per record kind plus a meta bucket holding the file's format version, one
// fsynced read-write transaction per Apply. bbolt never overwrites live pages and keeps
// two checksummed meta pages, so kill -9 at any moment leaves a file that opens at the
// last committed transaction; the freelist is not synced (it is rebuilt at open), which
// makes each commit cheaper. OpenBolt gives up after one second if another process
// holds the file lock rather than hanging.
//
// Memory (NewMemory) has the same semantics for tests. It keeps records encoded, so a
// caller can never mutate stored state through a pointer it passed in or got back.
//
// Bad input is an error, never a crash: empty, over-long or non-normalized keys, a key
// that does not match the display name, items without an instance id or nested deeper
// than MaxItemDepth, and records over MaxRecordSize are ErrInvalid/ErrTooLarge; bytes
// that do not decode are ErrCorrupt.
package persistence
