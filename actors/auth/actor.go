package auth

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"
)

// Config configures the auth actor. The zero value of every field means its default.
type Config struct {
	// Cost is the bcrypt cost for new hashes (default 12).
	Cost int
	// InsecureFastHash uses bcrypt.MinCost, for tests and load runs only; the actor
	// logs a warning when it starts with it.
	InsecureFastHash bool
	// MaxConcurrent bounds hashes running at once (default max(1, NumCPU/2)).
	MaxConcurrent int
	// MaxQueue bounds hashes waiting for a slot, to keep memory bounded; past it
	// requests get ErrBusy at once (default DefaultMaxQueue).
	MaxQueue int
	// MaxWait bounds how long a request waits for a slot (default DefaultMaxWait):
	// one still queued at its deadline is answered ErrBusy and ErrQueueTimeout then
	// (and, with RefuseByEstimate, one that would wait longer at the measured drain
	// rate is answered ErrBusy at once).
	MaxWait time.Duration
	// RefuseByEstimate also refuses a request at once when, at the measured
	// drain rate, it would wait longer than MaxWait. Off by default: during
	// a login burst on a busy machine the measured rate was far below what
	// the queue then did (a 10,000-player ramp had 37,000 requests refused
	// with a 60 s estimate); the deadline answers a request that really
	// waited too long.
	RefuseByEstimate bool
	// WarnInterval is the least time between two "auth queue overloaded" log lines;
	// the refusals in between are counted into the next line (default
	// DefaultWarnInterval).
	WarnInterval time.Duration
	// MaxFailures failed verifies within FailureWindow block an address or account
	// (defaults 5 and 5 minutes).
	MaxFailures   int
	FailureWindow time.Duration
	// ThrottleEntries bounds each throttle table (addresses, accounts); the least
	// recently failed entry is evicted first (default 100,000).
	ThrottleEntries int
	// PruneInterval is how often expired throttle entries are dropped (default 1 minute).
	PruneInterval time.Duration

	// HashFunc and CompareFunc replace bcrypt (tests inject counting functions); nil
	// means bcrypt.GenerateFromPassword and bcrypt.CompareHashAndPassword.
	HashFunc    func(password []byte, cost int) ([]byte, error)
	CompareFunc func(hash, password []byte) error
	// Now replaces time.Now for the throttle, the queue's deadlines and the measured
	// drain rate (tests). Timers still run on the real clock.
	Now func() time.Time
}

