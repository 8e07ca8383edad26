package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/world/starter"
)

// twoProcs is a portal and a game started as separate processes.
type twoProcs struct {
	t        *testing.T
	bin      string
	data     string
	gameAddr string
	game     *proc
	portal   *proc
}

func startTwo(t *testing.T) *twoProcs {
	t.Helper()
	tp := &twoProcs{t: t, bin: troupeBinary(t), data: filepath.Join(t.TempDir(), "data"), gameAddr: freePort(t)}
	tp.startGame()
	tp.portal = spawnTroupe(t, tp.bin, "portal", "--telnet", freePort(t), "--remote", freePort(t), "--game", tp.gameAddr,
		"--log-level", "info", "--log-format", "json")
	if !tp.portal.waitServing() {
		t.Fatalf("the portal did not start serving; log:\n%s", tp.portal.stderr.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", tp.portal.stderr.String())
			t.Logf("game log:\n%s", tp.game.stderr.String())
		}
	})
	return tp
}

func (tp *twoProcs) startGame() {
	tp.game = spawnTroupe(tp.t, tp.bin, "game", "--remote", tp.gameAddr, "--data", tp.data,
		"--insecure-fast-hash", "--dns=false", "--admin", "boss", "--log-level", "info", "--log-format", "json")
}

// waitLog waits until the process's log contains want.
func waitLog(t *testing.T, p *proc, want string, n int) {
	t.Helper()
	if !waitFor(procWait, func() bool { return strings.Count(p.stderr.String(), want) >= n }) {
		t.Fatalf("waited %v for %d× %q in the log:\n%s", procWait, n, want, p.stderr.String())
	}
}

func (tp *twoProcs) dial() *servertest.Client {
	c := servertest.Dial(tp.t, tp.portal.addr)
	c.Wait = procWait
	return c
}

// TestPortalKeepsPlayersAcrossGameKill is the portal's promise: the game
// process is killed (SIGKILL: no save, no goodbye) and started again, and
// no socket closes; players keep playing from the room they were in, and a
// player who was half-way through a description in the editor keeps it.
func TestPortalKeepsPlayersAcrossGameKill(t *testing.T) {
	w, err := starter.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir, _, thereName := firstExit(t, w)
	tp := startTwo(t)
	walker := tp.dial()
	createCharacter(walker, "walker", "secret1", "Walker")
	walker.Expect("> ")
	walker.Send(dir.String())
	if got := walker.Expect("> "); !strings.Contains(got, thereName) {
		t.Fatalf("walking %s: want %q in\n%s", dir, thereName, got)
	}
	writer := tp.dial()
	createCharacter(writer, "writer", "secret1", "Writer")
	writer.Expect("> ")
	writer.Send("describe")
	writer.Expect("] ")
	writer.Send("A wiry figure in a travel-stained cloak,")
	writer.Expect("] ")
	writer.Send("with ink on every finger.")
	writer.Expect("] ")
	// One player is still at the login prompt.
	late := tp.dial()
	late.Expect("Account name: ")

	// The snapshot reaches the portal with the output that follows each
	// line; the editor has answered both lines, so it has.
	t.Log("killing the game")
	tp.game.signal(syscall.SIGKILL)
	<-tp.game.done
	for _, c := range []*servertest.Client{walker, writer, late} {
		c.Expect("The world shimmers")
	}
	walker.Send("look") // held by the portal while the game is down
	t.Log("starting the game again")
	tp.startGame()
	for _, c := range []*servertest.Client{walker, writer, late} {
		c.Expect("The world takes shape around you again")
	}
	// The room twice: the character shown back where it was, then the
	// held look (the two may come in one burst, with one prompt).
	walker.Expect(thereName)
	walker.Expect(thereName)
	walker.Do("say back on the road", "You say, 'back on the road'")
	writer.Expect("] ") // the editor is back on top, with its prompt
	writer.Send(".l")
	listed := writer.Expect("ink on every finger.")
	if !strings.Contains(listed, "travel-stained cloak") || !strings.Contains(listed, "ink on every finger") {
		t.Fatalf("the editor's buffer after the restart:\n%s", listed)
	}
	writer.Send(".s")
	writer.Expect("Description saved.")
	writer.Expect("> ")
	late.Send("latecomer")
	late.Expect("Create account: ")

	// The portal measured the re-attach.
	waitLog(t, tp.portal, "every session attached", 2)
	for i, c := range []*servertest.Client{walker, writer, late} {
		if c.Closed() {
			t.Errorf("client %d: the socket closed", i)
		}
	}
	walker.Send("quit")
	walker.ExpectClosed()
	t.Log("stopping the game")
	tp.game.signal(syscall.SIGTERM)
	if code := tp.game.exitCode(procWait); code != 0 {
		t.Errorf("game exit status %d after SIGTERM; log:\n%s", code, tp.game.stderr.String())
	}
	t.Log("stopping the portal")
	tp.portal.signal(syscall.SIGTERM)
	if code := tp.portal.exitCode(procWait); code != 0 {
		t.Errorf("portal exit status %d after SIGTERM; log:\n%s", code, tp.portal.stderr.String())
	}
	writer.ExpectClosed()
}

