package room

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/dispatch"
	"github.com/troupe-mud/troupe/actors/link"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/store"
	"github.com/troupe-mud/troupe/actors/wire"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/command"
	"github.com/troupe-mud/troupe/world/text"
)

// moveTimeout bounds how long a room waits for a destination to take a
// character in.
const moveTimeout = 2 * time.Second

// saveDelay debounces floor saves after a change.
const saveDelay = 2 * time.Second

// state is a room's mutable state: owned by the room actor, kept across
// restarts (see the package doc).
type state struct {
	started  bool
	occ      []msg.Occupant
	leaving  map[string]bool // PID ids of occupants on their way out
	items    []world.Item
	loaded   bool // floor state came from the store (or the area reset)
	tries    int  // loads the store refused as busy
	gen      world.ItemIDGen
	dirty    bool
	saveSent bool
	crashes  int
}

// roomActor is one room. All fields are owned by its mailbox.
type roomActor struct {
	id   world.RoomID
	room *world.Room  // static, shared read-only
	w    *world.World // static, shared read-only
	st   *state
	log  zerolog.Logger
	self *actor.PID
	// Panic, if set, makes the room panic on *msg.Say with this text (tests
	// of supervision).
	panicOn string
	hooks   *msg.HookSet // which game hooks have subscribers (shared, read-only here)
	view    *roomView    // what `look` shows, rendered once per change; nil when stale
}

// roomView is the room as `look` shows it to someone outside it: rendered
// once after a change and shared by every look until the next change. A
// viewer who is in the room is cut out of it (two substrings), so a crowd
// of lookers costs a copy each, not a rendering each.
type roomView struct {
	text string
	// occ[i] is the span of r.st.occ[i]'s line in text (empty when it is
	// not shown).
	occ []span
}

type span struct{ from, to int }

// stale drops the cached view: call it whenever what look shows changes
// (occupants, their lines, who is leaving, the floor).
func (r *roomActor) stale() { r.view = nil }

var _ actor.Actor = (*roomActor)(nil)

// Props returns the props of a room actor. Restarts keep its state.
func Props(w *world.World, r *world.Room, log zerolog.Logger, panicOn string, hooks *msg.HookSet) *actor.Props {
	st := &state{leaving: map[string]bool{}, gen: world.ItemIDGen{Prefix: fmt.Sprintf("%s.%x", r.ID, time.Now().UnixNano())}}
	return actor.PropsFromProducer(func() actor.Actor {
		return &roomActor{id: r.ID, room: r, w: w, st: st, log: log, panicOn: panicOn, hooks: hooks}
	}, dispatch.Option())
}

// Receive is the room's single entry point.
func (r *roomActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		r.started(ctx)
	case *actor.Restarting:
		r.st.crashes++
	case *store.RoomLoaded:
		r.loaded(ctx, m)
	case *retryLoad:
		if !r.st.loaded {
			ctx.Request(msg.Service(ctx.ActorSystem(), msg.ServiceStore), &store.LoadRoom{ID: string(r.id)})
		}
	case *msg.EnterRoom:
		r.enter(ctx, m)
	case *msg.LeaveRoom:
		r.leave(ctx, m.PID, m.Silent, m.Depart)
		if ctx.Sender() != nil {
			ctx.Respond(&msg.Left{})
		}
	case *msg.Move:
		r.move(ctx, m)
	case *msg.UpdateOccupant:
		if i := r.find(m.Who.PID); i >= 0 {
			r.st.occ[i] = m.Who
			r.stale()
		}
	case *msg.Look:
		r.answer(ctx, m.Viewer, r.look(m.Viewer, m.Target))
	case *msg.Say:
		if r.panicOn != "" && strings.Contains(m.Text, r.panicOn) {
			panic(fmt.Sprintf("room %s: test panic", r.id))
		}
		r.say(ctx, m)
	case *msg.Emote:
		line := fmt.Sprintf("%s %s", m.From.Name, text.Escape(m.Text))
		if ctx.Sender() != nil {
			r.answer(ctx, m.From.PID, text.Capitalize(line)+"\n")
			r.broadcast(ctx, line, m.From.PID)
		} else {
			r.broadcast(ctx, line, nil)
		}
	case *msg.Broadcast:
		r.broadcast(ctx, m.Text, m.Except)
	case *msg.TakeItem:
		r.take(ctx, m)
	case *msg.DropItems:
		r.drop(ctx, m)
	case *msg.GiveItem:
		r.give(ctx, m)
	case *saveTick:
		r.st.saveSent = false
		r.save(ctx)
	case *saveRoom:
		r.save(ctx)
		ctx.Respond(&roomSaved{})
	case *actor.Terminated:
		r.leave(ctx, m.Who, true, "")
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		r.ev(r.log.Warn()).Str("room", string(r.id)).Str("msg", fmt.Sprintf("%T", m)).Msg("unhandled message")
	}
}