// Queue defaults.
const (
	// DefaultMaxQueue holds a burst of thousands of logins (a few hundred bytes each).
	DefaultMaxQueue = 10_000
	// DefaultMaxWait: a hundred players creating accounts at once with real bcrypt
	// (cost 12) on one hashing slot take about 30 s to drain; they all wait.
	DefaultMaxWait = 60 * time.Second
	// DefaultWarnInterval spaces the overload warnings.
	DefaultWarnInterval = 5 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Cost == 0 {
		c.Cost = 12
	}
	if c.InsecureFastHash {
		c.Cost = bcrypt.MinCost
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = max(1, runtime.NumCPU()/2)
		if c.InsecureFastHash {
			// Minimum-cost hashes take about a millisecond: a load run's
			// login storm may use every core for them.
			c.MaxConcurrent = max(2, runtime.NumCPU())
		}
	}
	if c.MaxQueue <= 0 {
		c.MaxQueue = DefaultMaxQueue
	}
	if c.MaxWait <= 0 {
		c.MaxWait = DefaultMaxWait
	}
	if c.WarnInterval <= 0 {
		c.WarnInterval = DefaultWarnInterval
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.FailureWindow <= 0 {
		c.FailureWindow = 5 * time.Minute
	}
	if c.ThrottleEntries <= 0 {
		c.ThrottleEntries = 100_000
	}
	if c.PruneInterval <= 0 {
		c.PruneInterval = time.Minute
	}
	if c.HashFunc == nil {
		c.HashFunc = bcrypt.GenerateFromPassword
	}
	if c.CompareFunc == nil {
		c.CompareFunc = bcrypt.CompareHashAndPassword
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Props returns the props of an auth actor.
func Props(cfg Config, log zerolog.Logger) *actor.Props {
	cfg = cfg.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		return &authActor{
			cfg:    cfg,
			log:    log,
			byAddr: newThrottle(cfg.MaxFailures, cfg.FailureWindow, cfg.ThrottleEntries),
			byAcct: newThrottle(cfg.MaxFailures, cfg.FailureWindow, cfg.ThrottleEntries),
			dummy:  &dummyHash{},
		}
	})
}

// job is one hash or verify waiting for, or holding, a hashing slot.
type job struct {
	sender *actor.PID
	hash   *Hash     // exactly one of hash, verify is set
	verify *Verify   // the request; its Password is used by the job goroutine only
	since  time.Time // when it joined the queue (cfg.Now)
}

// dummyHash is the hash verified against for unknown accounts, made once, lazily, in
// a job goroutine (never in Receive). Shared by job goroutines, hence the Once.
type dummyHash struct {
	once sync.Once
	hash []byte
}

// authActor runs password hashes with bounded concurrency and throttles failures.
// Every field is owned by the mailbox except cfg (immutable) and dummy (sync.Once).
type authActor struct {
	cfg    Config
	log    zerolog.Logger
	root   *actor.RootContext // immutable after Started
	self   *actor.PID         // immutable after Started
	active int                // jobs running
	queue  []*job             // jobs waiting for a slot, FIFO, at most cfg.MaxQueue
	drain  drainRate          // how fast the queue drains while it is backlogged
	expiry *time.Timer        // sends *expire at the queue head's deadline; nil if none
	warn   warnLimit          // overload counts and when they may next be logged
	byAddr *throttle
	byAcct *throttle
	timer  *time.Timer // the next prune
	dummy  *dummyHash
}

var _ actor.Actor = (*authActor)(nil)

// warnLimit holds the overload counts not yet logged. Owned by the auth actor's
// mailbox.
type warnLimit struct {
	full, slow, expired int         // refused (queue full), refused (wait too long), timed out
	next                time.Time   // no line before this
	flush               *time.Timer // sends *flushWarn at next; nil if none is scheduled
}

// Receive handles hash and verify requests, job results and prune ticks.
func (a *authActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.log = a.log.With().Str("actor", "auth").Logger()
		a.root, a.self = ctx.ActorSystem().Root, ctx.Self()
		if a.cfg.InsecureFastHash {
			a.log.Warn().Int("cost", a.cfg.Cost).Msg("INSECURE fast password hashing enabled: for tests and load runs only")
		}
		a.schedulePrune()
	case *Hash:
		if err := checkPassword(m.Password); err != nil {
			ctx.Respond(&Hashed{ID: m.ID, Err: err})
			return
		}
		a.submit(ctx, &job{sender: ctx.Sender(), hash: m})
	case *Verify:
		now := a.cfg.Now()
		if a.byAddr.blocked(m.Addr, now) || a.byAcct.blocked(m.Account, now) {
			a.log.Info().Str("account", m.Account).Str("addr", m.Addr).Msg("login throttled")
			ctx.Respond(&Verified{ID: m.ID, Account: m.Account, Err: ErrThrottled})
			return
		}
		if err := checkPassword(m.Password); err != nil {
			a.fail(m, now)
			ctx.Respond(&Verified{ID: m.ID, Account: m.Account, Err: err})
			return
		}
		a.submit(ctx, &job{sender: ctx.Sender(), verify: m})
	case *jobDone:
		a.active--
		a.done(m)
		a.startQueued()
	case *expire:
		a.expiry = nil
		a.expireQueued()
	case *flushWarn:
		a.warn.flush = nil
		a.logOverload(a.cfg.Now())
	case *prune:
		now := a.cfg.Now()
		a.byAddr.prune(now)
		a.byAcct.prune(now)
		a.schedulePrune()
	case *actor.Stopping:
		for _, t := range []*time.Timer{a.timer, a.expiry, a.warn.flush} {
			if t != nil {
				t.Stop()
			}
		}
		a.logOverload(a.cfg.Now())
		for _, j := range a.queue {
			a.reply(j, &jobDone{j: j, err: fmt.Errorf("%w: auth stopping", ErrBusy)})
		}
		a.queue = nil
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled")
	}
}

func checkPassword(pw string) error {
	switch {
	case pw == "":
		return ErrEmptyPassword
	case len(pw) > MaxPasswordLen:
		return ErrPasswordTooLong
	}
	return nil
}

