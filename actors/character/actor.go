package character

import (
	"errors"
	"fmt"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/command"
)

// phase is where a character actor is in its life.
type phase uint8

const (
	phaseLoading phase = iota // waiting for its record
	phaseActive               // in the world
	phaseLeaving              // saving before it stops
)

// attachReq is an *EnterGame waiting for the record to load.
type attachReq struct {
	req    *EnterGame
	sender *actor.PID
}

// charActor is a player character. All fields are owned by its mailbox.
type charActor struct {
	key  string
	cfg  *Config
	self *actor.PID

	phase   phase
	rec     *persistence.CharacterRecord // the last loaded/saved record (record-only fields)
	ch      world.Character              // the game state
	account string
	admin   bool
	pending []attachReq
	early   []*msg.EditDone // editor results that came before the record

	conn *actor.PID // the connection playing it; nil while linkdead
	link *actor.PID // the portal link of that connection's socket (may be nil)
	// direct: rooms send their lines for us straight to link. It is off
	// until the first look after a link attaches has been shown through the
	// session (that look carries the welcome and follows the game prompt),
	// so that nothing a room sends overtakes it.
	direct   bool
	linkdead bool
	graceGen int
	cancels  []scheduler.CancelFunc

	inRoom     bool            // the room has us as an occupant
	entering   bool            // our first *msg.EnterRoom is in flight
	inCmd      bool            // a command is running: output goes to cmdOut
	cmdOut     strings.Builder // the running command's output
	awaiting   bool            // the command waits for a reply that completes it
	cmdSeq     uint64          // numbers awaited commands, for their timeout
	cmdTimer   *time.Timer     // the awaited command's timeout; nil when none runs
	awaitLeft  bool            // leaving: the room has not confirmed yet
	awaitSave  bool            // leaving: the final save is not durable yet
	finish     func()          // leaving: runs just before the actor stops
	intro      string          // the welcome, sent with the next output
	moving     bool            // a *Move is in flight
	replyTo    string
	quietEntry bool              // the next room entry shows nothing (a resume under the editor)
	saves      []func(err error) // continuations of saves in flight, in order
	giving     []pendingGive     // items on their way to another character, not yet confirmed
	lastSave   time.Time
	enteredAt  time.Time
	roomPID    *actor.PID // the PID of room roomPIDOf, kept between commands
	roomPIDOf  world.RoomID
}

var _ actor.Actor = (*charActor)(nil)

func newCharActor(key string, cfg *Config) *charActor {
	return &charActor{key: key, cfg: cfg}
}

