package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/persistence"
)

// Defaults for the options.
const (
	DefaultMaxBatch     = 1000
	DefaultMaxQueue     = 100_000
	DefaultRetries      = 5
	DefaultRetryBackoff = 50 * time.Millisecond
	DefaultMaxBackoff   = 2 * time.Second
	DefaultReaders      = 4
	// DefaultReadQueue holds every room of a big world asking for its state at once
	// (a 10,000-room world at game start), several times over; a queued load costs
	// about 150 bytes.
	DefaultReadQueue = 65_536
	// DefaultReadWait: a load still queued after this is answered ErrBusy and
	// ErrQueueTimeout (the disk has stalled).
	DefaultReadWait = 10 * time.Second
	// DefaultWarnInterval is the least time between two overload warnings.
	DefaultWarnInterval = 5 * time.Second
)

type config struct {
	maxBatch   int
	maxQueue   int
	retries    int
	backoff    time.Duration
	maxBackoff time.Duration
	readers    int
	readQueue  int
	readWait   time.Duration
	warnEvery  time.Duration
}

// Option configures the store actor.
type Option func(*config)

// WithMaxBatch bounds the ops in one commit (default DefaultMaxBatch).
func WithMaxBatch(n int) Option { return func(c *config) { c.maxBatch = max(1, n) } }

// WithMaxQueue bounds the ops waiting for a commit; past it writes are answered
// ErrBusy at once (default DefaultMaxQueue).
func WithMaxQueue(n int) Option { return func(c *config) { c.maxQueue = max(1, n) } }

// WithRetries sets how often a failed commit is retried and the backoff: base doubles
// per attempt up to maxBackoff (defaults DefaultRetries, DefaultRetryBackoff,
// DefaultMaxBackoff).
func WithRetries(n int, base, maxBackoff time.Duration) Option {
	return func(c *config) { c.retries, c.backoff, c.maxBackoff = max(0, n), base, max(base, maxBackoff) }
}

// WithReaders sets the number of read goroutines and the bound of the loads waiting
// for them; past it loads are answered ErrBusy at once (defaults DefaultReaders,
// DefaultReadQueue).
func WithReaders(n, queue int) Option {
	return func(c *config) { c.readers, c.readQueue = max(1, n), max(1, queue) }
}

// WithReadWait bounds how long a load waits in the actor's queue for a reader
// (default DefaultReadWait): one still queued at its deadline is answered ErrBusy and
// ErrQueueTimeout.
func WithReadWait(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.readWait = d
		}
	}
}

// WithWarnInterval sets the least time between two "store overloaded" warnings; the
// refusals in between are counted into the next one (default DefaultWarnInterval).
func WithWarnInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.warnEvery = d
		}
	}
}

// Props returns the props of a store actor writing to st. The actor does not close st.
func Props(st persistence.Store, log zerolog.Logger, opts ...Option) *actor.Props {
	cfg := config{
		maxBatch: DefaultMaxBatch, maxQueue: DefaultMaxQueue,
		retries: DefaultRetries, backoff: DefaultRetryBackoff, maxBackoff: DefaultMaxBackoff,
		readers: DefaultReaders, readQueue: DefaultReadQueue, readWait: DefaultReadWait,
		warnEvery: DefaultWarnInterval,
	}
	for _, o := range opts {
		o(&cfg)
	}
	return actor.PropsFromProducer(func() actor.Actor { return newStoreActor(st, log, cfg) })
}

// write is one request's ops waiting for, or in, a commit.
type write struct {
	sender *actor.PID                        // nil for fire-and-forget
	ops    []persistence.Op                  // empty for a Flush marker
	keys   []persistence.RecordKey           // keys loads must wait for
	reply  func(errs []error, err error) any // builds the reply; errs has len(ops)
	desc   string                            // for logs: "character alice"
}

// readJob is one load, run by a reader goroutine, answered straight to the requester.
type readJob struct {
	to    *actor.PID
	run   func(ctx context.Context) any // reads and builds the reply
	fail  func(err error) any           // builds the reply for a refused load
	since time.Time                     // when it joined the read queue
}

