// Package storetest is the behavioural contract of persistence.Store: one suite that
// every implementation (the in-memory store, the bbolt store, a future networked store)
// must pass, plus small fixtures shared by tests of the store's users.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/persistence"
)

// Factory returns a new, empty store; the suite closes it.
type Factory func(t *testing.T) persistence.Store

// Account returns a valid account record named name.
func Account(name string) *persistence.AccountRecord {
	return &persistence.AccountRecord{
		Name:         name,
		PasswordHash: "$2a$04$abcdefghijklmnopqrstuu2Q6w1bP4eMSTbV3Z2WbIX3hJmY3J4qy",
		Created:      time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

// Character returns a valid character record named name owned by account, carrying
// a sword, a bag with a gem, and wearing a helmet.
func Character(name, account string) *persistence.CharacterRecord {
	return &persistence.CharacterRecord{
		Name:        name,
		Account:     persistence.NormalizeKey(account),
		Room:        "midgaard:3001",
		Description: "A wiry figure in a travel-stained cloak.",
		Vitals:      persistence.Vitals{HP: 20, MaxHP: 30, MP: 5, MaxMP: 10, MV: 80, MaxMV: 100},
		Level:       3,
		Inventory: []persistence.ItemRecord{
			{ID: "i-" + name + "-1", Proto: "sword"},
			{ID: "i-" + name + "-2", Proto: "bag", Contents: []persistence.ItemRecord{
				{ID: "i-" + name + "-3", Proto: "gem", Count: 3, Overrides: map[string]string{"short": "a blood-red gem"}},
			}},
		},
		Equipment:     []persistence.ItemRecord{{ID: "i-" + name + "-4", Proto: "helmet", Slot: "head"}},
		Created:       time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		LastSeen:      time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC),
		PlayedSeconds: 3600,
	}
}

// Run runs the Store contract against stores made by newStore.
func Run(t *testing.T, newStore Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st persistence.Store)
	}{
		{"NotFound", testNotFound},
		{"RoundTrip", testRoundTrip},
		{"CaseInsensitive", testCaseInsensitive},
		{"ConditionalCreate", testConditionalCreate},
		{"PerOpFailure", testPerOpFailure},
		{"CreateCharacter", testCreateCharacter},
		{"DeleteCharacter", testDeleteCharacter},
		{"Invalid", testInvalid},
		{"NoAliasing", testNoAliasing},
		{"ConcurrentCreateRace", testConcurrentCreateRace},
		{"ConcurrentReaders", testConcurrentReaders},
		{"CanceledContext", testCanceledContext},
		{"Closed", testClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(t)
			t.Cleanup(func() { _ = st.Close() })
			tt.fn(t, st)
		})
	}
}

func apply(t *testing.T, st persistence.Store, ops ...persistence.Op) []error {
	t.Helper()
	errs, err := st.Apply(context.Background(), ops)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(errs) != len(ops) {
		t.Fatalf("Apply returned %d errors for %d ops", len(errs), len(ops))
	}
	return errs
}

func mustApply(t *testing.T, st persistence.Store, ops ...persistence.Op) {
	t.Helper()
	for i, err := range apply(t, st, ops...) {
		if err != nil {
			t.Fatalf("op %d (%v): %v", i, ops[i].Type, err)
		}
	}
}

func testNotFound(t *testing.T, st persistence.Store) {
	ctx := context.Background()
	if _, err := st.GetAccount(ctx, "nobody"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("GetAccount = %v, want ErrNotFound", err)
	}
	if _, err := st.GetCharacter(ctx, "nobody"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("GetCharacter = %v, want ErrNotFound", err)
	}
	if _, err := st.GetRoom(ctx, "void:1"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("GetRoom = %v, want ErrNotFound", err)
	}
}

