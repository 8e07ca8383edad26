package auth_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/troupe-mud/troupe/actors/auth"
)

const wait = 10 * time.Second

func spawn(t *testing.T, cfg auth.Config) (*actor.ActorSystem, *actor.PID) {
	t.Helper()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	pid := sys.Root.Spawn(auth.Props(cfg, zerolog.New(zerolog.NewTestWriter(t))))
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
	})
	return sys, pid
}

func request[R any](t *testing.T, sys *actor.ActorSystem, pid *actor.PID, req any) R {
	t.Helper()
	res, err := sys.Root.RequestFuture(pid, req, wait).Result()
	if err != nil {
		t.Fatalf("%T: %v", req, err)
	}
	return res.(R)
}

func TestHashVerify(t *testing.T) {
	sys, pid := spawn(t, auth.Config{InsecureFastHash: true})
	h := request[*auth.Hashed](t, sys, pid, &auth.Hash{ID: 1, Password: "correct horse"})
	if h.Err != nil || h.ID != 1 || !strings.HasPrefix(h.Hash, "$2a$04$") {
		t.Fatalf("Hashed = %+v", h)
	}
	cost5, err := bcrypt.GenerateFromPassword([]byte("old password"), 5)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		req            *auth.Verify
		wantOK, rehash bool
		wantErr        error
	}{
		{"good", &auth.Verify{Account: "a1", Addr: "10.0.0.1", Password: "correct horse", Hash: h.Hash}, true, false, nil},
		{"bad", &auth.Verify{Account: "a2", Addr: "10.0.0.2", Password: "wrong horse", Hash: h.Hash}, false, false, nil},
		{"unknown account", &auth.Verify{Account: "ghost", Addr: "10.0.0.3", Password: "anything"}, false, false, nil},
		{"old cost", &auth.Verify{Account: "a4", Addr: "10.0.0.4", Password: "old password", Hash: string(cost5)}, true, true, nil},
		{"too long", &auth.Verify{Account: "a5", Addr: "10.0.0.5", Password: strings.Repeat("x", 73), Hash: h.Hash}, false, false, auth.ErrPasswordTooLong},
		{"empty", &auth.Verify{Account: "a6", Addr: "10.0.0.6", Hash: h.Hash}, false, false, auth.ErrEmptyPassword},
		{"bad hash", &auth.Verify{Account: "a7", Addr: "10.0.0.7", Password: "pw", Hash: "plaintext!"}, false, false, auth.ErrBadHash},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.ID = uint64(100 + i)
			v := request[*auth.Verified](t, sys, pid, tt.req)
			if v.ID != tt.req.ID || v.Account != tt.req.Account || v.OK != tt.wantOK || v.NeedsRehash != tt.rehash ||
				!errors.Is(v.Err, tt.wantErr) || (tt.wantErr == nil && v.Err != nil) {
				t.Errorf("Verified = %+v, want OK %v rehash %v err %v", v, tt.wantOK, tt.rehash, tt.wantErr)
			}
		})
	}
	// 72 bytes is fine; 73 is refused when hashing too.
	if h := request[*auth.Hashed](t, sys, pid, &auth.Hash{Password: strings.Repeat("y", 72)}); h.Err != nil {
		t.Errorf("72-byte password: %v", h.Err)
	}
	if h := request[*auth.Hashed](t, sys, pid, &auth.Hash{Password: strings.Repeat("y", 73)}); !errors.Is(h.Err, auth.ErrPasswordTooLong) {
		t.Errorf("73-byte password: %v, want ErrPasswordTooLong", h.Err)
	}
}

