package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/persistence"
)

// Helpers shared by the end-to-end tests of this package: an in-process
// server, real-client lookup, polling with deadlines, and the binary.

// needBinary returns the path of a client binary, or skips the test when
// none of paths exists (fails instead under CI=true, where .ci/deps
// installs them).
func needBinary(t *testing.T, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if lp, err := exec.LookPath(p); err == nil {
			return lp
		}
	}
	msg := "this test needs " + strings.Join(paths, " or ") + " (installed by .ci/deps)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startServer starts an in-process troupe on 127.0.0.1:0 with a memory
// store and fast password hashing; Cleanup shuts it down before the test's
// logger goes away.
func startServer(t *testing.T) *server.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.Start(server.Config{
		Listener:         ln,
		Name:             "troupe-e2e",
		Greeting:         greeting("troupe-e2e"),
		Store:            persistence.NewMemory(),
		InsecureFastHash: true,
		Log:              zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Shutdown("", 10*time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return srv
}

// waitFor polls cond every 10 ms until it is true or d passes; it reports
// whether cond became true.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// createCharacter walks a servertest client through account and character
// creation up to the game's welcome.
func createCharacter(c *servertest.Client, account, password, char string) {
	c.Expect("Account name: ")
	c.Send(account)
	c.Expect("Create account: ")
	c.Send("y")
	c.Expect("Password: ")
	c.Send(password)
	c.Expect("Account created successfully!")
	c.Expect("Character name: ")
	c.Send(char)
	c.Expect("Welcome to the game!")
}

// syncBuffer is a bytes.Buffer that a process's output goroutine may write
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// buildOnce builds the troupe binary once per test process.
var buildOnce struct {
	sync.Once
	path string
	err  error
	out  []byte
	dir  string
}

// troupeBinary builds the binary from this package (go build -race when
// the tests run under the race detector would be slow: a plain build is
// enough for black-box tests) and returns its path.
func troupeBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "troupe-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.dir = dir
		buildOnce.path = filepath.Join(dir, "troupe")
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", buildOnce.path, ".")
		buildOnce.out, buildOnce.err = cmd.CombinedOutput()
	})
	if buildOnce.err != nil {
		t.Fatalf("go build: %v\n%s", buildOnce.err, buildOnce.out)
	}
	return buildOnce.path
}

// TestMain removes the built binary after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.dir != "" {
		_ = os.RemoveAll(buildOnce.dir)
	}
	os.Exit(code)
}
