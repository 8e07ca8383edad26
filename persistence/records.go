package persistence

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// Schema versions of the records this binary writes. A record decoded with an older
// version is migrated step by step (see migrateCharacter); one with a newer version is
// refused with ErrTooNew rather than loaded with fields silently lost.
const (
	AccountSchema   = 1 // AccountRecord
	CharacterSchema = 2 // CharacterRecord; v1 had flat hp/mp fields and no movement points
	RoomSchema      = 1 // RoomRecord
)

// Limits that bound what a record may hold, so that bad input (or a corrupt file) is an
// error instead of unbounded memory.
const (
	MaxKeyLen     = 128     // bytes in a normalized key
	MaxRecordSize = 4 << 20 // bytes in one encoded record
	MaxItemDepth  = 8       // containers inside containers
)

// Kind names a record kind; each kind lives in its own key space (a bbolt bucket).
type Kind uint8

// Record kinds.
const (
	KindAccount Kind = iota + 1
	KindCharacter
	KindRoom
)

// String returns the kind's lower-case name ("account", "character", "room").
func (k Kind) String() string {
	switch k {
	case KindAccount:
		return "account"
	case KindCharacter:
		return "character"
	case KindRoom:
		return "room"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// NormalizeKey returns the case-insensitive storage key for a display name or room id:
// surrounding space trimmed, lower-cased. "Alice" and "ALICE" share the key "alice".
func NormalizeKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}

// NewItemID returns a fresh random item instance id (32 hex digits, 128 bits), unique
// without coordination between processes.
func NewItemID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Record is one of *AccountRecord, *CharacterRecord or *RoomRecord.
type Record interface {
	// Kind reports the record's key space.
	Kind() Kind
	// StorageKey reports the normalized key the record is stored under.
	StorageKey() string
}

// ItemRecord is one item instance: where it came from (its prototype in an area file)
// and whatever differs from the prototype. Inventory, equipment, room floors and
// containers all hold ItemRecords.
type ItemRecord struct {
	// ID is the instance id, unique across the whole game (see NewItemID).
	ID string `msgpack:"id"`
	// Proto is the prototype id, e.g. "midgaard:12" or "sword".
	Proto string `msgpack:"proto"`
	// Slot is the wear slot ("wield", "head", ...) for equipment; empty elsewhere.
	Slot string `msgpack:"slot,omitempty"`
	// Count is the stack size for stackable items; 0 means 1.
	Count int `msgpack:"count,omitempty"`
	// Overrides replaces prototype fields by name ("short", "long", "keywords", ...).
	Overrides map[string]string `msgpack:"ovr,omitempty"`
	// Contents are the items inside a container, at most MaxItemDepth deep.
	Contents []ItemRecord `msgpack:"contents,omitempty"`
}

// AccountRecord is a login account. Its characters are listed here, in creation order;
// the character records themselves live under their own keys.
type AccountRecord struct {
	// Schema is the record's schema version (AccountSchema when written by this binary).
	Schema int `msgpack:"v"`
	// Name is the display name as the player typed it at creation.
	Name string `msgpack:"name"`
	// Key is NormalizeKey(Name); the storage key. Filled in when empty.
	Key string `msgpack:"key"`
	// PasswordHash is a bcrypt hash string; never the password.
	PasswordHash string `msgpack:"pwhash"`
	// Created is when the account was made.
	Created time.Time `msgpack:"created"`
	// LastLogin is the last successful login.
	LastLogin time.Time `msgpack:"last_login,omitempty"`
	// LastAddr is the address of the last successful login.
	LastAddr string `msgpack:"last_addr,omitempty"`
	// FailedLogins counts failed password attempts since the last successful login.
	FailedLogins int `msgpack:"failed_logins,omitempty"`
	// Characters are the display names of the account's characters, in creation order.
	Characters []string `msgpack:"chars"`
}

// Vitals are a character's current and maximum hit, mana and movement points.
type Vitals struct {
	HP    int `msgpack:"hp"`
	MaxHP int `msgpack:"maxhp"`
	MP    int `msgpack:"mp"`
	MaxMP int `msgpack:"maxmp"`
	MV    int `msgpack:"mv"`
	MaxMV int `msgpack:"maxmv"`
}

// DefaultMaxMV is the movement maximum given to characters migrated from schema v1,
// which had no movement points.
const DefaultMaxMV = 100

// CharacterRecord is a player character.
type CharacterRecord struct {
	// Schema is the record's schema version (CharacterSchema when written by this binary).
	Schema int `msgpack:"v"`
	// Name is the display name.
	Name string `msgpack:"name"`
	// Key is NormalizeKey(Name); character names are unique across all accounts.
	Key string `msgpack:"key"`
	// Account is the owning account's key.
	Account string `msgpack:"account"`
	// Room is the id of the room the character was last in ("zone:id").
	Room string `msgpack:"room"`
	// Description is the player-written description.
	Description string `msgpack:"desc,omitempty"`
	// Vitals are hit, mana and movement points (schema v2; v1 stored hp/mp flat).
	Vitals Vitals `msgpack:"vitals"`
	// Level is the character's level.
	Level int `msgpack:"level"`
	// Inventory is what the character carries, in order.
	Inventory []ItemRecord `msgpack:"inv,omitempty"`
	// Equipment is what the character wears; each item's Slot is set.
	Equipment []ItemRecord `msgpack:"eq,omitempty"`
	// Created is when the character was made.
	Created time.Time `msgpack:"created"`
	// LastSeen is when the character was last saved while in the game.
	LastSeen time.Time `msgpack:"last_seen,omitempty"`
	// PlayedSeconds is total time in the game.
	PlayedSeconds int64 `msgpack:"played,omitempty"`
}

// RoomRecord is the mutable state of a room; its static text lives in the area files.
type RoomRecord struct {
	// Schema is the record's schema version (RoomSchema when written by this binary).
	Schema int `msgpack:"v"`
	// ID is the room id ("zone:id"); its normalized form is the key.
	ID string `msgpack:"id"`
	// Items are the items on the floor, in order.
	Items []ItemRecord `msgpack:"items,omitempty"`
}

// Kind reports KindAccount.
func (r *AccountRecord) Kind() Kind { return KindAccount }

// StorageKey reports NormalizeKey(r.Name) (or r.Key when set).
func (r *AccountRecord) StorageKey() string { return keyOr(r.Key, r.Name) }

// Kind reports KindCharacter.
func (r *CharacterRecord) Kind() Kind { return KindCharacter }

// StorageKey reports NormalizeKey(r.Name) (or r.Key when set).
func (r *CharacterRecord) StorageKey() string { return keyOr(r.Key, r.Name) }

// Kind reports KindRoom.
func (r *RoomRecord) Kind() Kind { return KindRoom }

// StorageKey reports NormalizeKey(r.ID).
func (r *RoomRecord) StorageKey() string { return NormalizeKey(r.ID) }

func keyOr(key, name string) string {
	if key != "" {
		return key
	}
	return NormalizeKey(name)
}

// checkKey validates a normalized key.
func checkKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty key", ErrInvalid)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: key longer than %d bytes", ErrInvalid, MaxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: key is not UTF-8", ErrInvalid)
	case key != NormalizeKey(key):
		return fmt.Errorf("%w: key %q is not normalized", ErrInvalid, key)
	}
	return nil
}

