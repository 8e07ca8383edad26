package persistence

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// BoltFile is the name of the store's single file inside its data directory.
const BoltFile = "troupe.db"

// BoltFormat is the on-disk format version of the bbolt store (bucket layout and key
// encoding, not record schemas), kept in the meta bucket. A file with a newer format is
// refused with ErrTooNew.
const BoltFormat = 1

var (
	bucketMeta = []byte("meta")
	keyFormat  = []byte("format")
	buckets    = map[Kind][]byte{
		KindAccount:   []byte("accounts"),
		KindCharacter: []byte("characters"),
		KindRoom:      []byte("rooms"),
	}
)

// Bolt is the embedded default Store: one bbolt file in a data directory, one fsynced
// transaction per Apply. bbolt's copy-on-write pages and double meta page make every
// committed transaction survive kill -9 or power loss, and a file whose last
// transaction was interrupted opens at the previous commit.
type Bolt struct {
	db   *bolt.DB // immutable after OpenBolt; safe for concurrent use
	path string   // immutable
}

var _ Store = (*Bolt)(nil)

// OpenBolt opens (creating if needed) the store in dir. It fails, rather than waits,
// if another process holds the file (after one second), and with ErrTooNew if a newer
// binary wrote it.
func OpenBolt(dir string) (*Bolt, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("persistence: create data dir: %w", err)
	}
	path := filepath.Join(dir, BoltFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: time.Second,
		// The freelist is rebuilt on open instead of written each commit: fewer pages
		// per fsync, which is what batch commit latency is made of.
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("persistence: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if v := meta.Get(keyFormat); v != nil {
			if len(v) != 8 {
				return fmt.Errorf("%w: meta format value of %d bytes", ErrCorrupt, len(v))
			}
			if f := binary.BigEndian.Uint64(v); f > BoltFormat {
				return fmt.Errorf("%w: store format %d > %d", ErrTooNew, f, BoltFormat)
			}
		} else if err := meta.Put(keyFormat, binary.BigEndian.AppendUint64(nil, BoltFormat)); err != nil {
			return err
		}
		for _, name := range buckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("persistence: initialise %s: %w", path, err)
	}
	return &Bolt{db: db, path: path}, nil
}

// Path reports the store file's path.
func (b *Bolt) Path() string { return b.path }

func mapBoltErr(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return fmt.Errorf("%w: %v", ErrClosed, err)
	}
	return err
}

func (b *Bolt) get(ctx context.Context, kind Kind, key string) (Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key = NormalizeKey(key)
	var rec Record
	err := b.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(buckets[kind]).Get([]byte(key))
		if v == nil {
			return fmt.Errorf("%w: %s %q", ErrNotFound, kind, key)
		}
		var err error
		rec, err = decode(kind, v) // decodes copy out of the mmap before View returns
		return err
	})
	if err != nil {
		return nil, mapBoltErr(err)
	}
	return rec, nil
}

// GetAccount implements Store.
func (b *Bolt) GetAccount(ctx context.Context, key string) (*AccountRecord, error) {
	r, err := b.get(ctx, KindAccount, key)
	if err != nil {
		return nil, err
	}
	return r.(*AccountRecord), nil
}

// GetCharacter implements Store.
func (b *Bolt) GetCharacter(ctx context.Context, key string) (*CharacterRecord, error) {
	r, err := b.get(ctx, KindCharacter, key)
	if err != nil {
		return nil, err
	}
	return r.(*CharacterRecord), nil
}

// GetRoom implements Store.
func (b *Bolt) GetRoom(ctx context.Context, id string) (*RoomRecord, error) {
	r, err := b.get(ctx, KindRoom, id)
	if err != nil {
		return nil, err
	}
	return r.(*RoomRecord), nil
}

// Apply implements Store: one bbolt read-write transaction, fsynced on commit.
func (b *Bolt) Apply(ctx context.Context, ops []Op) ([]error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var errs []error
	err := b.db.Update(func(tx *bolt.Tx) error {
		var err error
		errs, err = applyOps(boltTxn{tx}, ops)
		return err
	})
	if err != nil {
		return nil, mapBoltErr(err)
	}
	return errs, nil
}

// Close implements Store; it waits for a running Apply to finish.
func (b *Bolt) Close() error {
	return b.db.Close()
}

type boltTxn struct{ tx *bolt.Tx }

func (t boltTxn) get(kind Kind, key string) ([]byte, error) {
	bk := buckets[kind]
	if bk == nil {
		return nil, fmt.Errorf("%w: unknown kind %v", ErrInvalid, kind)
	}
	return t.tx.Bucket(bk).Get([]byte(key)), nil
}

func (t boltTxn) put(kind Kind, key string, val []byte) error {
	return t.tx.Bucket(buckets[kind]).Put([]byte(key), val)
}

func (t boltTxn) del(kind Kind, key string) error {
	return t.tx.Bucket(buckets[kind]).Delete([]byte(key))
}
