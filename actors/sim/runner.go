package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
)

// Runner timing.
const (
	rampTick    = 10 * time.Millisecond // spawn granularity
	stopTimeout = 10 * time.Second      // for the players' stop and the collector's answer

	mailboxThroughput = 300 // messages per mailbox run, protoactor's default
)

// ErrStopped is returned with a partial report when ctx ended the run early.
var ErrStopped = errors.New("sim: run interrupted")

// Run performs one load run: it validates cfg, opens the players at the
// ramp rate, lets them play for cfg.Duration (or until ctx is done), stops
// them and returns the report. A run cut short by ctx returns its report
// with an error wrapping ErrStopped.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Log
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		l := log.With().Str("component", "protoactor").Logger()
		if log.GetLevel() < zerolog.WarnLevel {
			l = l.Level(zerolog.WarnLevel)
		}
		return slog.New(zerolog.NewSlogHandler(l))
	}))
	// The pool stops after the system (defers run last first): every
	// player has stopped by then.
	pool := newWorkerPool()
	defer pool.stop()
	defer system.Shutdown()
	root := system.Root

	var progress chan Progress
	if cfg.Progress != nil || cfg.OnProgress != nil {
		progress = make(chan Progress, 4)
	}
	// The players' and the collector's mailboxes run on the goroutine that
	// sends to them (see doc.go): a burst is handled, and its samples
	// recorded, on the reader's goroutine, with no hand-off.
	inline := actor.WithDispatcher(actor.NewSynchronizedDispatcher(mailboxThroughput))
	col := root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &collector{log: log, progress: progress, target: cfg.Players}
	}, inline))
	prof := Profiles[cfg.Profile]
	sh := &shared{cfg: cfg, profile: prof, keep: prof.globalKeep(cfg.Players, cfg.Rate, cfg.GlobalRate), collector: col, log: log, pool: pool}

	start := time.Now()
	cpuStart, sysStart, cpuOK := processCPU()
	deadline := time.NewTimer(cfg.Duration)
	defer deadline.Stop()
	tick := time.NewTicker(rampTick)
	defer tick.Stop()
	pids := make([]*actor.PID, 0, cfg.Players)
	var interrupted error
	printed := false
loop:
	for {
		select {
		case <-ctx.Done():
			interrupted = fmt.Errorf("%w: %w", ErrStopped, ctx.Err())
			break loop
		case <-deadline.C:
			break loop
		case <-tick.C:
			if len(pids) == cfg.Players {
				continue
			}
			due := min(cfg.Players, 1+int(time.Since(start).Seconds()*cfg.Ramp))
			for len(pids) < due {
				n := len(pids)
				props := actor.PropsFromProducer(func() actor.Actor { return newPlayer(sh, n) }, inline)
				pid, err := root.SpawnNamed(props, "p"+strconv.Itoa(n))
				if err != nil {
					return nil, fmt.Errorf("sim: spawning player %d: %w", n, err)
				}
				pids = append(pids, pid)
			}
			root.Send(col, &spawned{n: len(pids)})
		case p := <-progress:
			if cfg.Progress != nil {
				printProgress(cfg.Progress, cfg.ProgressTTY, p)
				printed = true
			}
			if cfg.OnProgress != nil {
				cfg.OnProgress(p)
			}
		}
	}
	elapsed := time.Since(start)
	cpuEnd, sysEnd, _ := processCPU() // the load's CPU; the stop below is teardown

	// Stop everyone; each player's last batch reaches the collector before
	// its stop completes, so *finish sees all of them.
	futures := make([]*actor.Future, len(pids))
	for i, pid := range pids {
		futures[i] = root.StopFuture(pid)
	}
	for _, f := range futures {
		_ = f.Wait()
	}
	res, err := root.RequestFuture(col, &finish{}, stopTimeout).Result()
	if err != nil {
		return nil, fmt.Errorf("sim: collecting the results: %w", err)
	}
	if printed && cfg.ProgressTTY {
		_, _ = io.WriteString(cfg.Progress, "\n")
	}
	t, ok := res.(*totals)
	if !ok {
		return nil, fmt.Errorf("sim: collector answered %T", res)
	}
	r := newReport(&cfg, t, elapsed)
	if cpuOK {
		var steadyN int64
		if t.steadyCPU != 0 && t.steady != nil {
			steadyN = t.steady.TotalCount()
		}
		r.setCPU(cpuEnd-cpuStart, sysEnd-sysStart, cpuEnd-t.steadyCPU, steadyN)
	}
	return r, interrupted
}

// printProgress writes one progress line: redrawn in place on a terminal,
// a plain line otherwise.
func printProgress(w io.Writer, tty bool, p Progress) {
	if tty {
		_, _ = fmt.Fprintf(w, "\r%s\x1b[K", p)
		return
	}
	_, _ = fmt.Fprintln(w, p)
}
