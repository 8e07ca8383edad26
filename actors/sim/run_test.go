package sim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// untilAll returns a context for a run that ends once all players are in
// the game and each has had at least perPlayer commands answered (or,
// with perPlayer < 0, once errors reach -perPlayer). Runs end on state,
// not on a clock; Duration is only the backstop.
func untilAll(cfg *Config, perPlayer int) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Duration = time.Minute
	cfg.OnProgress = func(p Progress) {
		switch {
		case perPlayer < 0 && p.Errors >= int64(-perPlayer):
			cancel()
		case perPlayer >= 0 && p.Connected == cfg.Players && p.Commands >= int64(perPlayer*cfg.Players):
			cancel()
		}
	}
	return ctx
}

// run runs cfg until ctx ends it.
func run(t *testing.T, ctx context.Context, cfg Config) *Report {
	t.Helper()
	r, err := Run(ctx, cfg)
	if err != nil && !errors.Is(err, ErrStopped) {
		t.Fatal(err)
	}
	if r == nil {
		t.Fatal("no report")
	}
	return r
}

func fakeConfig(t *testing.T, m *fakeMUD) Config {
	return Config{
		Addr:     m.addr(),
		Players:  12,
		Rate:     20,
		Ramp:     1000,
		Duration: 1500 * time.Millisecond,
		Profile:  "normal",
		Seed:     7,
		Timeout:  5 * time.Second,
		Log:      zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel),
	}
}

// checkSane fails unless the report shows every player in the game, some
// commands and no errors.
func checkSane(t *testing.T, r *Report, players int) {
	t.Helper()
	if r.Connected != players || r.Spawned != players || r.PeakConnected != players {
		t.Errorf("connected %d, spawned %d, peak %d; want %d", r.Connected, r.Spawned, r.PeakConnected, players)
	}
	if r.Commands <= 0 || r.Latency.Count != r.Commands {
		t.Errorf("commands %d, latency samples %d", r.Commands, r.Latency.Count)
	}
	if r.Latency.P50 <= 0 || r.Latency.Max < r.Latency.P99 || r.Latency.P99 < r.Latency.P50 {
		t.Errorf("latency percentiles not sane: %+v", r.Latency)
	}
	if r.Login.Count != int64(players) || r.Login.P50 <= 0 {
		t.Errorf("login percentiles: %+v", r.Login)
	}
	if r.Errors != 0 || r.Disconnects != 0 {
		t.Errorf("errors %d (timeouts %d, login %d), disconnects %d", r.Errors, r.Timeouts, r.LoginErrors, r.Disconnects)
	}
}

func TestRunCreatesThenLogsIn(t *testing.T) {
	m := startFakeMUD(t)
	cfg := fakeConfig(t, m)
	r := run(t, untilAll(&cfg, 3), cfg)
	checkSane(t, r, cfg.Players)
	if r.AccountsNew != int64(cfg.Players) {
		t.Errorf("accounts created %d, want %d", r.AccountsNew, cfg.Players)
	}
	if r.Unknown != 0 || r.Ambiguous != 0 {
		t.Errorf("unknown %d, ambiguous %d: the fake server answers every command of the mix", r.Unknown, r.Ambiguous)
	}
	if r.AsyncOutput == 0 {
		t.Errorf("async output = 0: the fake server shows every say, emote and chat to the other players")
	}

	// The same seed again: the accounts exist, the players pick their
	// character from the menu.
	r2 := run(t, untilAll(&cfg, 1), cfg)
	checkSane(t, r2, cfg.Players)
	if r2.AccountsNew != 0 {
		t.Errorf("second run created %d accounts, want 0", r2.AccountsNew)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.chars) != cfg.Players {
		t.Errorf("the server has %d characters, want %d (one per player, reused)", len(m.chars), cfg.Players)
	}
}

func TestRunProfiles(t *testing.T) {
	for _, prof := range []string{"looker", "walker", "talker", "builder", "idler", "crowd"} {
		t.Run(prof, func(t *testing.T) {
			m := startFakeMUD(t)
			cfg := fakeConfig(t, m)
			cfg.Profile = prof
			cfg.Players = 5
			n := 3
			if prof == "idler" {
				n, cfg.Rate = 1, 100 // idlers type at 1/20 of the rate
			}
			r := run(t, untilAll(&cfg, n), cfg)
			checkSane(t, r, cfg.Players)
			if r.Ambiguous != 0 {
				t.Errorf("ambiguous = %d: every fake command has an answer", r.Ambiguous)
			}
		})
	}
}

func TestRunWrongPassword(t *testing.T) {
	m := startFakeMUD(t)
	cfg := fakeConfig(t, m)
	cfg.Players = 3
	run(t, untilAll(&cfg, 0), cfg)
	cfg.Password = "another-password"
	r := run(t, untilAll(&cfg, -3), cfg)
	if r.LoginErrors != 3 || r.Errors != 3 || r.Connected != 0 || r.Commands != 0 {
		t.Errorf("wrong password: login errors %d, errors %d, connected %d, commands %d; want 3, 3, 0, 0",
			r.LoginErrors, r.Errors, r.Connected, r.Commands)
	}
}

func TestRunTimeouts(t *testing.T) {
	m := startFakeMUD(t)
	m.mu.Lock()
	m.silent = true
	m.mu.Unlock()
	cfg := fakeConfig(t, m)
	cfg.Players, cfg.Timeout = 3, 100*time.Millisecond
	r := run(t, untilAll(&cfg, -3), cfg)
	if r.Timeouts < 3 || r.Errors < r.Timeouts || r.Commands != 0 {
		t.Errorf("silent server: timeouts %d, errors %d, commands %d", r.Timeouts, r.Errors, r.Commands)
	}
	if r.Connected != 3 || r.LoginErrors != 0 {
		t.Errorf("connected %d, login errors %d; want 3, 0 (login worked)", r.Connected, r.LoginErrors)
	}
}

func TestRunConnectOnly(t *testing.T) {
	m := startFakeMUD(t)
	cfg := fakeConfig(t, m)
	cfg.ConnectOnly = true
	r := run(t, untilAll(&cfg, 0), cfg)
	if r.Connected != cfg.Players || r.Commands != 0 || r.Errors != 0 {
		t.Errorf("connect-only: connected %d, commands %d, errors %d", r.Connected, r.Commands, r.Errors)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lines != 0 {
		t.Errorf("connect-only players typed %d game lines", m.lines)
	}
}

// cancelOn is a progress writer that cancels the run once a line
// contains want.
type cancelOn struct {
	want   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.want) {
		c.cancel()
	}
	return len(p), nil
}

func TestRunServerGone(t *testing.T) {
	m := startFakeMUD(t)
	cfg := fakeConfig(t, m)
	cfg.Players, cfg.Duration = 4, time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg.Progress = &cancelOn{want: "disconnects 4", cancel: cancel}
	go func() {
		// Once everyone is in the game, drop every connection.
		for {
			m.mu.Lock()
			n := len(m.conns)
			if n == cfg.Players {
				for c := range m.conns {
					_ = c.nc.Close()
				}
			}
			m.mu.Unlock()
			if n == cfg.Players || ctx.Err() != nil {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	r, err := Run(ctx, cfg)
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("err = %v, want ErrStopped", err)
	}
	if r.Disconnects != int64(cfg.Players) || r.Connected != 0 || r.PeakConnected != cfg.Players {
		t.Errorf("disconnects %d, connected %d, peak %d; want %d, 0, %d", r.Disconnects, r.Connected, r.PeakConnected, cfg.Players, cfg.Players)
	}
}
