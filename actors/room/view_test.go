package room_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
)

// lineSink plays a portal link: it keeps the text of every *link.Line.
type lineSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *lineSink) Receive(ctx actor.Context) {
	if l, ok := ctx.Message().(*link.Line); ok {
		text := l.Text
		if doc, skip := l.Doc(); doc != nil {
			text = doc.Text(skip) // a look: the room's shared view without the viewer
		}
		s.mu.Lock()
		s.lines = append(s.lines, text)
		s.mu.Unlock()
	}
}

func (s *lineSink) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

type roomRig struct {
	t    *testing.T
	sys  *actor.ActorSystem
	room *actor.PID
}

func newRoomRig(t *testing.T) *roomRig {
	t.Helper()
	sys := actor.NewActorSystem()
	t.Cleanup(sys.Shutdown)
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	if _, err := sys.Root.SpawnNamed(store.Props(persistence.NewMemory(), log), msg.ServiceStore); err != nil {
		t.Fatal(err)
	}
	w := world.GenerateGrid(1)
	r, _ := w.Room(w.Start)
	pid, err := sys.Root.SpawnNamed(room.Props(w, r, log, "", nil), msg.ServiceWorld+"/room-"+string(r.ID))
	if err != nil {
		t.Fatal(err)
	}
	return &roomRig{t: t, sys: sys, room: pid}
}

func (rig *roomRig) ask(m any) any {
	rig.t.Helper()
	res, err := rig.sys.Root.RequestFuture(rig.room, m, 5*time.Second).Result()
	if err != nil {
		rig.t.Fatalf("%T: %v", m, err)
	}
	return res
}

func (rig *roomRig) enter(name string, linkPID *actor.PID) msg.Occupant {
	rig.t.Helper()
	o := msg.Occupant{Name: name, PID: rig.sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {})),
		Line: name + " is here.", Keywords: []string{strings.ToLower(name)}, Link: linkPID}
	rig.ask(&msg.EnterRoom{Who: o, From: msg.NoDirection, Silent: true})
	return o
}

func (rig *roomRig) look(viewer msg.Occupant) string {
	rig.t.Helper()
	return rig.ask(&msg.Look{Viewer: viewer.PID}).(*msg.Output).Text
}

// TestLookIsCachedAndFresh: the room's view is rendered once per change,
// and every look shows the room as it is now, without the viewer.
func TestLookIsCachedAndFresh(t *testing.T) {
	rig := newRoomRig(t)
	ada := rig.enter("Ada", nil)
	bob := rig.enter("Bob", nil)
	cy := rig.enter("Cy", nil)
	check := func(viewer msg.Occupant, want, notWant []string) {
		t.Helper()
		got := rig.look(viewer)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Fatalf("%s's look lacks %q:\n%s", viewer.Name, w, got)
			}
		}
		for _, w := range notWant {
			if strings.Contains(got, w) {
				t.Fatalf("%s's look shows %q:\n%s", viewer.Name, w, got)
			}
		}
	}
	check(ada, []string{"Bob is here.", "Cy is here."}, []string{"Ada is here."})
	check(bob, []string{"Ada is here.", "Cy is here."}, []string{"Bob is here."})
	check(cy, []string{"Ada is here.", "Bob is here."}, []string{"Cy is here."})

	rig.ask(&msg.LeaveRoom{PID: bob.PID, Silent: true})
	check(ada, []string{"Cy is here."}, []string{"Bob is here.", "Ada is here."})

	cy.Line = "Cy is here, sleeping."
	rig.sys.Root.Send(rig.room, &msg.UpdateOccupant{Who: cy})
	check(ada, []string{"Cy is here, sleeping."}, []string{"Bob is here."})

	rig.sys.Root.Send(rig.room, &msg.DropItems{Items: []world.Item{{ID: "x1", ProtoID: "grid0:coin"}}})
	got := rig.look(ada)
	if strings.Count(got, "\n") < 4 {
		t.Fatalf("look after a drop: %q", got)
	}
	// Someone outside the room sees everyone.
	outsider := msg.Occupant{Name: "Ghost", PID: rig.sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))}
	check(outsider, []string{"Ada is here.", "Cy is here, sleeping."}, nil)
}