func testRoundTrip(t *testing.T, st persistence.Store) {
	ctx := context.Background()
	acct := Account("Alice")
	acct.Characters = []string{"Zed", "Amy"}
	acct.LastLogin = time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	ch := Character("Zed", "Alice")
	room := &persistence.RoomRecord{ID: "midgaard:3001", Items: []persistence.ItemRecord{{ID: "x1", Proto: "torch"}}}
	mustApply(t, st, persistence.Put(acct), persistence.Put(ch), persistence.Put(room))

	gotA, err := st.GetAccount(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	wantA := *acct
	wantA.Schema, wantA.Key = persistence.AccountSchema, "alice"
	if !reflect.DeepEqual(gotA, &wantA) {
		t.Errorf("account = %+v\nwant %+v", gotA, &wantA)
	}
	gotC, err := st.GetCharacter(ctx, "zed")
	if err != nil {
		t.Fatal(err)
	}
	wantC := *ch
	wantC.Schema, wantC.Key = persistence.CharacterSchema, "zed"
	if !reflect.DeepEqual(gotC, &wantC) {
		t.Errorf("character = %+v\nwant %+v", gotC, &wantC)
	}
	gotR, err := st.GetRoom(ctx, "midgaard:3001")
	if err != nil {
		t.Fatal(err)
	}
	wantR := *room
	wantR.Schema = persistence.RoomSchema
	if !reflect.DeepEqual(gotR, &wantR) {
		t.Errorf("room = %+v\nwant %+v", gotR, &wantR)
	}

	// A put replaces; a delete removes.
	ch2 := Character("Zed", "Alice")
	ch2.Level = 9
	mustApply(t, st, persistence.Put(ch2), persistence.Delete(persistence.KindRoom, "MIDGAARD:3001"))
	if got, err := st.GetCharacter(ctx, "Zed"); err != nil || got.Level != 9 {
		t.Errorf("after replace: level %v, err %v; want 9", got, err)
	}
	if _, err := st.GetRoom(ctx, "midgaard:3001"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("deleted room: %v, want ErrNotFound", err)
	}
	// Deleting an absent key is fine.
	mustApply(t, st, persistence.Delete(persistence.KindRoom, "nowhere:1"))
}

func testCaseInsensitive(t *testing.T, st persistence.Store) {
	mustApply(t, st, persistence.Create(Account("MixedCase")))
	for _, k := range []string{"mixedcase", "MIXEDCASE", "  MixedCase "} {
		got, err := st.GetAccount(context.Background(), k)
		if err != nil {
			t.Fatalf("GetAccount(%q): %v", k, err)
		}
		if got.Name != "MixedCase" || got.Key != "mixedcase" {
			t.Errorf("GetAccount(%q) = name %q key %q", k, got.Name, got.Key)
		}
	}
}

func testConditionalCreate(t *testing.T, st persistence.Store) {
	tests := []struct {
		name    string
		ops     []persistence.Op
		wantErr []error
	}{
		{"first", []persistence.Op{persistence.Create(Account("Bob"))}, []error{nil}},
		{"same name", []persistence.Op{persistence.Create(Account("Bob"))}, []error{persistence.ErrExists}},
		{"other case", []persistence.Op{persistence.Create(Account("BOB"))}, []error{persistence.ErrExists}},
		{"twice in one batch", []persistence.Op{persistence.Create(Account("Carol")), persistence.Create(Account("carol"))},
			[]error{nil, persistence.ErrExists}},
		{"create after delete", []persistence.Op{persistence.Delete(persistence.KindAccount, "bob"), persistence.Create(Account("Bob"))},
			[]error{nil, nil}},
		{"character name space is separate", []persistence.Op{persistence.Create(Character("Bob", "bob"))}, []error{nil}},
	}
	for _, tt := range tests {
		errs := apply(t, st, tt.ops...)
		for i := range errs {
			if !errors.Is(errs[i], tt.wantErr[i]) || (tt.wantErr[i] == nil && errs[i] != nil) {
				t.Errorf("%s: op %d err = %v, want %v", tt.name, i, errs[i], tt.wantErr[i])
			}
		}
	}
}

func testPerOpFailure(t *testing.T, st persistence.Store) {
	mustApply(t, st, persistence.Create(Account("Dave")))
	errs := apply(t, st,
		persistence.Put(Account("Eve")),
		persistence.Create(Account("dave")),
		persistence.Put(&persistence.RoomRecord{ID: "a:1"}),
	)
	if errs[0] != nil || !errors.Is(errs[1], persistence.ErrExists) || errs[2] != nil {
		t.Fatalf("errs = %v, want [nil ErrExists nil]", errs)
	}
	if _, err := st.GetAccount(context.Background(), "eve"); err != nil {
		t.Errorf("op before the failed one was not applied: %v", err)
	}
	if _, err := st.GetRoom(context.Background(), "a:1"); err != nil {
		t.Errorf("op after the failed one was not applied: %v", err)
	}
}

func testCreateCharacter(t *testing.T, st persistence.Store) {
	ctx := context.Background()
	mustApply(t, st, persistence.Create(Account("Fay")), persistence.Create(Account("Gus")))
	mustApply(t, st,
		persistence.CreateCharacter("fay", Character("Fenwick", "")),
		persistence.CreateCharacter("FAY", Character("Ada", "fay")),
	)
	acct, err := st.GetAccount(ctx, "fay")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Fenwick", "Ada"}; !reflect.DeepEqual(acct.Characters, want) {
		t.Errorf("characters = %q, want %q", acct.Characters, want)
	}
	if ch, err := st.GetCharacter(ctx, "fenwick"); err != nil || ch.Account != "fay" {
		t.Errorf("GetCharacter(fenwick) = %+v, %v; want account fay", ch, err)
	}

	errs := apply(t, st,
		persistence.CreateCharacter("gus", Character("FENWICK", "")), // taken by another account
		persistence.CreateCharacter("nobody", Character("Orphan", "")),
		persistence.CreateCharacter("gus", Character("Hal", "fay")), // record names another account
		persistence.CreateCharacter("gus", Character("Ivy", "")),
	)
	for i, want := range []error{persistence.ErrExists, persistence.ErrNotFound, persistence.ErrInvalid, nil} {
		if !errors.Is(errs[i], want) || (want == nil && errs[i] != nil) {
			t.Errorf("op %d err = %v, want %v", i, errs[i], want)
		}
	}
	gus, err := st.GetAccount(ctx, "gus")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Ivy"}; !reflect.DeepEqual(gus.Characters, want) {
		t.Errorf("gus characters = %q, want %q (failed creates must not append)", gus.Characters, want)
	}
	for _, k := range []string{"orphan", "hal"} {
		if _, err := st.GetCharacter(ctx, k); !errors.Is(err, persistence.ErrNotFound) {
			t.Errorf("failed create of %s left a record: %v", k, err)
		}
	}
}