// Receive is the character's single entry point.
func (c *charActor) Receive(ctx actor.Context) {
	defer c.recoverPanic(ctx)
	switch m := ctx.Message().(type) {
	case *actor.Started:
		c.self = ctx.Self()
		if c.key == "" {
			c.key = strings.TrimPrefix(path.Base(c.self.Id), charPrefix)
		}
		ctx.Request(msg.Service(ctx.ActorSystem(), msg.ServiceStore), &store.LoadCharacter{Key: c.key})
	case *actor.Restarting:
		c.stopTimers()
	case *store.CharacterLoaded:
		c.loaded(ctx, m)
	case *EnterGame:
		c.attach(ctx, attachReq{req: m, sender: ctx.Sender()})
	case *msg.Command:
		if c.conn != nil && m.Conn != nil && m.Conn.Equal(c.conn) {
			c.runCommand(ctx, m.Line)
		}
	case *msg.Show:
		c.show(ctx, m.Text)
	case *msg.Output:
		c.completeShown(ctx, m.Text, m.Shown) // a room's answer (look, say); empty if the room showed it directly
		c.goDirect(ctx)
	case *msg.RoomEntered:
		c.entered(ctx, m)
	case *msg.MoveFailed:
		c.moving = false
		c.complete(ctx, m.Text+"\n")
	case *msg.ItemsTaken:
		c.itemsTaken(ctx, m)
	case *msg.ReceiveItem:
		c.receiveItem(ctx, m)
	case *msg.ItemGiven:
		c.itemGiven(ctx, m)
	case *msg.GiveTo:
		c.giveTo(ctx, m)
	case *actor.DeadLetterResponse:
		// This proto.actor version leaves Target empty: the request that
		// failed is the one outstanding (a character has one at a time).
		c.deadLetter(ctx)
	case *msg.Left:
		if c.awaitLeft {
			c.awaitLeft = false
			c.tryFinish(ctx)
		}
	case *msg.Heard, *msg.Arrived:
		// players see the room's lines already
	case *tellMsg:
		c.tellReceived(ctx, m)
	case *WhoList:
		c.complete(ctx, whoText(m))
	case *msg.Disconnected:
		c.disconnected(ctx, m)
	case *commandTimedOut:
		if m.seq == c.cmdSeq && c.awaiting {
			c.ev(c.cfg.Log.Warn()).Msg("a command's reply never came")
			c.moving = false
			c.complete(ctx, "Nothing happens.\n")
		}
	case *graceExpired:
		if m.gen == c.graceGen && c.linkdead && c.phase == phaseActive {
			c.ev(c.cfg.Log.Info()).Msg("linkdead grace expired; leaving the game")
			c.leave(ctx, c.ch.Name+" has left the game.")
		}
	case *autosave:
		if c.phase == phaseActive {
			c.save(ctx, func(err error) {
				if err != nil {
					c.send(ctx, "{RYour character could not be saved: the game will keep trying.{x")
				}
			})
		}
	case *saveNow:
		sender := ctx.Sender()
		if c.phase != phaseActive {
			// Leaving (its final save is with the store already, and the
			// store's Flush makes it durable) or never loaded.
			if sender != nil {
				ctx.Send(sender, &savedNow{})
			}
			return
		}
		c.save(ctx, func(err error) {
			if sender != nil {
				ctx.Send(sender, &savedNow{err: err})
			}
			if m.leave && err == nil {
				c.stopSelf(ctx)
			}
		})
	case *store.Saved:
		c.saved(ctx, m.Err)
	case *msg.EditDone:
		if c.phase == phaseLoading {
			// An editor that outlived a game restart finished before this
			// character was loaded again: apply it once it is.
			if len(c.early) < 8 { // one per editor session; bounded all the same
				c.early = append(c.early, m)
			}
			return
		}
		if m.Tag == "describe" {
			if m.Saved {
				c.ch.Description = m.Text
				c.send(ctx, "Description saved.")
				if c.inRoom {
					ctx.Send(c.room(ctx), &msg.UpdateOccupant{Who: c.occupant()})
				}
			} else {
				c.send(ctx, "Description unchanged.")
			}
		}
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		c.ev(c.cfg.Log.Warn()).Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

// recoverPanic keeps a failing command from restarting the character: the
// player is told, the stack logged, the actor goes on.
func (c *charActor) recoverPanic(ctx actor.Context) {
	if r := recover(); r != nil {
		c.ev(c.cfg.Log.Error()).Str("panic", fmt.Sprint(r)).Str("stack", string(debug.Stack())).Msg("character panicked")
		c.send(ctx, "{RSomething went wrong; it has been logged.{x")
	}
}

func (c *charActor) loaded(ctx actor.Context, m *store.CharacterLoaded) {
	if c.phase != phaseLoading {
		return
	}
	if m.Err != nil {
		err := m.Err
		if errors.Is(err, persistence.ErrNotFound) {
			err = ErrNoSuchCharacter
		} else {
			c.ev(c.cfg.Log.Error()).Err(m.Err).Msg("loading character")
		}
		for _, p := range c.pending {
			ctx.Send(p.sender, &Entered{Name: p.req.Name, Err: err})
		}
		c.pending = nil
		ctx.Stop(c.self)
		return
	}
	c.rec = m.Record
	c.account = m.Record.Account
	c.admin = c.cfg.Admins[c.account]
	c.ch = fromRecord(m.Record, c.cfg.World)
	c.ch.Admin = c.admin
	if c.cfg.World != nil {
		if _, ok := c.cfg.World.Room(c.ch.Room); !ok {
			c.ch.Room = c.cfg.startRoom()
		}
	}
	c.phase = phaseActive
	c.enteredAt = time.Now()
	timers := scheduler.NewTimerScheduler(ctx.ActorSystem().Root)
	c.cancels = append(c.cancels, timers.SendRepeatedly(c.cfg.autosave(), c.cfg.autosave(), c.self, &autosave{}))
	pending := c.pending
	c.pending = nil
	for _, p := range pending {
		c.attach(ctx, p)
	}
	for _, m := range c.early {
		ctx.Send(c.self, m)
	}
	c.early = nil
}

// attach connects a player's link to this character: the first login, a
// reattach after linkdeath, or a takeover from another link.
func (c *charActor) attach(ctx actor.Context, p attachReq) {
	switch c.phase {
	case phaseLoading:
		c.pending = append(c.pending, p)
		return
	case phaseLeaving:
		ctx.Send(p.sender, &Entered{Name: p.req.Name, Err: ErrLeaving})
		return
	}
	if persistence.NormalizeKey(p.req.Account) != c.account {
		ctx.Send(p.sender, &Entered{Name: p.req.Name, Err: ErrNotYours})
		return
	}
	reattached := c.inRoom
	if p.req.Resume && !reattached && !c.entering && p.req.Room != "" && c.cfg.World != nil {
		if _, ok := c.cfg.World.Room(p.req.Room); ok {
			c.ch.Room = p.req.Room // newer than the last save
		}
	}
	old := c.conn
	if old != nil && !old.Equal(p.req.Conn) {
		ctx.Send(old, &msg.Kick{Reason: msg.ReasonQuit, Cause: msg.CauseTakeover,
			Message: "Your character has been taken over by another connection."})
	}
	wasLinkdead := c.linkdead
	oldLink := c.link
	c.conn, c.link, c.linkdead = p.req.Conn, p.req.Link, false
	c.direct = false // until the look below has been shown
	c.graceGen++
	ctx.Send(p.sender, &Entered{Name: c.ch.Name, Char: c.self, Reattached: reattached})
	c.publish(ctx, &msg.EnteredGame{Name: c.ch.Name, Account: c.account, Char: c.self, Room: c.ch.Room, Reattached: reattached})
	c.status(ctx)
	c.sendPrompt(ctx)
	// The welcome goes out with the room's answer, in one burst, so the
	// player sees the prompt once, after the room.
	c.intro = "Welcome to the game!\n"
	if p.req.Resume {
		c.intro = "" // the portal has said the world is back
	}
	c.quietEntry = p.req.Quiet
	switch {
	case !reattached:
		c.ev(c.cfg.Log.Info()).Bool("resume", p.req.Resume).Msg("entered the game")
		if !c.entering {
			c.entering = true
			arrive := c.ch.Name + " has entered the game."
			if p.req.Resume {
				arrive = c.ch.Name + " shimmers back into being."
			}
			ctx.Request(c.room(ctx), &msg.EnterRoom{Who: c.occupant(), From: msg.NoDirection, Arrive: arrive})
		}
	case wasLinkdead:
		c.intro += "You have reconnected.\n"
		ctx.Send(c.room(ctx), &msg.UpdateOccupant{Who: c.occupant()})
		ctx.Send(c.room(ctx), &msg.Broadcast{Text: c.ch.Name + " has reconnected.", Except: c.self})
		ctx.Request(c.room(ctx), &msg.Look{Viewer: c.self})
	default:
		c.intro += "You take over your body from your other connection.\n"
		if oldLink != nil {
			ctx.Send(c.room(ctx), &msg.UpdateOccupant{Who: c.occupant()}) // not to the old link any more
		}
		ctx.Request(c.room(ctx), &msg.Look{Viewer: c.self})
	}
}

func (c *charActor) entered(ctx actor.Context, m *msg.RoomEntered) {
	first := c.entering
	c.inRoom, c.moving, c.entering = true, false, false
	c.ch.Room = m.Room
	if c.conn != nil {
		ctx.Send(c.conn, &msg.InRoom{Room: m.Room})
	}
	if first && c.quietEntry {
		c.quietEntry = false
	} else {
		c.completeShown(ctx, m.Look, m.Shown)
	}
	c.goDirect(ctx)
	c.roomInfo(ctx)
	if first && c.linkdead {
		// The link died while we were entering: the room learns it now.
		ctx.Send(c.room(ctx), &msg.UpdateOccupant{Who: c.occupant()})
		ctx.Send(c.room(ctx), &msg.Broadcast{Text: c.ch.Name + " has lost their link.", Except: c.self})
	}
}

// disconnected handles the disconnect hook for the link playing us.
func (c *charActor) disconnected(ctx actor.Context, m *msg.Disconnected) {
	if c.conn == nil || !c.conn.Equal(m.Conn) || c.phase != phaseActive {
		return // an old link (taken over), or we are leaving anyway
	}
	c.conn, c.link, c.direct = nil, nil, false
	if m.Reason == msg.ReasonQuit {
		c.leave(ctx, c.ch.Name+" has left the game.")
		return
	}
	c.linkdead = true
	c.graceGen++
	gen := c.graceGen
	c.ev(c.cfg.Log.Info()).Str("cause", string(m.Cause)).Msg("linkdead")
	scheduler.NewTimerScheduler(ctx.ActorSystem().Root).SendOnce(c.cfg.grace(), c.self, &graceExpired{gen: gen})
	c.status(ctx)
	c.intro = ""
	if c.inRoom {
		ctx.Send(c.room(ctx), &msg.UpdateOccupant{Who: c.occupant()})
		ctx.Send(c.room(ctx), &msg.Broadcast{Text: c.ch.Name + " has lost their link.", Except: c.self})
	}
}

// leave saves, takes the character out of its room and stops the actor.
// The connection (if any) is closed by the caller.
func (c *charActor) leave(ctx actor.Context, depart string) {
	c.leaveThen(ctx, depart, nil)
}

// leaveThen is leave, running then (if not nil) once the final save is
// durable (or has failed for good), just before the actor stops.
func (c *charActor) leaveThen(ctx actor.Context, depart string, then func()) {
	if c.phase != phaseActive {
		return
	}
	// The final save goes to the store first: the supervisor skips leaving
	// characters when the server shuts down and flushes the store, so the
	// save must already be in the store's mailbox when it hears we leave.
	c.awaitSave = true
	c.save(ctx, func(err error) {
		if err != nil {
			c.ev(c.cfg.Log.Error()).Err(err).Msg("final save failed")
		}
		c.awaitSave = false
		c.tryFinish(ctx)
	})
	c.phase = phaseLeaving
	c.status(ctx)
	c.publish(ctx, &msg.QuitGame{Name: c.ch.Name, Account: c.account, Room: c.ch.Room})
	// The actor stops only once the room has let it go (so the room shows
	// the departure before it sees the actor terminate: a Terminated would
	// overtake the LeaveRoom in its mailbox) and the final save is durable.
	c.finish = then
	c.awaitLeft = c.inRoom
	if c.inRoom {
		ctx.Request(c.room(ctx), &msg.LeaveRoom{PID: c.self, Silent: depart == "", Depart: depart})
		c.inRoom = false
	}
}

// tryFinish stops a leaving character once its room and its save are done.
func (c *charActor) tryFinish(ctx actor.Context) {
	if c.phase != phaseLeaving || c.awaitLeft || c.awaitSave {
		return
	}
	if c.finish != nil {
		c.finish()
		c.finish = nil
	}
	c.stopSelf(ctx)
}

func (c *charActor) stopSelf(ctx actor.Context) {
	if c.inRoom {
		ctx.Send(c.room(ctx), &msg.LeaveRoom{PID: c.self, Silent: true})
		c.inRoom = false
	}
	c.stopTimers()
	ctx.Stop(c.self)
}

func (c *charActor) stopTimers() {
	for _, cancel := range c.cancels {
		cancel()
	}
	c.cancels = nil
	if c.cmdTimer != nil {
		c.cmdTimer.Stop()
		c.cmdTimer = nil
	}
}

// save asks the store to make the character durable; then runs after the
// store acknowledges (or gives up).
func (c *charActor) save(ctx actor.Context, then func(err error)) {
	if c.rec == nil {
		if then != nil {
			then(ErrNoSuchCharacter)
		}
		return
	}
	now := time.Now()
	rec := toRecord(&c.ch, c.rec, now)
	rec.PlayedSeconds += int64(now.Sub(c.enteredAt) / time.Second)
	c.enteredAt = now
	c.rec = rec
	c.saves = append(c.saves, then)
	ctx.Request(msg.Service(ctx.ActorSystem(), msg.ServiceStore), &store.SaveCharacter{Record: rec})
}

func (c *charActor) saved(ctx actor.Context, err error) {
	if len(c.saves) == 0 {
		return
	}
	then := c.saves[0]
	c.saves = c.saves[1:]
	if err != nil {
		c.ev(c.cfg.Log.Error()).Err(err).Msg("save failed")
	} else {
		c.lastSave = time.Now()
	}
	if then != nil {
		then(err)
	}
}

// publish sends a game hook event to its subscribers (via sessions).
func (c *charActor) publish(ctx actor.Context, ev msg.Hook) {
	if c.cfg.Hooks != nil && !c.cfg.Hooks.Has(ev.HookName()) {
		return
	}
	ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceSessions), &msg.Publish{Event: ev})
}

