package character_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/actors/sessions"
	"github.com/troupe-mud/troupe/world"
)

const prompt = servertest.Prompt

var start = servertest.Start

// player is a logged-in test client.
type player struct {
	*servertest.Client
	name string
}

func newPlayer(t *testing.T, srv *server.Server, name string) *player {
	t.Helper()
	return &player{Client: servertest.CreateNamed(t, srv.Addr().String(), name), name: name}
}

// do sends a command and returns its answer up to the prompt after want.
func (p *player) do(cmd, want string) string { return p.Do(cmd, want) }

func roomName(t *testing.T, srv *server.Server, id world.RoomID) string {
	t.Helper()
	r, ok := srv.World.Room(id)
	if !ok {
		t.Fatalf("no room %s", id)
	}
	return r.Name
}

func TestArriveLeaveAndTalk(t *testing.T) {
	srv := start(t, server.Config{})
	start := srv.World.Start
	alice := newPlayer(t, srv, "Alice")
	bob := newPlayer(t, srv, "Bob")
	alice.Expect("Bob has entered the game.")

	// Bob sees Alice in the room.
	if out := bob.do("look", "[Exits:"); !strings.Contains(out, roomName(t, srv, start)) {
		t.Fatalf("look: %q", out)
	}
	bob.Send("look alice")
	bob.Expect("You see nothing special about Alice.")

	alice.do("say Hello there, Bob!", "You say, 'Hello there, Bob!'")
	bob.Expect("Alice says, 'Hello there, Bob!'")
	alice.do("emote waves cheerfully.", "Alice waves cheerfully.")
	bob.Expect("Alice waves cheerfully.")
	alice.do("'shorthand works", "You say, 'shorthand works'")
	bob.Expect("Alice says, 'shorthand works'")

	// Leaving and arriving: Alice walks out through the first exit and back.
	r, _ := srv.World.Room(start)
	d := r.ExitDirections()[0]
	ex, _ := r.Exit(d)
	alice.do(d.String(), roomName(t, srv, ex.To))
	bob.Expect(fmt.Sprintf("Alice leaves %s.", d))
	alice.do(d.Reverse().Short(), roomName(t, srv, start))
	bob.Expect(fmt.Sprintf("Alice arrives %s.", d.FromPhrase()))

	// Private and global talk.
	alice.do("tell bob psst, over here", "You tell Bob, 'psst, over here'")
	bob.Expect("Alice tells you, 'psst, over here'")
	bob.do("reply what is it?", "You tell Alice, 'what is it?'")
	alice.Expect("Bob tells you, 'what is it?'")
	alice.do("tell nobody hi", "Nobody by that name is playing.")
	bob.do("chat anyone around?", "[chat] Bob: anyone around?")
	alice.Expect("[chat] Bob: anyone around?")

	// who lists both; unknown commands get Huh? with a suggestion.
	if out := alice.do("who", "players."); !strings.Contains(out, "Alice") || !strings.Contains(out, "Bob") {
		t.Fatalf("who: %q", out)
	}
	alice.do("lokk", "Huh? Did you mean 'look'?")
	alice.do("xyzzy", "Huh?")
	alice.do("give", "Usage: give <item> <player>")

	// Quitting is seen by the others.
	alice.Send("quit")
	alice.Expect("Goodbye!")
	bob.Expect("Alice has left the game.")
}

func TestTradeItemExistsOnce(t *testing.T) {
	srv := start(t, server.Config{})
	alice := newPlayer(t, srv, "Alice")
	bob := newPlayer(t, srv, "Bob")
	// The start room has copper coins on the floor.
	alice.do("get coin", "You get")
	bob.Expect("Alice gets")
	alice.do("give coin bob", "You give")
	bob.Expect("Alice gives you")

	alice.do("inventory", "You are carrying nothing.")
	inv := bob.do("inventory", "You are carrying:")
	inv += bob.Expect("")
	if strings.Count(bob.do("inventory", "carrying:"), "coin") != 1 {
		t.Fatalf("bob's inventory: %q", inv)
	}
	// Giving to someone who is not there keeps the item.
	bob.do("give coin zed", "They aren't here.")
	if !strings.Contains(bob.do("inventory", "carrying:"), "coin") {
		t.Fatal("bob lost the coin to nobody")
	}
	// Drop it; it lies in the room once (one coin left on the floor + this one).
	bob.do("drop coin", "You drop")
	look := alice.do("look", "[Exits:")
	look += alice.Text()
	if !strings.Contains(alice.do("look", "[Exits:"), "(2)") {
		t.Fatalf("the floor should show two coins: %q", look)
	}
}