// storeActor batches writes into durable commits. Every field is owned by the mailbox
// (touched only in Receive) except where noted.
type storeActor struct {
	st  persistence.Store // immutable; used by the commit goroutine and readers
	cfg config            // immutable
	log zerolog.Logger

	root *actor.RootContext // immutable after Started; goroutines send through it
	self *actor.PID         // immutable after Started

	pending    []*write // FIFO of writes not yet in a commit
	pendingOps int      // ops in pending

	inflight    []*write         // the batch being committed (or waiting for a retry)
	inflightOps []persistence.Op // its ops, concatenated
	committing  bool             // a commit goroutine is running
	retryTimer  *time.Timer      // non-nil while waiting to retry
	attempt     int              // failed attempts of the in-flight batch

	dirty  map[persistence.RecordKey]int       // writes queued or in flight per key
	parked map[persistence.RecordKey][]readJob // loads waiting for those writes

	// The read queue: loads go straight onto reads (the readers' channel, at most
	// readBuffer deep) while it has room, and wait in readq, the overflow, when it has
	// none; len(reads)+len(readq) <= cfg.readQueue. Every load the actor receives
	// tops the channel up from the overflow first. While readq is non-empty the
	// actor keeps wantPump set, and the reader that takes the channel down to half
	// full clears it and sends *readsHaveRoom, which tops it up again: no message
	// per load.
	reads      chan readJob // closed in Stopped
	readq      []readJob    // FIFO behind reads
	wantPump   *atomic.Bool // shared with the readers; the pointer is immutable after Started
	readExpiry *time.Timer  // sends *expireReads at the deadline of readq's head; nil if none
	cctx       context.Context
	cancel     context.CancelFunc

	warn   overload // refusals not yet logged
	failed uint64   // writes failed for good
}

// overload counts refused and expired requests between two warning lines. Owned by the
// mailbox.
type overload struct {
	readsFull, readsExpired int         // loads refused (queue full), loads timed out
	writes                  int         // writes refused (queue full)
	next                    time.Time   // no line before this
	flush                   *time.Timer // sends *flushWarn at next; nil if none is scheduled
}

var _ actor.Actor = (*storeActor)(nil)

func newStoreActor(st persistence.Store, log zerolog.Logger, cfg config) *storeActor {
	return &storeActor{
		st: st, cfg: cfg, log: log,
		dirty:  make(map[persistence.RecordKey]int),
		parked: make(map[persistence.RecordKey][]readJob),
	}
}

