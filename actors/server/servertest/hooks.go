package servertest

import (
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/msg"
)

// Recorder collects hook events delivered to a handler built with
// its Func, for tests to wait on in order.
type Recorder struct {
	ch chan msg.Hook
	// Veto, if set, is the verdict for connect events.
	Veto *msg.Verdict
	// OnEvent, if set, runs in the handler actor for each event before it
	// is recorded (e.g. to read the socket list at that moment).
	OnEvent func(ev msg.Hook)
}

// NewRecorder returns a recorder with room for n unread events.
func NewRecorder(n int) *Recorder { return &Recorder{ch: make(chan msg.Hook, n)} }

// Handle is the hook function to wrap with sessions.Func.
func (r *Recorder) Handle(ev msg.Hook) *msg.Verdict {
	if r.OnEvent != nil {
		r.OnEvent(ev)
	}
	select {
	case r.ch <- ev:
	default: // a test that stopped reading must not block the handler actor
	}
	if _, ok := ev.(*msg.Connected); ok && r.Veto != nil {
		return r.Veto
	}
	return nil
}

// Next waits for the next event.
func (r *Recorder) Next(t testing.TB, d time.Duration) msg.Hook {
	t.Helper()
	select {
	case ev := <-r.ch:
		return ev
	case <-time.After(d):
		t.Fatalf("no hook event within %v", d)
		return nil
	}
}

// NextDisconnect waits for the next *msg.Disconnected, skipping others.
func (r *Recorder) NextDisconnect(t testing.TB, d time.Duration) *msg.Disconnected {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ev := r.Next(t, time.Until(deadline))
		if dis, ok := ev.(*msg.Disconnected); ok {
			return dis
		}
	}
}

// TryNext returns the next event if one is waiting.
func (r *Recorder) TryNext() (msg.Hook, bool) {
	select {
	case ev := <-r.ch:
		return ev, true
	default:
		return nil, false
	}
}
