//go:build linux

package portal

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"golang.org/x/sys/unix"

	"github.com/troupe-mud/troupe/net/telnet"
)

// The idle poller.
//
// A reader goroutine per socket spends nearly all its life parked in a
// read, and a parked goroutine still holds its stack: 4 KiB (the stacks
// of readers grow past the 2 KiB minimum and never shrink back), plus
// its descriptor, about 4.5 KiB a socket — 90 MiB for 20,000 idle
// players. On Linux a socket with nothing to read costs no goroutine
// instead: its fd waits in one epoll set (one-shot, level-triggered).
// The poller's goroutine waits for that set in Go's own network poller
// (the epoll fd is itself pollable), like any socket reader, and when
// sockets become readable it reads each until it is empty, with the same
// decoding, credits and messages as readLoop, and arms it again. Reading
// never blocks the poller: a socket whose link holds every credit (a
// client typing faster than the game answers) waits for one on a
// goroutine of its own.
//
// A reader is in one of three states. armed: registered in the epoll set,
// waiting, owned by nobody; running: the poller (or a goroutine) owns it;
// gone: finished, out of the table. Only a CompareAndSwap from armed to
// running hands it to someone (the poller on an event, the sweep on an
// ended link), so one goroutine at a time touches the decoder.
//
// What a parked readLoop learnt from its blocked read, an armed reader
// learns from the sweep (every sweepEvery): once its link has ended
// (done closed) it becomes a plain blocking reader that drains the socket
// until the lingering close's deadline or the client's EOF and closes it,
// as readLoop does after done; if the socket was closed under it (a link
// stopped without ending) it is dropped.

// Reader states.
const (
	readerArmed int32 = iota
	readerRunning
	readerGone
)

// sweepEvery is how often the poller looks for armed readers whose link
// ended or whose socket was closed.
const sweepEvery = time.Second

// pollReader reads one socket for its link. Its fields are immutable but
// dec, which only the goroutine that moved state to running uses.
type pollReader struct {
	p       *idlePoller
	id      uint64
	root    *actor.RootContext
	self    *actor.PID
	nc      net.Conn
	raw     syscall.RawConn
	credits chan struct{}
	done    chan struct{}
	dec     *telnet.Decoder
	state   atomic.Int32
}

// idlePoller is the process's epoll set of idle sockets.
type idlePoller struct {
	epfd   int
	file   *os.File        // epfd, registered in Go's network poller (kept: its finalizer would close epfd)
	raw    syscall.RawConn // file's, to wait for epfd to have events
	broken atomic.Bool     // epoll failed: no new readers (see giveUp)

	mu      sync.Mutex
	readers map[uint64]*pollReader // registered readers by id; guarded by mu
	nextID  uint64                 // guarded by mu
}

var thePoller struct {
	once sync.Once
	p    *idlePoller // nil if epoll is not available
}

// getPoller returns the process's idle poller, started on first use, or
// nil if it cannot be.
func getPoller() *idlePoller {
	thePoller.once.Do(func() {
		fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
		if err != nil {
			return
		}
		if err := unix.SetNonblock(fd, true); err != nil {
			_ = unix.Close(fd)
			return
		}
		// A non-blocking fd given to os.NewFile goes into Go's network
		// poller: SyscallConn().Read then waits for it without a thread.
		f := os.NewFile(uintptr(fd), "troupe-idle-poller")
		raw, err := f.SyscallConn()
		if err != nil || f.SetReadDeadline(time.Now().Add(sweepEvery)) != nil {
			_ = f.Close() // not pollable here: sockets get reader goroutines
			return
		}
		p := &idlePoller{epfd: fd, file: f, raw: raw, readers: make(map[uint64]*pollReader)}
		go p.wait()
		thePoller.p = p
	})
	return thePoller.p
}