// TestRebootFromInsideTheGame: an admin types reboot; the game saves,
// starts its binary again (the same process, exec), and every player is
// back where they were without losing the socket.
func TestRebootFromInsideTheGame(t *testing.T) {
	tp := startTwo(t)
	boss := tp.dial()
	createCharacter(boss, "boss", "secret1", "Boss")
	boss.Expect("> ")
	other := tp.dial()
	createCharacter(other, "other", "secret1", "Other")
	other.Expect("> ")
	other.Send("reboot")
	other.Expect("Huh?") // not an admin
	other.Expect("> ")
	boss.Send("reboot")
	// The command's answer (from the game) and the portal's notice may
	// come in either order.
	for i, c := range []*servertest.Client{boss, other} {
		got := c.Expect("The world takes shape around you again")
		if !strings.Contains(got, "The world shimmers") || (i == 0 && !strings.Contains(got, "You ask the world to begin again")) {
			t.Fatalf("client %d before the world came back:\n%s", i, got)
		}
		c.Expect("> ")
	}
	select {
	case <-tp.game.done:
		t.Fatalf("the game process exited instead of starting again:\n%s", tp.game.stderr.String())
	default:
	}
	waitLog(t, tp.game, "the game is up", 2)
	other.Do("say still here", "You say, 'still here'")
	boss.Expect("Other says, 'still here'")
}

// TestPortalDeathMakesCharactersLinkdead: the portal process dies; the game
// goes on, and the characters played through it go linkdead (a player who
// comes back through a new portal reconnects to the same body).
func TestPortalDeathMakesCharactersLinkdead(t *testing.T) {
	tp := startTwo(t)
	c := tp.dial()
	createCharacter(c, "lost", "secret1", "Lost")
	c.Expect("> ")
	tp.portal.signal(syscall.SIGKILL)
	<-tp.portal.done
	c.ExpectClosed()
	waitLog(t, tp.game, `"message":"the portal stopped answering: its sessions end as linkdead"`, 1)
	waitLog(t, tp.game, `"cause":"portal","time"`, 1)
	waitLog(t, tp.game, `"message":"linkdead"`, 1)
	select {
	case <-tp.game.done:
		t.Fatalf("the game died with its portal:\n%s", tp.game.stderr.String())
	default:
	}
	tp.portal = spawnTroupe(t, tp.bin, "portal", "--telnet", freePort(t), "--remote", freePort(t), "--game", tp.gameAddr,
		"--log-level", "info", "--log-format", "json")
	if !tp.portal.waitServing() {
		t.Fatalf("the second portal did not start serving; log:\n%s", tp.portal.stderr.String())
	}
	c = tp.dial()
	c.Expect("Account name: ")
	c.Send("lost")
	c.Expect("Password: ")
	c.Send("secret1")
	c.Expect("Choice: ")
	c.Send("1")
	c.Expect("You have reconnected.")
	c.Expect("> ")
	if code := func() int { tp.game.signal(syscall.SIGTERM); return tp.game.exitCode(procWait) }(); code != 0 {
		t.Errorf("game exit status %d; log:\n%s", code, tp.game.stderr.String())
	}
}

// TestPortalHungGame: a game that hangs (SIGSTOP: no crash, no closed
// connection) is noticed by missing pongs; when it wakes up (SIGCONT) with
// its sessions alive, the portal gives every link its session back.
func TestPortalHungGame(t *testing.T) {
	tp := startTwo(t)
	c := tp.dial()
	createCharacter(c, "sleepy", "secret1", "Sleepy")
	c.Expect("> ")
	tp.game.signal(syscall.SIGSTOP)
	c.Expect("The world shimmers")
	waitLog(t, tp.portal, `"reason":"no answer to pings"`, 1)
	c.Send("say awake again")
	tp.game.signal(syscall.SIGCONT)
	c.Expect("The world takes shape around you again")
	c.Expect("You say, 'awake again'")
	c.Expect("> ")
	if c.Closed() {
		t.Fatal("the socket closed")
	}
}