// Receive handles requests, commit results and timers.
func (s *storeActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.log = s.log.With().Str("actor", "store").Logger()
		s.root, s.self = ctx.ActorSystem().Root, ctx.Self()
		s.cctx, s.cancel = context.WithCancel(context.Background())
		s.reads = make(chan readJob, min(s.cfg.readQueue, readBuffer))
		s.wantPump = new(atomic.Bool)
		for range s.cfg.readers {
			go s.readLoop(s.reads)
		}
		s.log.Debug().Int("max_batch", s.cfg.maxBatch).Int("max_queue", s.cfg.maxQueue).Msg("store started")

	case *SaveCharacter:
		s.enqueueRecord(ctx, m.Record, persistence.KindCharacter, func(rec persistence.Record) persistence.Op { return persistence.Put(rec) })
	case *SaveAccount:
		s.enqueueRecord(ctx, m.Record, persistence.KindAccount, func(rec persistence.Record) persistence.Op { return persistence.Put(rec) })
	case *SaveRoom:
		s.enqueueRecord(ctx, m.Record, persistence.KindRoom, func(rec persistence.Record) persistence.Op { return persistence.Put(rec) })
	case *CreateAccount:
		key := keyOf(m.Record)
		s.enqueue(ctx, &write{
			ops:   []persistence.Op{persistence.Create(nilSafe(m.Record))},
			reply: func(errs []error, err error) any { return &AccountCreated{Key: key, Err: first(errs, err)} },
			desc:  "create account " + key,
		})
	case *CreateCharacter:
		key, acct := keyOf(m.Record), persistence.NormalizeKey(m.Account)
		s.enqueue(ctx, &write{
			ops: []persistence.Op{persistence.CreateCharacter(acct, m.Record)},
			reply: func(errs []error, err error) any {
				return &CharacterCreated{Account: acct, Key: key, Err: first(errs, err)}
			},
			desc: "create character " + key,
		})
	case *DeleteCharacter:
		key, acct := persistence.NormalizeKey(m.Name), persistence.NormalizeKey(m.Account)
		w := &write{
			ops:   []persistence.Op{persistence.DeleteCharacter(key)},
			reply: func(errs []error, err error) any { return &CharacterDeleted{Key: key, Err: first(errs, err)} },
			desc:  "delete character " + key,
		}
		if acct != "" {
			w.keys = []persistence.RecordKey{{Kind: persistence.KindAccount, Key: acct}}
		}
		s.enqueue(ctx, w)
	case *Apply:
		id := m.ID
		if len(m.Ops) > s.cfg.maxBatch {
			s.respond(ctx.Sender(), &Applied{ID: id, Err: fmt.Errorf("%w: %d ops, limit %d", ErrBatchTooLarge, len(m.Ops), s.cfg.maxBatch)})
			return
		}
		s.enqueue(ctx, &write{
			ops:   m.Ops,
			reply: func(errs []error, err error) any { return &Applied{ID: id, Errs: errs, Err: err} },
			desc:  fmt.Sprintf("apply %d (%d ops)", id, len(m.Ops)),
		})
	case *Flush:
		id := m.ID
		s.enqueue(ctx, &write{
			reply: func([]error, error) any { return &Flushed{ID: id, Failed: s.failed} },
			desc:  "flush",
		})

	case *LoadAccount:
		key := persistence.NormalizeKey(m.Key)
		s.load(ctx, persistence.RecordKey{Kind: persistence.KindAccount, Key: key}, readJob{
			run: func(c context.Context) any {
				r, err := s.st.GetAccount(c, key)
				return &AccountLoaded{Key: key, Record: r, Err: err}
			},
			fail: func(err error) any { return &AccountLoaded{Key: key, Err: err} },
		})
	case *LoadCharacter:
		key := persistence.NormalizeKey(m.Key)
		s.load(ctx, persistence.RecordKey{Kind: persistence.KindCharacter, Key: key}, readJob{
			run: func(c context.Context) any {
				r, err := s.st.GetCharacter(c, key)
				return &CharacterLoaded{Key: key, Record: r, Err: err}
			},
			fail: func(err error) any { return &CharacterLoaded{Key: key, Err: err} },
		})
	case *LoadRoom:
		key := persistence.NormalizeKey(m.ID)
		s.load(ctx, persistence.RecordKey{Kind: persistence.KindRoom, Key: key}, readJob{
			run: func(c context.Context) any {
				r, err := s.st.GetRoom(c, key)
				return &RoomLoaded{ID: key, Record: r, Err: err}
			},
			fail: func(err error) any { return &RoomLoaded{ID: key, Err: err} },
		})

	case *commitDone:
		s.committing = false
		s.commitDone(ctx, m)
	case *retryCommit:
		s.retryTimer = nil
		s.runCommit()
	case *readsHaveRoom:
		s.pumpReads()
	case *expireReads:
		s.readExpiry = nil
		s.expireReads()
	case *flushWarn:
		s.warn.flush = nil
		s.logOverload(time.Now())

	case *actor.Stopping:
		s.stop(ctx)
	case *actor.Stopped:
		close(s.reads)
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		s.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled")
	}
}

// enqueueRecord queues a single put of rec, answered with *Saved.
func (s *storeActor) enqueueRecord(ctx actor.Context, rec persistence.Record, kind persistence.Kind, op func(persistence.Record) persistence.Op) {
	key := keyOf(rec)
	s.enqueue(ctx, &write{
		ops:   []persistence.Op{op(nilSafe(rec))},
		reply: func(errs []error, err error) any { return &Saved{Kind: kind, Key: key, Err: first(errs, err)} },
		desc:  kind.String() + " " + key,
	})
}

