package store

import (
	"errors"

	"github.com/troupe-mud/troupe/persistence"
)

// Errors the store actor answers with, besides the persistence sentinels (ErrExists,
// ErrNotFound, ErrInvalid, ...) that come from the store itself.
var (
	// ErrBusy: the store is overloaded and did not do the request: the write queue
	// or the read queue is full (refused at once), or a load waited its deadline in
	// the read queue (then it is ErrQueueTimeout too). The caller should retry later; the server is overloaded or
	// the disk has stalled.
	ErrBusy = errors.New("store: busy")
	// ErrQueueTimeout: a load waited the read deadline (WithReadWait) for a reader and
	// was answered without being run. It always comes with ErrBusy.
	ErrQueueTimeout = errors.New("store: timed out waiting for a reader")
	// ErrBatchTooLarge: an *Apply holds more ops than the maximum batch size.
	ErrBatchTooLarge = errors.New("store: batch too large")
	// ErrStopped: the store actor stopped before the request was committed.
	ErrStopped = errors.New("store: stopped")
)

// Requests. All are sent with ctx.Request(storePID, req) and answered to the sender
// with the reply named in their comment; the reply echoes the request's key (or ID) so a
// caller with several requests in flight can match them. A request sent with ctx.Send
// (no sender) is fire-and-forget: it is still committed, and a failure is logged.
// Requests and their records must not be modified after sending.
//
// Ordering: writes commit in arrival order; a load of a key with a write still
// pending waits for that write, so a load always sees every save the store actor
// received before it (a quit followed by a fast reconnect loads the quit's save).

// SaveCharacter stores Record, replacing the previous version. Reply: *Saved.
type SaveCharacter struct {
	Record *persistence.CharacterRecord
}

// SaveAccount stores Record, replacing the previous version. Reply: *Saved.
type SaveAccount struct {
	Record *persistence.AccountRecord
}

// SaveRoom stores a room's state, replacing the previous version. Reply: *Saved.
type SaveRoom struct {
	Record *persistence.RoomRecord
}

// Saved answers SaveCharacter, SaveAccount and SaveRoom once the record is durable
// (Err nil), or once the save has failed for good after retries (Err non-nil).
type Saved struct {
	Kind persistence.Kind
	Key  string // normalized key of the saved record
	Err  error
}

// CreateAccount stores Record only if no account has its name (case-insensitively).
// Reply: *AccountCreated.
type CreateAccount struct {
	Record *persistence.AccountRecord
}

// AccountCreated answers CreateAccount. Err is persistence.ErrExists when the name is
// taken.
type AccountCreated struct {
	Key string
	Err error
}

// CreateCharacter creates Record under a name unique across all accounts and appends
// it to Account's character list, in one atomic commit. Reply: *CharacterCreated.
type CreateCharacter struct {
	Account string // account key or display name
	Record  *persistence.CharacterRecord
}

// CharacterCreated answers CreateCharacter. Err is persistence.ErrExists when the name
// is taken, persistence.ErrNotFound when the account does not exist.
type CharacterCreated struct {
	Account string
	Key     string
	Err     error
}

// DeleteCharacter deletes a character and removes it from its account's list,
// atomically. Reply: *CharacterDeleted.
type DeleteCharacter struct {
	Account string // the owning account, so that account loads wait for the delete
	Name    string
}

// CharacterDeleted answers DeleteCharacter.
type CharacterDeleted struct {
	Key string
	Err error
}

// Apply commits Ops as one atomic batch (for example a character and the room it
// dropped an item in). Reply: *Applied. At most the maximum batch size of ops.
// OpDeleteCharacter in Ops does not order account loads; use *DeleteCharacter.
type Apply struct {
	ID  uint64 // chosen by the caller, echoed in Applied
	Ops []persistence.Op
}

// Applied answers Apply: Err is non-nil if the batch as a whole failed; otherwise Errs
// holds one entry per op (nil for success).
type Applied struct {
	ID   uint64
	Errs []error
	Err  error
}

// LoadAccount reads an account. Reply: *AccountLoaded.
type LoadAccount struct {
	Key string
}

// AccountLoaded answers LoadAccount; Err is persistence.ErrNotFound for no account.
type AccountLoaded struct {
	Key    string // normalized
	Record *persistence.AccountRecord
	Err    error
}

// LoadCharacter reads a character. Reply: *CharacterLoaded.
type LoadCharacter struct {
	Key string
}

// CharacterLoaded answers LoadCharacter; Err is persistence.ErrNotFound for none.
type CharacterLoaded struct {
	Key    string // normalized
	Record *persistence.CharacterRecord
	Err    error
}

// LoadRoom reads a room's saved state. Reply: *RoomLoaded.
type LoadRoom struct {
	ID string
}

// RoomLoaded answers LoadRoom; Err is persistence.ErrNotFound when the room has no
// saved state (it starts from its area file).
type RoomLoaded struct {
	ID     string // normalized
	Record *persistence.RoomRecord
	Err    error
}

// Flush asks for a reply once every write the store actor received before it has
// been committed (or has failed for good). Used at shutdown. Reply: *Flushed.
type Flush struct {
	ID uint64
}

// Flushed answers Flush. Failed counts the writes that have failed for good since the
// store actor started (each was answered with its error and logged).
type Flushed struct {
	ID     uint64
	Failed uint64
}

// Internal messages: results and timers coming back to the actor.

// commitDone reports a finished Apply of the in-flight batch.
type commitDone struct {
	errs []error
	err  error
}

// retryCommit fires when the backoff after a failed commit has passed.
type retryCommit struct{}

// readsHaveRoom tells the actor that a reader made room on the readers' channel
// while loads were waiting.
type readsHaveRoom struct{}

// expireReads fires at the deadline of the read queue's head.
type expireReads struct{}

// flushWarn fires at the end of a warning interval with refusals not yet logged.
type flushWarn struct{}
