package wire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/vmihailenco/msgpack/v5"
	"google.golang.org/protobuf/proto"
)

// inner is nested inside testMsg.
type inner struct {
	Room  string
	Exits []string
}

// testMsg exercises every shape troupe messages use.
type testMsg struct {
	Name   string
	Lines  []string
	Stats  map[string]int
	Inner  inner
	Opt    *inner
	At     time.Time
	Conn   *actor.PID
	Reason uint8
}

// ping and pong are the messages the remote tests exchange.
type ping struct {
	Seq     int
	ReplyTo *actor.PID
}

type pong struct {
	Seq    int
	From   string     // the peer's actor system ID, to tell incarnations apart
	Sender *actor.PID // the ping's sender as the peer saw it
}

// unregistered is never registered.
type unregistered struct{ A int }

func init() {
	Register[testMsg]("test.msg")
	Register[ping]("test.ping")
	Register[pong]("test.pong")
}

func TestRoundTrip(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 30, 45, 123456789, time.FixedZone("x", 3600))
	in := &testMsg{
		Name:   "alice",
		Lines:  []string{"look", "", "say héllo \x1b[1m"},
		Stats:  map[string]int{"str": 12, "dex": -3},
		Inner:  inner{Room: "town/square", Exits: []string{"north"}},
		Opt:    &inner{Room: "x"},
		At:     at,
		Conn:   actor.NewPID("127.0.0.1:4101", "conn$42"),
		Reason: 2,
	}
	in.Conn.RequestId = 7
	env, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if env.Type != "test.msg" {
		t.Fatalf("type = %q", env.Type)
	}
	// Through protobuf too, as remote does.
	raw, err := proto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	var env2 Envelope
	if err := proto.Unmarshal(raw, &env2); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(&env2)
	if err != nil {
		t.Fatal(err)
	}
	out, ok := got.(*testMsg)
	if !ok {
		t.Fatalf("Decode returned %T", got)
	}
	if !out.At.Equal(at) {
		t.Errorf("At = %v, want %v", out.At, at)
	}
	if out.Conn.Address != in.Conn.Address || out.Conn.Id != in.Conn.Id || out.Conn.RequestId != 7 {
		t.Errorf("Conn = %v (request id %d), want %v", out.Conn, out.Conn.RequestId, in.Conn)
	}
	if !out.Conn.Equal(in.Conn) {
		t.Errorf("Conn.Equal false: %v vs %v", out.Conn, in.Conn)
	}
	// Compare the rest field by field (time and PID are checked above;
	// time loses its zone, PID holds protobuf internals).
	out.At, out.Conn = in.At, in.Conn
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
}