// validate checks a record before it is stored: a well-formed key that matches the
// display name, and bounded item nesting.
func validate(rec Record) error {
	if isNilRecord(rec) {
		return fmt.Errorf("%w: nil record", ErrInvalid)
	}
	key := rec.StorageKey()
	if err := checkKey(key); err != nil {
		return err
	}
	switch r := rec.(type) {
	case *AccountRecord:
		if NormalizeKey(r.Name) != key {
			return fmt.Errorf("%w: account key %q does not match name %q", ErrInvalid, key, r.Name)
		}
	case *CharacterRecord:
		if NormalizeKey(r.Name) != key {
			return fmt.Errorf("%w: character key %q does not match name %q", ErrInvalid, key, r.Name)
		}
		if err := checkItems(r.Inventory, 1); err != nil {
			return err
		}
		return checkItems(r.Equipment, 1)
	case *RoomRecord:
		return checkItems(r.Items, 1)
	}
	return nil
}

func checkItems(items []ItemRecord, depth int) error {
	if depth > MaxItemDepth {
		return fmt.Errorf("%w: items nested deeper than %d", ErrInvalid, MaxItemDepth)
	}
	for i := range items {
		if items[i].ID == "" {
			return fmt.Errorf("%w: item with proto %q has no instance id", ErrInvalid, items[i].Proto)
		}
		if err := checkItems(items[i].Contents, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// Encode validates rec, stamps its key and current schema version, and returns its
// msgpack encoding. rec itself is not modified. Map keys are sorted, so equal records
// encode to equal bytes (golden files depend on it).
func Encode(rec Record) ([]byte, error) {
	if err := validate(rec); err != nil {
		return nil, err
	}
	var v any
	switch r := rec.(type) {
	case *AccountRecord:
		c := *r
		c.Schema, c.Key = AccountSchema, r.StorageKey()
		v = &c
	case *CharacterRecord:
		c := *r
		c.Schema, c.Key = CharacterSchema, r.StorageKey()
		v = &c
	case *RoomRecord:
		c := *r
		c.Schema = RoomSchema
		v = &c
	default:
		return nil, fmt.Errorf("%w: unknown record type %T", ErrInvalid, rec)
	}
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.SetSortMapKeys(true)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("persistence: encode %s %q: %w", rec.Kind(), rec.StorageKey(), err)
	}
	if buf.Len() > MaxRecordSize {
		return nil, fmt.Errorf("%w: %s %q is %d bytes, limit %d", ErrTooLarge, rec.Kind(), rec.StorageKey(), buf.Len(), MaxRecordSize)
	}
	return buf.Bytes(), nil
}

// decodeInto decodes b into v; unknown fields are ignored so that a newer binary's
// additive fields do not break an older reader.
func decodeInto(b []byte, v any) error {
	if len(b) > MaxRecordSize {
		return fmt.Errorf("%w: %d bytes", ErrTooLarge, len(b))
	}
	dec := msgpack.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}

// DecodeAccount decodes an account record of any known schema version.
func DecodeAccount(b []byte) (*AccountRecord, error) {
	var r AccountRecord
	if err := decodeInto(b, &r); err != nil {
		return nil, err
	}
	switch {
	case r.Schema > AccountSchema:
		return nil, fmt.Errorf("%w: account schema %d > %d", ErrTooNew, r.Schema, AccountSchema)
	case r.Schema < 1:
		return nil, fmt.Errorf("%w: account schema %d", ErrCorrupt, r.Schema)
	}
	r.Created, r.LastLogin = utc(r.Created), utc(r.LastLogin)
	r.Key = r.StorageKey()
	return &r, nil
}

// characterV1 holds the fields schema v1 stored that v2 moved: the flat vitals.
type characterV1 struct {
	HP    int `msgpack:"hp"`
	MaxHP int `msgpack:"maxhp"`
	MP    int `msgpack:"mp"`
	MaxMP int `msgpack:"maxmp"`
}

// DecodeCharacter decodes a character record of any known schema version and migrates
// it to CharacterSchema.
func DecodeCharacter(b []byte) (*CharacterRecord, error) {
	var r CharacterRecord
	if err := decodeInto(b, &r); err != nil {
		return nil, err
	}
	switch {
	case r.Schema > CharacterSchema:
		return nil, fmt.Errorf("%w: character schema %d > %d", ErrTooNew, r.Schema, CharacterSchema)
	case r.Schema < 1:
		return nil, fmt.Errorf("%w: character schema %d", ErrCorrupt, r.Schema)
	}
	if err := migrateCharacter(&r, b); err != nil {
		return nil, err
	}
	r.Created, r.LastSeen = utc(r.Created), utc(r.LastSeen)
	r.Key = r.StorageKey()
	return &r, nil
}

// migrateCharacter upgrades r, decoded from raw, one schema version at a time.
func migrateCharacter(r *CharacterRecord, raw []byte) error {
	if r.Schema == 1 { // v1 → v2: vitals nested, movement points added
		var old characterV1
		if err := decodeInto(raw, &old); err != nil {
			return err
		}
		r.Vitals = Vitals{HP: old.HP, MaxHP: old.MaxHP, MP: old.MP, MaxMP: old.MaxMP, MV: DefaultMaxMV, MaxMV: DefaultMaxMV}
		r.Schema = 2
	}
	return nil
}

// DecodeRoom decodes a room record of any known schema version.
func DecodeRoom(b []byte) (*RoomRecord, error) {
	var r RoomRecord
	if err := decodeInto(b, &r); err != nil {
		return nil, err
	}
	switch {
	case r.Schema > RoomSchema:
		return nil, fmt.Errorf("%w: room schema %d > %d", ErrTooNew, r.Schema, RoomSchema)
	case r.Schema < 1:
		return nil, fmt.Errorf("%w: room schema %d", ErrCorrupt, r.Schema)
	}
	return &r, nil
}

// decode decodes a record of the given kind.
func decode(kind Kind, b []byte) (Record, error) {
	switch kind {
	case KindAccount:
		return DecodeAccount(b)
	case KindCharacter:
		return DecodeCharacter(b)
	case KindRoom:
		return DecodeRoom(b)
	}
	return nil, fmt.Errorf("%w: unknown kind %v", ErrInvalid, kind)
}

// utc returns t in UTC, keeping the zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
