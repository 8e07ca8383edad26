package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/world/text"
)

// ansiRE matches the colour sequences tintin prints around text.
var ansiRE = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")

// tintinSafe matches text a tintin action pattern can hold literally.
var tintinSafe = regexp.MustCompile(`^[A-Za-z0-9 ,.'!-]+$`)

// TestTintinPlays drives tintin++ (headless, -H) through the real login
// flow and a short game session against an in-process troupe, following
// the script testdata/clients/game.tin: create an account (the password
// prompt comes after IAC WILL ECHO, which tintin accepts), create a
// character, subscribe to GMCP Char and Room, walk one exit, say something,
// quit. It checks tintin's telnet debug log for every option troupe offers
// and a client like tintin takes, and then that the quit saved the
// character where it stood.
func TestTintinPlays(t *testing.T) {
	tt := needBinary(t, "/usr/games/tt++", "tt++")
	srv := startServer(t)
	dir, _, thereName := firstExit(t, srv.World)
	startName := text.Strip(srv.World.Rooms[srv.World.Start].Name)
	const say = "hello from tintin"
	if !tintinSafe.MatchString(thereName) {
		t.Fatalf("room name %q cannot go into a tintin pattern as is", thereName)
	}

	tmp := t.TempDir()
	events := filepath.Join(tmp, "events.log")
	tmpl, err := os.ReadFile("../../testdata/clients/game.tin")
	if err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer(
		"EVENTS", events,
		"PORT", strconv.Itoa(srv.Addr().(*net.TCPAddr).Port),
		"ACCOUNT", "tinacc",
		"PASSWORD", "tinpass1",
		"CHARNAME", "Tina",
		"DIRECTION", dir.String(),
		"NEWROOM", thereName,
		"SAYTEXT", say,
	).Replace(string(tmpl))
	scriptPath := filepath.Join(tmp, "game.tin")
	if err := os.WriteFile(scriptPath, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tt, "-H", "-G", scriptPath)
	cmd.Dir = tmp
	cmd.Stdin = nil // /dev/null: tintin -H runs without a terminal
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=xterm-256color", "HOME="+tmp)
	raw, err := cmd.CombinedOutput()
	out := ansiRE.ReplaceAllString(string(raw), "")
	logged, _ := os.ReadFile(events)
	if err != nil {
		t.Fatalf("tt++: %v (did the session end?)\nevents:\n%s\noutput:\n%s", err, logged, out)
	}

	shown := func(s ...string) bool { return inOrder(out, s...) } // tintin's output has s, in order
	ev := string(logged)
	checks := []struct {
		what string
		ok   bool
	}{
		{"TTYPE cycle TINTIN++, xterm-256color, MTTS", shown("RCVD IAC DO TERMINAL TYPE", "SENT IAC WILL TERMINAL TYPE",
			"SENT IAC SB TTYPE TINTIN++", "SENT IAC SB TTYPE xterm-256color", "SENT IAC SB TTYPE MTTS ")},
		{"NAWS 80x24", shown("RCVD IAC DO NAWS", "SENT IAC WILL NAWS", "SENT IAC SB NAWS 0 80 0 24")},
		{"CHARSET UTF-8 accepted", shown("RCVD IAC WILL CHARSET", "SENT IAC DO CHARSET", "SENT IAC SB CHARSET ACCEPTED UTF-8")},
		{"EOR agreed and sent after prompts", shown("RCVD IAC WILL EOR", "SENT IAC DO EOR", "RCVD IAC EOR")},
		{"MCCP2 started", shown("RCVD IAC WILL MCCP2", "SENT IAC DO MCCP2", "INFO MCCP2 INITIALIZED")},
		{"MCCP3 offered and started", shown("RCVD IAC WILL MCCP3", "SENT IAC DO MCCP3", "INFO MCCP3 INITIALIZED")},
		{"NEW-ENVIRON answered (MNES)", shown("RCVD IAC DO NEW-ENVIRON", "SENT IAC SB NEW-ENVIRON IS VAR CLIENT_NAME VAL TinTin++")},
		{"GMCP offered", strings.Contains(out, "RCVD IAC WILL GMCP")},
		{"WILL ECHO, DO ECHO, then the password prompt", shown("Create account:", "RCVD IAC WILL ECHO", "SENT IAC DO ECHO", "Password:", "RCVD IAC WONT ECHO", "Account created successfully!")},
		{"password not shown", !strings.Contains(out, "tinpass1")},
		{"character created", strings.Contains(out, "Character 'Tina' created!")},
		{"start room shown after the welcome", shown("Welcome to the game!", startName)},
		{"walked into " + thereName, shown(startName, thereName)},
		{"said it", strings.Contains(out, "You say, '"+say+"'")},
		{"quit with Goodbye!", shown("You save your progress and leave the game.", "Goodbye!")},
		{"GMCP Char.Vitals received", strings.Contains(ev, `GMCP Char.Vitals Char.Vitals {"hp":`)},
		{"GMCP Room.Info for the start room", strings.Contains(ev, `"name":"`+startName+`","num":"`+string(srv.World.Start)+`"`)},
		{"GMCP Room.Info for the new room", strings.Contains(ev, `"name":"`+thereName+`"`)},
		{"script steps in order", inOrder(ev, "TEXT welcome", "TEXT arrived", "TEXT said", "TEXT goodbye", "DISCONNECTED")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: failed", c.what)
		}
	}
	if t.Failed() {
		t.Logf("events:\n%s\ntintin output:\n%s", logged, out)
		return
	}

	// The quit saved the character in the room it walked to.
	c := servertest.Dial(t, srv.Addr().String())
	c.Expect("Account name: ")
	c.Send("tinacc")
	c.Expect("Password: ")
	c.Send("tinpass1")
	if menu := c.Expect("Choice: "); !strings.Contains(menu, "1. Tina") {
		t.Fatalf("menu lacks Tina:\n%s", menu)
	}
	c.Send("1")
	c.Expect("Welcome to the game!")
	if got := c.Expect("> "); !strings.Contains(got, thereName) {
		t.Errorf("Tina should be back in %q; got:\n%s", thereName, got)
	}
	c.Send("quit")
	c.ExpectClosed()
}

// inOrder reports whether every s appears in text, in this order.
func inOrder(text string, s ...string) bool {
	for _, x := range s {
		i := strings.Index(text, x)
		if i < 0 {
			return false
		}
		text = text[i+len(x):]
	}
	return true
}