// submit runs j now if a slot is free, else queues it. It answers ErrBusy at once
// only when the queue holds cfg.MaxQueue jobs, or when j would wait longer than
// cfg.MaxWait for a slot at the measured drain rate.
func (a *authActor) submit(ctx actor.Context, j *job) {
	if a.active < a.cfg.MaxConcurrent {
		a.start(j)
		return
	}
	if n := len(a.queue); n >= a.cfg.MaxQueue {
		a.overload(&a.warn.full)
		a.reply(j, &jobDone{j: j, err: fmt.Errorf("%w: the queue is full (%d requests)", ErrBusy, n)})
		return
	}
	if est := a.estimate(); a.cfg.RefuseByEstimate && est > a.cfg.MaxWait {
		a.overload(&a.warn.slow)
		a.reply(j, &jobDone{j: j, err: fmt.Errorf("%w: %d requests queued, about %s to wait, over the limit of %s",
			ErrBusy, len(a.queue), est.Round(time.Millisecond), a.cfg.MaxWait)})
		return
	}
	j.since = a.cfg.Now()
	a.queue = append(a.queue, j)
	a.armExpiry()
}

// estimate is about how long a job queued now would wait for a slot: the jobs ahead of
// it and itself, at the measured time between two starts from the queue. Zero until
// a backlog has been measured.
func (a *authActor) estimate() time.Duration {
	return a.drain.perJob * time.Duration(len(a.queue)+1)
}

// drainWindow is the least time a drain rate sample spans, so that one slow hash or
// a descheduled goroutine does not swing the estimate.
const drainWindow = time.Second

// drainRate measures the time between two starts of queued jobs, over windows of at
// least drainWindow while the queue is backlogged (every slot busy, so the starts
// follow the finishes: the service rate under the current load). Owned by the
// mailbox.
type drainRate struct {
	from    time.Time     // start of the current window; zero when the queue is empty
	started int           // jobs started from the queue since from
	perJob  time.Duration // moving average over windows (weight 1/4); 0 until measured
}

// start records a job started from the queue at now.
func (d *drainRate) start(now time.Time) {
	if d.from.IsZero() {
		d.from = now
		return
	}
	d.started++
	if el := now.Sub(d.from); el >= drainWindow {
		sample := el / time.Duration(d.started)
		if d.perJob == 0 {
			d.perJob = sample
		} else {
			d.perJob += (sample - d.perJob) / 4
		}
		d.from, d.started = now, 0
	}
}

// idle drops the current window: the queue is empty, and the time until it fills
// again says nothing about the service rate.
func (d *drainRate) idle() { d.from, d.started = time.Time{}, 0 }

func (a *authActor) startQueued() {
	for a.active < a.cfg.MaxConcurrent && len(a.queue) > 0 {
		j := a.queue[0]
		a.queue[0] = nil
		a.queue = a.queue[1:]
		a.drain.start(a.cfg.Now())
		a.start(j)
	}
	if len(a.queue) == 0 {
		a.queue = nil // let a burst's backing array go
		a.drain.idle()
	}
}

// armExpiry schedules an *expire for the deadline of the queue's head, unless one is
// scheduled already (it re-arms itself for the next head when it fires).
func (a *authActor) armExpiry() {
	if a.expiry != nil || len(a.queue) == 0 {
		return
	}
	d := a.queue[0].since.Add(a.cfg.MaxWait).Sub(a.cfg.Now())
	root, self := a.root, a.self
	a.expiry = time.AfterFunc(max(d, 0), func() { root.Send(self, &expire{}) })
}

// expireQueued answers the jobs that have waited cfg.MaxWait: ErrBusy and
// ErrQueueTimeout. The queue is FIFO, so they are at its head.
func (a *authActor) expireQueued() {
	now := a.cfg.Now()
	for len(a.queue) > 0 {
		j := a.queue[0]
		waited := now.Sub(j.since)
		if waited < a.cfg.MaxWait {
			break
		}
		a.queue[0] = nil
		a.queue = a.queue[1:]
		if len(a.queue) == 0 {
			a.drain.idle()
		}
		a.overload(&a.warn.expired)
		a.reply(j, &jobDone{j: j, err: fmt.Errorf("%w: %w after %s", ErrBusy, ErrQueueTimeout, waited.Round(time.Millisecond))})
	}
	a.armExpiry()
}