// enqueue adds w to the pending queue (or answers ErrBusy) and starts a commit if none
// is running.
func (s *storeActor) enqueue(ctx actor.Context, w *write) {
	w.sender = ctx.Sender()
	if len(w.ops) > 0 && s.pendingOps+len(w.ops) > s.cfg.maxQueue {
		s.overloaded(&s.warn.writes)
		s.respond(w.sender, w.reply(nil, fmt.Errorf("%w: the write queue is full (%d ops)", ErrBusy, s.pendingOps)))
		return
	}
	for _, op := range w.ops {
		w.keys = append(w.keys, op.Keys()...)
	}
	for _, k := range w.keys {
		s.dirty[k]++
	}
	s.pending = append(s.pending, w)
	s.pendingOps += len(w.ops)
	s.startCommit()
}

// startCommit moves up to maxBatch ops from the queue into a new in-flight batch and
// commits it in a goroutine. Writes that arrive meanwhile wait for the next batch:
// that is the group commit. Flush markers with nothing to commit are answered here.
func (s *storeActor) startCommit() {
	for !s.busy() && len(s.pending) > 0 {
		n, ops := 0, 0
		for n < len(s.pending) && (n == 0 || ops+len(s.pending[n].ops) <= s.cfg.maxBatch) {
			ops += len(s.pending[n].ops)
			n++
		}
		s.inflight = append(s.inflight[:0], s.pending[:n]...)
		clear(s.pending[:n])
		s.pending = s.pending[n:]
		s.pendingOps -= ops
		s.inflightOps = s.inflightOps[:0]
		for _, w := range s.inflight {
			s.inflightOps = append(s.inflightOps, w.ops...)
		}
		if len(s.inflightOps) == 0 { // only flush markers: everything before is done
			s.finish(nil, nil)
			continue
		}
		s.attempt = 0
		s.runCommit()
	}
}

// busy reports whether a batch is in flight (committing or waiting for a retry).
func (s *storeActor) busy() bool { return len(s.inflight) > 0 }

// runCommit commits the in-flight batch in a goroutine; the result comes back as a
// *commitDone message.
func (s *storeActor) runCommit() {
	s.committing = true
	ops := s.inflightOps // not modified until the commitDone arrives
	go func() {
		var res commitDone
		func() {
			defer func() {
				if r := recover(); r != nil {
					res = commitDone{err: fmt.Errorf("store: Apply panicked: %v", r)}
				}
			}()
			res.errs, res.err = s.st.Apply(s.cctx, ops)
			if res.err == nil && len(res.errs) != len(ops) {
				res.err = fmt.Errorf("store: Apply returned %d results for %d ops", len(res.errs), len(ops))
			}
		}()
		s.root.Send(s.self, &res)
	}()
}

// commitDone answers the in-flight batch, or schedules a retry of it.
func (s *storeActor) commitDone(ctx actor.Context, m *commitDone) {
	if m.err != nil && s.attempt < s.cfg.retries && s.cctx.Err() == nil {
		delay := s.cfg.backoff << s.attempt
		if delay > s.cfg.maxBackoff || delay <= 0 {
			delay = s.cfg.maxBackoff
		}
		s.attempt++
		s.log.Warn().Err(m.err).Int("ops", len(s.inflightOps)).Int("attempt", s.attempt).
			Dur("backoff", delay).Msg("store commit failed, retrying")
		root, self := s.root, s.self
		s.retryTimer = time.AfterFunc(delay, func() { root.Send(self, &retryCommit{}) })
		return
	}
	if m.err != nil {
		s.log.Error().Err(m.err).Int("ops", len(s.inflightOps)).Int("attempts", s.attempt+1).
			Msg("store commit failed for good; writers get the error")
	}
	s.finish(m.errs, m.err)
	s.startCommit()
}

// finish answers every write of the in-flight batch and releases their keys.
func (s *storeActor) finish(errs []error, err error) {
	off := 0
	for _, w := range s.inflight {
		var werrs []error
		if err == nil && len(w.ops) > 0 {
			werrs = errs[off : off+len(w.ops)]
		}
		off += len(w.ops)
		if err != nil && len(w.ops) > 0 {
			s.failed++
		}
		for i, e := range werrs {
			if e != nil && !errors.Is(e, persistence.ErrExists) && !errors.Is(e, persistence.ErrNotFound) {
				s.failed++
				s.log.Error().Err(e).Str("write", w.desc).Int("op", i).Msg("store write rejected")
			}
		}
		s.respond(w.sender, w.reply(werrs, err))
		s.release(w.keys)
	}
	clear(s.inflight)
	s.inflight = s.inflight[:0]
}