func testDeleteCharacter(t *testing.T, st persistence.Store) {
	ctx := context.Background()
	mustApply(t, st, persistence.Create(Account("Jo")))
	mustApply(t, st,
		persistence.CreateCharacter("jo", Character("Kim", "")),
		persistence.CreateCharacter("jo", Character("Lee", "")),
	)
	mustApply(t, st, persistence.DeleteCharacter("KIM"), persistence.DeleteCharacter("never-was"))
	acct, err := st.GetAccount(ctx, "jo")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Lee"}; !reflect.DeepEqual(acct.Characters, want) {
		t.Errorf("characters = %q, want %q", acct.Characters, want)
	}
	if _, err := st.GetCharacter(ctx, "kim"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("deleted character: %v", err)
	}
	// The name is free again.
	mustApply(t, st, persistence.CreateCharacter("jo", Character("Kim", "")))
}

func testInvalid(t *testing.T, st persistence.Store) {
	deep := persistence.ItemRecord{ID: "leaf", Proto: "p"}
	for range persistence.MaxItemDepth {
		deep = persistence.ItemRecord{ID: "box", Proto: "p", Contents: []persistence.ItemRecord{deep}}
	}
	deepRoom := &persistence.RoomRecord{ID: "deep:1", Items: []persistence.ItemRecord{deep}}
	mismatch := Account("Mona")
	mismatch.Key = "notmona"
	noID := &persistence.RoomRecord{ID: "r:1", Items: []persistence.ItemRecord{{Proto: "rock"}}}
	tests := []struct {
		name string
		op   persistence.Op
	}{
		{"empty name", persistence.Put(Account(""))},
		{"blank name", persistence.Put(Account("   "))},
		{"long name", persistence.Put(Account(strings.Repeat("x", persistence.MaxKeyLen+1)))},
		{"key mismatch", persistence.Put(mismatch)},
		{"too deep", persistence.Put(deepRoom)},
		{"item without id", persistence.Put(noID)},
		{"nil record", persistence.Op{Type: persistence.OpPut}},
		{"bad op type", persistence.Op{Type: 99, Record: Account("Ok")}},
		{"bad delete kind", persistence.Delete(0, "x")},
		{"typed nil record", persistence.Put((*persistence.CharacterRecord)(nil))},
		{"nil create character", persistence.CreateCharacter("a", nil)},
		{"create character wrong type", persistence.Op{Type: persistence.OpCreateCharacter, Key: "a", Record: Account("Ok")}},
	}
	for _, tt := range tests {
		errs := apply(t, st, tt.op, persistence.Put(Account("Valid")))
		if !errors.Is(errs[0], persistence.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", tt.name, errs[0])
		}
		if errs[1] != nil {
			t.Errorf("%s: valid op in same batch failed: %v", tt.name, errs[1])
		}
	}
	if _, err := st.GetRoom(context.Background(), "deep:1"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("invalid record was stored: %v", err)
	}
}

