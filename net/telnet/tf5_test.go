package telnet

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tf5Script answers the login prompts (tf5 sees text before IAC EOR as a
// prompt, so the triggers are PROMPT hooks).
const tf5Script = `/def -h"PROMPT *What is your name?*" tname = /send alice
/def -h"PROMPT *Password:*" tpass = /send secret
`

// TestTF5 logs in with TinyFugue 5 running in a detached tmux session (it
// needs a terminal) and reads the screen with capture-pane. It checks the
// TTYPE cycle TINYFUGUE → ANSI-ATTR → ANSI (→ UNKNOWN), EOR, MCCP2 (the server's text
// and its finished stream arrive compressed) and that the text shows.
func TestTF5(t *testing.T) {
	tf := needBinary(t, "/usr/bin/tf5", "tf5")
	tmux := needBinary(t, "tmux")
	addr, result := startLoginServer(t, true, Limits{MCCP3: true})
	dir := t.TempDir()
	script := filepath.Join(dir, "login.tf")
	if err := os.WriteFile(script, []byte(tf5Script), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "tmux.sock") // a private tmux server
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, tmux, append([]string{"-S", sock}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+dir, "TERM=xterm", "LANG=C.UTF-8")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	tfCmd := tf + " -v -f" + script + " 127.0.0.1 " + strconv.Itoa(addr.Port)
	if out, err := run("new-session", "-d", "-x", "100", "-y", "30", tfCmd); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = run("kill-server") })
	screen := func() string {
		out, _ := run("capture-pane", "-p", "-S", "-100")
		return out
	}
	r := waitResult(t, result, screen)
	// The server closed after Bye!: poll the screen for the text.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(screen(), "Bye!") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got := screen()
	c := r.caps
	checks := []struct {
		what string
		ok   bool
	}{
		{"login lines alice, secret", len(r.lines) == 2 && r.lines[0] == "alice" && r.lines[1] == "secret"},
		// tf5 5.0b8 answers a fourth SEND with UNKNOWN; the cycle stops at four.
		{"TTYPE cycle TINYFUGUE, ANSI-ATTR, ANSI", strings.HasPrefix(strings.Join(r.ttypes, ","), "TINYFUGUE,ANSI-ATTR,ANSI") && len(r.ttypes) <= maxTTYPERounds},
		{"client TINYFUGUE", c.Client == "TINYFUGUE"},
		{"EOR agreed", c.EOR},
		{"MCCP2 on (DO MCCP2) when Bye! was sent", hasNeg(r.negs, DO, OptMCCP2) && r.capsAtBye.MCCP2},
		{"MCCP3 refused", !c.MCCP3},
		{"client said DO ECHO to WILL ECHO", hasNeg(r.negs, DO, OptEcho)},
		{"text shown", strings.Contains(got, "Welcome!") && strings.Contains(got, "Bye!")},
		{"password not echoed", !strings.Contains(got, "secret")},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: failed", ch.what)
		}
	}
	if t.Failed() {
		t.Logf("caps %+v ttypes %q lines %q negs %s\nscreen:\n%s", c, r.ttypes, r.lines, describe(r.negs), got)
	}
}
