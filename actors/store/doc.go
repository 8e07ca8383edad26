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
// queue (DefaultMaxQueue ops) answers ErrBusy at once instead of growing without
// bound. Nothing is dropped silently.
//
// Reads. Loads run on a small pool of reader goroutines and answer the requester
// directly. A load of a key with a write still queued or in flight waits until that
// write is committed, so a load always sees the saves the actor received before it (a
// quit followed by an immediate reconnect loads the quit's save).
//
// Read queue. Bursts of loads queue rather than being refused: when a game starts,
// every room of the world asks for its state at once, and a login storm loads
// accounts and characters by the hundred per second. Loads are taken in arrival
// order. A load goes straight onto the readers' channel (at most 1024 deep) while it
// has room, and otherwise waits in a FIFO in the actor; both together are bounded by
// the read queue's count (WithReaders, default DefaultReadQueue = 65,536, about 10 MB
// at most), past which a load is answered ErrBusy at once. Each load the actor
// receives tops the channel up from the FIFO, and while the FIFO is non-empty the
// reader that takes the channel down to half full sends the actor one message to top
// it up again; there is no message per load. A load still in the FIFO at its deadline
// (WithReadWait, default 10 s: the disk has stalled) is answered then with ErrBusy and
// ErrQueueTimeout, from one timer for the head's deadline, even if every reader is
// stuck; a load on the channel is run. Callers treat ErrBusy as "ask again later" (a
// room retries with backoff rather than fall back to its area file).
//
// Overload warnings. Refused writes, refused loads and timed-out loads are logged as
// one warning line with counts, at most once per WithWarnInterval (default 5 s); a
// timer message flushes the last count, so none is lost and a storm does not flood
// the log.
//
// Shutdown. Send *Flush and wait for *Flushed before stopping the actor: everything
// received before the Flush is then durable. Writes still queued when the actor stops
// are answered ErrStopped; a commit running at that moment still completes but its
// writers get no reply, which is logged.
//
// The actor does not own the Store and never closes it. A batch with more than the
// maximum ops (a single *Apply) is refused with ErrBatchTooLarge.
package store