// clock is a settable time source for the throttle.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func TestThrottle(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{}
	clk.ns.Store(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	var compares atomic.Int64
	sys, pid := spawn(t, auth.Config{InsecureFastHash: true, Now: clk.now, MaxFailures: 5, FailureWindow: 5 * time.Minute,
		CompareFunc: func(h, p []byte) error { compares.Add(1); return bcrypt.CompareHashAndPassword(h, p) }})
	verify := func(acct, addr, pw string) *auth.Verified {
		return request[*auth.Verified](t, sys, pid, &auth.Verify{Account: acct, Addr: addr, Password: pw, Hash: string(hash)})
	}

	// Per address: five wrong passwords for five different accounts from one IP.
	for i := range 5 {
		if v := verify(fmt.Sprintf("victim%d", i), "198.51.100.1", "guess"); v.OK || v.Err != nil {
			t.Fatalf("failure %d: %+v", i, v)
		}
	}
	before := compares.Load()
	if v := verify("someone", "198.51.100.1", "secret"); !errors.Is(v.Err, auth.ErrThrottled) || v.OK {
		t.Fatalf("sixth try from the address = %+v, want ErrThrottled", v)
	}
	if compares.Load() != before {
		t.Errorf("a throttled verify still hashed")
	}
	if v := verify("someone", "198.51.100.2", "secret"); !v.OK {
		t.Fatalf("another address = %+v, want OK", v)
	}

	// Per account: five failures from five addresses block the account everywhere.
	for i := range 5 {
		verify("target", fmt.Sprintf("203.0.113.%d", i), "guess")
	}
	if v := verify("target", "203.0.113.200", "secret"); !errors.Is(v.Err, auth.ErrThrottled) {
		t.Fatalf("account after 5 failures = %+v, want ErrThrottled", v)
	}

	// The window passes: both are free again.
	clk.advance(5*time.Minute + time.Second)
	if v := verify("target", "198.51.100.1", "secret"); !v.OK || v.Err != nil {
		t.Fatalf("after the window = %+v, want OK", v)
	}
}

func TestSuccessResetsAccountNotAddress(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	sys, pid := spawn(t, auth.Config{InsecureFastHash: true, MaxFailures: 3})
	verify := func(acct, addr, pw string) *auth.Verified {
		return request[*auth.Verified](t, sys, pid, &auth.Verify{Account: acct, Addr: addr, Password: pw, Hash: string(hash)})
	}
	verify("mine", "192.0.2.1", "typo")
	verify("mine", "192.0.2.2", "typo")
	verify("mine", "192.0.2.3", "secret") // success resets the account
	verify("mine", "192.0.2.4", "typo")
	verify("mine", "192.0.2.5", "typo")
	if v := verify("mine", "192.0.2.6", "secret"); !v.OK {
		t.Fatalf("account with 2 failures since success = %+v, want OK", v)
	}
	verify("other", "192.0.2.9", "x")
	verify("other2", "192.0.2.9", "x")
	verify("mine", "192.0.2.9", "secret") // a success from the address does not reset it
	if v := verify("other3", "192.0.2.9", "x"); !v.OK && v.Err != nil {
		t.Fatalf("third failure: %+v", v)
	}
	if v := verify("mine", "192.0.2.9", "secret"); !errors.Is(v.Err, auth.ErrThrottled) {
		t.Fatalf("address with 3 failures = %+v, want ErrThrottled", v)
	}
}

// gatedHash is an injectable hash that blocks until released and tracks how many run
// at once.
type gatedHash struct {
	gate     chan struct{}
	cur, max atomic.Int64
	entered  atomic.Int64
}