// release decrements the keys' pending-write counts and submits loads parked on keys
// that have no write pending any more.
func (s *storeActor) release(keys []persistence.RecordKey) {
	for _, k := range keys {
		if s.dirty[k]--; s.dirty[k] > 0 {
			continue
		}
		delete(s.dirty, k)
		for _, j := range s.parked[k] {
			s.submit(j)
		}
		delete(s.parked, k)
	}
}

// load runs a read off the actor, after any pending write of the same key.
func (s *storeActor) load(ctx actor.Context, key persistence.RecordKey, j readJob) {
	j.to = ctx.Sender()
	if j.to == nil {
		s.log.Warn().Str("key", key.Key).Msg("load without a sender dropped; use ctx.Request")
		return
	}
	if s.dirty[key] > 0 {
		s.parked[key] = append(s.parked[key], j)
		return
	}
	s.submit(j)
}

// readBuffer bounds the readers' channel: loads past it wait in the actor's queue,
// where they can be answered at their deadline even when every reader is stuck.
const readBuffer = 1024

// submit hands j to the readers, or queues it behind the loads already waiting. It
// answers ErrBusy at once only when cfg.readQueue loads wait already.
func (s *storeActor) submit(j readJob) {
	s.pumpReads() // top the channel up first: every message keeps the readers fed
	if len(s.readq) == 0 {
		select {
		case s.reads <- j:
			return
		default:
		}
	}
	if n := len(s.reads) + len(s.readq); n >= s.cfg.readQueue {
		s.overloaded(&s.warn.readsFull)
		s.root.Send(j.to, j.fail(fmt.Errorf("%w: the read queue is full (%d loads)", ErrBusy, n)))
		return
	}
	j.since = time.Now()
	s.readq = append(s.readq, j)
	s.armReadExpiry()
	s.pumpReads() // sets wantPump
}

// pumpReads moves queued loads onto the readers' channel while it has room. When it
// is full it sets wantPump and tries once more: if the channel is still full then,
// readers have yet to take loads after the flag was set, and the one that takes it
// down to half full sends the next *readsHaveRoom.
func (s *storeActor) pumpReads() {
	if len(s.readq) == 0 {
		return
	}
	for len(s.readq) > 0 {
		select {
		case s.reads <- s.readq[0]:
			s.readq[0] = readJob{}
			s.readq = s.readq[1:]
			continue
		default:
		}
		s.wantPump.Store(true)
		select {
		case s.reads <- s.readq[0]:
			s.readq[0] = readJob{}
			s.readq = s.readq[1:]
		default:
			return
		}
	}
	s.readq = nil // let a burst's backing array go
}

// armReadExpiry schedules an *expireReads for the deadline of the read queue's head,
// unless one is scheduled already (it re-arms itself for the next head).
func (s *storeActor) armReadExpiry() {
	if s.readExpiry != nil || len(s.readq) == 0 {
		return
	}
	d := time.Until(s.readq[0].since.Add(s.cfg.readWait))
	root, self := s.root, s.self
	s.readExpiry = time.AfterFunc(max(d, 0), func() { root.Send(self, &expireReads{}) })
}

// expireReads answers the loads that have waited cfg.readWait: ErrBusy and
// ErrQueueTimeout. The queue is FIFO, so they are at its head.
func (s *storeActor) expireReads() {
	now := time.Now()
	for len(s.readq) > 0 {
		j := s.readq[0]
		waited := now.Sub(j.since)
		if waited < s.cfg.readWait {
			break
		}
		s.readq[0] = readJob{}
		s.readq = s.readq[1:]
		s.overloaded(&s.warn.readsExpired)
		s.root.Send(j.to, j.fail(fmt.Errorf("%w: %w after %s", ErrBusy, ErrQueueTimeout, waited.Round(time.Millisecond))))
	}
	s.armReadExpiry()
}

