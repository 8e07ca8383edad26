package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Percentiles summarises one histogram, in milliseconds.
type Percentiles struct {
	Count int64   `json:"count"`
	Mean  float64 `json:"mean"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	P999  float64 `json:"p999"`
	Max   float64 `json:"max"`
}

// percentilesOf reads a histogram of microseconds as milliseconds.
func percentilesOf(h *hdrhistogram.Histogram) Percentiles {
	if h == nil || h.TotalCount() == 0 {
		return Percentiles{}
	}
	ms := func(us int64) float64 { return float64(us) / 1000 }
	return Percentiles{
		Count: h.TotalCount(),
		Mean:  h.Mean() / 1000,
		P50:   ms(h.ValueAtQuantile(50)),
		P90:   ms(h.ValueAtQuantile(90)),
		P99:   ms(h.ValueAtQuantile(99)),
		P999:  ms(h.ValueAtQuantile(99.9)),
		Max:   ms(h.Max()),
	}
}

// Report is the outcome of a load run; its JSON form is what --json
// writes.
type Report struct {
	Addr           string  `json:"addr"`
	Profile        string  `json:"profile"`
	Rate           float64 `json:"rate"`
	Seed           int64   `json:"seed"`
	ConnectOnly    bool    `json:"connect_only"`
	Players        int     `json:"players"`        // asked for
	Spawned        int     `json:"spawned"`        // started before the end (the ramp may not finish)
	Connected      int     `json:"connected"`      // in the game when the run stopped
	PeakConnected  int     `json:"peak_connected"` // most in the game at once
	AccountsNew    int64   `json:"accounts_created"`
	DurationS      float64 `json:"duration_s"`
	Commands       int64   `json:"commands"`         // answered, unknown included
	CommandsPerSec float64 `json:"commands_per_sec"` // Commands / DurationS
	Unknown        int64   `json:"unknown"`          // answered "Huh?"
	Blocked        int64   `json:"blocked"`          // "You can't go that way."
	Ambiguous      int64   `json:"ambiguous"`        // editor lines whose prompt came with other output
	AsyncOutput    int64   `json:"async_output"`     // bursts that answered no command of ours
	Errors         int64   `json:"errors"`           // Timeouts + LoginErrors
	Timeouts       int64   `json:"timeouts"`         // commands not answered in time
	LoginErrors    int64   `json:"login_errors"`     // failed connects and logins
	Disconnects    int64   `json:"disconnects"`      // unexpected, after login
	Truncated      int64   `json:"truncated_bursts"` // output over the reader's limits
	// Latency is measured once every player is in the game (plus a 2 s
	// settle), so that the login storm of the ramp does not count; it falls
	// back to every sample when the run never had all players in.
	Latency Percentiles `json:"latency_ms"`
	// LatencyAll includes the ramp.
	LatencyAll Percentiles `json:"latency_all_ms"`
	// SteadyS is how long the steady state lasted (0: never reached).
	SteadyS        float64     `json:"steady_s"`
	SteadyCmdsPerS float64     `json:"steady_commands_per_sec"`
	Login          Percentiles `json:"login_ms"`
	// CPUSeconds is the CPU time (user plus system, getrusage) the whole
	// process used over DurationS, the players' stop not included: the load
	// tester's own cost, which shares the machine with a local server. In a
	// test that runs its server in the same process, the server's too.
	CPUSeconds float64 `json:"cpu_seconds"`
	// CPUSysSeconds is the part of CPUSeconds spent in the kernel: mostly
	// the loopback TCP work of one write per command and one read per
	// burst, out of the tester's hands.
	CPUSysSeconds float64 `json:"cpu_sys_seconds"`
	// CPUCores is CPUSeconds / DurationS: the share of one core it took.
	CPUCores float64 `json:"cpu_cores"`
	// CPUMicrosPerCommand is CPUSeconds per command answered, in µs (the
	// ramp's logins included).
	CPUMicrosPerCommand float64 `json:"cpu_us_per_command"`
	// SteadyCPUSeconds and SteadyCPUMicrosPerCommand are the same over the
	// steady state alone (0 when it was never reached).
	SteadyCPUSeconds          float64 `json:"steady_cpu_seconds"`
	SteadyCPUMicrosPerCommand float64 `json:"steady_cpu_us_per_command"`
}

// setCPU fills the CPU fields from the process's CPU time over the run
// (sys of it in the kernel) and over its steady state, which answered
// steadyCommands (0: the steady state was never reached).
func (r *Report) setCPU(run, sys, steady time.Duration, steadyCommands int64) {
	r.CPUSeconds = run.Seconds()
	r.CPUSysSeconds = sys.Seconds()
	if r.DurationS > 0 {
		r.CPUCores = r.CPUSeconds / r.DurationS
	}
	if r.Commands > 0 {
		r.CPUMicrosPerCommand = r.CPUSeconds * 1e6 / float64(r.Commands)
	}
	if steadyCommands > 0 {
		r.SteadyCPUSeconds = steady.Seconds()
		r.SteadyCPUMicrosPerCommand = r.SteadyCPUSeconds * 1e6 / float64(steadyCommands)
	}
}

// newReport builds the report of a finished run.
func newReport(cfg *Config, t *totals, elapsed time.Duration) *Report {
	r := &Report{
		Addr: cfg.Addr, Profile: cfg.Profile, Rate: cfg.Rate, Seed: cfg.Seed, ConnectOnly: cfg.ConnectOnly,
		Players: cfg.Players, Spawned: t.spawned, Connected: t.connected, PeakConnected: t.peak,
		AccountsNew: t.counts[cCreated],
		DurationS:   elapsed.Seconds(),
		Commands:    t.counts[cCommands],
		Unknown:     t.counts[cUnknown],
		Blocked:     t.counts[cBlocked],
		Ambiguous:   t.counts[cAmbiguous],
		AsyncOutput: t.counts[cAsync],
		Timeouts:    t.counts[cTimeouts],
		LoginErrors: t.counts[cLoginErrors],
		Disconnects: t.counts[cDisconnects],
		Truncated:   t.counts[cDropped],
		Latency:     percentilesOf(t.latency),
		LatencyAll:  percentilesOf(t.latency),
		Login:       percentilesOf(t.login),
		SteadyS:     t.steadyS,
	}
	if t.steady != nil && t.steady.TotalCount() > 0 {
		r.Latency = percentilesOf(t.steady)
		if t.steadyS > 0 {
			r.SteadyCmdsPerS = float64(t.steady.TotalCount()) / t.steadyS
		}
	}
	r.Errors = r.Timeouts + r.LoginErrors
	if r.DurationS > 0 {
		r.CommandsPerSec = float64(r.Commands) / r.DurationS
	}
	return r
}

// WriteJSON writes the report as indented JSON to w.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteJSONFile writes the report to path (created or truncated).
func (r *Report) WriteJSONFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("sim: report: %w", err)
	}
	if err := r.WriteJSON(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("sim: report: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("sim: report: %w", err)
	}
	return nil
}

// WriteTable writes the human summary.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format, a...) }
	p("troupe-load\t%s, profile %s, rate %g/s per player, seed %d\n", r.Addr, r.Profile, r.Rate, r.Seed)
	p("duration\t%.1fs\n", r.DurationS)
	p("players\t%d asked, %d started, %d in game at the end (peak %d), %d accounts created\n",
		r.Players, r.Spawned, r.Connected, r.PeakConnected, r.AccountsNew)
	p("commands\t%d (%.1f/s); unknown %d, blocked moves %d, ambiguous %d; unsolicited bursts %d\n",
		r.Commands, r.CommandsPerSec, r.Unknown, r.Blocked, r.Ambiguous, r.AsyncOutput)
	p("errors\t%d (timeouts %d, login %d); unexpected disconnects %d\n", r.Errors, r.Timeouts, r.LoginErrors, r.Disconnects)
	p("steady state\t%.1fs after every player was in the game, %.1f commands/s\n", r.SteadyS, r.SteadyCmdsPerS)
	p("cpu (this process)\t%.2fs (%.2f cores, %.2fs in the kernel), %.1f µs per command; steady state %.2fs, %.1f µs per command\n",
		r.CPUSeconds, r.CPUCores, r.CPUSysSeconds, r.CPUMicrosPerCommand, r.SteadyCPUSeconds, r.SteadyCPUMicrosPerCommand)
	p("\n\tcount\tmean\tp50\tp90\tp99\tp99.9\tmax (ms)\n")
	for _, row := range []struct {
		name string
		p    Percentiles
	}{{"latency", r.Latency}, {"(with ramp)", r.LatencyAll}, {"login", r.Login}} {
		p("%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\n", row.name, row.p.Count, row.p.Mean, row.p.P50, row.p.P90, row.p.P99, row.p.P999, row.p.Max)
	}
	return tw.Flush()
}
