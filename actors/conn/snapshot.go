package conn

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/vmihailenco/msgpack/v5"
)

// Resumer is a handler that must act when its session is rebuilt from a
// snapshot after a game restart: replies it was waiting for will never
// come (it asks again or tells the player), and a game handler puts its
// character back in the world. Resume is called for every restored frame,
// from the bottom of the stack up, after the whole stack is back.
type Resumer interface {
	Resume(s *Socket)
}

// Reattach tells a session that is still alive that its link attached
// again (the portal believed the game was down): it answers
// *link.Attached and shows its prompt.
type Reattach struct {
	Link *actor.PID
}

// The registry of handler types a snapshot may name.
var handlers = struct {
	sync.RWMutex
	byName map[string]reflect.Type
	byType map[reflect.Type]string
}{byName: map[string]reflect.Type{}, byType: map[reflect.Type]string{}}

// RegisterHandler makes a handler type survive game restarts: h is a
// pointer to a struct whose exported fields (msgpack-encoded) are its whole
// state, and name is how snapshots name it (keep it stable across
// releases). Call it from init; it panics on a duplicate name or type.
// A frame whose handler is not registered is dropped from a restored
// stack, with the frames above it.
func RegisterHandler(name string, h Handler) {
	t := reflect.TypeOf(h)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("conn: RegisterHandler(%q): %T is not a pointer to a struct", name, h))
	}
	handlers.Lock()
	defer handlers.Unlock()
	if _, dup := handlers.byName[name]; dup {
		panic(fmt.Sprintf("conn: RegisterHandler: %q registered twice", name))
	}
	if _, dup := handlers.byType[t]; dup {
		panic(fmt.Sprintf("conn: RegisterHandler: %v registered twice", t))
	}
	handlers.byName[name], handlers.byType[t] = t, name
}

func init() {
	RegisterHandler("conn.Editor", &Editor{})
}

// snapshotVersion is the layout of snapshot; a session refuses others.
const snapshotVersion = 1

// snapshot is what survives a game restart of one session: the stack of
// plain-value handlers, the account and character, the aux data and when
// the session began. It travels to the portal when it changes (never with
// a plain typed line: the link itself knows when the player last typed,
// and says so on resume) and back on resume. Old snapshots that carry a
// last_input field still decode (msgpack skips unknown fields).
type snapshot struct {
	V       int                           `msgpack:"v"`
	Account string                        `msgpack:"account"`
	Char    string                        `msgpack:"char"`
	CharPID *actor.PID                    `msgpack:"char_pid"`
	Since   time.Time                     `msgpack:"since"`
	Frames  []frameSnap                   `msgpack:"frames"`
	Aux     map[string]msgpack.RawMessage `msgpack:"aux,omitempty"`
}

type frameSnap struct {
	Type   string             `msgpack:"type"`
	Data   msgpack.RawMessage `msgpack:"data"`
	Prompt string             `msgpack:"prompt"`
	State  string             `msgpack:"state"`
}

// snapshot encodes the session; nil if it cannot (logged).
func (c *connActor) snapshot() []byte {
	sn := snapshot{V: snapshotVersion, Account: c.account, Char: c.char, CharPID: c.charPID,
		Since: c.since, Frames: make([]frameSnap, 0, len(c.stack))}
	handlers.RLock()
	for _, f := range c.stack {
		name, ok := handlers.byType[reflect.TypeOf(f.Handler)]
		if !ok {
			// Frames above an unregistered one make no sense without it.
			c.ev(c.cfg.Log.Debug()).Str("handler", fmt.Sprintf("%T", f.Handler)).Msg("handler not registered: the snapshot stops below it")
			break
		}
		data, err := msgpack.Marshal(f.Handler)
		if err != nil {
			c.ev(c.cfg.Log.Warn()).Err(err).Str("handler", name).Msg("encoding a handler for the snapshot")
			break
		}
		sn.Frames = append(sn.Frames, frameSnap{Type: name, Data: data, Prompt: f.Prompt, State: f.State})
	}
	handlers.RUnlock()
	if len(c.aux) > 0 {
		names := make([]string, 0, len(c.aux))
		for n := range c.aux {
			names = append(names, n)
		}
		sort.Strings(names) // stable bytes: an unchanged session is not resent
		sn.Aux = make(map[string]msgpack.RawMessage, len(names))
		for _, n := range names {
			if data, err := msgpack.Marshal(c.aux[n]); err == nil {
				sn.Aux[n] = data
			}
		}
	}
	b, err := msgpack.Marshal(&sn)
	if err != nil {
		c.ev(c.cfg.Log.Error()).Err(err).Msg("encoding the session snapshot")
		return nil
	}
	return b
}

