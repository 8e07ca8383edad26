package character_test

// This file holds the worked examples of README.md ("Extending troupe"): a
// game's own command added to the engine's command table, a mobile
// behaviour written in Go, connect/disconnect hooks and a pair of input
// handlers, each with a black-box test that plays it over real TCP. The code between the README markers is copied into the README
// verbatim; keep the two in step.

import (
	"fmt"
	"math/rand/v2"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/character"
	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/actors/sessions"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/command"
	"github.com/troupe-mud/troupe/world/text"
)

// README: roll command begins

// rollCommand is a game's own command: "roll [<n>d<sides>]" rolls dice
// (1d6 unless told otherwise) and shows the result to the roller and to
// everyone else in the room.
func rollCommand() command.Entry[character.Handler] {
	return command.Entry[character.Handler]{
		Name:  "roll",
		Usage: "roll [<n>d<sides>]",
		Help:  "Roll dice: roll, roll 2d6, roll 1d20.",
		Handler: func(a *character.Act, cmd command.Command) {
			n, sides := 1, 6
			if arg := cmd.Arg(0); arg != "" {
				var ok bool
				if n, sides, ok = parseDice(arg); !ok {
					a.Send("Roll 1 to 10 dice of 2 to 100 sides, like 2d6.")
					return
				}
			}
			faces, total := make([]string, n), 0
			for i := range faces {
				f := 1 + rand.IntN(sides)
				faces[i], total = strconv.Itoa(f), total+f
			}
			a.Send(fmt.Sprintf("You roll %dd%d: %s = {W%d{x.", n, sides, strings.Join(faces, " + "), total))
			a.ToRoom(fmt.Sprintf("%s rolls %dd%d: %d.", a.Name(), n, sides, total))
		},
	}
}

// parseDice reads "2d6" (or "d20", one die); it refuses anything outside
// 1-10 dice of 2-100 sides.
func parseDice(s string) (n, sides int, ok bool) {
	count, faces, found := strings.Cut(strings.ToLower(s), "d")
	if !found {
		return 0, 0, false
	}
	n = 1
	if count != "" {
		var err error
		if n, err = strconv.Atoi(count); err != nil {
			return 0, 0, false
		}
	}
	sides, err := strconv.Atoi(faces)
	if err != nil || n < 1 || n > 10 || sides < 2 || sides > 100 {
		return 0, 0, false
	}
	return n, sides, true
}

// README: roll command ends

// rollReply matches what the roller is told (colour markup is stripped for
// the test's dumb client).
var rollReply = regexp.MustCompile(`You roll (\d+)d(\d+): ([\d + ]+) = (\d+)\.`)

func TestExampleRollCommand(t *testing.T) {
	// README: roll wiring begins
	cmds := character.DefaultCommands()
	cmds.MustAdd(rollCommand())
	// README: roll wiring ends

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.Start(server.Config{
		Listener:         ln,
		Commands:         cmds,
		Store:            persistence.NewMemory(),
		InsecureFastHash: true,
		Log:              zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown("", 10*time.Second) })

	ada := rollPlayer(t, srv, "Ada")
	bob := rollPlayer(t, srv, "Bob")
	ada.Expect("Bob has entered the game.")

	// The default is one six-sided die.
	ada.Send("roll")
	n, sides, faces, total := readRoll(t, ada)
	if n != 1 || sides != 6 || len(faces) != 1 || total < 1 || total > 6 {
		t.Fatalf("roll: %dd%d %v = %d", n, sides, faces, total)
	}
	bob.Expect(fmt.Sprintf("Ada rolls 1d6: %d.", total))

	// Several dice: each face is in range and the total is their sum; the
	// room hears the same total.
	for range 5 {
		ada.Send("roll 3d8")
		n, sides, faces, total := readRoll(t, ada)
		if n != 3 || sides != 8 || len(faces) != 3 {
			t.Fatalf("roll 3d8: %dd%d %v", n, sides, faces)
		}
		sum := 0
		for _, f := range faces {
			if f < 1 || f > 8 {
				t.Fatalf("roll 3d8: face %d out of range in %v", f, faces)
			}
			sum += f
		}
		if sum != total {
			t.Fatalf("roll 3d8: %v add up to %d, not %d", faces, sum, total)
		}
		bob.Expect(fmt.Sprintf("Ada rolls 3d8: %d.", total))
	}

	// Bad dice get the usage line and roll nothing.
	for _, bad := range []string{"2x6", "0d6", "11d6", "2d1", "2d101", "d", "-1d6", "99999999999999999999d6"} {
		ada.Send("roll " + bad)
		ada.Expect("Roll 1 to 10 dice of 2 to 100 sides, like 2d6.")
		ada.Expect(rollPrompt)
	}
	// The room hears nothing of them: Bob's say goes through the same room
	// after them, so anything they broadcast would reach Bob before it.
	bob.Send("say done?")
	if out := bob.Expect("You say, 'done?'"); strings.Contains(out, "rolls") {
		t.Fatalf("a refused roll reached the room: %q", out)
	}
	bob.Expect(rollPrompt)

	// The command is in the command list, next to the engine's own.
	bob.Send("commands")
	if out := bob.Expect("who") + bob.Expect(rollPrompt); !strings.Contains(out, "roll") || !strings.Contains(out, "look") {
		t.Fatalf("commands does not list roll: %q", out)
	}
	// Abbreviations and "did you mean" work for it as for any command.
	bob.Send("rol")
	bob.Expect("You roll 1d6")
	bob.Expect(rollPrompt)
	bob.Send("rlol")
	bob.Expect("Huh? Did you mean 'roll'?")
}

