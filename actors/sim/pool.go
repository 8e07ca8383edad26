package sim

import (
	"runtime"
	"sync"
)

// Worker pool size and queue.
const (
	minWorkers     = 4
	workersPerProc = 2
	workQueue      = 4096 // functions waiting for a worker before Go falls back to a goroutine
)

// workerPool is a set of long-lived goroutines that run the players' timer
// fires. A time.AfterFunc runs on a goroutine of its own, new and with a
// 2 KB stack, which a player's Receive (a command: the profile draw, the
// write) would have to grow every time; a worker's stack grows once.
// (protoactor's default dispatcher has the same cost for every mailbox
// run, which is why the players' mailboxes run on their senders'
// goroutines instead: see runner.go.) Go never blocks: when every worker
// is busy and the queue is full, or the pool has stopped, fn gets a
// goroutine of its own.
type workerPool struct {
	work chan func() // never closed: Go may race with stop
	done chan struct{}
	wg   sync.WaitGroup
}

// newWorkerPool starts the workers; stop ends them.
func newWorkerPool() *workerPool {
	d := &workerPool{work: make(chan func(), workQueue), done: make(chan struct{})}
	n := max(minWorkers, workersPerProc*runtime.GOMAXPROCS(0))
	d.wg.Add(n)
	for range n {
		go d.worker()
	}
	return d
}

func (d *workerPool) worker() {
	defer d.wg.Done()
	for {
		select {
		case fn := <-d.work:
			fn()
		case <-d.done:
			return
		}
	}
}

// Go runs fn on a worker, or on a goroutine of its own.
func (d *workerPool) Go(fn func()) {
	select {
	case <-d.done:
		go fn()
		return
	default:
	}
	select {
	case d.work <- fn:
	default:
		go fn()
	}
}

// stop ends the workers and gives what was still queued goroutines of
// their own. A Go that races with stop may leave its fn queued and never
// run; stop comes after the players have stopped, whose timers are then
// of no interest.
func (d *workerPool) stop() {
	close(d.done)
	d.wg.Wait()
	for {
		select {
		case fn := <-d.work:
			go fn()
		default:
			return
		}
	}
}
