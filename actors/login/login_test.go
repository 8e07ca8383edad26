package login_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/actors/sessions"
	"github.com/troupe-mud/troupe/persistence"
)

var start = servertest.Start

// create makes a new account with one character and leaves it in the game.
var create = servertest.Create

// login logs into an existing account and plays its character number n.
func login(t *testing.T, addr, account, password, choice string) *servertest.Client {
	t.Helper()
	c := servertest.Dial(t, addr)
	c.Expect("Account name: ")
	c.Send(account)
	c.Expect("Password: ")
	c.Send(password)
	c.Expect("Welcome back, " + account + "!")
	c.Expect("Choice: ")
	c.Send(choice)
	c.Expect("Welcome to the game!")
	return c
}

func TestNewAccountFlow(t *testing.T) {
	srv := start(t, server.Config{})
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("Account name: ")
	c.Send("bad name!")
	c.Expect("Account names must be alphanumeric.")
	c.Send("alice")
	c.Expect("Account 'alice' does not exist. Create it? (y/n)")
	c.Expect("Create account: ")
	c.Send("yes")
	c.Expect("Password: ")
	// The password prompt hides input: IAC WILL ECHO before it.
	if raw := c.Raw(); !bytes.Contains(raw, []byte{255, 251, 1}) {
		t.Fatalf("no WILL ECHO before the password prompt")
	}
	c.Send("abc")
	c.Expect("Password must be at least 6 characters long.")
	c.Send("secret1")
	c.Expect("Account created successfully!")
	c.Expect("What would you like to name your character?")
	c.Expect("Character name: ")
	// And echo is back on: IAC WONT ECHO after the password.
	if raw := c.Raw(); !bytes.Contains(raw, []byte{255, 252, 1}) {
		t.Fatalf("no WONT ECHO after the password")
	}
	c.Send("B0b")
	c.Expect("Character names must contain only letters.")
	c.Send("Al")
	c.Expect("Character names must be 3-15 characters long.")
	c.Send("aLiCe")
	c.Expect("Character 'Alice' created!")
	c.Expect("Welcome to the game!")
	c.Expect(srv.World.Rooms[srv.World.Start].Name) // the start room
	c.Expect("mv> ")
}

func TestDeclineCreate(t *testing.T) {
	srv := start(t, server.Config{})
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("Account name: ")
	c.Send("nobody")
	c.Expect("Create account: ")
	c.Send("n")
	if text := c.ExpectClosed(); !strings.Contains(text, "Goodbye!") {
		t.Fatalf("got %q", text)
	}
}

func TestKnownAccountFlow(t *testing.T) {
	srv := start(t, server.Config{})
	addr := srv.Addr().String()
	c := create(t, addr, "bob", "hunter22", "Bobby")
	c.Send("quit")
	c.ExpectClosed()

	// Wrong password closes.
	c = servertest.Dial(t, addr)
	c.Expect("Account name: ")
	c.Send("BOB") // names are case-insensitive
	c.Expect("Password: ")
	c.Send("wrong-password")
	if text := c.ExpectClosed(); !strings.Contains(text, "Invalid password.") {
		t.Fatalf("got %q", text)
	}

	// The menu.
	c = servertest.Dial(t, addr)
	c.Expect("Account name: ")
	c.Send("bob")
	c.Expect("Password: ")
	c.Send("hunter22")
	c.Expect("Welcome back, bob!")
	menu := c.Expect("Choice: ")
	for _, want := range []string{"--- Character Selection ---", "1. Bobby", "2. Create new character", "0. Quit"} {
		if !strings.Contains(menu, want) {
			t.Fatalf("menu %q lacks %q", menu, want)
		}
	}
	c.Send("x")
	c.Expect("Please enter a number.")
	c.Send("7")
	c.Expect("Invalid choice.")
	c.Send("2") // a second character
	c.Expect("Character name: ")
	c.Send("Bobby")
	c.Expect("That character name is already taken.")
	c.Send("Roberta")
	c.Expect("Character 'Roberta' created!")
	c.Expect("Welcome to the game!")
	c.Send("quit")
	c.ExpectClosed()

	c = servertest.Dial(t, addr)
	c.Expect("Account name: ")
	c.Send("bob")
	c.Expect("Password: ")
	c.Send("hunter22")
	menu = c.Expect("Choice: ")
	if !strings.Contains(menu, "2. Roberta") || !strings.Contains(menu, "3. Create new character") {
		t.Fatalf("menu %q", menu)
	}
	c.Send("0")
	if text := c.ExpectClosed(); !strings.Contains(text, "Goodbye!") {
		t.Fatalf("got %q", text)
	}
}