// status tells the supervisor how `who` shows us.
func (c *charActor) status(ctx actor.Context) {
	ctx.Send(ctx.Parent(), &statusChanged{key: c.key, linkdead: c.linkdead, leaving: c.phase == phaseLeaving, conn: c.conn, link: c.link})
}

// occupant is how rooms know us.
func (c *charActor) occupant() msg.Occupant {
	line := c.ch.Name + " is here."
	if c.linkdead {
		line = c.ch.Name + " is here {d(linkdead){x."
	}
	o := msg.Occupant{Name: c.ch.Name, PID: c.self, Line: line, Desc: c.ch.Description, Keywords: c.ch.Keywords(), Linkdead: c.linkdead}
	if c.conn != nil && c.direct {
		o.Link = c.link
	}
	return o
}

// goDirect lets rooms send their lines for us straight to our link, now
// that the first look after the link attached has been sent through the
// session. Lines already on their way through this actor may still be
// overtaken by a direct one: they are other players' lines, a moment
// apart.
func (c *charActor) goDirect(ctx actor.Context) {
	if c.direct || c.conn == nil || c.link == nil || !c.inRoom {
		return
	}
	c.direct = true
	ctx.Send(c.room(ctx), &msg.UpdateOccupant{Who: c.occupant()})
}

