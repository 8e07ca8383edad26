// Package auth is the auth actor: bcrypt password hashing off the connection actors,
// with bounded concurrency, and a throttle on failed logins.
//
// Hashing. Each *Hash or *Verify runs bcrypt in its own goroutine, at most
// Config.MaxConcurrent at once (default half the CPUs, so logins cannot starve the game
// of CPU). Jobs past that wait in a FIFO in the actor, up to Config.MaxQueue; past that
// the request is answered ErrBusy at once. The result comes back to the actor as a
// message, which answers the requester. Passwords are never logged; passwords over
// bcrypt's 72-byte limit are refused with ErrPasswordTooLong instead of being silently
// truncated. Config.InsecureFastHash (bcrypt.MinCost) is for tests and load runs and
// logs a warning at start. A correct password under a hash of another cost answers
// NeedsRehash so the caller can store a fresh hash.
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