type (
	saveTick  struct{}
	saveRoom  struct{}
	roomSaved struct{}
)

func (r *roomActor) started(ctx actor.Context) {
	r.self = ctx.Self()
	if r.st.started {
		// A restart: the state box still holds occupants and floor.
		r.ev(r.log.Warn()).Int("occupants", len(r.st.occ)).Int("crashes", r.st.crashes).Msg("room restarted with its state")
		for _, o := range r.st.occ {
			ctx.Watch(o.PID)
		}
		return
	}
	r.st.started = true
	ctx.Request(msg.Service(ctx.ActorSystem(), msg.ServiceStore), &store.LoadRoom{ID: string(r.id)})
}

// retryLoad asks the store again for the room's state.
type retryLoad struct{}

// maxLoadTries bounds the retries of a load the store refused as busy
// (every room of a big world asks at once when the game starts).
const maxLoadTries = 12

func (r *roomActor) loaded(ctx actor.Context, m *store.RoomLoaded) {
	if r.st.loaded {
		return
	}
	if errors.Is(m.Err, store.ErrBusy) && r.st.tries < maxLoadTries {
		// Falling back to the area file now would throw the saved floor
		// away: wait (20 ms doubling to 1 s, jittered) and ask again.
		r.st.tries++
		d := min(20*time.Millisecond<<r.st.tries, time.Second)
		d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
		self, root := ctx.Self(), ctx.ActorSystem().Root
		time.AfterFunc(d, func() { root.Send(self, &retryLoad{}) })
		return
	}
	r.st.loaded = true
	var floor []world.Item
	switch {
	case m.Err == nil && m.Record != nil:
		for _, ir := range m.Record.Items {
			it := world.Item{ID: ir.ID, ProtoID: world.ItemID(ir.Proto)}
			it.Resolve(r.w)
			floor = append(floor, it)
		}
	default:
		if m.Err != nil && !errors.Is(m.Err, persistence.ErrNotFound) {
			r.ev(r.log.Error()).Err(m.Err).Msg("loading room state; starting from the area file")
		}
		floor = r.w.ResetItems(r.room, &r.st.gen)
	}
	// Anything dropped before the load finished stays too.
	r.st.items = append(floor, r.st.items...)
	r.stale()
}

// find returns the index of an occupant by PID, or -1.
func (r *roomActor) find(pid *actor.PID) int {
	if pid == nil {
		return -1
	}
	for i := range r.st.occ {
		if r.st.occ[i].PID.Equal(pid) {
			return i
		}
	}
	return -1
}

func (r *roomActor) visible(o *msg.Occupant) bool { return !r.st.leaving[o.PID.Id] }

func (r *roomActor) enter(ctx actor.Context, m *msg.EnterRoom) {
	if i := r.find(m.Who.PID); i >= 0 {
		r.st.occ[i] = m.Who
		delete(r.st.leaving, m.Who.PID.Id)
	} else {
		r.st.occ = append(r.st.occ, m.Who)
		ctx.Watch(m.Who.PID)
	}
	r.stale()
	// The newcomer sees the room first, before anyone here reacts to it.
	var look string
	shown := false
	if ctx.Sender() != nil {
		look = r.look(m.Who.PID, "")
		if m.Who.Link != nil && r.direct(ctx, m.Who.Link, look) {
			look, shown = "", true
		}
	}
	r.publish(ctx, &msg.EnteredRoom{Who: m.Who, Room: r.id, From: m.From})
	if !m.Silent {
		line := m.Arrive
		if line == "" {
			if m.From < world.NumDirections {
				line = fmt.Sprintf("%s arrives %s.", m.Who.Name, m.From.FromPhrase())
			} else {
				line = m.Who.Name + " arrives."
			}
		}
		r.broadcast(ctx, line, m.Who.PID)
	}
	for i := range r.st.occ {
		o := &r.st.occ[i]
		if o.Mobile && !o.PID.Equal(m.Who.PID) {
			ctx.Send(o.PID, &msg.Arrived{Who: m.Who, Room: r.id})
		}
	}
	if ctx.Sender() != nil {
		ctx.Respond(&msg.RoomEntered{Room: r.id, Look: look, Shown: shown})
	}
}

