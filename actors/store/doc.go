// Package store is the store actor: the single writer in front of a
// persistence.Store. It turns many actors' saves into few durable commits, and
// acknowledges a save only once it is on disk.
//
// Group commit. Writes queue in the actor. When no commit is running, the queue (up to
// the maximum batch size, whole requests only) becomes one batch and is handed to a
// goroutine that calls Store.Apply, a single fsynced transaction. Writes arriving
// meanwhile wait for the next batch, so batch size adapts to load: one save alone
// commits at once, a thousand concurrent saves share one fsync. The commit's result
// returns to the actor as a message and every requester is answered; Receive never
// blocks on disk.
//
// Failure. A batch whose Apply fails as a whole is retried with exponential backoff,
// scheduled by a timer that sends the actor a message (no sleep), and logged; after the
// last retry every requester gets the error and it is logged at error level. A
// per-op failure (name taken, invalid record) is not retried: it is the answer. A full
// queue answers ErrBusy at once instead of growing without bound. Nothing is dropped
// silently.
//
// Reads. Loads run on a small pool of reader goroutines with a bounded queue and answer
// the requester directly. A load of a key with a write still queued or in flight waits
// until that write is committed, so a load always sees the saves the actor received
// before it (a quit followed by an immediate reconnect loads the quit's save).
//
// Shutdown. Send *Flush and wait for *Flushed before stopping the actor: everything
// received before the Flush is then durable. Writes still queued when the actor stops
// are answered ErrStopped; a commit running at that moment still completes but its
// writers get no reply, which is logged.
//
// The actor does not own the Store and never closes it. A batch with more than the
// maximum ops (a single *Apply) is refused with ErrBatchTooLarge.
package store