// readLoop runs loads until reads is closed. When it takes the channel down to half
// full while the actor has loads waiting (wantPump), it tells the actor.
func (s *storeActor) readLoop(reads <-chan readJob) {
	for j := range reads {
		if len(reads) <= cap(reads)/2 && s.wantPump.CompareAndSwap(true, false) && s.cctx.Err() == nil {
			s.root.Send(s.self, &readsHaveRoom{})
		}
		s.root.Send(j.to, j.run(s.cctx))
	}
}

// overloaded counts one refused or expired request and logs the counts, at most once
// per cfg.warnEvery; counts not yet logged are flushed by a *flushWarn at the end of
// the interval.
func (s *storeActor) overloaded(counter *int) {
	*counter++
	now := time.Now()
	if now.Before(s.warn.next) {
		if s.warn.flush == nil {
			root, self := s.root, s.self
			s.warn.flush = time.AfterFunc(s.warn.next.Sub(now), func() { root.Send(self, &flushWarn{}) })
		}
		return
	}
	s.logOverload(now)
}

// logOverload logs the counts since the last line, if any, and resets them.
func (s *storeActor) logOverload(now time.Time) {
	w := &s.warn
	if w.readsFull+w.readsExpired+w.writes == 0 {
		return
	}
	s.log.Warn().Int("loads_refused", w.readsFull).Int("loads_timed_out", w.readsExpired).
		Int("writes_refused", w.writes).Int("loads_queued", len(s.reads)+len(s.readq)).
		Int("max_loads_queued", s.cfg.readQueue).Int("ops_queued", s.pendingOps).Int("max_ops_queued", s.cfg.maxQueue).
		Msg("store overloaded: requests refused or timed out (counts since the last such line)")
	w.readsFull, w.readsExpired, w.writes = 0, 0, 0
	w.next = now.Add(s.cfg.warnEvery)
}

// stop answers everything not yet committed with ErrStopped. A commit already running
// cannot be answered (the mailbox is closing) but still completes: send *Flush and wait
// for *Flushed before stopping the store actor.
func (s *storeActor) stop(ctx actor.Context) {
	if s.retryTimer != nil {
		s.retryTimer.Stop()
		s.retryTimer = nil
	}
	for _, t := range []*time.Timer{s.readExpiry, s.warn.flush} {
		if t != nil {
			t.Stop()
		}
	}
	s.readExpiry, s.warn.flush = nil, nil
	if s.committing {
		s.log.Error().Int("ops", len(s.inflightOps)).Msg("store stopping during a commit; its writers get no reply")
	} else if len(s.inflight) > 0 {
		s.finish(nil, ErrStopped)
	}
	s.cancel()
	if n := s.pendingOps; n > 0 {
		s.log.Error().Int("ops", n).Msg("store stopping with queued writes; answered ErrStopped")
	}
	for _, w := range s.pending {
		s.respond(w.sender, w.reply(nil, ErrStopped))
	}
	s.pending, s.pendingOps = nil, 0
	for k, jobs := range s.parked {
		for _, j := range jobs {
			s.root.Send(j.to, j.fail(ErrStopped))
		}
		delete(s.parked, k)
	}
	for _, j := range s.readq {
		s.root.Send(j.to, j.fail(ErrStopped))
	}
	s.readq = nil
	s.logOverload(time.Now())
}

// respond sends a reply to a requester; fire-and-forget writes have none.
func (s *storeActor) respond(to *actor.PID, msg any) {
	if to != nil {
		s.root.Send(to, msg)
	}
}

// first returns the batch error, else the single op's error.
func first(errs []error, err error) error {
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// keyOf returns a record's storage key, tolerating nil (the store rejects it).
func keyOf[R persistence.Record](rec R) string {
	if any(rec) == nil || isNilPtr(rec) {
		return ""
	}
	return rec.StorageKey()
}

func isNilPtr(rec persistence.Record) bool {
	switch r := rec.(type) {
	case *persistence.AccountRecord:
		return r == nil
	case *persistence.CharacterRecord:
		return r == nil
	case *persistence.RoomRecord:
		return r == nil
	}
	return false
}

// nilSafe turns a typed nil record into an untyped nil, so that the store reports
// ErrInvalid instead of panicking on a nil pointer.
func nilSafe(rec persistence.Record) persistence.Record {
	if rec == nil || isNilPtr(rec) {
		return nil
	}
	return rec
}
