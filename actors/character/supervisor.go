package character

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/help"
)

// Defaults for Config's zero fields.
const (
	DefaultLinkdeadGrace = 3 * time.Minute
	DefaultAutosave      = 5 * time.Minute
)

// Config is shared, read-only configuration of the characters supervisor
// and every character actor.
type Config struct {
	// LinkdeadGrace is how long a character whose link died stays in the
	// world waiting for its player (default 3 minutes).
	LinkdeadGrace time.Duration
	// Autosave is the interval of periodic saves (default 5 minutes).
	Autosave time.Duration
	// StartRoom is where new characters (and characters whose room is gone)
	// enter the world.
	StartRoom string
	// Hooks tells characters which game hooks have subscribers (nil:
	// publish all).
	Hooks *msg.HookSet
	// StartSpread puts new characters in a random room of World.
	StartSpread bool
	// Admins holds the account keys with admin rights.
	Admins map[string]bool
	// Commands is the command table; nil means DefaultCommands().
	Commands *Commands
	// World is the static world (rooms, item and mobile prototypes).
	World *world.World
	// Help is the help index; nil means help.Default().
	Help *help.Index
	// Log is the parent logger.
	Log zerolog.Logger

	rooms    []world.RoomID          // every room, for StartSpread; set once in SupervisorProps
	roomInfo map[world.RoomID][]byte // GMCP Room.Info of every room; built once in SupervisorProps
}

// roomInfoJSON returns the GMCP Room.Info body of a room (nil if unknown).
func (c *Config) roomInfoJSON(id world.RoomID) []byte { return c.roomInfo[id] }

// startRoom is where a character without a valid room enters.
func (c *Config) startRoom() world.RoomID {
	if c.StartSpread && len(c.rooms) > 0 {
		return c.rooms[rand.IntN(len(c.rooms))]
	}
	return world.RoomID(c.StartRoom)
}

func (c *Config) grace() time.Duration {
	if c.LinkdeadGrace > 0 {
		return c.LinkdeadGrace
	}
	return DefaultLinkdeadGrace
}

func (c *Config) commands() *Commands { return c.Commands }

func (c *Config) help() *help.Index {
	if c.Help != nil {
		return c.Help
	}
	return defaultHelp
}

var defaultHelp = help.Default()

func (c *Config) autosave() time.Duration {
	if c.Autosave > 0 {
		return c.Autosave
	}
	return DefaultAutosave
}

// regEntry is one character in the game, as the supervisor sees it.
type regEntry struct {
	pid      *actor.PID
	name     string
	linkdead bool
	leaving  bool
	admin    bool
	conn     *actor.PID // the connection playing it (nil while linkdead)
	link     *actor.PID // that connection's portal link (nil: chat goes to conn)
}

// supervisor owns the registry of characters in the game. Its fields are
// owned by its mailbox.
type supervisor struct {
	cfg   *Config
	log   zerolog.Logger
	byKey map[string]*regEntry
	byPID map[string]string // actor id → key

	mobs       int
	charProps  *actor.Props
	saveAllTo  []*actor.PID
	saveWait   int
	saveOK     int
	saveFailed int
}

var _ actor.Actor = (*supervisor)(nil)

// SupervisorProps returns the props of the characters supervisor. Its
// children restart (and reload from the store) when they fail.
func SupervisorProps(cfg *Config) *actor.Props {
	if cfg.Commands == nil {
		cfg.Commands = DefaultCommands()
	}
	if cfg.StartSpread && cfg.World != nil {
		cfg.rooms = cfg.World.RoomIDs()
	}
	if cfg.World != nil && cfg.roomInfo == nil {
		// Static data, shared read-only by every character: rendered once
		// instead of on every move.
		cfg.roomInfo = make(map[world.RoomID][]byte, len(cfg.World.Rooms))
		for id, r := range cfg.World.Rooms {
			cfg.roomInfo[id] = RoomInfoJSON(r)
		}
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &supervisor{cfg: cfg}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(10, time.Minute, func(reason any) actor.Directive {
		cfg.Log.Error().Str("panic", fmt.Sprint(reason)).Msg("character actor failed; restarting it")
		return actor.RestartDirective
	})))
}

