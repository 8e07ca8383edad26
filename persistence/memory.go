package persistence

import (
	"context"
	"fmt"
	"maps"
	"sync"
)

// Memory is an in-memory Store with the same semantics as the bbolt store, for tests.
// It keeps records encoded, so callers can never alias or mutate stored state, and
// encoding errors surface exactly as they would on disk. Safe for concurrent use.
type Memory struct {
	mu     sync.RWMutex
	data   map[RecordKey][]byte // guarded by mu; values are never modified in place
	closed bool                 // guarded by mu
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{data: make(map[RecordKey][]byte)}
}

func (m *Memory) getRaw(ctx context.Context, kind Kind, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key = NormalizeKey(key)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	b, ok := m.data[RecordKey{kind, key}]
	if !ok {
		return nil, fmt.Errorf("%w: %s %q", ErrNotFound, kind, key)
	}
	return b, nil
}

// GetAccount implements Store.
func (m *Memory) GetAccount(ctx context.Context, key string) (*AccountRecord, error) {
	b, err := m.getRaw(ctx, KindAccount, key)
	if err != nil {
		return nil, err
	}
	return DecodeAccount(b)
}

// GetCharacter implements Store.
func (m *Memory) GetCharacter(ctx context.Context, key string) (*CharacterRecord, error) {
	b, err := m.getRaw(ctx, KindCharacter, key)
	if err != nil {
		return nil, err
	}
	return DecodeCharacter(b)
}

// GetRoom implements Store.
func (m *Memory) GetRoom(ctx context.Context, id string) (*RoomRecord, error) {
	b, err := m.getRaw(ctx, KindRoom, id)
	if err != nil {
		return nil, err
	}
	return DecodeRoom(b)
}

// Apply implements Store. The batch is staged in an overlay and published at once, so
// readers see all of it or none of it.
func (m *Memory) Apply(ctx context.Context, ops []Op) ([]error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	tx := &memTxn{base: m.data, overlay: make(map[RecordKey][]byte)}
	errs, err := applyOps(tx, ops)
	if err != nil {
		return nil, err
	}
	for k, v := range tx.overlay {
		if v == nil {
			delete(m.data, k)
		} else {
			m.data[k] = v
		}
	}
	return errs, nil
}

// Len reports the number of stored records (for tests).
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.data)
}

// Snapshot returns a copy of the raw encoded records (for tests).
func (m *Memory) Snapshot() map[RecordKey][]byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return maps.Clone(m.data)
}

// Close implements Store.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

// memTxn stages writes; a nil overlay value marks a deletion.
type memTxn struct {
	base    map[RecordKey][]byte
	overlay map[RecordKey][]byte
}

func (t *memTxn) get(kind Kind, key string) ([]byte, error) {
	k := RecordKey{kind, key}
	if v, ok := t.overlay[k]; ok {
		return v, nil
	}
	return t.base[k], nil
}

func (t *memTxn) put(kind Kind, key string, val []byte) error {
	t.overlay[RecordKey{kind, key}] = val
	return nil
}

func (t *memTxn) del(kind Kind, key string) error {
	t.overlay[RecordKey{kind, key}] = nil
	return nil
}
