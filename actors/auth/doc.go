// Package auth is the auth actor: bcrypt password hashing off the connection actors,
// with bounded concurrency, and a throttle on failed logins.
//
// Hashing. Each *Hash or *Verify runs bcrypt in its own goroutine, at most
// Config.MaxConcurrent at once (default half the CPUs, so logins cannot starve the game
// of CPU). The result comes back to the actor as a message, which answers the
// requester. Passwords are never logged; passwords over
// bcrypt's 72-byte limit are refused with ErrPasswordTooLong instead of being silently
// truncated. Config.InsecureFastHash (bcrypt.MinCost) is for tests and load runs and
// logs a warning at start. A correct password under a hash of another cost answers
// NeedsRehash so the caller can store a fresh hash.
//
// Queueing. A login storm waits rather than being refused. Requests past the running
// slots wait in a FIFO in the actor and start in arrival order as slots free up. The
// queue is bounded twice: by time and, to keep memory bounded, by count. The actor
// keeps a moving average of how long a hash takes; a request that would wait longer
// than Config.MaxWait (default 60 s: a hundred accounts created at once with real
// bcrypt on one slot drain in about 30 s) is answered ErrBusy at once, and so is one
// arriving when Config.MaxQueue requests wait already (default 10,000, a few MB). A
// queued request still waiting at its deadline, because hashes got slower than
// measured, is answered then with ErrBusy and ErrQueueTimeout and is not run. One
// timer, for the queue head's deadline, serves the whole queue. ErrBusy means "ask
// again later": the login handlers tell the player the server is busy. Refusals and
// timeouts are logged as one warning with counts, at most once per
// Config.WarnInterval (default 5 s); a timer message flushes the last count, so none
// is lost and a storm does not flood the log.
//
// Unknown accounts. A *Verify with an empty Hash spends the same bcrypt work on a dummy
// hash and answers OK false, so response time does not reveal which names exist, and
// the failure counts for the throttle like any other.
//
// Throttle. Failed verifies are counted per client address and per account, each in a
// table bounded to Config.ThrottleEntries (the least recently failed entry is evicted).
// With Config.MaxFailures failures inside Config.FailureWindow (default 5 in 5
// minutes), further verifies for that address or account are answered ErrThrottled
// without hashing, until the oldest failure leaves the window (a sliding window). Expiry
// is checked on use, and a periodic prune message drops idle entries; there is no
// goroutine or timer per entry. A successful login clears its account's count but not
// its address's, so one known password cannot reset a guessing run against others.
package auth