func (r *roomActor) leave(ctx actor.Context, pid *actor.PID, silent bool, depart string) {
	i := r.find(pid)
	if i < 0 {
		return
	}
	o := r.st.occ[i]
	r.st.occ = append(r.st.occ[:i], r.st.occ[i+1:]...)
	r.stale()
	delete(r.st.leaving, pid.Id)
	ctx.Unwatch(pid)
	r.publish(ctx, &msg.LeftRoom{Who: o, Room: r.id})
	if !silent {
		if depart == "" {
			depart = o.Name + " leaves."
		}
		r.broadcast(ctx, depart, nil)
	}
}

// move runs this room's half of a movement: ask the destination, then let
// the character go (or keep it).
func (r *roomActor) move(ctx actor.Context, m *msg.Move) {
	i := r.find(m.Who.PID)
	if i < 0 || r.st.leaving[m.Who.PID.Id] {
		ctx.Respond(&msg.MoveFailed{Text: "You are not quite here yet."})
		return
	}
	ex, ok := r.room.Exit(m.Dir)
	if !ok {
		ctx.Respond(&msg.MoveFailed{Text: "You can't go that way."})
		return
	}
	if ex.Door && ex.Closed {
		ctx.Respond(&msg.MoveFailed{Text: "The door is closed."})
		return
	}
	who := m.Who
	r.st.leaving[who.PID.Id] = true
	r.stale()
	dest := PID(ctx.ActorSystem(), ex.To)
	f := ctx.RequestFuture(dest, &msg.EnterRoom{Who: who, From: m.Dir.Reverse()}, moveTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		entered, ok := res.(*msg.RoomEntered)
		if err != nil || !ok {
			delete(r.st.leaving, who.PID.Id)
			r.stale()
			r.ev(r.log.Warn()).Err(err).Str("to", string(ex.To)).Msg("destination did not take the character in")
			ctx.Send(who.PID, &msg.MoveFailed{Text: "Something blocks your way; you stay where you are."})
			return
		}
		r.leave(ctx, who.PID, false, fmt.Sprintf("%s leaves %s.", who.Name, m.Dir))
		ctx.Send(who.PID, entered)
	})
}

// look renders what viewer sees of target ("" = the room).
func (r *roomActor) look(viewer *actor.PID, target string) string {
	target = strings.TrimSpace(target)
	if target == "" {
		return r.lookRoom(viewer)
	}
	if d, ok := world.ParseDirection(target); ok && len(target) <= len(d.String()) {
		ex, ok := r.room.Exit(d)
		switch {
		case !ok:
			return "You see nothing special in that direction.\n"
		case ex.Description != "":
			return text.Unwrap(ex.Description) + "\n"
		default:
			return fmt.Sprintf("The way %s leads on.\n", d)
		}
	}
	t, err := command.ParseTarget(target)
	if err != nil {
		return "You don't see that here.\n"
	}
	if i := command.Find(r.visibleOccupants(viewer), func(o msg.Occupant) []string { return o.Keywords }, t); i >= 0 {
		o := r.visibleOccupants(viewer)[i]
		desc := o.Desc
		if desc == "" {
			desc = "You see nothing special about " + o.Name + "."
		}
		return text.Unwrap(desc) + "\n"
	}
	if i := command.Find(r.st.items, world.Item.Keywords, t); i >= 0 {
		it := r.st.items[i]
		if it.Proto != nil && it.Proto.Description != "" {
			return text.Unwrap(it.Proto.Description) + "\n"
		}
		return "You see nothing special about " + it.Short() + ".\n"
	}
	if s, ok := world.ExtraText(r.room.Extras, target); ok {
		return text.Unwrap(s) + "\n"
	}
	return "You don't see that here.\n"
}