func TestWalkTheStarterWorld(t *testing.T) {
	srv := start(t, server.Config{})
	w := srv.World
	p := newPlayer(t, srv, "Walker")
	// Depth-first walk of every room, returning the way it came.
	seen := map[world.RoomID]bool{w.Start: true}
	var walk func(at world.RoomID)
	walk = func(at world.RoomID) {
		r, _ := w.Room(at)
		for _, d := range r.ExitDirections() {
			ex, _ := r.Exit(d)
			if seen[ex.To] || (ex.Door && ex.Closed) {
				continue
			}
			seen[ex.To] = true
			p.do(d.String(), roomName(t, srv, ex.To))
			walk(ex.To)
			back, _ := w.Room(ex.To)
			if bx, ok := back.Exit(d.Reverse()); !ok || bx.To != at {
				t.Fatalf("no way back from %s to %s", ex.To, at)
			}
			p.do(d.Reverse().String(), roomName(t, srv, at))
		}
	}
	walk(w.Start)
	if len(seen) < 40 {
		t.Fatalf("walked %d rooms, want at least 40", len(seen))
	}
	p.do("score", "You are Walker.")
	// A wall.
	r, _ := w.Room(w.Start)
	for _, d := range world.Directions {
		if _, ok := r.Exit(d); !ok {
			p.do(d.String(), "You can't go that way.")
			break
		}
	}
}

func TestMobilesGreetAndRespond(t *testing.T) {
	srv := start(t, server.Config{Admins: []string{"rosiefan"}})
	p := newPlayer(t, srv, "Rosiefan")
	p.Send("goto village:bakery")
	p.Expect("Rosie beams at Rosiefan.") // the greeting and the room may come in either order
	p.Expect(prompt)
	p.Send("say any bread today?")
	p.Expect("Baked this morning") // the baker's answer may come with ours or after it
	// Admin commands are invisible to others.
	q := newPlayer(t, srv, "Visitor")
	q.do("goto village:bakery", "Huh?")
}

func TestRoomRestartKeepsOccupants(t *testing.T) {
	srv := start(t, server.Config{RoomPanicOn: "kaboom"})
	alice := newPlayer(t, srv, "Alice")
	bob := newPlayer(t, srv, "Bob")
	alice.Expect("Bob has entered the game.")
	alice.Send("say kaboom")         // the room panics while handling this
	alice.Expect("Nothing happens.") // the command's reply never came
	// The supervisor restarted the room; its occupants are intact.
	bob.do("say are you still there?", "You say, 'are you still there?'")
	alice.Expect("Bob says, 'are you still there?'")
	if out := alice.do("look", "[Exits:"); !strings.Contains(out+alice.Text(), "Bob is here.") {
		out += alice.Expect(prompt)
		t.Fatalf("look after the restart: %q", out)
	}
}

func TestDescribeEditor(t *testing.T) {
	srv := start(t, server.Config{})
	p := newPlayer(t, srv, "Writer")
	other := newPlayer(t, srv, "Reader")
	p.Send("describe")
	p.Expect("Editing text")
	p.Expect("] ")
	p.Send("A wiry figure in a travel-stained cloak,")
	p.Send("with ink on every finger.")
	p.Send(".l")
	p.Expect("2")
	p.Send(".r 2 with ink on every single finger.")
	p.Send(".u")
	p.Send(".l")
	p.Expect("with ink on every finger.")
	p.Send(".s")
	p.Expect("Description saved.")
	p.Expect(prompt)
	if out := other.do("look writer", "A wiry figure"); !strings.Contains(strings.Join(strings.Fields(out+other.Text()), " "), "travel-stained cloak, with ink on every finger.") {
		t.Fatalf("look writer: %q", out)
	}
	// .q leaves it unchanged.
	p.Send("describe")
	p.Expect("] ")
	p.Send(".c")
	p.Send(".q")
	p.Expect("Description unchanged.")
	other.do("look writer", "A wiry figure")
}

func TestGameHooksArePublished(t *testing.T) {
	rec := servertest.NewRecorder(64)
	var hooks []server.Hook
	for _, name := range []string{msg.HookEnterGame, msg.HookEnterRoom, msg.HookLeaveRoom, msg.HookSay, msg.HookQuit} {
		hooks = append(hooks, server.Hook{Name: name, Props: sessions.Func(rec.Handle)})
	}
	srv := start(t, server.Config{Hooks: hooks})
	p := newPlayer(t, srv, "Hooked")
	p.do("say testing hooks", "You say")
	p.Send("quit")
	p.ExpectClosed()
	want := map[string]bool{msg.HookEnterGame: false, msg.HookEnterRoom: false, msg.HookSay: false, msg.HookLeaveRoom: false, msg.HookQuit: false}
	deadline := time.Now().Add(5 * time.Second)
	for missing := len(want); missing > 0; {
		ev := rec.Next(t, time.Until(deadline))
		if seen, ok := want[ev.HookName()]; ok && !seen {
			want[ev.HookName()] = true
			missing--
		}
		if s, ok := ev.(*msg.Said); ok && s.Text != "testing hooks" {
			t.Fatalf("said %q", s.Text)
		}
	}
}