// TestRoomLinesGoStraightToLinks: an occupant whose link the room knows
// gets the answers to its commands and the lines of others straight on
// its link, in the order the room made them; the reply to the character
// then carries no text.
func TestRoomLinesGoStraightToLinks(t *testing.T) {
	rig := newRoomRig(t)
	sink := &lineSink{}
	linkPID := rig.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return sink }))
	ada := rig.enter("Ada", linkPID) // her first look goes to the link
	bob := rig.enter("Bob", nil)

	if out := rig.ask(&msg.Look{Viewer: ada.PID}).(*msg.Output); out.Text != "" {
		t.Fatalf("the look went through the character: %q", out.Text)
	}
	if out := rig.ask(&msg.Say{From: ada, Text: "hello"}).(*msg.Output); out.Text != "" {
		t.Fatalf("the say echo went through the character: %q", out.Text)
	}
	for i := range 20 {
		rig.sys.Root.Send(rig.room, &msg.Say{From: bob, Text: strings.Repeat("x", i+1)})
	}
	rig.sys.Root.Send(rig.room, &msg.Broadcast{Text: "the end"})
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := sink.got()
		if len(got) == 24 {
			// The room as Ada entered it, her look, her say, Bob's lines.
			if !strings.Contains(got[0], "[Exits:") || !strings.Contains(got[1], "Bob is here.") ||
				!strings.Contains(got[2], "You say, 'hello'") {
				t.Fatalf("answers: %q", got[:3])
			}
			for i := range 20 {
				if want := "Bob says, '" + strings.Repeat("x", i+1) + "'"; !strings.Contains(got[3+i], want) {
					t.Fatalf("line %d = %q, want %q", 3+i, got[3+i], want)
				}
			}
			if got[23] != "The end\n" {
				t.Fatalf("last line %q", got[23])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the link got %d lines: %q", len(got), got)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestCrowdedRoomGathersLines: in a room of many players, lines for
// bystanders are gathered and each player gets them in one message, in
// order, without the ones they are the except of; answers do not wait.
func TestCrowdedRoomGathersLines(t *testing.T) {
	rig := newRoomRig(t)
	const players = 60
	sinks := make([]*lineSink, players)
	occ := make([]msg.Occupant, players)
	for i := range players {
		sinks[i] = &lineSink{}
		s := sinks[i]
		pid := rig.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return s }))
		occ[i] = rig.enter(fmt.Sprintf("P%02d", i), pid)
	}
	for _, s := range sinks {
		s.mu.Lock()
		s.lines = nil // their entry looks (and arrivals, silent here)
		s.mu.Unlock()
	}
	for k := range 10 {
		rig.sys.Root.Send(rig.room, &msg.Say{From: occ[k%3], Text: fmt.Sprintf("line %d", k)})
	}
	// An answer in the meantime goes out at once.
	if out := rig.ask(&msg.Look{Viewer: occ[5].PID}).(*msg.Output); !out.Shown {
		t.Fatal("the look was not shown on the link")
	}
	deadline := time.Now().Add(5 * time.Second)
	for i, s := range sinks {
		for {
			got := s.got()
			joined := strings.Join(got, "")
			if strings.Count(joined, "says, 'line") >= 10-countSpeaker(i) {
				if i == 5 && !strings.Contains(got[0], "[Exits:") {
					t.Fatalf("P05's look did not come first: %q", got)
				}
				last := -1
				for k := range 10 {
					line := fmt.Sprintf("says, 'line %d'", k)
					at := strings.Index(joined, line)
					if k%3 == i && i < 3 {
						if at >= 0 {
							t.Fatalf("P%02d saw its own line %d", i, k)
						}
						continue
					}
					if at < last {
						t.Fatalf("P%02d: line %d out of order in %q", i, k, joined)
					}
					last = at
				}
				if n := len(got); n > 3 {
					t.Fatalf("P%02d got the gathered lines in %d messages", i, n)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("P%02d got %q", i, got)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// countSpeaker is how many of the ten lines player i said itself.
func countSpeaker(i int) int {
	if i >= 3 {
		return 0
	}
	n := 0
	for k := range 10 {
		if k%3 == i {
			n++
		}
	}
	return n
}