// lookRoom renders the room for viewer from the cached view: the viewer's
// own line is cut out.
func (r *roomActor) lookRoom(viewer *actor.PID) string {
	v := r.view
	if v == nil {
		v = r.renderView()
		r.view = v
	}
	i := r.find(viewer)
	if i < 0 || v.occ[i].from == v.occ[i].to {
		return v.text
	}
	sp := v.occ[i]
	return v.text[:sp.from] + v.text[sp.to:]
}

// renderView renders the room with every visible occupant.
func (r *roomActor) renderView() *roomView {
	v := text.RoomView{Name: r.room.Name, Description: r.room.Description}
	for _, d := range world.Directions {
		if ex, ok := r.room.Exit(d); ok {
			v.Exits = append(v.Exits, text.ExitView{Dir: d, Closed: ex.Door && ex.Closed})
		}
	}
	for _, it := range r.st.items {
		v.Items = append(v.Items, it.Long())
	}
	var b strings.Builder
	b.WriteString(text.RenderRoom(v)) // the room without occupants
	rv := &roomView{occ: make([]span, len(r.st.occ))}
	for i := range r.st.occ {
		o := &r.st.occ[i]
		from := b.Len()
		if r.visible(o) {
			b.WriteString(text.OccupantLine(o.Line))
		}
		rv.occ[i] = span{from, b.Len()}
	}
	rv.text = b.String()
	return rv
}

func (r *roomActor) visibleOccupants(viewer *actor.PID) []msg.Occupant {
	out := make([]msg.Occupant, 0, len(r.st.occ))
	for i := range r.st.occ {
		o := r.st.occ[i]
		if !o.PID.Equal(viewer) && r.visible(&o) {
			out = append(out, o)
		}
	}
	return out
}

func (r *roomActor) say(ctx actor.Context, m *msg.Say) {
	r.publish(ctx, &msg.Said{From: m.From, Room: r.id, Text: m.Text})
	said := text.Escape(m.Text)
	if ctx.Sender() != nil {
		// The speaker's own line answers its command.
		r.answer(ctx, m.From.PID, fmt.Sprintf("{cYou say, '%s'{x\n", said))
	}
	d := r.delivery(fmt.Sprintf("{c%s says, '%s'{x\n", text.Capitalize(m.From.Name), said))
	heard := &msg.Heard{From: m.From, Room: r.id, Text: m.Text}
	for i := range r.st.occ {
		o := &r.st.occ[i]
		switch {
		case o.PID.Equal(m.From.PID) || !r.visible(o):
		case o.Mobile:
			ctx.Send(o.PID, heard)
		default:
			d.to(ctx, o)
		}
	}
}

// answer answers the request of the character pid with text: straight to
// its link when the room knows it (the reply then carries no text and
// only completes the command), otherwise in the reply. Either way the
// text reaches the player before anything the room sends it later.
func (r *roomActor) answer(ctx actor.Context, pid *actor.PID, text string) {
	if i := r.find(pid); i >= 0 && r.st.occ[i].Link != nil && r.direct(ctx, r.st.occ[i].Link, text) {
		ctx.Respond(&msg.Output{Shown: true})
		return
	}
	ctx.Respond(&msg.Output{Text: text})
}

// direct sends text for one player straight to its link; false if it could
// not (the caller sends it through the character).
func (r *roomActor) direct(ctx actor.Context, to *actor.PID, text string) bool {
	if text == "" {
		return false
	}
	if err := wire.Send(ctx, to, &link.Line{Text: text}); err != nil {
		r.ev(r.log.Error()).Err(err).Msg("sending a line to a link")
		return false
	}
	return true
}

// broadcast shows a line to every visible occupant but except.
func (r *roomActor) broadcast(ctx actor.Context, line string, except *actor.PID) {
	d := r.delivery(text.Capitalize(line) + "\n")
	for i := range r.st.occ {
		o := &r.st.occ[i]
		if o.Mobile || o.PID.Equal(except) || !r.visible(o) {
			continue
		}
		d.to(ctx, o)
	}
}

// delivery is one line for many occupants, made once: a player whose
// link the room knows gets it in one hop, straight to the link, rendered
// once per client form for all of them; anyone else (a character that
// must decide what it sees) through its character actor.
type delivery struct {
	r    *roomActor
	text string
	fan  link.Fanout // made at the first link
	show *msg.Show   // made at the first character
}

