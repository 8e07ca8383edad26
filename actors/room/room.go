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
	"github.com/troupe-mud/troupe/net/telnet"
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
	index    map[string]int  // occupant PID id → position in occ; nil when stale
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
	panicOn  string
	hooks    *msg.HookSet // which game hooks have subscribers (shared, read-only here)
	view     *roomView    // what `look` shows, rendered once per change; nil when stale
	batch    []batchLine  // lines for bystanders gathered in a crowded room
	batchDue bool         // a *batchTick is on its way
}

// roomView is the room as `look` shows it: made once after a change and
// shared by every look until the next change. It is a document of parts
// (the room, then one line per visible occupant) that the links render
// once per client form; a viewer in the room gets it without their own
// part. A crowd of lookers costs a copy each on the wire, not a rendering
// each, and the room builds no text per look.
type roomView struct {
	doc *telnet.SharedDoc
	// part[i] is the part of r.st.occ[i]'s line in doc, -1 when it is not
	// shown.
	part []int
}

// skipFor returns the part to leave out for viewer (-1: none).
func (r *roomActor) skipFor(v *roomView, viewer *actor.PID) int {
	if i := r.find(viewer); i >= 0 {
		return v.part[i]
	}
	return -1
}

// currentView returns the cached view, rendering it if it is stale.
func (r *roomActor) currentView() *roomView {
	if r.view == nil {
		r.view = r.renderView()
	}
	return r.view
}

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
		if strings.TrimSpace(m.Target) == "" {
			r.answerLook(ctx, m.Viewer)
		} else {
			r.answer(ctx, m.Viewer, r.look(m.Viewer, m.Target))
		}
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
	case *batchTick:
		r.flushBatch(ctx)
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

// find returns the index of an occupant by PID, or -1. A crowded room
// keeps an index by actor id (every look finds its viewer); a small one
// scans.
func (r *roomActor) find(pid *actor.PID) int {
	if pid == nil {
		return -1
	}
	if len(r.st.occ) <= indexFrom {
		for i := range r.st.occ {
			if r.st.occ[i].PID.Equal(pid) {
				return i
			}
		}
		return -1
	}
	if r.st.index == nil {
		r.st.index = make(map[string]int, len(r.st.occ))
		for i := range r.st.occ {
			r.st.index[r.st.occ[i].PID.Id] = i
		}
	}
	if i, ok := r.st.index[pid.Id]; ok && r.st.occ[i].PID.Equal(pid) {
		return i
	}
	return -1
}

// indexFrom is the number of occupants past which find uses the index.
const indexFrom = 16

func (r *roomActor) visible(o *msg.Occupant) bool { return !r.st.leaving[o.PID.Id] }

