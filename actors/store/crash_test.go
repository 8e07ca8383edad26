package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/persistence/storetest"
)

const (
	crashEnv    = "TROUPE_CRASH_CHILD"
	crashDirEnv = "TROUPE_CRASH_DIR"
	crashAcks   = 3000 // acks before the parent kills the child
)

// bigCharacter returns a ~2 KB character record carrying seq in PlayedSeconds.
func bigCharacter(name string, seq int64) *persistence.CharacterRecord {
	ch := storetest.Character(name, "crash")
	ch.Description = strings.Repeat("A tall figure in a long grey coat. ", 48)
	ch.PlayedSeconds = seq
	return ch
}

// TestCrashChild is the child half of TestCrashKill9: a save storm that prints one line
// per acknowledged save. It does nothing unless started by the parent.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashEnv) != "1" {
		t.Skip("child process of TestCrashKill9")
	}
	st, err := persistence.OpenBolt(os.Getenv(crashDirEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	sys := newSystem(t)
	pid := sys.Root.Spawn(store.Props(st, zerolog.Nop()))
	deadline := time.Now().Add(10 * time.Second) // stop by ourselves if never killed
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("crash%02d", i)
			for seq := int64(1); time.Now().Before(deadline); seq++ {
				res, err := sys.Root.RequestFuture(pid, &store.SaveCharacter{Record: bigCharacter(name, seq)}, wait).Result()
				if err != nil || res.(*store.Saved).Err != nil {
					fmt.Fprintln(os.Stderr, "save failed:", err, res)
					os.Exit(3)
				}
				fmt.Fprintf(os.Stdout, "ACK %s %d\n", name, seq)
			}
		}()
	}
	wg.Wait()
}

// TestCrashKill9 kills a process in the middle of a save storm with SIGKILL and checks
// that the store opens and holds every acknowledged save.
func TestCrashKill9(t *testing.T) {
	if os.Getenv(crashEnv) == "1" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"=1", crashDirEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]int64{}
	n, killed := 0, false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() { // ends at EOF: after the kill, every line already written is still read
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ACK" {
			continue
		}
		seq, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		acked[f[1]] = max(acked[f[1]], seq)
		if n++; n == crashAcks && !killed {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	werr := cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acks without being killed: %v\n%s", n, werr, stderr.String())
	}
	t.Logf("killed after %d acked saves (%d read in all) of %d characters", crashAcks, n, len(acked))

	st, err := persistence.OpenBolt(dir)
	if err != nil {
		t.Fatalf("store does not open after kill -9: %v", err)
	}
	defer st.Close()
	for name, seq := range acked {
		ch, err := st.GetCharacter(context.Background(), name)
		if err != nil {
			t.Errorf("%s: acknowledged save %d lost: %v", name, seq, err)
			continue
		}
		if ch.PlayedSeconds < seq {
			t.Errorf("%s: store has seq %d, acknowledged %d", name, ch.PlayedSeconds, seq)
		}
	}
}
