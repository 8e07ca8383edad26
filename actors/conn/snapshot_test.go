package conn_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
)

// cmdHandler is a Tracked handler like the game's play handler: a typed
// line changes nothing that survives a restart; "push" opens another
// handler on top; "prompt" changes its prompt (snapshotted).
type cmdHandler struct {
	GamePrompt string
	changed    bool
}

func (h *cmdHandler) HandleLine(s *conn.Socket, line string) {
	switch line {
	case "push":
		s.PushIH(&pagerHandler{}, "more> ", "pager")
	case "prompt":
		h.GamePrompt, h.changed = "new> ", true
		s.Send("prompt changed", nil)
	default:
		s.Send("you typed "+line, nil)
	}
}

func (h *cmdHandler) Prompt(*conn.Socket) string { return h.GamePrompt }

func (h *cmdHandler) SnapshotChanged() bool {
	c := h.changed
	h.changed = false
	return c
}

// pagerHandler is not Tracked: every call may change it.
type pagerHandler struct{ Seen int }

func (h *pagerHandler) HandleLine(s *conn.Socket, line string) {
	if line == "q" {
		s.PopIH()
		return
	}
	h.Seen++
	s.Send("more", nil)
}

func init() {
	conn.RegisterHandler("conn_test.cmdHandler", &cmdHandler{})
	conn.RegisterHandler("conn_test.pagerHandler", &pagerHandler{})
}

// outRecorder plays the portal's link: it records every *link.Out.
type outRecorder struct {
	mu   sync.Mutex
	outs []*link.Out
}

func (r *outRecorder) Receive(ctx actor.Context) {
	if m, ok := ctx.Message().(*link.Out); ok {
		r.mu.Lock()
		r.outs = append(r.outs, m)
		r.mu.Unlock()
	}
}

func (r *outRecorder) take() []*link.Out {
	r.mu.Lock()
	defer r.mu.Unlock()
	o := r.outs
	r.outs = nil
	return o
}

// waitOut waits until an *link.Out whose text contains want arrives and
// returns every Out received up to then.
func (r *outRecorder) waitOut(t *testing.T, want string) []*link.Out {
	t.Helper()
	var all []*link.Out
	deadline := time.Now().Add(5 * time.Second)
	for {
		all = append(all, r.take()...)
		for _, o := range all {
			if strings.Contains(o.Text, want) {
				return all
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no output with %q; got %d bursts", want, len(all))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func snapshots(outs []*link.Out) int {
	n := 0
	for _, o := range outs {
		if o.Snapshot != nil {
			n++
		}
	}
	return n
}

// TestSnapshotOnlyWhenItChanges: a plain command line sends no snapshot
// (and no prompt: the link keeps it); a stack change, a Tracked handler's
// change and an untracked handler's call do.
func TestSnapshotOnlyWhenItChanges(t *testing.T) {
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	rec := &outRecorder{}
	linkPID := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return rec }))
	cfg := &conn.Config{
		Boot:      "test",
		First:     func() conn.Frame { return conn.Frame{Handler: &cmdHandler{GamePrompt: "> "}, State: "play"} },
		IdleCheck: -1,
		Log:       zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
	}
	var session *actor.PID
	ready := make(chan struct{})
	// The session reports to its parent (the sessions supervisor): a
	// parent that ignores it.
	system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			session = ctx.Spawn(conn.Props(&link.Attach{UID: 1, Link: linkPID, Addr: "127.0.0.1:1"}, cfg))
			ctx.Send(session, &msg.Admit{})
			close(ready)
		}
	}))
	<-ready

	deadline := time.Now().Add(5 * time.Second)
	var start []*link.Out
	for snapshots(start) == 0 {
		start = append(start, rec.take()...)
		if time.Now().After(deadline) {
			t.Fatal("no snapshot after the first handler was pushed")
		}
		time.Sleep(2 * time.Millisecond)
	}
	promptSet := false
	for _, o := range start {
		if o.PromptSet && o.Prompt == "> " {
			promptSet = true
		}
	}
	if !promptSet {
		t.Fatal("the link was never given the prompt")
	}

	for _, line := range []string{"look", "say hi", "score"} {
		system.Root.Send(session, &link.Input{Lines: []string{line}})
		outs := rec.waitOut(t, "you typed "+line)
		if n := snapshots(outs); n != 0 {
			t.Fatalf("%q: %d snapshots sent for a plain command", line, n)
		}
		for _, o := range outs {
			if o.PromptSet {
				t.Fatalf("%q: the unchanged prompt was sent again", line)
			}
		}
	}

	system.Root.Send(session, &link.Input{Lines: []string{"prompt"}})
	if outs := rec.waitOut(t, "prompt changed"); snapshots(outs) != 1 {
		t.Fatalf("a Tracked change sent %d snapshots, want 1", snapshots(outs))
	}

	system.Root.Send(session, &link.Input{Lines: []string{"push"}})
	deadline = time.Now().Add(5 * time.Second)
	var outs []*link.Out
	for snapshots(outs) == 0 {
		outs = append(outs, rec.take()...)
		if time.Now().After(deadline) {
			t.Fatal("no snapshot after a push")
		}
		time.Sleep(2 * time.Millisecond)
	}
	system.Root.Send(session, &link.Input{Lines: []string{"next"}})
	if outs := rec.waitOut(t, "more"); snapshots(outs) != 1 {
		t.Fatalf("an untracked handler's line sent %d snapshots, want 1 (its state changed)", snapshots(outs))
	}
}
