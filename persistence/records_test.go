package persistence_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/persistence/storetest"
	"github.com/vmihailenco/msgpack/v5"
)

var update = flag.Bool("update", false, "rewrite the golden files of the current schema versions in testdata/store")

const goldenDir = "../testdata/store"

func TestRecordRoundTrip(t *testing.T) {
	acct := storetest.Account("Alice")
	acct.Characters = []string{"Zed"}
	acct.FailedLogins = 2
	tests := []struct {
		name   string
		rec    persistence.Record
		decode func([]byte) (persistence.Record, error)
	}{
		{"account", acct, func(b []byte) (persistence.Record, error) { return persistence.DecodeAccount(b) }},
		{"character", storetest.Character("Zed", "alice"), func(b []byte) (persistence.Record, error) { return persistence.DecodeCharacter(b) }},
		{"empty character", &persistence.CharacterRecord{Name: "Bare"}, func(b []byte) (persistence.Record, error) { return persistence.DecodeCharacter(b) }},
		{"room", &persistence.RoomRecord{ID: "Zone:1", Items: []persistence.ItemRecord{{ID: "a", Proto: "b", Overrides: map[string]string{"z": "1", "a": "2"}}}},
			func(b []byte) (persistence.Record, error) { return persistence.DecodeRoom(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := persistence.Encode(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.decode(b)
			if err != nil {
				t.Fatal(err)
			}
			b2, err := persistence.Encode(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, b2) {
				t.Errorf("re-encoding the decoded record changed the bytes")
			}
			if got.StorageKey() != tt.rec.StorageKey() {
				t.Errorf("key %q, want %q", got.StorageKey(), tt.rec.StorageKey())
			}
		})
	}
}

func TestEncodeDoesNotModifyCaller(t *testing.T) {
	ch := storetest.Character("Quill", "a")
	before := *ch
	if _, err := persistence.Encode(ch); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*ch, before) {
		t.Errorf("Encode modified its argument")
	}
}

func TestSchemaVersions(t *testing.T) {
	enc := func(v any) []byte {
		b, err := msgpack.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name    string
		raw     []byte
		decode  func([]byte) error
		wantErr error
	}{
		{"account from the future", enc(map[string]any{"v": persistence.AccountSchema + 1, "name": "X"}),
			func(b []byte) error { _, err := persistence.DecodeAccount(b); return err }, persistence.ErrTooNew},
		{"character from the future", enc(map[string]any{"v": persistence.CharacterSchema + 1, "name": "X"}),
			func(b []byte) error { _, err := persistence.DecodeCharacter(b); return err }, persistence.ErrTooNew},
		{"room from the future", enc(map[string]any{"v": persistence.RoomSchema + 1, "id": "x"}),
			func(b []byte) error { _, err := persistence.DecodeRoom(b); return err }, persistence.ErrTooNew},
		{"no version", enc(map[string]any{"name": "X"}),
			func(b []byte) error { _, err := persistence.DecodeAccount(b); return err }, persistence.ErrCorrupt},
		{"garbage", []byte{0xc1, 0xff, 0x00},
			func(b []byte) error { _, err := persistence.DecodeCharacter(b); return err }, persistence.ErrCorrupt},
		{"truncated", func() []byte { b, _ := persistence.Encode(storetest.Character("T", "a")); return b[:len(b)/2] }(),
			func(b []byte) error { _, err := persistence.DecodeCharacter(b); return err }, persistence.ErrCorrupt},
		{"wrong type", enc(map[string]any{"v": 1, "name": 42}),
			func(b []byte) error { _, err := persistence.DecodeAccount(b); return err }, persistence.ErrCorrupt},
		{"unknown fields ignored", enc(map[string]any{"v": 1, "name": "New", "future_field": []int{1, 2}}),
			func(b []byte) error { _, err := persistence.DecodeAccount(b); return err }, nil},
		{"missing fields defaulted", enc(map[string]any{"v": 2, "name": "Sparse"}),
			func(b []byte) error {
				r, err := persistence.DecodeCharacter(b)
				if err == nil && (r.Key != "sparse" || r.Level != 0 || r.Inventory != nil) {
					t.Errorf("sparse record decoded as %+v", r)
				}
				return err
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode(tt.raw)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestEncodeTooLarge(t *testing.T) {
	r := &persistence.RoomRecord{ID: "big:1"}
	for i := range persistence.MaxRecordSize / 32 {
		r.Items = append(r.Items, persistence.ItemRecord{ID: persistence.NewItemID(), Proto: string(rune('a' + i%26))})
	}
	if _, err := persistence.Encode(r); !errors.Is(err, persistence.ErrTooLarge) {
		t.Errorf("Encode of a huge room = %v, want ErrTooLarge", err)
	}
}

func TestNewItemIDUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := persistence.NewItemID()
		if len(id) != 32 || seen[id] {
			t.Fatalf("bad or duplicate id %q", id)
		}
		seen[id] = true
	}
}

// TestGoldenCharacterV1 loads a character written by schema v1 (flat hp/mp, no
// movement points, a since-dropped "title" field). This file is history: -update
// never rewrites it.
func TestGoldenCharacterV1(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(goldenDir, "character_v1.msgpack"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := persistence.DecodeCharacter(b)
	if err != nil {
		t.Fatalf("v1 character no longer loads: %v", err)
	}
	want := &persistence.CharacterRecord{
		Schema: persistence.CharacterSchema, Name: "Oldtimer", Key: "oldtimer", Account: "veteran",
		Room: "midgaard:3014", Description: "Weathered and patient.",
		Vitals: persistence.Vitals{HP: 42, MaxHP: 50, MP: 7, MaxMP: 12, MV: persistence.DefaultMaxMV, MaxMV: persistence.DefaultMaxMV},
		Level:  11,
		Inventory: []persistence.ItemRecord{
			{ID: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", Proto: "midgaard:3020", Count: 1},
			{ID: "1f1e2d3c4b5a69788796a5b4c3d2e1f0", Proto: "midgaard:3032", Contents: []persistence.ItemRecord{
				{ID: "2f1e2d3c4b5a69788796a5b4c3d2e1f0", Proto: "midgaard:3010", Count: 12, Overrides: map[string]string{"short": "a dozen loaves"}}}},
		},
		Equipment:     []persistence.ItemRecord{{ID: "3f1e2d3c4b5a69788796a5b4c3d2e1f0", Proto: "midgaard:3042", Slot: "body"}},
		Created:       time.Date(2019, 6, 1, 12, 0, 0, 0, time.UTC),
		LastSeen:      time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC),
		PlayedSeconds: 987654,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("v1 character migrated to\n%+v\nwant\n%+v", got, want)
	}
}

// TestGoldenCurrent pins the encoding of the current schema versions: decoding each
// golden must give the fixture, and encoding the fixture must give the golden bytes.
// Run with -update after a deliberate schema change (and bump the schema version and
// keep the old golden as history, as character_v1.msgpack is).
func TestGoldenCurrent(t *testing.T) {
	acct := storetest.Account("Veteran")
	acct.Characters = []string{"Oldtimer", "Newbie"}
	acct.LastLogin = time.Date(2024, 7, 8, 9, 10, 11, 0, time.UTC)
	acct.LastAddr = "192.0.2.7"
	room := &persistence.RoomRecord{ID: "midgaard:3001", Items: []persistence.ItemRecord{
		{ID: "4f1e2d3c4b5a69788796a5b4c3d2e1f0", Proto: "midgaard:3005", Overrides: map[string]string{"long": "A torch burns here.", "keywords": "torch"}},
	}}
	tests := []struct {
		file   string
		rec    persistence.Record
		decode func([]byte) (persistence.Record, error)
	}{
		{"account_v1.msgpack", acct, func(b []byte) (persistence.Record, error) { return persistence.DecodeAccount(b) }},
		{"character_v2.msgpack", storetest.Character("Newbie", "veteran"), func(b []byte) (persistence.Record, error) { return persistence.DecodeCharacter(b) }},
		{"room_v1.msgpack", room, func(b []byte) (persistence.Record, error) { return persistence.DecodeRoom(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(goldenDir, tt.file)
			enc, err := persistence.Encode(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(path, enc, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(enc, golden) {
				t.Errorf("encoding differs from %s: a schema change needs a version bump (then -update)", tt.file)
			}
			got, err := tt.decode(golden)
			if err != nil {
				t.Fatal(err)
			}
			reenc, err := persistence.Encode(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(reenc, golden) {
				t.Errorf("decode(%s) does not re-encode to the same bytes", tt.file)
			}
		})
	}
}
