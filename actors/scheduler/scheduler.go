package scheduler

import (
	"container/heap"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/dispatch"
)

// Start asks for an event: after Delay (and then every Every, if Every > 0)
// the scheduler sends *Event{Key, Data} to Owner. An event with the same
// Owner and Key replaces the old one.
type Start struct {
	Owner *actor.PID
	Key   string
	Delay time.Duration
	Every time.Duration
	Data  any
}

// Cancel drops Owner's event Key, if there is one.
type Cancel struct {
	Owner *actor.PID
	Key   string
}

// Event is a due event, sent to its owner.
type Event struct {
	Key  string
	Data any
}

// Stats asks for the number of pending events; the reply is *Pending.
type Stats struct{}

// Pending answers *Stats.
type Pending struct {
	Events, Owners int
}

// ownerGone: an event reached an owner that has stopped.
type ownerGone struct{ pid *actor.PID }

// tick is the timer's message: something may be due.
type tick struct{ gen uint64 }

// entry is one pending event in the heap.
type entry struct {
	owner *actor.PID
	key   string
	due   time.Time
	every time.Duration
	data  any
	index int // position in the heap
}

type eventHeap []*entry

func (h eventHeap) Len() int           { return len(h) }
func (h eventHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h eventHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *eventHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *eventHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	e.index = -1
	return e
}

// scheduler owns every pending event. Its fields are owned by its mailbox.
type scheduler struct {
	log    zerolog.Logger
	self   *actor.PID
	root   *actor.RootContext
	now    func() time.Time
	events eventHeap
	byKey  map[string]map[string]*entry // owner id → key → entry
	timer  *time.Timer
	armed  time.Time
	gen    uint64
	sub    *eventstream.Subscription
}

var _ actor.Actor = (*scheduler)(nil)

// Props returns the scheduler's props. now is the clock (nil: time.Now).
func Props(log zerolog.Logger, now func() time.Time) *actor.Props {
	if now == nil {
		now = time.Now
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &scheduler{log: log, now: now}
	}, dispatch.Option())
}

// Receive is the scheduler's single entry point.
func (s *scheduler) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.self, s.root = ctx.Self(), ctx.ActorSystem().Root
		// An event that reaches an owner that has stopped becomes a dead
		// letter: hear of it and drop the owner's events. (Watching every
		// owner would put a watcher set in each of tens of thousands of
		// actors.) The handler runs on the sender's goroutine: it only sends.
		root, self := s.root, s.self
		s.sub = ctx.ActorSystem().EventStream.Subscribe(func(evt any) {
			if dl, ok := evt.(*actor.DeadLetterEvent); ok {
				if _, ours := dl.Message.(*Event); ours {
					root.Send(self, &ownerGone{pid: dl.PID})
				}
			}
		})
		s.log = s.log.With().Str("actor", "scheduler").Logger()
		s.byKey = make(map[string]map[string]*entry)
	case *Start:
		s.start(ctx, m)
	case *Cancel:
		s.cancel(m.Owner, m.Key)
		s.arm()
	case *tick:
		if m.gen == s.gen {
			s.armed = time.Time{}
			s.fire(ctx)
		}
	case *Stats:
		ctx.Respond(&Pending{Events: len(s.events), Owners: len(s.byKey)})
	case *ownerGone:
		s.dropOwner(m.pid)
	case *actor.Stopping:
		if s.timer != nil {
			s.timer.Stop()
		}
		if s.sub != nil {
			ctx.ActorSystem().EventStream.Unsubscribe(s.sub)
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		s.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

func (s *scheduler) start(ctx actor.Context, m *Start) {
	if m.Owner == nil {
		return
	}
	s.cancel(m.Owner, m.Key)
	keys, ok := s.byKey[m.Owner.Id]
	if !ok {
		keys = make(map[string]*entry, 1)
		s.byKey[m.Owner.Id] = keys
	}
	e := &entry{owner: m.Owner, key: m.Key, due: s.now().Add(max(m.Delay, 0)), every: m.Every, data: m.Data}
	keys[m.Key] = e
	heap.Push(&s.events, e)
	s.arm()
}

func (s *scheduler) cancel(owner *actor.PID, key string) {
	if owner == nil {
		return
	}
	if e, ok := s.byKey[owner.Id][key]; ok {
		heap.Remove(&s.events, e.index)
		delete(s.byKey[owner.Id], key)
	}
}

// dropOwner forgets every event of an owner that has stopped.
func (s *scheduler) dropOwner(owner *actor.PID) {
	if owner == nil {
		return
	}
	for _, e := range s.byKey[owner.Id] {
		heap.Remove(&s.events, e.index)
	}
	delete(s.byKey, owner.Id)
	s.arm()
}

// fire sends every due event and re-queues the repeating ones.
func (s *scheduler) fire(ctx actor.Context) {
	now := s.now()
	for len(s.events) > 0 && !s.events[0].due.After(now) {
		e := s.events[0]
		ctx.Send(e.owner, &Event{Key: e.key, Data: e.data})
		if e.every > 0 {
			e.due = e.due.Add(e.every)
			if e.due.Before(now) { // fell behind: do not fire a burst to catch up
				e.due = now.Add(e.every)
			}
			heap.Fix(&s.events, 0)
			continue
		}
		heap.Pop(&s.events)
		delete(s.byKey[e.owner.Id], e.key)
	}
	s.arm()
}

// arm sets the timer for the earliest event. The timer only sends a
// message; the actor does the work.
func (s *scheduler) arm() {
	if len(s.events) == 0 {
		return
	}
	due := s.events[0].due
	if !s.armed.IsZero() && !due.Before(s.armed) {
		return // already armed early enough
	}
	s.armed = due
	s.gen++
	gen, root, self := s.gen, s.root, s.self
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(max(due.Sub(s.now()), 0), func() { root.Send(self, &tick{gen: gen}) })
}
