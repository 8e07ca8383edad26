package wire

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// MaxPayloadSize is the largest msgpack payload Encode produces and Decode
// accepts. It is well under gRPC's default 4 MiB receive limit, so a single
// message can never make the peer's server reject the stream; remote batches
// many envelopes into one gRPC message, which is why StartRemote raises the
// server's receive limit separately (see serverMaxRecvMsgSize).
const MaxPayloadSize = 1 << 20

var (
	// ErrUnregistered is returned by Encode for a Go type that was never
	// passed to Register.
	ErrUnregistered = errors.New("wire: message type not registered")
	// ErrUnknownType is returned by Decode for an envelope whose wire name
	// is not registered in this process.
	ErrUnknownType = errors.New("wire: unknown wire type")
	// ErrCorrupt is returned by Decode when the payload is not a valid
	// msgpack encoding of the registered type.
	ErrCorrupt = errors.New("wire: corrupt payload")
	// ErrTooLarge is returned when a payload exceeds MaxPayloadSize.
	ErrTooLarge = errors.New("wire: payload too large")
	// ErrNilMessage is returned by Encode and Send for a nil message or a
	// nil pointer.
	ErrNilMessage = errors.New("wire: nil message")
)

// codec describes one registered message type. Immutable after Register.
type codec struct {
	name string       // stable wire name
	typ  reflect.Type // the struct type T (not *T)
}

// registry maps wire names to types and back. Writes happen in init (via
// Register); reads happen on every Encode/Decode, hence the RWMutex.
var registry = struct {
	mu     sync.RWMutex
	byName map[string]*codec
	byType map[reflect.Type]*codec // keyed by *T
}{
	byName: make(map[string]*codec),
	byType: make(map[reflect.Type]*codec),
}

// Register makes *T sendable across the process boundary under the stable
// wire name name. T must be a struct type; messages are always sent as *T
// and Decode always returns a *T.
//
// The wire name, not the Go type name, is what travels: renaming or moving a
// Go type is safe, renaming a wire name is a protocol change. Register is
// meant to be called from init and panics on an empty name, a non-struct T,
// or when either the name or the type is already registered.
func Register[T any](name string) {
	typ := reflect.TypeFor[T]()
	if name == "" {
		panic(fmt.Sprintf("wire: Register[%v]: empty wire name", typ))
	}
	if typ.Kind() != reflect.Struct {
		panic(fmt.Sprintf("wire: Register[%v](%q): T must be a struct type, got %v", typ, name, typ.Kind()))
	}
	ptr := reflect.PointerTo(typ)

	registry.mu.Lock()
	defer registry.mu.Unlock()
	if c, ok := registry.byName[name]; ok {
		panic(fmt.Sprintf("wire: Register[%v](%q): name already registered for %v", typ, name, c.typ))
	}
	if c, ok := registry.byType[ptr]; ok {
		panic(fmt.Sprintf("wire: Register[%v](%q): type already registered as %q", typ, name, c.name))
	}
	c := &codec{name: name, typ: typ}
	registry.byName[name] = c
	registry.byType[ptr] = c
}

// Registered reports the wire name under which m's type is registered.
func Registered(m any) (name string, ok bool) {
	registry.mu.RLock()
	c, ok := registry.byType[reflect.TypeOf(m)]
	registry.mu.RUnlock()
	if !ok {
		return "", false
	}
	return c.name, true
}

// Encode wraps m, which must be a non-nil *T for a registered T, in an
// Envelope carrying its wire name and msgpack encoding.
func Encode(m any) (*Envelope, error) {
	if m == nil {
		return nil, ErrNilMessage
	}
	rv := reflect.ValueOf(m)
	registry.mu.RLock()
	c, ok := registry.byType[rv.Type()]
	registry.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrUnregistered, m)
	}
	if rv.IsNil() {
		return nil, fmt.Errorf("%w: (%T)(nil)", ErrNilMessage, m)
	}
	payload, err := msgpack.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("wire: encode %T as %q: %w", m, c.name, err)
	}
	if len(payload) > MaxPayloadSize {
		return nil, fmt.Errorf("%w: %T encodes to %d bytes (max %d)", ErrTooLarge, m, len(payload), MaxPayloadSize)
	}
	return &Envelope{Type: c.name, Payload: payload}, nil
}

// Decode returns the *T registered under e's wire name, filled from the
// payload. Fields present in the payload but unknown to T are ignored and
// fields missing from it keep their zero value, so a restarted process with
// a newer struct can still talk to an older peer. Trailing bytes after the
// encoded value are an error. Decode never panics on malformed input.
func Decode(e *Envelope) (m any, err error) {
	if e == nil {
		return nil, fmt.Errorf("%w: nil envelope", ErrCorrupt)
	}
	registry.mu.RLock()
	c, ok := registry.byName[e.Type]
	registry.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownType, e.Type)
	}
	if len(e.Payload) > MaxPayloadSize {
		return nil, fmt.Errorf("%w: %q payload is %d bytes (max %d)", ErrTooLarge, e.Type, len(e.Payload), MaxPayloadSize)
	}
	defer func() {
		// msgpack is not known to panic on garbage, but a crash here would
		// take the whole portal down with every player's socket: belt and
		// braces.
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%w: %q: decoder panic: %v", ErrCorrupt, e.Type, r)
		}
	}()
	v := reflect.New(c.typ)
	rd := bytes.NewReader(e.Payload)
	dec := msgpack.GetDecoder()
	defer msgpack.PutDecoder(dec)
	dec.Reset(rd)
	if err := dec.Decode(v.Interface()); err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrCorrupt, e.Type, err)
	}
	if rd.Len() != 0 {
		return nil, fmt.Errorf("%w: %q: %d trailing bytes", ErrCorrupt, e.Type, rd.Len())
	}
	return v.Interface(), nil
}