func TestZeroValueRoundTrip(t *testing.T) {
	env, err := Encode(&testMsg{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(env)
	if err != nil {
		t.Fatal(err)
	}
	m := got.(*testMsg)
	if m.Conn != nil || m.Opt != nil || m.Lines != nil || !m.At.IsZero() {
		t.Errorf("zero value came back as %+v", m)
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		wantErr error
		wantIn  string // substring of the message
	}{
		{"unregistered", &unregistered{}, ErrUnregistered, "wire.unregistered"},
		{"value not pointer", testMsg{}, ErrUnregistered, "wire.testMsg"},
		{"nil interface", nil, ErrNilMessage, ""},
		{"nil pointer", (*testMsg)(nil), ErrNilMessage, "*wire.testMsg"},
		{"too large", &testMsg{Name: strings.Repeat("x", MaxPayloadSize)}, ErrTooLarge, "*wire.testMsg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Encode(tt.in)
			if !errors.Is(err, tt.wantErr) || env != nil {
				t.Fatalf("Encode = %v, %v; want nil, %v", env, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not name %q", err, tt.wantIn)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	good, err := Encode(&ping{Seq: 1})
	if err != nil {
		t.Fatal(err)
	}
	trailing := append(append([]byte{}, good.Payload...), 0xc0)
	wrongShape, _ := msgpack.Marshal([]int{1, 2, 3})
	tests := []struct {
		name    string
		in      *Envelope
		wantErr error
		wantIn  string
	}{
		{"nil envelope", nil, ErrCorrupt, "nil envelope"},
		{"unknown type", &Envelope{Type: "no.such", Payload: good.Payload}, ErrUnknownType, `"no.such"`},
		{"empty payload", &Envelope{Type: "test.ping"}, ErrCorrupt, `"test.ping"`},
		{"garbage", &Envelope{Type: "test.ping", Payload: []byte{0xde, 0xad, 0xbe, 0xef}}, ErrCorrupt, `"test.ping"`},
		{"truncated", &Envelope{Type: "test.ping", Payload: good.Payload[:len(good.Payload)-1]}, ErrCorrupt, `"test.ping"`},
		{"trailing bytes", &Envelope{Type: "test.ping", Payload: trailing}, ErrCorrupt, "trailing"},
		{"wrong shape", &Envelope{Type: "test.ping", Payload: wrongShape}, ErrCorrupt, `"test.ping"`},
		{"too large", &Envelope{Type: "test.ping", Payload: make([]byte, MaxPayloadSize+1)}, ErrTooLarge, `"test.ping"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(tt.in)
			if !errors.Is(err, tt.wantErr) || m != nil {
				t.Fatalf("Decode = %v, %v; want nil, %v", m, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not contain %q", err, tt.wantIn)
			}
		})
	}
}

func TestUnknownFieldsIgnored(t *testing.T) {
	// A newer peer may send fields this build does not know.
	payload, err := msgpack.Marshal(map[string]any{"Seq": 9, "Added": "later"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(&Envelope{Type: "test.ping", Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	if p := m.(*ping); p.Seq != 9 || p.ReplyTo != nil {
		t.Errorf("got %+v", p)
	}
}

func TestRegisterPanics(t *testing.T) {
	type fresh struct{ X int }
	type fresh2 struct{ X int }
	tests := []struct {
		name string
		fn   func()
		want string
	}{
		{"duplicate name", func() { Register[fresh]("test.ping") }, "name already registered"},
		{"duplicate type", func() { Register[ping]("test.ping2") }, "type already registered"},
		{"empty name", func() { Register[fresh2]("") }, "empty wire name"},
		{"pointer type", func() { Register[*fresh2]("test.ptr") }, "must be a struct"},
		{"non-struct", func() { Register[string]("test.string") }, "must be a struct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, _ := r.(string)
				if !strings.Contains(s, tt.want) {
					t.Errorf("panic = %v, want one containing %q", r, tt.want)
				}
			}()
			tt.fn()
		})
	}
	// The failed registrations left nothing behind.
	if _, ok := Registered(&fresh{}); ok {
		t.Error("fresh registered after a panicking Register")
	}
	if name, ok := Registered(&ping{}); !ok || name != "test.ping" {
		t.Errorf("Registered(ping) = %q, %v", name, ok)
	}
}

func FuzzDecode(f *testing.F) {
	for _, m := range []any{
		&ping{Seq: 1, ReplyTo: actor.NewPID("127.0.0.1:1", "a")},
		&pong{Seq: -1, From: "x"},
		&testMsg{Name: "n", Lines: []string{"a"}, Stats: map[string]int{"a": 1}, At: time.Unix(1, 2)},
	} {
		env, err := Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(env.Type, env.Payload)
	}
	f.Add("test.msg", []byte{0xdf, 0xff, 0xff, 0xff, 0xff})                                      // map32 claiming 4G entries
	f.Add("test.msg", []byte{0x81, 0xa5, 'L', 'i', 'n', 'e', 's', 0xdd, 0x7f, 0xff, 0xff, 0xff}) // huge array
	f.Add("nope", []byte{})
	f.Fuzz(func(t *testing.T, typ string, payload []byte) {
		m, err := Decode(&Envelope{Type: typ, Payload: payload})
		if (m == nil) == (err == nil) {
			t.Fatalf("Decode = %v, %v: exactly one must be nil", m, err)
		}
		if err != nil {
			return
		}
		// Whatever decoded must encode again.
		if _, err := Encode(m); err != nil {
			t.Fatalf("re-encode %T: %v", m, err)
		}
	})
}