func testNoAliasing(t *testing.T, st persistence.Store) {
	ctx := context.Background()
	ch := Character("Ned", "x")
	mustApply(t, st, persistence.Put(ch))
	ch.Level = 99
	ch.Inventory[0].Proto = "mutated"
	got, err := st.GetCharacter(ctx, "ned")
	if err != nil {
		t.Fatal(err)
	}
	if got.Level != 3 || got.Inventory[0].Proto != "sword" {
		t.Fatalf("store aliased the caller's record: level %d proto %q", got.Level, got.Inventory[0].Proto)
	}
	got.Level = 77
	got.Inventory[1].Contents[0].Overrides["short"] = "mutated"
	again, err := st.GetCharacter(ctx, "ned")
	if err != nil {
		t.Fatal(err)
	}
	if again.Level != 3 || again.Inventory[1].Contents[0].Overrides["short"] != "a blood-red gem" {
		t.Fatalf("store returned aliased record: %+v", again)
	}
}

func testConcurrentCreateRace(t *testing.T, st persistence.Store) {
	const racers = 8
	var wg sync.WaitGroup
	results := make([]error, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs, err := st.Apply(context.Background(), []persistence.Op{persistence.Create(Account(fmt.Sprintf("Racer%s", strings.Repeat("R", i%2))))})
			if err != nil {
				results[i] = err
				return
			}
			results[i] = errs[0]
		}()
	}
	wg.Wait()
	won := map[int]int{}
	for i, err := range results {
		switch {
		case err == nil:
			won[i%2]++
		case !errors.Is(err, persistence.ErrExists):
			t.Errorf("racer %d: %v", i, err)
		}
	}
	if won[0] != 1 || won[1] != 1 {
		t.Errorf("winners per name = %v, want exactly one each", won)
	}
}

func testConcurrentReaders(t *testing.T, st persistence.Store) {
	ctx := context.Background()
	mustApply(t, st, persistence.Put(Character("Reader", "x")))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ch, err := st.GetCharacter(ctx, "reader")
				if err != nil {
					t.Errorf("read: %v", err)
					return
				}
				// Each batch writes Level and PlayedSeconds together: a reader must
				// never see one without the other.
				if int64(ch.Level) != ch.PlayedSeconds && ch.Level != 3 {
					t.Errorf("torn read: level %d played %d", ch.Level, ch.PlayedSeconds)
					return
				}
			}
		}()
	}
	for i := range 50 {
		ch := Character("Reader", "x")
		ch.Level, ch.PlayedSeconds = 100+i, int64(100+i)
		mustApply(t, st, persistence.Put(ch), persistence.Put(&persistence.RoomRecord{ID: fmt.Sprintf("r:%d", i)}))
	}
	close(stop)
	wg.Wait()
}

func testCanceledContext(t *testing.T, st persistence.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.Apply(ctx, []persistence.Op{persistence.Put(Account("Late"))}); !errors.Is(err, context.Canceled) {
		t.Errorf("Apply with canceled ctx = %v, want context.Canceled", err)
	}
	if _, err := st.GetAccount(context.Background(), "late"); !errors.Is(err, persistence.ErrNotFound) {
		t.Errorf("canceled batch was applied: %v", err)
	}
}

func testClosed(t *testing.T, st persistence.Store) {
	mustApply(t, st, persistence.Put(Account("Before")))
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := st.Apply(context.Background(), []persistence.Op{persistence.Put(Account("After"))}); !errors.Is(err, persistence.ErrClosed) {
		t.Errorf("Apply after Close = %v, want ErrClosed", err)
	}
	if _, err := st.GetAccount(context.Background(), "before"); !errors.Is(err, persistence.ErrClosed) {
		t.Errorf("GetAccount after Close = %v, want ErrClosed", err)
	}
}
