package persistence

import (
	"context"
	"fmt"
)

// Store is durable storage for accounts, characters and room state.
//
// It is designed for one writer (the store actor, which batches everyone's saves into
// Apply calls) and any number of concurrent readers. Records handed to Apply and
// returned by the getters are never shared with the store: it keeps its own encoded
// copy, and every Get returns a fresh value the caller may modify.
//
// Keys are case-insensitive: getters normalize the key they are given (NormalizeKey),
// records are stored under their normalized key and keep their display name.
//
// Nothing in the interface names the embedded engine, so a networked implementation
// can replace it; RunStoreSuite in persistence/storetest is the contract.
type Store interface {
	// GetAccount returns the account stored under key, or ErrNotFound.
	GetAccount(ctx context.Context, key string) (*AccountRecord, error)
	// GetCharacter returns the character stored under key, or ErrNotFound.
	GetCharacter(ctx context.Context, key string) (*CharacterRecord, error)
	// GetRoom returns the room state stored under id, or ErrNotFound.
	GetRoom(ctx context.Context, id string) (*RoomRecord, error)

	// Apply runs ops in order as one atomic, durable batch: when it returns a nil
	// error, every op that succeeded is on stable storage (fsynced) and survives a
	// crash; when it returns a non-nil error, nothing in the batch was applied.
	//
	// An op whose condition fails (a create whose key exists, a character create whose
	// account is missing) or whose record is invalid fails alone: its entry in the
	// returned slice (one per op, same order) is non-nil, it has no effect, and the
	// other ops still apply. Later ops see the effects of earlier successful ones.
	Apply(ctx context.Context, ops []Op) ([]error, error)

	// Close releases the store. Calls after Close fail with ErrClosed.
	Close() error
}

// OpType says what an Op does.
type OpType uint8

// Op types.
const (
	// OpPut stores Record, replacing any record under its key.
	OpPut OpType = iota + 1
	// OpCreate stores Record only if its key is absent; otherwise the op fails with
	// ErrExists. Account and character names stay unique this way even when two
	// players race for the same name: the single writer serializes the checks.
	OpCreate
	// OpDelete removes the record of kind Kind under Key; deleting an absent key is
	// not an error.
	OpDelete
	// OpCreateCharacter creates Record (a *CharacterRecord) if its name is free, and
	// appends its display name to the characters of account Key, atomically: either
	// both happen or neither. Fails with ErrExists (name taken) or ErrNotFound (no
	// such account).
	OpCreateCharacter
	// OpDeleteCharacter deletes the character Key and removes it from its account's
	// character list, atomically. An absent character is not an error.
	OpDeleteCharacter
)

// String returns the op type's name.
func (t OpType) String() string {
	switch t {
	case OpPut:
		return "put"
	case OpCreate:
		return "create"
	case OpDelete:
		return "delete"
	case OpCreateCharacter:
		return "create_character"
	case OpDeleteCharacter:
		return "delete_character"
	}
	return fmt.Sprintf("op(%d)", uint8(t))
}

// Op is one write in an Apply batch. Build ops with Put, Create, Delete,
// CreateCharacter and DeleteCharacter rather than by hand. An Op and its Record must
// not be modified once handed to Apply (or sent to the store actor).
type Op struct {
	// Type is what the op does.
	Type OpType
	// Kind is the key space (for OpDelete; derived from Record otherwise).
	Kind Kind
	// Key is the normalized key for OpDelete and OpDeleteCharacter, and the account
	// key for OpCreateCharacter.
	Key string
	// Record is the record to store (OpPut, OpCreate, OpCreateCharacter).
	Record Record
}

// Put returns an op that stores rec, replacing what is under its key.
func Put(rec Record) Op { return Op{Type: OpPut, Kind: kindOf(rec), Record: rec} }

// Create returns an op that stores rec only if its key is free (else ErrExists).
func Create(rec Record) Op { return Op{Type: OpCreate, Kind: kindOf(rec), Record: rec} }

// Delete returns an op that removes the record of kind under key.
func Delete(kind Kind, key string) Op {
	return Op{Type: OpDelete, Kind: kind, Key: NormalizeKey(key)}
}

// CreateCharacter returns an op that creates ch under a unique name and appends it to
// account's character list in the same atomic step.
func CreateCharacter(account string, ch *CharacterRecord) Op {
	return Op{Type: OpCreateCharacter, Kind: KindCharacter, Key: NormalizeKey(account), Record: ch}
}

// DeleteCharacter returns an op that deletes the character and removes it from its
// account's list.
func DeleteCharacter(name string) Op {
	return Op{Type: OpDeleteCharacter, Kind: KindCharacter, Key: NormalizeKey(name)}
}

// Keys reports the (kind, key) pairs the op may write; the store actor uses it to order
// reads after pending writes of the same key.
func (o Op) Keys() []RecordKey {
	switch o.Type {
	case OpPut, OpCreate:
		if !isNilRecord(o.Record) {
			return []RecordKey{{o.Record.Kind(), o.Record.StorageKey()}}
		}
	case OpDelete:
		return []RecordKey{{o.Kind, o.Key}}
	case OpCreateCharacter:
		if !isNilRecord(o.Record) {
			return []RecordKey{{KindCharacter, o.Record.StorageKey()}, {KindAccount, o.Key}}
		}
	case OpDeleteCharacter:
		// The account is found only inside the store; the actor treats the character
		// key as the op's key and account reads are ordered by account saves.
		return []RecordKey{{KindCharacter, o.Key}}
	}
	return nil
}

// RecordKey names one record: its kind and normalized key.
type RecordKey struct {
	Kind Kind
	Key  string
}

func kindOf(rec Record) Kind {
	if isNilRecord(rec) {
		return 0
	}
	return rec.Kind()
}

// checkOp validates the parts of an op that do not depend on stored state.
func checkOp(o Op) error {
	switch o.Type {
	case OpPut, OpCreate:
		return validate(o.Record)
	case OpDelete:
		if o.Kind < KindAccount || o.Kind > KindRoom {
			return fmt.Errorf("%w: delete of unknown kind %v", ErrInvalid, o.Kind)
		}
		return checkKey(o.Key)
	case OpCreateCharacter:
		if ch, ok := o.Record.(*CharacterRecord); !ok || ch == nil {
			return fmt.Errorf("%w: create_character needs a *CharacterRecord, got %T", ErrInvalid, o.Record)
		}
		if err := checkKey(o.Key); err != nil {
			return err
		}
		return validate(o.Record)
	case OpDeleteCharacter:
		return checkKey(o.Key)
	}
	return fmt.Errorf("%w: unknown op type %v", ErrInvalid, o.Type)
}

// isNilRecord reports whether rec is nil or a typed nil pointer.
func isNilRecord(rec Record) bool {
	switch r := rec.(type) {
	case nil:
		return true
	case *AccountRecord:
		return r == nil
	case *CharacterRecord:
		return r == nil
	case *RoomRecord:
		return r == nil
	}
	return false
}