// Receive is the supervisor's single entry point.
func (s *supervisor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.log = s.cfg.Log.With().Str("actor", "characters").Logger()
		s.byKey = make(map[string]*regEntry)
		s.byPID = make(map[string]string)
	case *EnterGame:
		s.enter(ctx, m)
	case *msg.Disconnected:
		if ctx.Sender() != nil {
			ctx.Respond(msg.Done)
		}
		if m.CharPID != nil {
			if _, ok := s.byPID[m.CharPID.Id]; ok {
				ctx.Send(m.CharPID, m)
			}
		}
	case *statusChanged:
		if e, ok := s.byKey[m.key]; ok {
			e.linkdead, e.leaving, e.conn, e.link = m.linkdead, m.leaving, m.conn, m.link
		}
	case *Who:
		list := make([]WhoEntry, 0, len(s.byKey))
		for _, e := range s.byKey {
			if !e.leaving {
				list = append(list, WhoEntry{Name: e.name, Linkdead: e.linkdead, Admin: e.admin})
			}
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		ctx.Respond(&WhoList{Entries: list})
	case *chatMsg:
		// Straight to the links: a chat line is the same for everyone, so
		// it is made once, rendered once per client form and goes to each
		// socket in one hop (a player whose link is unknown gets it through
		// the session).
		fan := link.Fanout{Line: link.NewLine(m.line)}
		var out *msg.Output
		for _, e := range s.byKey {
			if e.conn == nil || e.leaving || (ctx.Sender() != nil && e.pid.Equal(ctx.Sender())) {
				continue
			}
			if e.link != nil {
				err := fan.Send(ctx, e.link)
				if err == nil {
					continue
				}
				s.log.Error().Err(err).Msg("chat: encoding the line; sending it through the session")
			}
			if out == nil {
				out = &msg.Output{Text: m.line}
			}
			ctx.Send(e.conn, out)
		}
		if ctx.Sender() != nil {
			ctx.Respond(&msg.Output{Text: m.line}) // the speaker's own line completes its command
		}
	case *tellMsg:
		if e, ok := s.byKey[persistence.NormalizeKey(m.To)]; ok && !e.leaving {
			ctx.Forward(e.pid)
		} else if ctx.Sender() != nil {
			ctx.Respond(&msg.Output{Text: "Nobody by that name is playing.\n"})
		}
	case *room.RoomsStarted:
		for _, sp := range m.Mobiles {
			s.mobs++
			if _, err := ctx.SpawnNamed(MobileProps(s.cfg, sp.Proto, sp.Room, nil), fmt.Sprintf("mob-%d", s.mobs)); err != nil {
				s.log.Error().Err(err).Str("mob", string(sp.Proto.ID)).Msg("spawning mobile")
			}
		}
		s.log.Info().Int("mobiles", len(m.Mobiles)).Msg("mobiles placed")
	case *SaveAll:
		s.saveAll(ctx)
	case *savedNow:
		s.saveWait--
		if m.err != nil {
			s.saveFailed++
		} else {
			s.saveOK++
		}
		s.checkSaveAll(ctx)
	case *actor.DeadLetterResponse:
		// A saveNow reached a character that had already left (and saved).
		if s.saveWait > 0 {
			s.saveWait--
			s.saveOK++
			s.checkSaveAll(ctx)
		}
	case *actor.Terminated:
		if key, ok := s.byPID[m.Who.Id]; ok {
			delete(s.byPID, m.Who.Id)
			if e, ok := s.byKey[key]; ok && e.pid.Equal(m.Who) {
				delete(s.byKey, key)
			}
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		s.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

func (s *supervisor) enter(ctx actor.Context, m *EnterGame) {
	key := persistence.NormalizeKey(m.Name)
	if e, ok := s.byKey[key]; ok {
		if e.leaving {
			ctx.Respond(&Entered{Name: m.Name, Err: ErrLeaving})
			return
		}
		ctx.Forward(e.pid)
		return
	}
	if s.charProps == nil {
		// One Props for every character (a Props per spawn cost a few
		// hundred bytes a player): the actor reads its key from its name.
		cfg := s.cfg
		s.charProps = actor.PropsFromProducer(func() actor.Actor { return newCharActor("", cfg) }, dispatch.Option())
	}
	pid, err := ctx.SpawnNamed(s.charProps, charPrefix+key)
	if err != nil {
		s.log.Error().Err(err).Str("char", key).Msg("spawning character")
		ctx.Respond(&Entered{Name: m.Name, Err: err})
		return
	}
	s.byKey[key] = &regEntry{pid: pid, name: m.Name, admin: s.cfg.Admins[persistence.NormalizeKey(m.Account)]}
	s.byPID[pid.Id] = key
	ctx.Forward(pid)
}

func (s *supervisor) saveAll(ctx actor.Context) {
	if ctx.Sender() != nil {
		s.saveAllTo = append(s.saveAllTo, ctx.Sender())
	}
	for _, e := range s.byKey {
		if e.leaving {
			continue // it saves as it leaves
		}
		s.saveWait++
		ctx.Request(e.pid, &saveNow{leave: true})
	}
	s.checkSaveAll(ctx)
}

func (s *supervisor) checkSaveAll(ctx actor.Context) {
	if s.saveWait > 0 || len(s.saveAllTo) == 0 {
		return
	}
	for _, p := range s.saveAllTo {
		ctx.Send(p, &SavedAll{Saved: s.saveOK, Failed: s.saveFailed})
	}
	s.saveAllTo = nil
}

// charPrefix starts the name of every player character actor.
const charPrefix = "char-"

// statusChanged tells the supervisor a character's who-list state.
type statusChanged struct {
	key      string
	linkdead bool
	leaving  bool
	conn     *actor.PID // the connection playing it, nil while linkdead
	link     *actor.PID // its portal link, nil while linkdead
}