func TestNamesUniqueAcrossAccounts(t *testing.T) {
	srv := start(t, server.Config{})
	addr := srv.Addr().String()
	create(t, addr, "first", "password1", "Zed")
	c := servertest.Dial(t, addr)
	c.Expect("Account name: ")
	c.Send("second")
	c.Expect("Create account: ")
	c.Send("y")
	c.Expect("Password: ")
	c.Send("password2")
	c.Expect("Character name: ")
	c.Send("ZED")
	c.Expect("That character name is already taken.")
	c.Send("Zedd")
	c.Expect("Welcome to the game!")
}

func TestTakeover(t *testing.T) {
	srv := start(t, server.Config{})
	addr := srv.Addr().String()
	a := create(t, addr, "carol", "password1", "Carol")
	b := login(t, addr, "carol", "password1", "1")
	if text := a.ExpectClosed(); !strings.Contains(text, "taken over") {
		t.Fatalf("old link got %q", text)
	}
	b.Expect("You take over your body")
	b.Send("who")
	who := b.Expect("player")
	if strings.Count(who, "Carol") != 1 {
		t.Fatalf("who shows %q", who)
	}
}

func TestLinkdeadReattach(t *testing.T) {
	srv := start(t, server.Config{LinkdeadGrace: time.Minute})
	addr := srv.Addr().String()
	dis := servertest.NewRecorder(16)
	srv.Subscribe(msg.HookDisconnect, sessions.Func(dis.Handle))

	watcher := create(t, addr, "watcher", "password1", "Watcher")
	d := create(t, addr, "dave", "password1", "Dave")
	d.Send("get all") // pick up whatever lies in the start room, so there is state to keep
	d.Expect("mv> ")
	d.Close()
	if ev := dis.NextDisconnect(t, 5*time.Second); ev.Reason != msg.ReasonLinkDeath {
		t.Fatalf("reason %v", ev.Reason)
	}
	watcher.Expect("Dave has lost their link.")
	watcher.Expect("mv> ")
	watcher.Send("who")
	if who := watcher.Expect("players."); !strings.Contains(who, "Dave (linkdead)") {
		t.Fatalf("who shows %q", who)
	}
	watcher.Expect("mv> ")
	watcher.Send("look")
	if look := watcher.Expect("mv> "); !strings.Contains(look, "Dave is here (linkdead)") {
		t.Fatalf("look shows %q", look)
	}
	d2 := login(t, addr, "dave", "password1", "1")
	d2.Expect("You have reconnected.")
	watcher.Expect("Dave has reconnected.")
	watcher.Send("who")
	if who := watcher.Expect("players."); strings.Contains(who, "linkdead") {
		t.Fatalf("who still shows linkdead: %q", who)
	}
}

func TestLinkdeadGraceExpires(t *testing.T) {
	srv := start(t, server.Config{LinkdeadGrace: 200 * time.Millisecond})
	addr := srv.Addr().String()
	watcher := create(t, addr, "watcher", "password1", "Watcher")
	d := create(t, addr, "erin", "password1", "Erin")
	d.Close()
	watcher.Expect("Erin has lost their link.")
	watcher.Expect("Erin has left the game.")
	d2 := login(t, addr, "erin", "password1", "1")
	d2.Send("look")
	d2.Expect("mv> ")
	if strings.Contains(d2.Text(), "reconnected") {
		t.Fatal("reattached after the grace period")
	}
}

func TestQuitSavesState(t *testing.T) {
	st := persistence.NewMemory()
	srv := start(t, server.Config{Store: st})
	addr := srv.Addr().String()
	c := create(t, addr, "frank", "password1", "Frank")
	c.Send("describe")
	c.Expect("] ")
	c.Send("A tall man with a crooked smile.")
	c.Send(".s")
	c.Expect("Description saved.")
	c.Send("quit")
	c.Expect("Goodbye!")
	c.ExpectClosed()
	rec, err := st.GetCharacter(t.Context(), "frank")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Description != "A tall man with a crooked smile." {
		t.Fatalf("saved description %q", rec.Description)
	}
}