// room returns the PID of the room the character is in (by name).
func (c *charActor) room(ctx actor.Context) *actor.PID {
	if c.roomPID == nil || c.roomPIDOf != c.ch.Room {
		// Kept: a PID caches the process it resolves to, so a command does
		// not build a name and look it up in the registry every time.
		c.roomPID, c.roomPIDOf = room.PID(ctx.ActorSystem(), c.ch.Room), c.ch.Room
	}
	return c.roomPID
}

// show sends text (already formatted, with its own newlines) to the player,
// after the pending welcome if there is one. While a command runs, its
// output is collected and sent in one message when the command finishes.
func (c *charActor) show(ctx actor.Context, text string) {
	if c.inCmd {
		c.cmdOut.WriteString(text)
		return
	}
	if c.conn == nil || text == "" {
		return
	}
	if c.intro != "" {
		text, c.intro = c.intro+text, ""
	}
	ctx.Send(c.conn, &msg.Output{Text: text})
}

// complete finishes the command the character was waiting on with text
// (its answer): the connection gets the text and the Done mark together.
// Text that does not finish a command is simply shown.
func (c *charActor) complete(ctx actor.Context, text string) {
	c.completeShown(ctx, text, false)
}

// completeShown is complete for an answer that may have been shown on the
// player's link already (shown: text is then empty): the session only
// learns that the command is done.
func (c *charActor) completeShown(ctx actor.Context, text string, shown bool) {
	if !c.awaiting {
		c.show(ctx, text)
		return
	}
	c.awaiting = false
	if c.cmdTimer != nil {
		c.cmdTimer.Stop()
		c.cmdTimer = nil
	}
	if c.conn != nil {
		ctx.Send(c.conn, &msg.Output{Text: text, Done: true, Shown: shown && text == ""})
	}
}

