package servertest

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/persistence"
)

// Prompt ends the game prompt of a new character ("<20/20hp 100/100mn
// 100/100mv> "): tests wait for it after a command's answer.
const Prompt = "mv> "

// Start starts a server for a test on 127.0.0.1:0 with an in-memory store
// (unless cfg.Store is set), fast password hashing and warnings logged to
// the test; t.Cleanup shuts it down.
func Start(t testing.TB, cfg server.Config) *server.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	if cfg.Store == nil {
		cfg.Store = persistence.NewMemory()
	}
	cfg.InsecureFastHash = true
	level := zerolog.WarnLevel
	if l, err := zerolog.ParseLevel(os.Getenv("TROUPE_TEST_LOG")); err == nil && os.Getenv("TROUPE_TEST_LOG") != "" {
		level = l // e.g. TROUPE_TEST_LOG=debug go test -run X ./...
	}
	cfg.Log = zerolog.New(zerolog.NewTestWriter(t)).Level(level)
	srv, err := server.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown("", 10*time.Second) })
	return srv
}

// Create connects to addr, creates account with password and a first
// character char through the login flow, and returns the client in the
// game, after its first prompt.
func Create(t testing.TB, addr, account, password, char string) *Client {
	t.Helper()
	c := Dial(t, addr)
	c.Expect("Account name: ")
	c.Send(account)
	c.Expect("Account '" + account + "' does not exist. Create it? (y/n)")
	c.Expect("Create account: ")
	c.Send("y")
	c.Expect("Password: ")
	c.Send(password)
	c.Expect("Account created successfully!")
	c.Expect("What would you like to name your character?")
	c.Expect("Character name: ")
	c.Send(char)
	c.Expect("Character '" + char + "' created!")
	c.Expect("Welcome to the game!")
	c.Expect(Prompt)
	return c
}

// CreateNamed is Create with the account named after the character (lower
// case) and a fixed password.
func CreateNamed(t testing.TB, addr, char string) *Client {
	t.Helper()
	return Create(t, addr, strings.ToLower(char), "password1", char)
}

// Do sends a command and returns its answer: the text up to the prompt
// that follows want.
func (c *Client) Do(cmd, want string) string {
	c.t.Helper()
	c.Send(cmd)
	out := c.Expect(want)
	return out + c.Expect(Prompt)
}