// restore rebuilds the session from the snapshot its link kept: the stack
// (each handler decoded into a fresh value of its registered type), the
// account and character, the aux data. The handlers are then resumed. A
// snapshot that cannot be read starts the session over at the first
// handler, and the player is told.
func (c *connActor) restore(ctx actor.Context) {
	data := c.resume
	c.resume = nil
	c.admitted, c.resumed = true, true
	c.startIdle(ctx)
	var sn snapshot
	err := msgpack.Unmarshal(data, &sn)
	if err == nil && sn.V != snapshotVersion {
		err = fmt.Errorf("snapshot version %d, want %d", sn.V, snapshotVersion)
	}
	if err != nil {
		c.ev(c.cfg.Log.Error()).Err(err).Msg("restoring a session")
		c.startOver(ctx)
		return
	}
	c.account, c.char, c.charPID = sn.Account, sn.Char, sn.CharPID
	if !sn.Since.IsZero() {
		c.since = sn.Since
	}
	handlers.RLock()
	for _, f := range sn.Frames {
		t, ok := handlers.byName[f.Type]
		if !ok {
			c.ev(c.cfg.Log.Warn()).Str("handler", f.Type).Msg("restoring a session: unknown handler; the frames above it are dropped")
			break
		}
		h := reflect.New(t.Elem()).Interface().(Handler)
		if err := msgpack.Unmarshal(f.Data, h); err != nil {
			c.ev(c.cfg.Log.Warn()).Err(err).Str("handler", f.Type).Msg("restoring a session: the frames from here are dropped")
			break
		}
		c.stack = append(c.stack, Frame{Handler: h, Prompt: f.Prompt, State: f.State})
	}
	handlers.RUnlock()
	for name, raw := range sn.Aux {
		ctor, ok := c.cfg.Aux[name]
		if !ok {
			continue
		}
		v := ctor()
		if err := msgpack.Unmarshal(raw, v); err != nil {
			c.ev(c.cfg.Log.Warn()).Err(err).Str("aux", name).Msg("restoring aux data; it starts afresh")
			v = ctor()
		}
		if c.aux == nil {
			c.aux = make(map[string]any, len(sn.Aux))
		}
		c.aux[name] = v
	}
	if len(c.stack) == 0 {
		c.startOver(ctx)
		return
	}
	c.lastSnap = data
	c.whoDirty = true
	for i := 0; i < len(c.stack); i++ {
		if r, ok := c.stack[i].Handler.(Resumer); ok {
			c.call(ctx, nil, func() { r.Resume(&c.sock) })
		}
	}
	if q, ok := c.stack[len(c.stack)-1].Handler.(Quiet); !ok || !q.QuietEntry() {
		c.bust(ctx) // a quiet handler's prompt comes with the game's answer
	}
	c.publish(ctx)
}

// startOver puts a session whose snapshot was lost back at the first
// handler.
func (c *connActor) startOver(ctx actor.Context) {
	c.stack, c.account, c.char, c.charPID = nil, "", "", nil
	c.whoDirty = true
	c.outBuf.WriteString("Your session could not be restored after the restart; please log in again.\n")
	if c.cfg.First != nil {
		f := c.cfg.First()
		c.call(ctx, nil, func() { c.sock.PushIH(f.Handler, f.Prompt, f.State) })
	}
	c.bust(ctx)
	c.publish(ctx)
}

// Resumed reports whether the session was rebuilt from a snapshot (after a
// game restart) rather than started by a new connection.
func (s *Socket) Resumed() bool { return s.c.resumed }