func (g *gatedHash) hash(pw []byte, cost int) ([]byte, error) {
	n := g.cur.Add(1)
	for {
		m := g.max.Load()
		if n <= m || g.max.CompareAndSwap(m, n) {
			break
		}
	}
	g.entered.Add(1)
	<-g.gate
	g.cur.Add(-1)
	return []byte("h:" + string(pw)), nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestConcurrencyBound(t *testing.T) {
	g := &gatedHash{gate: make(chan struct{})}
	sys, pid := spawn(t, auth.Config{MaxConcurrent: 3, MaxQueue: 100, HashFunc: g.hash})
	var futures []*actor.Future
	for i := range 30 {
		futures = append(futures, sys.Root.RequestFuture(pid, &auth.Hash{ID: uint64(i), Password: fmt.Sprint(i)}, wait))
	}
	waitFor(t, "3 hashes running", func() bool { return g.entered.Load() == 3 })
	close(g.gate)
	for i, f := range futures {
		res, err := f.Result()
		if err != nil {
			t.Fatal(err)
		}
		if h := res.(*auth.Hashed); h.Err != nil || h.ID != uint64(i) || h.Hash != fmt.Sprintf("h:%d", i) {
			t.Fatalf("Hashed = %+v", h)
		}
	}
	if m := g.max.Load(); m != 3 {
		t.Errorf("max concurrent hashes = %d, want 3", m)
	}
}

func TestBusy(t *testing.T) {
	g := &gatedHash{gate: make(chan struct{})}
	sys, pid := spawn(t, auth.Config{MaxConcurrent: 1, MaxQueue: 2, HashFunc: g.hash})
	var futures []*actor.Future
	for i := range 3 { // one running, two queued
		futures = append(futures, sys.Root.RequestFuture(pid, &auth.Hash{ID: uint64(i), Password: "pw"}, wait))
	}
	waitFor(t, "first hash running", func() bool { return g.entered.Load() == 1 })
	if h := request[*auth.Hashed](t, sys, pid, &auth.Hash{ID: 9, Password: "pw"}); !errors.Is(h.Err, auth.ErrBusy) || h.ID != 9 {
		t.Fatalf("fourth hash = %+v, want ErrBusy", h)
	}
	if v := request[*auth.Verified](t, sys, pid, &auth.Verify{ID: 10, Account: "a", Addr: "x", Password: "pw", Hash: "h"}); !errors.Is(v.Err, auth.ErrBusy) {
		t.Fatalf("verify when full = %+v, want ErrBusy", v)
	}
	close(g.gate)
	for _, f := range futures {
		res, err := f.Result()
		if err != nil || res.(*auth.Hashed).Err != nil {
			t.Fatalf("queued hash: %v %+v", err, res)
		}
	}
}

func TestInsecureWarns(t *testing.T) {
	var mu sync.Mutex
	var buf strings.Builder
	w := zerolog.SyncWriter(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) }))
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	pid := sys.Root.Spawn(auth.Props(auth.Config{InsecureFastHash: true}, zerolog.New(w)))
	h, err := sys.Root.RequestFuture(pid, &auth.Hash{Password: "hunter2"}, wait).Result()
	if err != nil {
		t.Fatal(err)
	}
	_ = sys.Root.StopFuture(pid).Wait()
	sys.Shutdown()
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "INSECURE") || !strings.Contains(buf.String(), `"level":"warn"`) {
		t.Errorf("no warning about insecure hashing in %q", buf.String())
	}
	if strings.Contains(buf.String(), "hunter2") {
		t.Errorf("password logged: %q", buf.String())
	}
	if !strings.HasPrefix(h.(*auth.Hashed).Hash, "$2a$04$") {
		t.Errorf("insecure hash not MinCost: %q", h.(*auth.Hashed).Hash)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// orderedHash blocks every hash until the gate opens and records the order in which
// the hashes started.
type orderedHash struct {
	gate  chan struct{}
	mu    sync.Mutex
	order []string
}

func (o *orderedHash) hash(pw []byte, cost int) ([]byte, error) {
	o.mu.Lock()
	o.order = append(o.order, string(pw))
	o.mu.Unlock()
	<-o.gate
	return []byte("h:" + string(pw)), nil
}

func (o *orderedHash) started() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.order)
}