// rollPrompt ends every burst of game output (the vitals prompt).
const rollPrompt = servertest.Prompt

// rollPlayer creates an account and a character and enters the game.
func rollPlayer(t *testing.T, srv *server.Server, name string) *servertest.Client {
	t.Helper()
	return servertest.CreateNamed(t, srv.Addr().String(), name)
}

// readRoll reads the roller's answer (skipping other output before it) and
// parses it.
func readRoll(t *testing.T, c *servertest.Client) (n, sides int, faces []int, total int) {
	t.Helper()
	c.Expect("You roll ")
	out := "You roll " + c.Expect(rollPrompt)
	m := rollReply.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no roll in %q", out)
	}
	n, _ = strconv.Atoi(m[1])
	sides, _ = strconv.Atoi(m[2])
	total, _ = strconv.Atoi(m[4])
	for _, f := range strings.Split(m[3], " + ") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			t.Fatalf("bad face %q in %q", f, out)
		}
		faces = append(faces, v)
	}
	return n, sides, faces, total
}

// README: parrot behaviour begins

// Parrot is a mobile behaviour: it repeats, twice, the last word of
// whatever a player says in its room.
type Parrot struct{}

// Receive implements character.Behaviour.
func (Parrot) Receive(m *character.Mob, message any) {
	h, ok := message.(*msg.Heard)
	if !ok || h.From.Mobile {
		return // not speech, or another mobile (no parrot loops)
	}
	words := strings.Fields(h.Text)
	if len(words) == 0 {
		return
	}
	w := strings.Trim(words[len(words)-1], ".,!?'\"")
	m.Say(w + "! " + w + "!")
}

// README: parrot behaviour ends

func TestExampleParrotBehaviour(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	srv, err := server.Start(server.Config{Listener: ln, Store: persistence.NewMemory(), InsecureFastHash: true, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown("", 10*time.Second) })

	// Server.Start returns before the world actor has spawned every room:
	// Ada's first look (the start room answered it) shows the rooms are up.
	ada := rollPlayer(t, srv, "Ada")

	// README: parrot spawn begins
	parrot := &world.MobProto{ID: "example:parrot", Keywords: []string{"parrot"},
		Short: "a green parrot", Long: "A green parrot eyes you from its perch.",
		Vitals: world.Vitals{MaxHP: 5}}
	cfg := &character.Config{World: srv.World, Log: log}
	srv.System.Root.Spawn(character.MobileProps(cfg, parrot, srv.World.Start, []character.Behaviour{Parrot{}}))
	// README: parrot spawn ends

	// The parrot enters silently: look until it is there.
	deadline := time.Now().Add(servertest.DefaultWait)
	for {
		ada.Send("look")
		out := ada.Expect("[Exits:") + ada.Expect(rollPrompt)
		if strings.Contains(out, "A green parrot eyes you from its perch.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the parrot never showed up in the start room: %q", out)
		}
	}
	ada.Send("say Pretty bird, pretty!")
	ada.Expect("You say, 'Pretty bird, pretty!'")
	ada.Expect("A green parrot says, 'pretty! pretty!'")
	// Only the last word, stripped of punctuation.
	ada.Send("say cracker?")
	ada.Expect("A green parrot says, 'cracker! cracker!'")
}

// README: input handlers begin

// askName is a first input handler: it asks for a name, then pushes the
// notepad on top of itself.
type askName struct{}

