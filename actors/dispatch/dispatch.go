// Package dispatch is a pooled proto.actor dispatcher for troupe's hot
// actors (connections, characters, rooms, sessions, the scheduler).
//
// proto.actor's default dispatcher starts a new goroutine every time an idle
// mailbox gets a message. Each such goroutine starts with a small stack and
// grows it (copying the stack) on the way into the actor's handler: under
// load that stack growth was ~15% of the server's CPU. The pool keeps a few
// long-lived workers whose stacks have already grown; Schedule hands them
// the mailbox run through a buffered channel and falls back to a fresh
// goroutine when the channel is full, so it never blocks (an actor may
// schedule another actor's mailbox from inside a worker).
package dispatch

import (
	"runtime"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Throughput is how many messages a mailbox processes per run before it
// yields its worker (proto.actor's default).
const Throughput = 300

// Pool is a fixed set of worker goroutines running mailbox runs.
type Pool struct {
	work chan func()
}

var _ actor.Dispatcher = (*Pool)(nil)

// NewPool starts workers goroutines with a queue of queue runs.
func NewPool(workers, queue int) *Pool {
	p := &Pool{work: make(chan func(), queue)}
	for range workers {
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	for fn := range p.work {
		fn()
	}
}

// Schedule implements actor.Dispatcher: it never blocks.
func (p *Pool) Schedule(fn func()) {
	select {
	case p.work <- fn:
	default:
		go fn()
	}
}

// Throughput implements actor.Dispatcher.
func (p *Pool) Throughput() int { return Throughput }

var (
	sharedOnce sync.Once
	shared     *Pool
)

// Shared returns the process-wide pool (4 workers per CPU), started on
// first use. Its workers live as long as the process.
func Shared() *Pool {
	sharedOnce.Do(func() {
		shared = NewPool(4*runtime.GOMAXPROCS(0), 8192)
	})
	return shared
}

// Option is the props option that runs an actor on the shared pool.
func Option() actor.PropsOption { return actor.WithDispatcher(Shared()) }
