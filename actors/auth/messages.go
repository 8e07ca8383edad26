package auth

import "errors"

// Errors answered by the auth actor.
var (
	// ErrBusy: the request was not run because the actor is overloaded: refused at
	// once (the queue is full, or the wait would exceed Config.MaxWait), or answered
	// at its deadline after waiting Config.MaxWait (then it is ErrQueueTimeout too).
	// Ask again later.
	ErrBusy = errors.New("auth: busy")
	// ErrQueueTimeout: the request waited Config.MaxWait for a hashing slot and was
	// answered without being run. It always comes with ErrBusy.
	ErrQueueTimeout = errors.New("auth: timed out waiting for a hashing slot")
	// ErrThrottled: too many recent failed logins from this address or for this
	// account; the password was not checked.
	ErrThrottled = errors.New("auth: too many failed attempts")
	// ErrPasswordTooLong: bcrypt uses only the first 72 bytes; longer passwords are
	// refused rather than silently truncated.
	ErrPasswordTooLong = errors.New("auth: password longer than 72 bytes")
	// ErrEmptyPassword: an empty password is never hashed or accepted.
	ErrEmptyPassword = errors.New("auth: empty password")
	// ErrBadHash: the stored hash is not a bcrypt hash.
	ErrBadHash = errors.New("auth: stored hash is not a valid bcrypt hash")
)

// MaxPasswordLen is bcrypt's input limit in bytes.
const MaxPasswordLen = 72

// Hash asks for a bcrypt hash of Password (for a new account or a password change).
// Reply: *Hashed. Send with ctx.Request; the password never appears in logs.
type Hash struct {
	ID       uint64 // chosen by the caller, echoed in Hashed
	Password string
}

// Hashed answers Hash: Hash is the bcrypt string to store, or Err is set.
type Hashed struct {
	ID   uint64
	Hash string
	Err  error
}

// Verify checks Password against Hash, the account's stored bcrypt hash. An empty
// Hash means the account does not exist: the actor spends the same time on a dummy
// hash and answers OK false, so timing does not reveal which names exist. Failures are
// counted per Addr and per Account for the throttle. Reply: *Verified.
type Verify struct {
	ID       uint64
	Account  string // account key; the per-account throttle key
	Addr     string // client IP; the per-address throttle key
	Password string
	Hash     string
}

// Verified answers Verify. OK is true only when the password matches. Err is set when
// the check could not be made (ErrThrottled, ErrBusy, ErrPasswordTooLong, ErrBadHash);
// a plain wrong password is OK false with Err nil. NeedsRehash reports a correct
// password whose hash uses a different cost than configured: store a fresh Hash.
type Verified struct {
	ID          uint64
	Account     string
	OK          bool
	NeedsRehash bool
	Err         error
}

// jobDone reports a finished hash or compare back to the actor.
type jobDone struct {
	j      *job
	hash   string
	ok     bool
	rehash bool
	err    error
}

// expire fires at the deadline of the queue's head.
type expire struct{}

// flushWarn fires at the end of a warning interval with refusals not yet logged.
type flushWarn struct{}

// prune fires periodically to drop expired throttle entries.
type prune struct{}
