package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/persistence"
)

// TestInProcessReboot: in the one-process mode an admin's reboot stops the
// game half and starts a new one in the same process; the portal keeps
// every socket and the new game rebuilds each session from its snapshot —
// a player in the editor keeps the buffer, a player at the password prompt
// keeps their place, and characters are back in their rooms.
func TestInProcessReboot(t *testing.T) {
	srv := servertest.Start(t, server.Config{Admins: []string{"boss"}, Store: persistence.NewMemory()})
	addr := srv.Addr().String()
	boss := servertest.Create(t, addr, "boss", "secret1", "Boss")
	writer := servertest.Create(t, addr, "writer", "secret1", "Writer")
	writer.Send("describe")
	writer.Expect("] ")
	writer.Send("Half a description,")
	writer.Expect("] ")
	// A third player has typed an account name and waits at the password.
	servertest.Create(t, addr, "known", "secret1", "Known").Close()
	half := servertest.Dial(t, addr)
	half.Expect("Account name: ")
	half.Send("known")
	half.Expect("Password: ")

	boot := srv.Boot()
	rebooted := srv.Rebooted()
	boss.Send("reboot")
	// The command's answer (from the game) and the portal's notice may
	// come in either order.
	for i, c := range []*servertest.Client{boss, writer, half} {
		got := c.Expect("The world takes shape around you again")
		if !strings.Contains(got, "The world shimmers") || (i == 0 && !strings.Contains(got, "You ask the world to begin again")) {
			t.Fatalf("client %d before the world came back:\n%s", i, got)
		}
	}
	select {
	case <-rebooted:
	case <-time.After(10 * time.Second):
		t.Fatal("the game did not start again")
	}
	if srv.Boot() == boot || srv.Boot() == "" {
		t.Fatalf("boot id %q after the reboot, %q before", srv.Boot(), boot)
	}
	boss.Expect(servertest.Prompt)
	boss.Do("look", "Millbrook Village Square")
	writer.Expect("] ")
	writer.Send(".l")
	if got := writer.Expect("Half a description,"); strings.Contains(got, "Something went wrong") {
		t.Fatalf("the editor after the reboot: %q", got)
	}
	writer.Expect("] ")
	writer.Send(".s")
	writer.Expect("Description saved.")
	half.Send("secret1")
	half.Expect("Welcome back, known!")
	half.Expect("Choice: ")
	boss.Do("say all here", "You say, 'all here'")
	for i, c := range []*servertest.Client{boss, writer, half} {
		if c.Closed() {
			t.Errorf("client %d: the socket closed", i)
		}
	}
}
