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
	"github.com/troupe-mud/troupe/net/telnet/clienttest"
	"github.com/troupe-mud/troupe/persistence"
)

// Helpers shared by the end-to-end tests of this package: an in-process
// server, real-client lookup, polling with deadlines, and the binary.

// needBinary returns the path of a client binary, or skips (fails under CI).
var needBinary = clienttest.NeedBinary

// startServer starts an in-process troupe on 127.0.0.1:0 with a memory
// store and fast password hashing; Cleanup shuts it down before the test's
// logger goes away, and fails the test if the server logged an error.
func startServer(t *testing.T) *server.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errs := &errorHook{}
	srv, err := server.Start(server.Config{
		Listener:         ln,
		Name:             "troupe-e2e",
		Greeting:         greeting("troupe-e2e"),
		Store:            persistence.NewMemory(),
		InsecureFastHash: true,
		Log:              zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel).Hook(errs),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Shutdown("", 10*time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if msgs := errs.messages(); len(msgs) > 0 {
			t.Errorf("the server logged errors: %q", msgs)
		}
	})
	return srv
}

// errorHook collects the messages of error-level (and worse) log events.
type errorHook struct {
	mu   sync.Mutex
	msgs []string
}

// Run implements zerolog.Hook.
func (h *errorHook) Run(_ *zerolog.Event, level zerolog.Level, msg string) {
	if level >= zerolog.ErrorLevel && level <= zerolog.PanicLevel {
		h.mu.Lock()
		h.msgs = append(h.msgs, msg)
		h.mu.Unlock()
	}
}

func (h *errorHook) messages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.msgs...)
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

// troupeBinary builds the binary from this package once and returns its
// path. Under -race the binary is built with -race too: that reuses the
// test build's compiled packages and lets the race detector watch the real
// process (it exits 66 on a race, which the exit-status checks catch).
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
		args := []string{"build", "-o", buildOnce.path}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.CommandContext(ctx, "go", append(args, ".")...)
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

// proc is a troupe process started by a test.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string      // the telnet address it serves
	stderr *syncBuffer // its log
	done   chan struct{}
}

// procWait bounds how long a test waits for the binary to start serving or
// to exit (the race-instrumented binary starts slowly on a busy machine).
const procWait = 20 * time.Second

// startTroupe starts the binary on a free 127.0.0.1 port with dataDir and
// the extra flags, and waits until it accepts connections. Cleanup kills a
// process the test left running.
func startTroupe(t *testing.T, dataDir string, extra ...string) *proc {
	t.Helper()
	bin := troupeBinary(t)
	var last *proc
	for attempt := 0; attempt < 3; attempt++ { // the free port may be taken in between
		p := spawnTroupe(t, bin, append([]string{"--telnet", freePort(t), "--data", dataDir,
			"--insecure-fast-hash", "--dns=false", "--log-level", "warn", "--log-format", "json"}, extra...)...)
		if p.waitServing() {
			return p
		}
		last = p
		if !strings.Contains(p.stderr.String(), "address already in use") {
			break
		}
	}
	t.Fatalf("troupe did not start serving within %v; log:\n%s", procWait, last.stderr.String())
	return nil
}

// spawnTroupe starts the binary with args without waiting for anything.
func spawnTroupe(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, stderr: &syncBuffer{}, done: make(chan struct{})}
	for i, a := range args {
		if a == "--telnet" && i+1 < len(args) {
			p.addr = args[i+1]
		}
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.stderr, p.stderr
	p.cmd.Env = append(os.Environ(), "GORACE=halt_on_error=0 exitcode=66")
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting troupe: %v", err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// waitServing polls until the process accepts a TCP connection; false if it
// exited or the deadline passed.
func (p *proc) waitServing() bool {
	deadline := time.Now().Add(procWait)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", p.addr, time.Second)
		if err == nil {
			_ = c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// signal sends sig to the process.
func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %v: %v", sig, err)
	}
}

// exitCode waits up to d for the process to exit and returns its status.
func (p *proc) exitCode(d time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		p.t.Fatalf("troupe did not exit within %v; log:\n%s", d, p.stderr.String())
		return -1
	}
}

// checkLog fails the test if the process's log holds a data race report or
// an error-level line it should not have.
func (p *proc) checkLog() {
	p.t.Helper()
	log := p.stderr.String()
	for _, bad := range []string{"DATA RACE", "panic:", `"level":"error"`, `"level":"fatal"`} {
		if strings.Contains(log, bad) {
			p.t.Errorf("troupe's log has %q:\n%s", bad, log)
			return
		}
	}
}

// freePort returns a 127.0.0.1 address whose port was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
