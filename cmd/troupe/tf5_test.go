package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/world/text"
)

// TestTF5Plays logs into an account created by a servertest client with
// TinyFugue 5 running in a private tmux server (tf5 needs a terminal): the
// script testdata/clients/login.tf answers the account and password
// prompts and picks the character from the menu; the test then types
// look and quit with tmux send-keys and reads the screen.
func TestTF5Plays(t *testing.T) {
	tf := needBinary(t, "/usr/bin/tf5", "tf5")
	tmux := needBinary(t, "tmux")
	srv := startServer(t)
	startName := text.Strip(srv.World.Rooms[srv.World.Start].Name)

	c := servertest.Dial(t, srv.Addr().String())
	createCharacter(c, "tfacc", "tfpass99", "Tiffy")
	c.Send("quit")
	c.ExpectClosed()

	tmp := t.TempDir()
	tmpl, err := os.ReadFile("../../testdata/clients/login.tf")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(tmp, "login.tf")
	body := strings.NewReplacer("ACCOUNT", "tfacc", "PASSWORD", "tfpass99").Replace(string(tmpl))
	if err := os.WriteFile(script, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(tmp, "tmux.sock") // a private tmux server
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, tmux, append([]string{"-S", sock}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+tmp, "TERM=xterm", "LANG=C.UTF-8")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	port := strconv.Itoa(srv.Addr().(*net.TCPAddr).Port)
	if out, err := run("new-session", "-d", "-x", "100", "-y", "40", tf+" -v -f"+script+" 127.0.0.1 "+port); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = run("kill-server") })
	screen := func() string {
		out, _ := run("capture-pane", "-p", "-S", "-200")
		return out
	}
	// waitScreen waits until cond holds for the screen.
	waitScreen := func(what string, cond func(string) bool) {
		t.Helper()
		if !waitFor(15*time.Second, func() bool { return cond(screen()) }) {
			t.Fatalf("tf5: no %s on the screen:\n%s", what, screen())
		}
	}
	has := func(s string) func(string) bool { return func(sc string) bool { return strings.Contains(sc, s) } }

	waitScreen("welcome", has("Welcome to the game!"))
	waitScreen("start room", has(startName))
	before := strings.Count(screen(), startName)
	if _, err := run("send-keys", "-t", "0", "look", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitScreen("second look at "+startName, func(sc string) bool { return strings.Count(sc, startName) > before })
	if _, err := run("send-keys", "-t", "0", "quit", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitScreen("Goodbye!", has("Goodbye!"))

	got := screen()
	checks := []struct {
		what string
		ok   bool
	}{
		{"welcomed back", strings.Contains(got, "Welcome back, tfacc!")},
		{"menu with Tiffy", strings.Contains(got, "1. Tiffy")},
		{"password not shown", !strings.Contains(got, "tfpass99")},
		{"quit saved and left", inOrder(got, "You save your progress and leave the game.", "Goodbye!")},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: failed", ch.what)
		}
	}
	if t.Failed() {
		t.Logf("screen:\n%s", got)
	}
	// The server closed the link: the player is gone from the socket list.
	if !waitFor(5*time.Second, func() bool { return len(srv.Sockets.Load()) == 0 }) {
		t.Errorf("sockets still listed after quit: %+v", srv.Sockets.Load())
	}
}
