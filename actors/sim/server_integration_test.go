package sim_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/sim"
)

// startTroupe starts a real troupe in-process on 127.0.0.1:0 with a fresh
// data directory and fast password hashing.
func startTroupe(t *testing.T) *server.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{Listener: ln, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel), DataDir: t.TempDir(), InsecureFastHash: true}
	srv, err := server.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A shutdown error is the server's, not the load tester's: it is
		// logged for whoever reads the test output, not failed on here.
		if err := srv.Shutdown("", 10*time.Second); err != nil {
			t.Logf("server shutdown after the load run: %v", err)
		}
	})
	return srv
}

// loginWired reports whether the server runs the account login flow: it
// shows "Account name:" and answers an account name with the create or
// password prompt. (The server's placeholder before the flow was wired
// showed "Account name:" and then "Accounts are not open yet.")
func loginWired(t *testing.T, addr string) (bool, string) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(nc)
	var seen strings.Builder
	waitFor := func(subs ...string) bool {
		buf := make([]byte, 512)
		for {
			for _, s := range subs {
				if strings.Contains(seen.String(), s) {
					return true
				}
			}
			n, err := r.Read(buf)
			seen.Write(buf[:n])
			if err != nil {
				return false
			}
		}
	}
	if !waitFor("Account name:") {
		return false, "no Account name: prompt"
	}
	seen.Reset()
	if _, err := nc.Write([]byte("probe0account\r\n")); err != nil {
		t.Fatal(err)
	}
	if !waitFor("Create account:", "Password:", "not open yet") || strings.Contains(seen.String(), "not open yet") {
		return false, "the account name prompt is a placeholder"
	}
	return true, ""
}

func TestLoadAgainstTroupe(t *testing.T) {
	srv := startTroupe(t)
	addr := srv.Addr().String()
	if ok, why := loginWired(t, addr); !ok {
		t.Skip("login flow not wired yet: " + why)
	}
	const players = 30
	// The run ends once every player is in the game and the players have
	// had 3 commands each answered (about 3 s of play at this rate once
	// logged in); the duration is only the backstop, so that a slow
	// machine cannot make the test fail.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := sim.Run(ctx, sim.Config{
		Addr:     addr,
		Players:  players,
		Rate:     2,
		Ramp:     500,
		Duration: 2 * time.Minute,
		Profile:  "normal",
		Seed:     1,
		Timeout:  10 * time.Second,
		Log:      zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
		OnProgress: func(p sim.Progress) {
			if p.Connected == players && p.Commands >= 3*players {
				cancel()
			}
		},
	})
	if err != nil && !errors.Is(err, sim.ErrStopped) {
		t.Fatal(err)
	}
	if r.Connected != players || r.Spawned != players {
		t.Errorf("connected %d of %d spawned; want %d", r.Connected, r.Spawned, players)
	}
	if r.Commands <= 0 {
		t.Errorf("commands = %d, want > 0", r.Commands)
	}
	if r.Latency.P50 <= 0 || r.Latency.Max <= 0 || r.Login.P50 <= 0 {
		t.Errorf("latencies not positive: command %+v, login %+v", r.Latency, r.Login)
	}
	if r.Errors != 0 || r.Disconnects != 0 {
		t.Errorf("errors %d (timeouts %d, login %d), unexpected disconnects %d", r.Errors, r.Timeouts, r.LoginErrors, r.Disconnects)
	}
	// Every command of the normal mix exists in troupe, and every answer
	// has its marker: none may be taken for unknown.
	if r.Unknown != 0 {
		t.Errorf("unknown = %d: troupe answered a command of the normal mix with Huh?, or a marker is wrong", r.Unknown)
	}
	if r.Latency.Count != r.Commands {
		t.Errorf("latency samples %d, commands %d", r.Latency.Count, r.Commands)
	}
	t.Logf("%d commands (%.1f/s), unknown %d, blocked %d, ambiguous %d, async %d, p50 %.2fms p99 %.2fms, login p50 %.2fms",
		r.Commands, r.CommandsPerSec, r.Unknown, r.Blocked, r.Ambiguous, r.AsyncOutput, r.Latency.P50, r.Latency.P99, r.Login.P50)
}