// startReader starts reading a link's socket: through the idle poller
// where it can, else with a readLoop goroutine. The arguments are
// readLoop's, with the same contract: one *inbound per read (a credit
// taken before each), one *readFailed at the end unless done is closed,
// draining only after done, the socket closed at the end.
func startReader(root *actor.RootContext, self *actor.PID, nc net.Conn, credits, done chan struct{}, dec *telnet.Decoder) {
	if p := getPoller(); p != nil && !p.broken.Load() {
		if raw := rawConn(nc); raw != nil {
			r := &pollReader{p: p, root: root, self: self, nc: nc, raw: raw, credits: credits, done: done, dec: dec}
			if p.add(r) {
				return
			}
		}
	}
	go readLoop(root, self, nc, credits, done, dec)
}

// add registers r, armed. The socket may already have input: the event
// then comes at once.
func (p *idlePoller) add(r *pollReader) bool {
	p.mu.Lock()
	p.nextID++
	r.id = p.nextID
	p.readers[r.id] = r
	p.mu.Unlock()
	r.state.Store(readerArmed)
	if p.ctl(r, unix.EPOLL_CTL_ADD) {
		return true
	}
	r.state.Store(readerGone)
	p.remove(r)
	return false
}

// ctl adds or re-arms r's socket in the epoll set, one-shot. It runs
// under the socket's own reference (RawConn.Control), so that a socket
// closed meanwhile is never confused with a new one that got its fd
// number: it reports false then.
func (p *idlePoller) ctl(r *pollReader, op int) bool {
	ev := unix.EpollEvent{
		Events: unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLONESHOT,
		Fd:     int32(uint32(r.id)),
		Pad:    int32(uint32(r.id >> 32)),
	}
	var cerr error
	err := r.raw.Control(func(fd uintptr) {
		cerr = unix.EpollCtl(p.epfd, op, int(fd), &ev)
	})
	return err == nil && cerr == nil
}

func (p *idlePoller) remove(r *pollReader) {
	p.mu.Lock()
	delete(p.readers, r.id)
	p.mu.Unlock()
}

// wait is the poller's goroutine. It waits in Go's network poller for
// the epoll set to have events, takes them without waiting (epoll_wait
// with no timeout) until there are none, and reads each readable socket
// on the spot; the read deadline wakes it every sweepEvery to sweep.
func (p *idlePoller) wait() {
	events := make([]unix.EpollEvent, 128)
	for {
		var werr error
		err := p.raw.Read(func(uintptr) bool {
			for {
				n, err := unix.EpollWait(p.epfd, events, 0)
				switch {
				case err == unix.EINTR:
					continue
				case err != nil:
					werr = err
					return true
				case n == 0:
					// Empty: wait for the next event. A socket made ready
					// from now on wakes us (the set's readiness is an edge
					// for Go's poller), so nothing is missed.
					return false
				}
				p.dispatch(events[:n])
			}
		})
		if werr != nil || (err != nil && !errors.Is(err, os.ErrDeadlineExceeded)) {
			// Cannot happen with a valid epoll fd; should it anyway, every
			// socket goes back to a reader goroutine of its own.
			p.giveUp()
			return
		}
		p.sweep()
		_ = p.file.SetReadDeadline(time.Now().Add(sweepEvery))
	}
}

// dispatch reads the sockets of a batch of events.
func (p *idlePoller) dispatch(events []unix.EpollEvent) {
	for i := range events {
		id := uint64(uint32(events[i].Fd)) | uint64(uint32(events[i].Pad))<<32
		p.mu.Lock()
		r := p.readers[id]
		p.mu.Unlock()
		if r != nil && r.state.CompareAndSwap(readerArmed, readerRunning) {
			r.run()
		}
	}
}

// sweep hands the armed readers whose link has ended (or whose socket is
// closed) to goroutines that drain and close them.
func (p *idlePoller) sweep() {
	var ended []*pollReader
	p.mu.Lock()
	for _, r := range p.readers {
		if r.state.Load() != readerArmed {
			continue
		}
		select {
		case <-r.done:
		default:
			if r.raw.Control(func(uintptr) {}) == nil {
				continue // alive and idle
			}
		}
		if r.state.CompareAndSwap(readerArmed, readerRunning) {
			ended = append(ended, r)
		}
	}
	p.mu.Unlock()
	for _, r := range ended {
		go r.drain()
	}
}