// commandTimedOut: the awaited command seq got no reply in time.
type commandTimedOut struct{ seq uint64 }

// send sends one line to the player.
func (c *charActor) send(ctx actor.Context, line string) {
	c.show(ctx, line+"\n")
}

// sendPrompt gives the connection the game prompt with our vitals.
func (c *charActor) sendPrompt(ctx actor.Context) {
	if c.conn == nil {
		return
	}
	v := c.ch.Vitals
	ctx.Send(c.conn, &msg.SetPrompt{Text: fmt.Sprintf("{g<%d/%dhp %d/%dmn %d/%dmv>{x ", v.HP, v.MaxHP, v.MP, v.MaxMP, v.MV, v.MaxMV)})
	c.sendVitals(ctx)
}

// command runs one line of game input.
func (c *charActor) command(ctx actor.Context, line string) {
	if c.phase != phaseActive {
		return
	}
	cmd, err := command.Parse(line)
	if err != nil {
		return // an empty line just shows the prompt again
	}
	table := c.cfg.commands()
	e, ok := table.Lookup(cmd.Verb, c.admin)
	if !ok {
		if s := table.Suggest(cmd.Verb, c.admin); s != "" {
			c.send(ctx, fmt.Sprintf("Huh? Did you mean '%s'?", s))
		} else {
			c.send(ctx, "Huh?")
		}
		return
	}
	if !e.Accepts(len(cmd.Args)) {
		usage := e.Usage
		if usage == "" {
			usage = e.Name
		}
		c.send(ctx, "Usage: "+usage)
		return
	}
	e.Handler(&Act{c: c, ctx: ctx}, cmd)
}