func (r *roomActor) enter(ctx actor.Context, m *msg.EnterRoom) {
	if i := r.find(m.Who.PID); i >= 0 {
		r.st.occ[i] = m.Who
		delete(r.st.leaving, m.Who.PID.Id)
	} else {
		r.st.occ = append(r.st.occ, m.Who)
		if r.st.index != nil {
			r.st.index[m.Who.PID.Id] = len(r.st.occ) - 1
		}
		ctx.Watch(m.Who.PID)
	}
	r.stale()
	// The newcomer sees the room first, before anyone here reacts to it.
	var look string
	shown := false
	if ctx.Sender() != nil {
		if shown = r.showView(ctx, m.Who.Link, m.Who.PID); !shown {
			look = r.look(m.Who.PID, "")
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
	r.st.index = nil // positions moved
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
	v := r.currentView()
	return v.doc.Text(r.skipFor(v, viewer))
}

// answerLook answers a look at the room: straight to the viewer's link as
// the shared view when the link is in this process, else as text.
func (r *roomActor) answerLook(ctx actor.Context, viewer *actor.PID) {
	var to *actor.PID
	if i := r.find(viewer); i >= 0 {
		to = r.st.occ[i].Link
	}
	if r.showView(ctx, to, viewer) {
		ctx.Respond(&msg.Output{Shown: true})
		return
	}
	r.answer(ctx, viewer, r.lookRoom(viewer))
}

// showView sends the room's view for viewer straight to its link, if the
// link is known and in this process (the shared view does not cross
// processes: a remote link gets text, via answer or direct).
func (r *roomActor) showView(ctx actor.Context, to, viewer *actor.PID) bool {
	if to == nil || !wire.IsLocal(ctx.ActorSystem(), to) {
		if to != nil {
			return r.direct(ctx, to, r.lookRoom(viewer))
		}
		return false
	}
	v := r.currentView()
	ctx.Send(to, link.NewDocLine(v.doc, r.skipFor(v, viewer), true))
	return true
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
	parts := make([]string, 1, len(r.st.occ)+1)
	parts[0] = text.RenderRoom(v) // the room without occupants
	rv := &roomView{part: make([]int, len(r.st.occ))}
	for i := range r.st.occ {
		o := &r.st.occ[i]
		rv.part[i] = -1
		if r.visible(o) {
			rv.part[i] = len(parts)
			parts = append(parts, text.OccupantLine(o.Line))
		}
	}
	rv.doc = telnet.NewSharedDoc(parts)
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
	heard := &msg.Heard{From: m.From, Room: r.id, Text: m.Text}
	for i := range r.st.occ {
		if o := &r.st.occ[i]; o.Mobile && !o.PID.Equal(m.From.PID) && r.visible(o) {
			ctx.Send(o.PID, heard)
		}
	}
	r.toOthers(ctx, fmt.Sprintf("{c%s says, '%s'{x\n", text.Capitalize(m.From.Name), said), m.From.PID)
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

// direct sends text for one player straight to its link, as the answer to
// its command (written at once); false if it could not (the caller sends
// it through the character).
func (r *roomActor) direct(ctx actor.Context, to *actor.PID, text string) bool {
	if text == "" {
		return false
	}
	if err := wire.Send(ctx, to, &link.Line{Text: text, Answer: true}); err != nil {
		r.ev(r.log.Error()).Err(err).Msg("sending a line to a link")
		return false
	}
	return true
}

// broadcast shows a line to every visible occupant but except.
func (r *roomActor) broadcast(ctx actor.Context, line string, except *actor.PID) {
	r.toOthers(ctx, text.Capitalize(line)+"\n", except)
}

// toOthers shows text (whole lines) to every visible player in the room
// but except. A crowded room gathers such lines for crowdDelay and sends
// each player one message with all of them (see flushBatch): with a
// thousand players in a room, a line each would cost a million messages a
// second as they arrive. Answers to a player's own commands never wait.
func (r *roomActor) toOthers(ctx actor.Context, text string, except *actor.PID) {
	if len(r.st.occ) >= crowdSize || len(r.batch) > 0 {
		r.batch = append(r.batch, batchLine{text: text, except: except})
		if !r.batchDue {
			r.batchDue = true
			self, root := r.self, ctx.ActorSystem().Root
			time.AfterFunc(crowdDelay, func() { root.Send(self, batchTickMsg) })
		}
		return
	}
	d := r.delivery(text)
	for i := range r.st.occ {
		o := &r.st.occ[i]
		if o.Mobile || o.PID.Equal(except) || !r.visible(o) {
			continue
		}
		d.to(ctx, o)
	}
}

// A room with crowdSize occupants or more gathers the lines for its
// bystanders for crowdDelay (a classic MUD pulse) before sending them.
const (
	crowdSize  = 48
	crowdDelay = 100 * time.Millisecond
)

// batchLine is a line gathered for the next batch.
type batchLine struct {
	text   string
	except *actor.PID // who does not see it (nil: everyone)
}

// batchTick: the gathered lines are due.
type batchTick struct{}

var batchTickMsg = &batchTick{}

// flushBatch sends the gathered lines: one document of them, which every
// player's link renders once per client form; a player who is the except
// of one line gets the document without that part, a player who is the
// except of several gets their own text.
func (r *roomActor) flushBatch(ctx actor.Context) {
	r.batchDue = false
	batch := r.batch
	r.batch = nil
	if len(batch) == 0 {
		return
	}
	parts := make([]string, len(batch))
	skipOf := make(map[string]int) // except's PID id → its line; -2 for several
	for i, b := range batch {
		parts[i] = b.text
		if b.except != nil {
			if _, seen := skipOf[b.except.Id]; seen {
				skipOf[b.except.Id] = -2
			} else {
				skipOf[b.except.Id] = i
			}
		}
	}
	doc := telnet.NewSharedDoc(parts)
	var remote link.Fanout // the whole batch, encoded once for links in another process
	for i := range r.st.occ {
		o := &r.st.occ[i]
		if o.Mobile || !r.visible(o) {
			continue
		}
		skip, excluded := skipOf[o.PID.Id]
		if !excluded {
			skip = -1
		}
		switch {
		case skip == -2:
			var b strings.Builder
			for _, l := range batch {
				if !o.PID.Equal(l.except) {
					b.WriteString(l.text)
				}
			}
			r.sendText(ctx, o, b.String())
		case o.Link != nil && wire.IsLocal(ctx.ActorSystem(), o.Link):
			ctx.Send(o.Link, link.NewDocLine(doc, skip, false))
		case o.Link != nil && skip < 0:
			if remote.Line == nil {
				remote.Line = link.NewLine(doc.Text(-1))
			}
			if err := remote.Send(ctx, o.Link); err != nil {
				r.sendText(ctx, o, doc.Text(-1))
			}
		default:
			r.sendText(ctx, o, doc.Text(skip))
		}
	}
}

// sendText sends one player's own text: to its link, or its character.
func (r *roomActor) sendText(ctx actor.Context, o *msg.Occupant, text string) {
	if text == "" {
		return
	}
	if o.Link != nil && wire.Send(ctx, o.Link, &link.Line{Text: text}) == nil {
		return
	}
	ctx.Send(o.PID, &msg.Show{Text: text})
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
