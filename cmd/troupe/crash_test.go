package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/persistence"
)

// crashClients is how many players save during the storm.
const crashClients = 20

// TestBinaryKill9KeepsAcknowledgedSaves is the crash test at the server
// level: crashClients players each loop "describe" (the editor replaces
// the description with one holding a counter) then "save"; every "Saved." a client sees
// records its counter as acknowledged. The process is SIGKILLed in the
// middle of the storm. Afterwards the store (opened directly) must hold,
// for every character, a description whose counter is at least the last
// acknowledged one, and the binary must start again on the same data.
func TestBinaryKill9KeepsAcknowledgedSaves(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	p := startTroupe(t, data)

	var (
		killed  atomic.Bool
		wg      sync.WaitGroup
		created [crashClients]atomic.Bool
		acked   [crashClients]atomic.Int64 // last counter acknowledged by "Saved."
		sent    [crashClients]atomic.Int64 // last counter typed into the editor
		total   atomic.Int64               // acknowledged saves, all clients
	)
	for i := range crashClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				f, ok := r.(softFailure)
				if !ok {
					panic(r)
				}
				if !killed.Load() {
					t.Errorf("client %d failed before the kill: %s", i, f)
				}
			}()
			c := servertest.Dial(softTB{t}, p.addr)
			c.Wait = procWait
			createCharacter(c, crashAccount(i), "secret1", crashChar(i))
			created[i].Store(true)
			c.Expect("> ")
			for k := int64(1); ; k++ {
				c.Send("describe")
				c.Expect("] ")
				c.Send(".c") // the editor opens on the old description
				c.Expect("] ")
				sent[i].Store(k)
				c.Send(fmt.Sprintf("mark %d %d", i, k))
				c.Expect("] ")
				c.Send(".s")
				c.Expect("Description saved.")
				c.Send("save")
				c.Expect("Saved.")
				acked[i].Store(k)
				total.Add(1)
			}
		}()
	}

	// Let every client be acknowledged at least twice, then let the storm
	// go on (another round, and 10 saves a client in all) and kill the
	// server in its middle.
	allTwice := func() bool {
		for i := range crashClients {
			if acked[i].Load() < 2 {
				return false
			}
		}
		return true
	}
	if !waitFor(60*time.Second, allTwice) {
		t.Fatalf("the storm did not get going: %d saves acknowledged; log:\n%s", total.Load(), p.stderr.String())
	}
	mark := max(total.Load()+crashClients, 10*crashClients)
	if !waitFor(30*time.Second, func() bool { return total.Load() >= mark }) {
		t.Fatalf("the storm stalled at %d saves", total.Load())
	}
	killed.Store(true)
	p.signal(syscall.SIGKILL)
	p.exitCode(procWait)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(procWait):
		t.Fatal("clients did not notice the kill")
	}
	if n := total.Load(); n < 3*crashClients {
		t.Fatalf("only %d saves acknowledged", n)
	}
	t.Logf("%d saves acknowledged before the kill", total.Load())

	// The dead process's store: every acknowledged save is there.
	checkStore(t, data, func(i int, desc string) {
		var gi int
		var k int64
		if _, err := fmt.Sscanf(desc, "mark %d %d", &gi, &k); err != nil || gi != i {
			if acked[i].Load() > 0 {
				t.Errorf("%s: description %q; want mark %d ≥%d", crashChar(i), desc, i, acked[i].Load())
			}
			return
		}
		if k < acked[i].Load() || k > sent[i].Load() {
			t.Errorf("%s: stored counter %d; acknowledged %d, last typed %d", crashChar(i), k, acked[i].Load(), sent[i].Load())
		}
	}, created[:])
	if t.Failed() {
		return
	}

	// And the binary serves from it again.
	p = startTroupe(t, data)
	c := servertest.Dial(t, p.addr)
	c.Wait = procWait
	c.Expect("Account name: ")
	c.Send(crashAccount(0))
	c.Expect("Password: ")
	c.Send("secret1")
	if menu := c.Expect("Choice: "); !strings.Contains(menu, "1. "+crashChar(0)) {
		t.Fatalf("after the restart the menu lacks %s:\n%s", crashChar(0), menu)
	}
	c.Send("1")
	c.Expect("Welcome to the game!")
	c.Expect("> ")
	c.Send("quit")
	c.ExpectClosed()
	p.signal(syscall.SIGTERM)
	if code := p.exitCode(procWait); code != 0 {
		t.Fatalf("exit status %d after SIGTERM; log:\n%s", code, p.stderr.String())
	}
	p.checkLog()
}

// checkStore opens the store in dir (its process must be dead) and calls
// check with each created client's character description, after checking
// that the account lists the character.
func checkStore(t *testing.T, dir string, check func(i int, desc string), created []atomic.Bool) {
	t.Helper()
	st, err := persistence.OpenBolt(dir)
	if err != nil {
		t.Fatalf("the store does not open after kill -9: %v", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range created {
		if !created[i].Load() {
			continue
		}
		acc, err := st.GetAccount(ctx, persistence.NormalizeKey(crashAccount(i)))
		if err != nil {
			t.Errorf("account %s: %v", crashAccount(i), err)
			continue
		}
		if len(acc.Characters) != 1 || acc.Characters[0] != crashChar(i) {
			t.Errorf("account %s lists %q; want [%s]", acc.Name, acc.Characters, crashChar(i))
		}
		ch, err := st.GetCharacter(ctx, persistence.NormalizeKey(crashChar(i)))
		if errors.Is(err, persistence.ErrNotFound) {
			t.Errorf("character %s was acknowledged as created but is not stored", crashChar(i))
			continue
		} else if err != nil {
			t.Errorf("character %s: %v", crashChar(i), err)
			continue
		}
		check(i, ch.Description)
	}
}

// crashAccount and crashChar name client i's account and character
// (character names are letters only).
func crashAccount(i int) string { return "crash" + strconv.Itoa(i) }
func crashChar(i int) string    { return "Crash" + string(rune('a'+i/26)) + string(rune('a'+i%26)) }

// softFailure is what a softTB panics with instead of failing the test.
type softFailure string

// softTB lets a servertest client run in a goroutine whose connection is
// expected to die: Fatal panics with a softFailure that the goroutine
// recovers (and reports, unless the death was planned). Everything else
// goes to the real test.
type softTB struct{ testing.TB }

func (s softTB) Fatal(args ...any) { panic(softFailure(fmt.Sprint(args...))) }
func (s softTB) Fatalf(format string, args ...any) {
	panic(softFailure(fmt.Sprintf(format, args...)))
}
func (s softTB) FailNow() { panic(softFailure("FailNow")) }