// overload counts one refused or expired request and logs the counts, at most once
// per cfg.WarnInterval; counts not yet logged are flushed by a *flushWarn at the end
// of the interval.
func (a *authActor) overload(counter *int) {
	*counter++
	now := a.cfg.Now()
	if now.Before(a.warn.next) {
		if a.warn.flush == nil {
			root, self := a.root, a.self
			a.warn.flush = time.AfterFunc(a.warn.next.Sub(now), func() { root.Send(self, &flushWarn{}) })
		}
		return
	}
	a.logOverload(now)
}

// logOverload logs the counts since the last line, if any, and resets them.
func (a *authActor) logOverload(now time.Time) {
	w := &a.warn
	if w.full+w.slow+w.expired == 0 {
		return
	}
	a.log.Warn().Int("refused_full", w.full).Int("refused_wait", w.slow).Int("timed_out", w.expired).
		Int("queued", len(a.queue)).Int("max_queue", a.cfg.MaxQueue).Dur("wait_estimate", a.estimate()).
		Dur("max_wait", a.cfg.MaxWait).Msg("auth queue overloaded: requests refused or timed out (counts since the last such line)")
	w.full, w.slow, w.expired = 0, 0, 0
	w.next = now.Add(a.cfg.WarnInterval)
}

// start runs j in a goroutine; the result comes back as *jobDone.
func (a *authActor) start(j *job) {
	a.active++
	cfg, dummy, root, self := a.cfg, a.dummy, a.root, a.self
	go func() {
		res := &jobDone{j: j}
		defer func() {
			if r := recover(); r != nil {
				res.err = fmt.Errorf("auth: hash panicked: %v", r)
			}
			root.Send(self, res)
		}()
		if j.hash != nil {
			h, err := cfg.HashFunc([]byte(j.hash.Password), cfg.Cost)
			res.hash, res.err = string(h), err
			return
		}
		v := j.verify
		if v.Hash == "" { // unknown account: same work, same answer as a wrong password
			dummy.once.Do(func() { dummy.hash, _ = cfg.HashFunc([]byte("no such account"), cfg.Cost) })
			_ = cfg.CompareFunc(dummy.hash, []byte(v.Password))
			return
		}
		err := cfg.CompareFunc([]byte(v.Hash), []byte(v.Password))
		switch {
		case err == nil:
			res.ok = true
			if c, cerr := bcrypt.Cost([]byte(v.Hash)); cerr == nil && c != cfg.Cost {
				res.rehash = true
			}
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		default:
			res.err = fmt.Errorf("%w: %v", ErrBadHash, err)
		}
	}()
}

// done updates the throttle with a verify result and answers the requester.
func (a *authActor) done(m *jobDone) {
	if v := m.j.verify; v != nil && m.err == nil {
		if m.ok {
			a.byAcct.reset(v.Account) // the address keeps its count: one good account must not unlock guessing others
		} else {
			a.fail(v, a.cfg.Now())
		}
	}
	if m.err != nil && !errors.Is(m.err, ErrBusy) {
		a.log.Error().Err(m.err).Str("account", accountOf(m.j)).Msg("password hash failed")
	}
	a.reply(m.j, m)
}

func (a *authActor) fail(v *Verify, now time.Time) {
	a.byAddr.fail(v.Addr, now)
	a.byAcct.fail(v.Account, now)
	a.log.Info().Str("account", v.Account).Str("addr", v.Addr).Msg("failed login")
}

func accountOf(j *job) string {
	if j.verify != nil {
		return j.verify.Account
	}
	return ""
}

// reply answers j's requester with the reply type of its request.
func (a *authActor) reply(j *job, m *jobDone) {
	if j.sender == nil {
		return
	}
	if j.hash != nil {
		a.root.Send(j.sender, &Hashed{ID: j.hash.ID, Hash: m.hash, Err: m.err})
		return
	}
	a.root.Send(j.sender, &Verified{ID: j.verify.ID, Account: j.verify.Account, OK: m.ok && m.err == nil, NeedsRehash: m.rehash, Err: m.err})
}

func (a *authActor) schedulePrune() {
	root, self := a.root, a.self
	a.timer = time.AfterFunc(a.cfg.PruneInterval, func() { root.Send(self, &prune{}) })
}
