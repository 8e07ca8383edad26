package conn

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/link"
)

// Spawner spawns sessions, all with one Props. A Props of its own per
// session (with its producer closure, which also kept the whole
// *link.Attach and its snapshot alive as long as the session) cost more
// than half a KiB a player.
//
// A Spawner belongs to the actor that spawns the sessions (the sessions
// supervisor) and is used only inside its Receive. The session's own
// fields reach the shared producer through next, not through a first
// message: the producer runs inside SpawnNamed, synchronously, on the
// spawner's goroutine, so next is owned by the spawner's mailbox like its
// other fields (no lock), and the session has its link, address and
// snapshot before *actor.Started, as it always had. The producer runs
// nowhere else: proto.actor calls it again only to restart an actor, and
// the spawner must stop, never restart, a failed session (a restart would
// lose its link; the sessions supervisor's strategy stops it).
type Spawner struct {
	cfg   *Config      // immutable, shared with every session
	props *actor.Props // immutable: the one Props of every session
	next  actor.Actor  // the session Spawn is spawning, for props' producer; nil otherwise
}

// NewSpawner returns a Spawner for sessions configured with cfg.
func NewSpawner(cfg *Config) *Spawner {
	s := &Spawner{cfg: cfg}
	s.props = actor.PropsFromProducer(s.take, dispatch.Option(), actor.WithMailbox(dispatch.Mailbox))
	return s
}

// Spawn spawns the session of a link that attached, as a child of ctx's
// actor named name.
func (s *Spawner) Spawn(ctx actor.SpawnerContext, a *link.Attach, name string) (*actor.PID, error) {
	s.next = newSession(a, s.cfg)
	pid, err := ctx.SpawnNamed(s.props, name)
	s.next = nil
	return pid, err
}

// take is the shared producer: it hands over the session Spawn is
// spawning.
func (s *Spawner) take() actor.Actor {
	c := s.next
	s.next = nil
	if c == nil {
		return orphan{} // not from Spawn: cannot happen (see Spawner)
	}
	return c
}

// orphan stands for a session the producer was asked for outside Spawn;
// it stops at once.
type orphan struct{}

func (orphan) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*actor.Started); ok {
		ctx.Stop(ctx.Self())
	}
}