func (r *roomActor) delivery(text string) *delivery { return &delivery{r: r, text: text} }

// to delivers the line to one occupant.
func (d *delivery) to(ctx actor.Context, o *msg.Occupant) {
	if o.Link != nil {
		if d.fan.Line == nil {
			d.fan.Line = link.NewLine(d.text)
		}
		err := d.fan.Send(ctx, o.Link)
		if err == nil {
			return
		}
		d.r.ev(d.r.log.Error()).Err(err).Msg("encoding a line for a link; sending it through the character")
	}
	if d.show == nil {
		d.show = &msg.Show{Text: d.text} // one immutable message for all
	}
	ctx.Send(o.PID, d.show)
}

func (r *roomActor) take(ctx actor.Context, m *msg.TakeItem) {
	t, err := command.ParseTarget(m.Target)
	if err != nil {
		ctx.Respond(&msg.ItemsTaken{Text: "Get what?"})
		return
	}
	idx := command.Select(r.st.items, world.Item.Keywords, t)
	if len(idx) == 0 {
		ctx.Respond(&msg.ItemsTaken{Text: "You don't see that here."})
		return
	}
	items := world.TakeItems(&r.st.items, idx)
	r.stale()
	r.changed(ctx)
	ctx.Respond(&msg.ItemsTaken{Items: items})
}

func (r *roomActor) drop(ctx actor.Context, m *msg.DropItems) {
	r.st.items = append(r.st.items, m.Items...)
	r.stale()
	r.changed(ctx)
	if m.Who.PID == nil || len(m.Items) == 0 {
		return
	}
	names := make([]string, len(m.Items))
	for i, it := range m.Items {
		names[i] = it.Short()
	}
	r.broadcast(ctx, fmt.Sprintf("%s drops %s.", m.Who.Name, text.List(names)), m.Who.PID)
}

func (r *roomActor) give(ctx actor.Context, m *msg.GiveItem) {
	t, err := command.ParseTarget(m.Target)
	others := r.visibleOccupants(m.From.PID)
	i := -1
	if err == nil {
		i = command.Find(others, func(o msg.Occupant) []string { return o.Keywords }, t)
	}
	if i < 0 {
		ctx.Respond(&msg.ItemGiven{Item: m.Item, Refused: true, Text: "They aren't here."})
		return
	}
	ctx.Respond(&msg.GiveTo{Item: m.Item, To: others[i]})
}

// changed marks the floor dirty and schedules a debounced save.
func (r *roomActor) changed(ctx actor.Context) {
	r.st.dirty = true
	if !r.st.saveSent {
		r.st.saveSent = true
		scheduler.NewTimerScheduler(ctx.ActorSystem().Root).SendOnce(saveDelay, r.self, &saveTick{})
	}
}

func (r *roomActor) save(ctx actor.Context) {
	if !r.st.dirty {
		return
	}
	r.st.dirty = false
	recs := make([]persistence.ItemRecord, 0, len(r.st.items))
	for _, it := range r.st.items {
		recs = append(recs, persistence.ItemRecord{ID: it.ID, Proto: string(it.ProtoID)})
	}
	ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceStore), &store.SaveRoom{Record: &persistence.RoomRecord{
		Schema: persistence.RoomSchema, ID: string(r.id), Items: recs}})
}

// publish sends a game hook event to the sessions supervisor, which fans it
// out to the event's subscribers.
func (r *roomActor) publish(ctx actor.Context, ev msg.Hook) {
	if r.hooks != nil && !r.hooks.Has(ev.HookName()) {
		return // nobody listens: spare the message
	}
	ctx.Send(msg.Service(ctx.ActorSystem(), msg.ServiceSessions), &msg.Publish{Event: ev})
}

// PID returns the well-known PID of a room actor.
func PID(system *actor.ActorSystem, id world.RoomID) *actor.PID {
	return msg.Service(system, msg.ServiceWorld+"/room-"+string(id))
}

// ev adds the actor's identifying fields to a log event (built per event:
// a child logger per actor would cost half a kilobyte each).
func (r *roomActor) ev(e *zerolog.Event) *zerolog.Event {
	return e.Str("room", string(r.id))
}
