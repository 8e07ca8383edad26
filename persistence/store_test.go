package persistence_test

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/persistence/storetest"
	bolt "go.etcd.io/bbolt"
)

func TestMemoryStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) persistence.Store { return persistence.NewMemory() })
}

func TestBoltStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) persistence.Store {
		st, err := persistence.OpenBolt(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

func TestBoltReopen(t *testing.T) {
	dir := t.TempDir()
	st, err := persistence.OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := st.Apply(context.Background(), []persistence.Op{
		persistence.Create(storetest.Account("Persist")),
		persistence.CreateCharacter("persist", storetest.Character("Stayer", "")),
	})
	if err != nil || errs[0] != nil || errs[1] != nil {
		t.Fatalf("Apply = %v, %v", errs, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = persistence.OpenBolt(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	acct, err := st.GetAccount(context.Background(), "PERSIST")
	if err != nil || len(acct.Characters) != 1 || acct.Characters[0] != "Stayer" {
		t.Fatalf("after reopen: %+v, %v", acct, err)
	}
	// The name stays taken across restarts.
	errs, err = st.Apply(context.Background(), []persistence.Op{persistence.Create(storetest.Account("persist"))})
	if err != nil || !errors.Is(errs[0], persistence.ErrExists) {
		t.Fatalf("create after reopen = %v, %v; want ErrExists", errs, err)
	}
}

func TestBoltLocked(t *testing.T) {
	dir := t.TempDir()
	st, err := persistence.OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// A second opener (another server on the same data dir) fails instead of hanging.
	if st2, err := persistence.OpenBolt(dir); err == nil {
		st2.Close()
		t.Fatal("second OpenBolt of a locked store succeeded")
	}
}

func TestBoltFormatTooNew(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, persistence.BoltFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), binary.BigEndian.AppendUint64(nil, persistence.BoltFormat+1))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, err := persistence.OpenBolt(dir); !errors.Is(err, persistence.ErrTooNew) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("OpenBolt of a newer format = %v, want ErrTooNew", err)
	}
}

func TestBoltNotADatabase(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, persistence.BoltFile), []byte("this is not a bbolt file at all, just text"), 0o600); err != nil {
		t.Fatal(err)
	}
	if st, err := persistence.OpenBolt(dir); err == nil {
		st.Close()
		t.Fatal("OpenBolt of garbage succeeded")
	}
}

func TestBoltCorruptRecord(t *testing.T) {
	dir := t.TempDir()
	st, err := persistence.OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := bolt.Open(filepath.Join(dir, persistence.BoltFile), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("characters")).Put([]byte("broken"), []byte{0x93, 0x01})
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err = persistence.OpenBolt(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.GetCharacter(context.Background(), "broken"); !errors.Is(err, persistence.ErrCorrupt) {
		t.Errorf("GetCharacter(broken) = %v, want ErrCorrupt", err)
	}
	// A corrupt record can still be deleted; DeleteCharacter refuses to guess its account.
	errs, err := st.Apply(context.Background(), []persistence.Op{persistence.DeleteCharacter("broken"), persistence.Delete(persistence.KindCharacter, "broken")})
	if err != nil || !errors.Is(errs[0], persistence.ErrCorrupt) || errs[1] != nil {
		t.Fatalf("delete corrupt = %v, %v", errs, err)
	}
}