// giveUp stops the poller: new sockets get reader goroutines, and so
// does every armed reader.
func (p *idlePoller) giveUp() {
	p.broken.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, r := range p.readers {
		if r.state.CompareAndSwap(readerArmed, readerGone) {
			delete(p.readers, id)
			go readLoop(r.root, r.self, r.nc, r.credits, r.done, r.dec)
		}
	}
}

// run reads the socket until it has nothing more, sending what it
// decodes, then arms it again. It owns r (state running) and never
// blocks: it runs on the poller's goroutine.
func (r *pollReader) run() {
	for {
		select {
		case <-r.done:
			go r.drain() // the link has ended: drain and close, as readLoop does
			return
		default:
		}
		evs, n, err := r.readOnce()
		if len(evs) > 0 {
			select {
			case r.credits <- struct{}{}:
				r.root.Send(r.self, &inbound{events: evs})
			case <-r.done:
			default:
				// The link has not taken its last messages yet (a client
				// typing faster than the game answers): wait for a credit on a
				// goroutine of the reader's own, never on the poller, which
				// every other socket needs (and which a link gone without
				// ending would hold for ever).
				go r.awaitCredit(evs, n, err)
				return
			}
		}
		if !r.next(n, err) {
			return
		}
	}
}

// awaitCredit sends evs once the link gives a credit back, then goes on
// reading (on this goroutine until the socket is idle again).
func (r *pollReader) awaitCredit(evs []telnet.Event, n int, err error) {
	select {
	case r.credits <- struct{}{}:
		r.root.Send(r.self, &inbound{events: evs})
	case <-r.done:
	}
	if r.next(n, err) {
		r.run()
	}
}

// next decides what follows a read of n bytes that ended with err: it
// reports whether to read again at once; otherwise the reader has failed,
// or is armed in the poller again, or belongs to someone else now.
func (r *pollReader) next(n int, err error) bool {
	if err != nil {
		r.fail(err)
		return false
	}
	if n == readBuffer {
		return true // there may well be more
	}
	// Most likely empty now. Arming a socket that still has input raises
	// the event again at once (level-triggered), so nothing is lost by not
	// reading until EAGAIN.
	r.state.Store(readerArmed)
	if r.p.ctl(r, unix.EPOLL_CTL_MOD) {
		return false
	}
	if r.state.CompareAndSwap(readerArmed, readerGone) {
		// Closed under us, or epoll refused: read the classic way (on a
		// closed socket readLoop fails at once, as it should).
		r.p.remove(r)
		go readLoop(r.root, r.self, r.nc, r.credits, r.done, r.dec)
	}
	return false // or the sweep took it
}

// readOnce reads what the socket has, without waiting, and decodes it.
// n is the number of bytes read (0 when there was nothing to read).
func (r *pollReader) readOnce() (evs []telnet.Event, n int, err error) {
	var rerr error
	cerr := r.raw.Read(func(fd uintptr) bool {
		bp := readBuffers.Get().(*[]byte)
		var e error
		n, e = readFD(fd, *bp)
		switch {
		case wouldBlock(e):
			n = 0
		case n > 0:
			evs = r.dec.Decode((*bp)[:n], nil)
		default:
			rerr = e
		}
		readBuffers.Put(bp)
		return true // never wait here: the epoll set does the waiting
	})
	if cerr != nil {
		return evs, n, cerr
	}
	return evs, n, rerr
}

// fail ends the reader on a read error, as readLoop does.
func (r *pollReader) fail(err error) {
	select {
	case <-r.done:
	default:
		r.root.Send(r.self, &readFailed{err: err})
	}
	r.state.Store(readerGone)
	r.p.remove(r)
	_ = r.nc.Close()
}

// drain is readLoop after done: read and discard until the socket fails
// (the client's EOF, the lingering close's deadline, a close), then close
// it. It waits in blocking reads, on a goroutine of its own for at most
// the lingering time.
func (r *pollReader) drain() {
	r.state.Store(readerGone)
	r.p.remove(r)
	defer r.nc.Close()
	rd := &sockReader{nc: r.nc, raw: r.raw}
	for {
		if _, err := rd.read(r.dec); err != nil {
			return
		}
	}
}
