package persistence

import "errors"

// Sentinel errors. Implementations wrap them with %w, callers test them with errors.Is.
var (
	// ErrNotFound: no record is stored under the key.
	ErrNotFound = errors.New("persistence: not found")
	// ErrExists: a conditional create found the key taken (case-insensitively).
	ErrExists = errors.New("persistence: already exists")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("persistence: store closed")
	// ErrInvalid: a record or op is malformed (empty or over-long key, key that does not
	// match the display name, over-deep item nesting, unknown op).
	ErrInvalid = errors.New("persistence: invalid record")
	// ErrTooLarge: an encoded record is larger than MaxRecordSize.
	ErrTooLarge = errors.New("persistence: record too large")
	// ErrCorrupt: stored bytes do not decode as the record kind they claim to be.
	ErrCorrupt = errors.New("persistence: corrupt record")
	// ErrTooNew: stored data (a record or the store file) was written by a newer schema
	// or format version than this binary understands; it is refused, never rewritten.
	ErrTooNew = errors.New("persistence: written by a newer version")
)
