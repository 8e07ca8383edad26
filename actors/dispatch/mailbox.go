package dispatch

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// Mailbox is an actor.MailboxProducer of compact mailboxes, for the actors
// there is one of per player (use it with actor.WithMailbox).
//
// proto.actor's default unbounded mailbox is about 380 bytes before its
// first message: a ring of 10 slots (160 bytes) and its two headers, a
// lock-free queue with its stub node for system messages, and the mailbox
// itself; its ring never shrinks after a burst; and it allocates a closure
// each time it is scheduled. This one is about 150 bytes: both queues are
// plain slices under one mutex, allocated on the first message, kept while
// small and dropped when a drained queue had grown past keepCap; it is
// scheduled with a closure made once. The behaviour is the default
// mailbox's, step for step: system messages first, suspension (restarts),
// Throughput messages per turn of the dispatcher, a panic escalated to the
// supervisor, message batches unpacked.
func Mailbox() actor.Mailbox {
	m := &mailbox{}
	m.process = m.processMessages
	return m
}

// keepCap is the capacity up to which a drained queue keeps its slice.
const keepCap = 8

// Scheduling states.
const (
	mbIdle int32 = iota
	mbRunning
)

// mailbox is one actor's mailbox. The queues are guarded by mu; the
// counters are hints read without it (as the default mailbox's are).
type mailbox struct {
	mu    sync.Mutex
	user  []any // user messages; the next is user[uhead]
	uhead int
	sys   []any // system messages; the next is sys[shead]
	shead int

	userN     atomic.Int32 // user messages posted and not yet popped
	sysN      atomic.Int32 // system messages posted and not yet popped
	status    atomic.Int32 // mbIdle or mbRunning
	suspended atomic.Bool

	invoker    actor.MessageInvoker // set once by RegisterHandlers, before any post
	dispatcher actor.Dispatcher     // likewise
	process    func()               // m.processMessages, made once
}

var _ actor.Mailbox = (*mailbox)(nil)

// PostUserMessage queues a user message (a batch's messages first, as the
// default mailbox does, then the batch itself).
func (m *mailbox) PostUserMessage(message any) {
	if batch, ok := message.(actor.MessageBatch); ok {
		for _, msg := range batch.GetMessages() {
			m.PostUserMessage(msg)
		}
	}
	if env, ok := message.(*actor.MessageEnvelope); ok {
		if batch, ok := env.Message.(actor.MessageBatch); ok {
			for _, msg := range batch.GetMessages() {
				m.PostUserMessage(msg)
			}
		}
	}
	m.mu.Lock()
	m.user = append(m.user, message)
	m.mu.Unlock()
	m.userN.Add(1)
	m.schedule()
}

// PostSystemMessage queues a system message.
func (m *mailbox) PostSystemMessage(message any) {
	m.mu.Lock()
	m.sys = append(m.sys, message)
	m.mu.Unlock()
	m.sysN.Add(1)
	m.schedule()
}

// RegisterHandlers implements actor.Mailbox.
func (m *mailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker = invoker
	m.dispatcher = dispatcher
}

// Start implements actor.Mailbox (there are no mailbox middlewares).
func (m *mailbox) Start() {}

// UserMessageCount implements actor.Mailbox.
func (m *mailbox) UserMessageCount() int { return int(max(m.userN.Load(), 0)) }

func (m *mailbox) schedule() {
	if m.status.CompareAndSwap(mbIdle, mbRunning) {
		m.dispatcher.Schedule(m.process)
	}
}

// processMessages is one turn on the dispatcher: run, then look again for
// messages posted while it was ending.
func (m *mailbox) processMessages() {
	for {
		m.run()
		m.status.Store(mbIdle)
		sys, user := m.sysN.Load(), m.userN.Load()
		if sys <= 0 && (m.suspended.Load() || user <= 0) {
			return
		}
		if !m.status.CompareAndSwap(mbIdle, mbRunning) {
			return // a poster scheduled another turn
		}
	}
}

// run handles messages until both queues are empty (or the mailbox is
// suspended and has no system message), yielding every Throughput.
func (m *mailbox) run() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	i, t := 0, m.dispatcher.Throughput()
	for {
		if i > t {
			i = 0
			runtime.Gosched()
		}
		i++
		if msg = m.popSys(); msg != nil {
			switch msg.(type) {
			case *actor.SuspendMailbox:
				m.suspended.Store(true)
			case *actor.ResumeMailbox:
				m.suspended.Store(false)
			default:
				m.invoker.InvokeSystemMessage(msg)
			}
			continue
		}
		if m.suspended.Load() {
			return
		}
		if msg = m.popUser(); msg == nil {
			return
		}
		m.invoker.InvokeUserMessage(msg)
	}
}

func (m *mailbox) popSys() any {
	if m.sysN.Load() <= 0 {
		return nil
	}
	m.mu.Lock()
	msg := pop(&m.sys, &m.shead)
	m.mu.Unlock()
	if msg != nil {
		m.sysN.Add(-1)
	}
	return msg
}

func (m *mailbox) popUser() any {
	if m.userN.Load() <= 0 {
		return nil
	}
	m.mu.Lock()
	msg := pop(&m.user, &m.uhead)
	m.mu.Unlock()
	if msg != nil {
		m.userN.Add(-1)
	}
	return msg
}

// pop takes the next message of a queue (nil if it is empty); a drained
// queue starts again at the front of its slice, or lets a large slice go.
// The caller holds mu.
func pop(q *[]any, head *int) any {
	if *head >= len(*q) {
		return nil
	}
	msg := (*q)[*head]
	(*q)[*head] = nil
	*head++
	if *head == len(*q) {
		*head = 0
		if cap(*q) > keepCap {
			*q = nil
		} else {
			*q = (*q)[:0]
		}
	}
	return msg
}