// TestBurstQueues: a burst far beyond the hashing slots (and beyond the old bound of
// 1024) waits in the queue; every request is answered, none ErrBusy, and they run in
// arrival order.
func TestBurstQueues(t *testing.T) {
	o := &orderedHash{gate: make(chan struct{})}
	sys, pid := spawn(t, auth.Config{MaxConcurrent: 1, HashFunc: o.hash})
	const burst = 3000
	futures := make([]*actor.Future, burst)
	for i := range futures {
		futures[i] = sys.Root.RequestFuture(pid, &auth.Hash{ID: uint64(i), Password: fmt.Sprint(i)}, wait)
	}
	waitFor(t, "the first hash running", func() bool { return o.started() == 1 })
	close(o.gate)
	for i, f := range futures {
		res, err := f.Result()
		if err != nil {
			t.Fatalf("hash %d: %v", i, err)
		}
		if h := res.(*auth.Hashed); h.Err != nil || h.ID != uint64(i) || h.Hash != fmt.Sprintf("h:%d", i) {
			t.Fatalf("hash %d answered %+v", i, h)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i, pw := range o.order {
		if pw != fmt.Sprint(i) {
			t.Fatalf("hash number %d to start was request %s, want arrival order", i, pw)
		}
	}
}

// TestQueueDeadline: a queued request that waits MaxWait is answered then (not at
// arrival) with ErrBusy and ErrQueueTimeout; the running one still completes.
func TestQueueDeadline(t *testing.T) {
	g := &gatedHash{gate: make(chan struct{})}
	const maxWait = 50 * time.Millisecond
	sys, pid := spawn(t, auth.Config{MaxConcurrent: 1, MaxWait: maxWait, HashFunc: g.hash})
	running := sys.Root.RequestFuture(pid, &auth.Hash{ID: 1, Password: "pw"}, wait)
	waitFor(t, "first hash running", func() bool { return g.entered.Load() == 1 })
	t0 := time.Now()
	h := request[*auth.Hashed](t, sys, pid, &auth.Hash{ID: 2, Password: "pw"})
	v := request[*auth.Verified](t, sys, pid, &auth.Verify{ID: 3, Account: "a", Addr: "x", Password: "pw", Hash: "h"})
	if waited := time.Since(t0); waited < maxWait {
		t.Errorf("answered after %s, before the deadline %s", waited, maxWait)
	}
	for _, err := range []error{h.Err, v.Err} {
		if !errors.Is(err, auth.ErrBusy) || !errors.Is(err, auth.ErrQueueTimeout) {
			t.Errorf("queued past the deadline: %v, want ErrBusy and ErrQueueTimeout", err)
		}
	}
	if h.ID != 2 || v.ID != 3 || v.Account != "a" {
		t.Errorf("replies do not echo their requests: %+v %+v", h, v)
	}
	close(g.gate)
	if res, err := running.Result(); err != nil || res.(*auth.Hashed).Err != nil {
		t.Fatalf("running hash: %v %+v", err, res)
	}
	if n := g.entered.Load(); n != 1 {
		t.Errorf("%d hashes ran, want only the first: expired requests are not run", n)
	}
}

// TestWaitEstimate: once the queue's drain rate has been measured, a request that
// would wait longer than MaxWait is refused at arrival instead of waiting for its
// deadline.
func TestWaitEstimate(t *testing.T) {
	clk := &clock{}
	clk.ns.Store(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	gates := map[string]chan struct{}{"block1": make(chan struct{}), "block2": make(chan struct{})}
	var entered atomic.Int64
	hash := func(pw []byte, cost int) ([]byte, error) { // each hash takes one fake minute
		entered.Add(1)
		if g, ok := gates[string(pw)]; ok {
			<-g
		}
		clk.advance(time.Minute)
		return pw, nil
	}
	// MaxWait in fake time; the deadline timer (real time) never fires in this test.
	sys, pid := spawn(t, auth.Config{MaxConcurrent: 1, MaxWait: 5 * time.Minute, RefuseByEstimate: true, Now: clk.now, HashFunc: hash})
	hashAll := func(pw string, n int) []*actor.Future {
		var fs []*actor.Future
		for i := range n {
			fs = append(fs, sys.Root.RequestFuture(pid, &auth.Hash{ID: uint64(i), Password: pw}, wait))
		}
		return fs
	}
	ok := func(fs []*actor.Future) {
		t.Helper()
		for _, f := range fs {
			if res, err := f.Result(); err != nil || res.(*auth.Hashed).Err != nil {
				t.Fatalf("queued hash: %v %+v", err, res)
			}
		}
	}

	// A backlog of three drains at one a minute: the rate is measured.
	block := hashAll("block1", 1)
	waitFor(t, "the blocking hash running", func() bool { return entered.Load() == 1 })
	train := hashAll("train", 3)
	close(gates["block1"])
	ok(append(block, train...))

	block = hashAll("block2", 1)
	waitFor(t, "the blocking hash running", func() bool { return entered.Load() == 5 })
	queued := hashAll("q", 5) // waits of 1..5 minutes fit
	h := request[*auth.Hashed](t, sys, pid, &auth.Hash{ID: 99, Password: "q"})
	if !errors.Is(h.Err, auth.ErrBusy) || errors.Is(h.Err, auth.ErrQueueTimeout) || h.ID != 99 {
		t.Fatalf("request past the estimated wait = %+v, want ErrBusy at once", h)
	}
	close(gates["block2"])
	ok(append(block, queued...))
}

// logLines collects a zerolog logger's JSON lines.
type logLines struct {
	mu    sync.Mutex
	lines []map[string]any
}

func (l *logLines) Write(p []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(p, &m); err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, m)
	return len(p), nil
}

// sum adds up field over the lines whose message contains msg, and counts them.
func (l *logLines) sum(msg, field string) (total, lines int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.lines {
		if s, _ := m["message"].(string); strings.Contains(s, msg) {
			lines++
			n, _ := m[field].(float64)
			total += int(n)
		}
	}
	return total, lines
}

// TestOverloadLogRateLimited: hundreds of refusals log a line at once and then at most
// one line per WarnInterval, and the lines' counts add up to every refusal.
func TestOverloadLogRateLimited(t *testing.T) {
	logs := &logLines{}
	g := &gatedHash{gate: make(chan struct{})}
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	const interval = 200 * time.Millisecond
	pid := sys.Root.Spawn(auth.Props(auth.Config{MaxConcurrent: 1, MaxQueue: 1, WarnInterval: interval, HashFunc: g.hash}, zerolog.New(logs)))
	t.Cleanup(func() {
		close(g.gate)
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
	})
	sys.Root.Send(pid, &auth.Hash{Password: "running"})
	sys.Root.Send(pid, &auth.Hash{Password: "queued"})
	waitFor(t, "first hash running", func() bool { return g.entered.Load() == 1 })
	const refused = 300
	start := time.Now()
	var futures []*actor.Future
	for i := range refused {
		futures = append(futures, sys.Root.RequestFuture(pid, &auth.Hash{ID: uint64(i), Password: "secret-pw"}, wait))
	}
	for _, f := range futures {
		if res, err := f.Result(); err != nil || !errors.Is(res.(*auth.Hashed).Err, auth.ErrBusy) {
			t.Fatalf("past the bound: %v %+v, want ErrBusy", err, res)
		}
	}
	const msg = "auth queue overloaded"
	waitFor(t, "every refusal logged", func() bool { n, _ := logs.sum(msg, "refused_full"); return n == refused })
	_, lines := logs.sum(msg, "refused_full")
	if limit := 2 + int(time.Since(start)/interval); lines > limit {
		t.Errorf("%d overload lines for %d refusals in %s, want at most %d", lines, refused, time.Since(start), limit)
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	for _, m := range logs.lines {
		if fmt.Sprint(m) != strings.ReplaceAll(fmt.Sprint(m), "secret-pw", "") {
			t.Errorf("password logged: %v", m)
		}
	}
}
