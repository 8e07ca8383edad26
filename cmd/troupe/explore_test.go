package main

import (
	"testing"

	"github.com/troupe-mud/troupe/actors/server/servertest"
)

func TestExplore(t *testing.T) {
	srv := startServer(t)
	c := servertest.Dial(t, srv.Addr().String())
	createCharacter(c, "explorer", "secret1", "Explo")
	c.Expect("> ")
	c.Send("north")
	t.Logf("%q", c.Expect("> "))
	c.Send("say hi there")
	t.Logf("%q", c.Expect("> "))
	c.Send("describe")
	t.Logf("%q", c.Expect("] "))
	c.Send("my desc 1")
	t.Logf("%q", c.Expect("] "))
	c.Send(".s")
	t.Logf("%q", c.Expect("> "))
	c.Send("save")
	t.Logf("%q", c.Expect("Saved."))
	c.Send("quit")
	t.Logf("%q", c.ExpectClosed())
	t.Logf("start %s %q", srv.World.Start, srv.World.Rooms[srv.World.Start].Name)
}
