package persistence

import (
	"fmt"
	"slices"
)

// txn is the view of one write transaction that the shared apply logic needs. Both
// stores implement it, so conditional-create and character bookkeeping semantics are
// written once. get returns (nil, nil) for an absent key. An error from any method is
// fatal to the whole batch.
type txn interface {
	get(kind Kind, key string) ([]byte, error)
	put(kind Kind, key string, val []byte) error
	del(kind Kind, key string) error
}

// applyOps runs ops in order against tx. Per-op failures land in the returned slice and
// leave no trace in tx; a fatal error aborts the batch (the caller rolls back).
func applyOps(tx txn, ops []Op) ([]error, error) {
	errs := make([]error, len(ops))
	for i, op := range ops {
		opErr, fatal := applyOp(tx, op)
		if fatal != nil {
			return nil, fatal
		}
		errs[i] = opErr
	}
	return errs, nil
}

// applyOp runs one op: every check and encode happens before the first write, so a
// failed op writes nothing.
func applyOp(tx txn, op Op) (opErr, fatal error) {
	if err := checkOp(op); err != nil {
		return err, nil
	}
	switch op.Type {
	case OpPut, OpCreate:
		rec := op.Record
		key := rec.StorageKey()
		if op.Type == OpCreate {
			old, err := tx.get(rec.Kind(), key)
			if err != nil {
				return nil, err
			}
			if old != nil {
				return fmt.Errorf("%w: %s %q", ErrExists, rec.Kind(), key), nil
			}
		}
		val, err := Encode(rec)
		if err != nil {
			return err, nil
		}
		return nil, tx.put(rec.Kind(), key, val)

	case OpDelete:
		return nil, tx.del(op.Kind, op.Key)

	case OpCreateCharacter:
		ch := *op.Record.(*CharacterRecord) // copy: the caller's record is never modified
		key := ch.StorageKey()
		if ch.Account != "" && NormalizeKey(ch.Account) != op.Key {
			return fmt.Errorf("%w: character %q names account %q, op names %q", ErrInvalid, key, ch.Account, op.Key), nil
		}
		ch.Account = op.Key
		old, err := tx.get(KindCharacter, key)
		if err != nil {
			return nil, err
		}
		if old != nil {
			return fmt.Errorf("%w: character %q", ErrExists, key), nil
		}
		rawAcct, err := tx.get(KindAccount, op.Key)
		if err != nil {
			return nil, err
		}
		if rawAcct == nil {
			return fmt.Errorf("%w: account %q", ErrNotFound, op.Key), nil
		}
		acct, err := DecodeAccount(rawAcct)
		if err != nil {
			return fmt.Errorf("account %q: %w", op.Key, err), nil
		}
		acct.Characters = append(acct.Characters, ch.Name)
		chVal, err := Encode(&ch)
		if err != nil {
			return err, nil
		}
		acctVal, err := Encode(acct)
		if err != nil {
			return err, nil
		}
		if err := tx.put(KindCharacter, key, chVal); err != nil {
			return nil, err
		}
		return nil, tx.put(KindAccount, op.Key, acctVal)

	case OpDeleteCharacter:
		raw, err := tx.get(KindCharacter, op.Key)
		if err != nil || raw == nil {
			return nil, err
		}
		ch, err := DecodeCharacter(raw)
		if err != nil {
			return fmt.Errorf("character %q: %w (use Delete to remove it)", op.Key, err), nil
		}
		var acctVal []byte
		if ch.Account != "" {
			rawAcct, err := tx.get(KindAccount, ch.Account)
			if err != nil {
				return nil, err
			}
			if rawAcct != nil {
				acct, err := DecodeAccount(rawAcct)
				if err != nil {
					return fmt.Errorf("account %q: %w", ch.Account, err), nil
				}
				acct.Characters = slices.DeleteFunc(acct.Characters, func(n string) bool { return NormalizeKey(n) == op.Key })
				if acctVal, err = Encode(acct); err != nil {
					return err, nil
				}
			}
		}
		if acctVal != nil {
			if err := tx.put(KindAccount, ch.Account, acctVal); err != nil {
				return nil, err
			}
		}
		return nil, tx.del(KindCharacter, op.Key)
	}
	return fmt.Errorf("%w: unknown op type %v", ErrInvalid, op.Type), nil
}