// runCommand runs one line of input with its output collected; the
// connection gets it with the Done mark unless the command awaits a reply
// (then the reply completes it).
func (c *charActor) runCommand(ctx actor.Context, line string) {
	c.inCmd, c.awaiting = true, false
	c.cmdOut.Reset()
	c.command(ctx, line)
	c.inCmd = false
	out := c.cmdOut.String()
	c.cmdOut.Reset()
	if c.conn == nil {
		return // the command ended the link (quit)
	}
	if c.awaiting {
		if out != "" {
			ctx.Send(c.conn, &msg.Output{Text: out})
		}
		// If the reply never comes (an actor failed while handling it),
		// the command still ends, so the player's next lines go on.
		// A runtime timer, stopped when the reply comes: almost every
		// command is answered within milliseconds, and a timer that never
		// fires costs no message (the scheduler actor would cost two per
		// command).
		c.cmdSeq++
		if c.cmdTimer != nil {
			c.cmdTimer.Stop()
		}
		seq, self, root := c.cmdSeq, c.self, ctx.ActorSystem().Root
		c.cmdTimer = time.AfterFunc(commandTimeout, func() { root.Send(self, &commandTimedOut{seq: seq}) })
		return
	}
	ctx.Send(c.conn, &msg.Output{Text: out, Done: true})
}

// commandTimeout bounds how long a command waits for its reply.
const commandTimeout = 4 * time.Second

// ev adds the actor's identifying fields to a log event (built per event:
// a child logger per actor would cost half a kilobyte each).
func (c *charActor) ev(e *zerolog.Event) *zerolog.Event {
	return e.Str("char", c.key)
}
