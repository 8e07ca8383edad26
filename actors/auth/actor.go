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
	// MaxQueue bounds hashes waiting for a slot; past it requests get ErrBusy
	// (default 1024).
	MaxQueue int
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
	// Now replaces time.Now for the throttle (tests).
	Now func() time.Time
}

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
		c.MaxQueue = 1024
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
	hash   *Hash   // exactly one of hash, verify is set
	verify *Verify // the request; its Password is used by the job goroutine only
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
	byAddr *throttle
	byAcct *throttle
	timer  *time.Timer // the next prune
	dummy  *dummyHash
}

var _ actor.Actor = (*authActor)(nil)

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
	case *prune:
		now := a.cfg.Now()
		a.byAddr.prune(now)
		a.byAcct.prune(now)
		a.schedulePrune()
	case *actor.Stopping:
		if a.timer != nil {
			a.timer.Stop()
		}
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

// submit runs j now if a slot is free, else queues it, else answers ErrBusy.
func (a *authActor) submit(ctx actor.Context, j *job) {
	switch {
	case a.active < a.cfg.MaxConcurrent:
		a.start(j)
	case len(a.queue) < a.cfg.MaxQueue:
		a.queue = append(a.queue, j)
	default:
		a.log.Warn().Int("queued", len(a.queue)).Msg("auth queue full, request refused")
		a.reply(j, &jobDone{j: j, err: ErrBusy})
	}
}

func (a *authActor) startQueued() {
	for a.active < a.cfg.MaxConcurrent && len(a.queue) > 0 {
		j := a.queue[0]
		a.queue[0] = nil
		a.queue = a.queue[1:]
		a.start(j)
	}
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
