package sim

import (
	"fmt"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
	"github.com/rs/zerolog"
)

// counter indexes the counters a player reports.
type counter uint8

// Counters.
const (
	cCommands    counter = iota // commands answered (unknown and ambiguous included)
	cUnknown                    // answered with "Huh?"
	cBlocked                    // moves answered with "You can't go that way."
	cAsync                      // bursts that answered no command of ours
	cAmbiguous                  // editor lines whose prompt came with other output (see answer.go)
	cTimeouts                   // commands not answered within the timeout
	cLoginErrors                // logins that failed (bad password, timeout, name taken)
	cDisconnects                // connections the server (or network) closed unexpectedly
	cCreated                    // accounts created during the run
	cDropped                    // bursts that lost lines to the reader's limits
	numCounters
)

// Histogram range: 1 µs to one hour, three significant digits.
const (
	histMin    = 1
	histMax    = int64(time.Hour / time.Microsecond)
	histDigits = 3
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, histDigits) }

// statsBatch is a player's report since its last flush: raw samples and
// counter deltas. Players batch so that the hot path touches only their
// own memory; the collector owns the histograms.
type statsBatch struct {
	latency   []int64 // command latencies, µs
	login     []int64 // login times, µs
	counts    [numCounters]int64
	connected int // change in players in the game
}

func (b *statsBatch) empty() bool {
	return len(b.latency) == 0 && len(b.login) == 0 && b.counts == [numCounters]int64{} && b.connected == 0
}

// Progress is one live progress sample, taken once a second.
type Progress struct {
	Elapsed    time.Duration
	Spawned    int
	Connected  int
	CmdsPerSec float64 // over the last interval
	Commands   int64   // answered so far
	P99        time.Duration
	Errors     int64
	Disconnect int64
}

// String renders the progress line.
func (p Progress) String() string {
	return fmt.Sprintf("%6.0fs  players %d/%d in game  cmds/s %8.1f  p99 %8.2fms  errors %d  disconnects %d",
		p.Elapsed.Seconds(), p.Connected, p.Spawned, p.CmdsPerSec, float64(p.P99)/float64(time.Millisecond), p.Errors, p.Disconnect)
}

// settle is how long after the last player entered the game the steady
// state begins (logins still echo through the server just after).
const settle = 2 * time.Second

// totals is the collector's answer to *finish.
type totals struct {
	latency, login *hdrhistogram.Histogram
	steady         *hdrhistogram.Histogram // latencies once every player was in the game
	steadyS        float64                 // seconds of steady state
	steadyCPU      time.Duration           // the process's CPU time when the steady state began (0: never, or unknown)
	counts         [numCounters]int64
	connected      int
	peak           int
	spawned        int
}

// collector merges the players' batches. Every field is owned by its
// mailbox.
type collector struct {
	log      zerolog.Logger
	progress chan<- Progress // non-blocking sends; nil: no progress

	start          time.Time
	target         int           // players asked for
	allIn          time.Time     // when every player was first in the game
	steadyCPU      time.Duration // processCPU at the first batch of the steady state (0: not yet, or unknown)
	total, login   *hdrhistogram.Histogram
	steady         *hdrhistogram.Histogram
	interval       *hdrhistogram.Histogram // since the last progress tick
	counts         [numCounters]int64
	lastCommands   int64
	lastTick       time.Time
	connected      int
	peak           int
	spawned        int
	cancelProgress scheduler.CancelFunc
}

var _ actor.Actor = (*collector)(nil)

// Receive is the collector's single entry point.
func (c *collector) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		c.total, c.login, c.interval, c.steady = newHist(), newHist(), newHist(), newHist()
		c.start, c.lastTick = time.Now(), time.Now()
		if c.progress != nil {
			c.cancelProgress = scheduler.NewTimerScheduler(ctx).SendRepeatedly(time.Second, time.Second, ctx.Self(), &progressTick{})
		}
	case *statsBatch:
		steady := !c.allIn.IsZero() && time.Since(c.allIn) >= settle
		if steady && c.steadyCPU == 0 {
			c.steadyCPU, _, _ = processCPU()
		}
		for _, v := range m.latency {
			v = min(max(v, histMin), histMax)
			_ = c.total.RecordValue(v)
			_ = c.interval.RecordValue(v)
			if steady {
				_ = c.steady.RecordValue(v)
			}
		}
		for _, v := range m.login {
			_ = c.login.RecordValue(min(max(v, histMin), histMax))
		}
		for i, n := range m.counts {
			c.counts[i] += n
		}
		c.connected += m.connected
		c.peak = max(c.peak, c.connected)
		if c.allIn.IsZero() && c.target > 0 && c.connected >= c.target {
			c.allIn = time.Now()
		}
	case *spawned:
		c.spawned = m.n
	case *progressTick:
		now := time.Now()
		secs := now.Sub(c.lastTick).Seconds()
		p := Progress{
			Elapsed:    now.Sub(c.start),
			Spawned:    c.spawned,
			Connected:  c.connected,
			P99:        time.Duration(c.interval.ValueAtQuantile(99)) * time.Microsecond,
			Errors:     c.counts[cTimeouts] + c.counts[cLoginErrors],
			Disconnect: c.counts[cDisconnects],
			Commands:   c.counts[cCommands],
		}
		if secs > 0 {
			p.CmdsPerSec = float64(c.counts[cCommands]-c.lastCommands) / secs
		}
		c.lastCommands, c.lastTick = c.counts[cCommands], now
		c.interval.Reset()
		select {
		case c.progress <- p:
		default: // the printer is behind: drop this line
		}
	case *finish:
		if c.cancelProgress != nil {
			c.cancelProgress()
			c.cancelProgress = nil
		}
		t := &totals{latency: c.total, login: c.login, steady: c.steady, steadyCPU: c.steadyCPU, counts: c.counts,
			connected: c.connected, peak: c.peak, spawned: c.spawned}
		if !c.allIn.IsZero() {
			t.steadyS = max(time.Since(c.allIn)-settle, 0).Seconds()
		}
		ctx.Respond(t)
		c.total, c.login, c.steady = newHist(), newHist(), newHist() // the answer owns the old ones
	case *actor.Stopping:
		if c.cancelProgress != nil {
			c.cancelProgress()
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		c.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("collector: unhandled message")
	}
}
