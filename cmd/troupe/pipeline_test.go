package main

import (
	"strings"
	"testing"

	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/world/text"
)

// TestPipelinedInput: lines that arrive together (a client's speedwalk
// "n;s", a pasted editor session) run in order. Commands that wait for
// another actor (a move waits for the room; describe has the connection open
// the editor) hold the lines after them until they finish, and lines typed
// after describe go to the editor it opened.
func TestPipelinedInput(t *testing.T) {
	srv := startServer(t)
	dir, _, thereName := firstExit(t, srv.World)
	back := dir.Reverse()
	startName := text.Strip(srv.World.Rooms[srv.World.Start].Name)

	c := servertest.Dial(t, srv.Addr().String())
	createCharacter(c, "pipeliner", "secret1", "Piper")
	c.Expect("> ")
	// A speedwalk there and back, then a say, in one write.
	c.SendRaw([]byte(dir.String() + "\r\n" + back.String() + "\r\nsay made it\r\n"))
	got := c.Expect("You say, 'made it'")
	if strings.Contains(got, "already on your way") || !inOrder(got, thereName, startName) {
		t.Errorf("speedwalk %s;%s;say: want %q then %q then the say; got:\n%s", dir, back, thereName, startName, got)
	}
	c.Expect("> ")
	// A whole editor session in one write.
	c.SendRaw([]byte("describe\r\nA piper with a flute.\r\n.s\r\nscore\r\n"))
	got = c.Expect("Hit points")
	if strings.Contains(got, "Huh?") || !inOrder(got, "Text saved.", "Description saved.") {
		t.Errorf("describe;text;.s;score: the editor lines did not reach the editor:\n%s", got)
	}
}
