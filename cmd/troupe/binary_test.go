package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/starter"
	"github.com/troupe-mud/troupe/world/text"
)

// TestBinarySmoke builds troupe, creates an account and a character, walks
// one exit, stops the server with SIGTERM (the player is told goodbye, the
// process exits 0), starts it again on the same data directory and logs
// back in through the menu: the character is where it was.
func TestBinarySmoke(t *testing.T) {
	w, err := starter.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir, there, thereName := firstExit(t, w)
	data := filepath.Join(t.TempDir(), "data")

	p := startTroupe(t, data)
	c := servertest.Dial(t, p.addr)
	c.Wait = procWait
	createCharacter(c, "smoker", "secret1", "Smokey")
	c.Expect("> ")
	c.Send(dir.String())
	got := c.Expect("> ")
	if !strings.Contains(got, thereName) {
		t.Fatalf("walking %s: want %q in\n%s", dir, thereName, got)
	}

	p.signal(syscall.SIGTERM)
	if rest := c.ExpectClosed(); !strings.Contains(rest, server.DefaultGoodbye) {
		t.Errorf("at SIGTERM the player got %q; want %q then EOF", rest, server.DefaultGoodbye)
	}
	if code := p.exitCode(procWait); code != 0 {
		t.Fatalf("exit status %d after SIGTERM; log:\n%s", code, p.stderr.String())
	}
	p.checkLog()

	// Same data directory: the account, the character and its room survive.
	p = startTroupe(t, data)
	c = servertest.Dial(t, p.addr)
	c.Wait = procWait
	c.Expect("Account name: ")
	c.Send("smoker")
	c.Expect("Password: ")
	c.Send("secret1")
	c.Expect("Welcome back, smoker!")
	menu := c.Expect("Choice: ")
	if !strings.Contains(menu, "1. Smokey") {
		t.Fatalf("menu lacks the character:\n%s", menu)
	}
	c.Send("1")
	c.Expect("Welcome to the game!")
	got = c.Expect("> ")
	if !strings.Contains(got, thereName) {
		t.Errorf("after the restart the character should be in %s (%q); got:\n%s", there, thereName, got)
	}
	c.Send("quit")
	if rest := c.ExpectClosed(); !strings.Contains(rest, "Goodbye!") {
		t.Errorf("quit: got %q", rest)
	}
	p.signal(syscall.SIGTERM)
	if code := p.exitCode(procWait); code != 0 {
		t.Fatalf("exit status %d after the second SIGTERM; log:\n%s", code, p.stderr.String())
	}
	p.checkLog()
}

// TestBinaryBadWorld: --world with a broken area file makes troupe exit
// non-zero, naming the file and line, before it opens the store or listens.
func TestBinaryBadWorld(t *testing.T) {
	bin := troupeBinary(t)
	worldDir := t.TempDir()
	area := "zone: broken\nname: Broken\nstart: a\nrooms:\n  - id: a\n    name: A room\n    descripton: Misspelt.\n"
	if err := os.WriteFile(filepath.Join(worldDir, "broken.yaml"), []byte(area), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	addr := freePort(t)
	p := spawnTroupe(t, bin, "--world", worldDir, "--telnet", addr, "--data", data, "--insecure-fast-hash", "--dns=false")
	code := p.exitCode(procWait)
	log := p.stderr.String()
	if code == 0 {
		t.Errorf("exit status 0 with a broken world; want non-zero")
	}
	if !strings.Contains(log, "broken.yaml:7:") || !strings.Contains(log, "descripton") {
		t.Errorf("stderr should name broken.yaml:7 and the bad key; got:\n%s", log)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the data directory was created (%v): troupe got past the world check", err)
	}
	if strings.Contains(log, "serving telnet") {
		t.Errorf("troupe served with a broken world:\n%s", log)
	}
}

// TestBinaryBadFlags: a bad flag value is refused with usage, status 2.
func TestBinaryBadFlags(t *testing.T) {
	bin := troupeBinary(t)
	for _, args := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}, {"--no-such-flag"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("troupe %v: %v, want exit status 2\n%s", args, err, out)
		}
		if len(out) == 0 {
			t.Errorf("troupe %v: no message on stderr", args)
		}
	}
}

// firstExit returns the first open exit of w's start room, its destination
// and the destination's name as players see it.
func firstExit(t *testing.T, w *world.World) (world.Direction, world.RoomID, string) {
	t.Helper()
	start, ok := w.Room(w.Start)
	if !ok {
		t.Fatalf("start room %s missing", w.Start)
	}
	for _, d := range start.ExitDirections() {
		ex, _ := start.Exit(d)
		if ex.Door && ex.Closed {
			continue
		}
		to, ok := w.Room(ex.To)
		if !ok {
			continue
		}
		return d, ex.To, text.Strip(to.Name)
	}
	t.Fatalf("the start room %s has no open exit", w.Start)
	return 0, "", ""
}