func (askName) HandleLine(s *conn.Socket, line string) {
	name := strings.TrimSpace(line)
	if name == "" {
		s.Send("Please type a name.", nil)
		return
	}
	s.Send("Hello, [name]! You are socket [me.uid], one of [n] connected.", map[string]string{
		"name": text.Escape(name), "n": strconv.Itoa(len(s.SocketList()))})
	s.PushIH(&notepad{name: name}, "note> ", "notepad")
}

// notepad counts what the player types in per-socket aux data; "back"
// pops it (askName gets the input again), "quit" closes the socket.
type notepad struct{ name string }

func (n *notepad) HandleLine(s *conn.Socket, line string) {
	switch line {
	case "back":
		s.PopIH()
	case "quit":
		s.Send("Goodbye, [name].", map[string]string{"name": text.Escape(n.name)})
		s.Close()
	default:
		count := s.Aux("notes").(*int) // created on first use from Config.Aux
		*count++
		s.Send("Noted ([count] so far): [note]", map[string]string{
			"count": strconv.Itoa(*count), "note": text.Escape(line)})
	}
}

// README: input handlers end

func TestExampleHooksAndHandlers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// README: handler config begins
	cfg := server.Config{
		Listener: ln, // or Telnet: ":4000"
		First:    func() conn.Frame { return conn.Frame{Handler: askName{}, Prompt: "Name: ", State: "ask"} },
		Aux:      map[string]func() any{"notes": func() any { return new(int) }},
	}
	// README: handler config ends
	cfg.Store, cfg.InsecureFastHash = persistence.NewMemory(), true
	cfg.Log = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	srv, err := server.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown("", 10*time.Second) })

	// README: hooks begin
	ended := make(chan *msg.Disconnected, 4) // read by the rest of the test

	var wizlock atomic.Bool // set by an admin tool; read inside the hook actor
	srv.Subscribe(msg.HookConnect, sessions.Func(func(ev msg.Hook) *msg.Verdict {
		if wizlock.Load() {
			return &msg.Verdict{Veto: true, Message: "The game is closed for maintenance."}
		}
		return nil // allow
	}))
	srv.Subscribe(msg.HookDisconnect, sessions.Func(func(ev msg.Hook) *msg.Verdict {
		d := ev.(*msg.Disconnected)
		ended <- d // e.g. log d.Reason (QUIT or LINKDEATH), d.Cause, d.Character
		return nil
	}))
	// README: hooks end

	// The Subscribe messages are handled in order before a later request.
	if _, err := srv.System.Root.RequestFuture(srv.Sessions, &sessions.Count{}, 5*time.Second).Result(); err != nil {
		t.Fatal(err)
	}

	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("Name: ")
	c.Send("")
	c.Expect("Please type a name.")
	c.Send("Ada {R")
	hello := c.Expect("connected.")
	// The socket list is a snapshot republished at most every 50 ms, so a
	// socket this new may not be in it yet.
	if !regexp.MustCompile(`Hello, Ada \{R! You are socket \d+, one of [01] connected\.`).MatchString(hello) {
		t.Fatalf("greeting: %q", hello)
	}
	c.Expect("note> ")
	c.Send("buy milk")
	c.Expect("Noted (1 so far): buy milk")
	c.Send("[name] {x")
	c.Expect("Noted (2 so far): [name] {x") // typed text is never expanded or coloured
	c.Send("back")
	c.Expect("Name: ")
	c.Send("Bob")
	c.Expect("Hello, Bob!")
	c.Send("again")
	c.Expect("Noted (3 so far): again") // aux data belongs to the socket, not the handler
	c.Send("quit")
	if out := c.ExpectClosed(); !strings.Contains(out, "Goodbye, Bob.") {
		t.Fatalf("quit: %q", out)
	}
	select {
	case d := <-ended:
		if d.Reason != msg.ReasonQuit || d.Cause != msg.CauseQuit {
			t.Fatalf("disconnect: %v/%v, want QUIT/quit", d.Reason, d.Cause)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no disconnect hook")
	}

	// Wizlocked: the connect hook turns new players away.
	wizlock.Store(true)
	v := servertest.Dial(t, srv.Addr().String())
	if out := v.ExpectClosed(); !strings.Contains(out, "The game is closed for maintenance.") || strings.Contains(out, "Name: ") {
		t.Fatalf("vetoed client got %q", out)
	}
	select {
	case d := <-ended:
		if d.Reason != msg.ReasonQuit || d.Cause != msg.CauseVeto {
			t.Fatalf("disconnect: %v/%v, want QUIT/veto", d.Reason, d.Cause)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no disconnect hook for the vetoed socket")
	}
}
