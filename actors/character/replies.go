package character

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/text"
)

// Replies to requests a command made: they come back to the character
// actor as messages and finish the command here.

// tellReceived shows a tell and answers the teller with its own line (or
// why the tell did not arrive).
func (c *charActor) tellReceived(ctx actor.Context, m *tellMsg) {
	answer := fmt.Sprintf("{mYou tell %s, '%s'{x\n", c.ch.Name, text.Escape(m.Text))
	if c.conn == nil {
		answer = c.ch.Name + " is linkdead and cannot hear you.\n"
	} else {
		c.replyTo = m.From
		c.send(ctx, fmt.Sprintf("{m%s tells you, '%s'{x", m.From, text.Escape(m.Text)))
	}
	if ctx.Sender() != nil {
		ctx.Respond(&msg.Output{Text: answer})
	}
}

// whoListMax bounds the names `who` lists; a full server would otherwise
// send each asker a page per thousand players.
const whoListMax = 60

// whoText renders the who list: admins and linkdead marked, at most
// whoListMax names, then the count.
func whoText(m *WhoList) string {
	var b strings.Builder
	b.WriteString("{WPlayers in the game:{x\n")
	for i, e := range m.Entries {
		if i == whoListMax {
			fmt.Fprintf(&b, "  ... and %d more.\n", len(m.Entries)-whoListMax)
			break
		}
		b.WriteString("  " + e.Name)
		if e.Admin {
			b.WriteString(" {y[admin]{x")
		}
		if e.Linkdead {
			b.WriteString(" {d(linkdead){x")
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%d %s.\n", len(m.Entries), plural(len(m.Entries), "player", "players"))
	return b.String()
}

func (c *charActor) itemsTaken(ctx actor.Context, m *msg.ItemsTaken) {
	if len(m.Items) == 0 {
		c.complete(ctx, m.Text+"\n")
		return
	}
	var kept, names []string
	var back = m.Items[:0:0]
	for _, it := range m.Items {
		if c.cfg.World != nil && it.Proto == nil {
			it.Resolve(c.cfg.World)
		}
		if err := c.ch.Give(it); err != nil {
			back = append(back, it)
			continue
		}
		names = append(names, it.Short())
		kept = append(kept, it.ID)
	}
	var answer string
	if len(names) > 0 {
		ctx.Send(c.room(ctx), &msg.Broadcast{Text: c.ch.Name + " gets " + text.List(names) + ".", Except: c.self})
		answer = "You get " + text.List(names) + ".\n"
	}
	if len(back) > 0 {
		// Too heavy: they stay on the floor, silently put back.
		ctx.Send(c.room(ctx), &msg.DropItems{Who: msg.Occupant{}, Items: back})
		answer += "You can't carry any more.\n"
	}
	c.complete(ctx, answer)
}

// receiveItem takes an item someone gives us and answers the giver.
func (c *charActor) receiveItem(ctx actor.Context, m *msg.ReceiveItem) {
	it := m.Item
	if c.phase != phaseActive {
		ctx.Send(m.Giver, &msg.ItemGiven{Item: it, To: c.ch.Name, Refused: true, Text: c.ch.Name + " is leaving."})
		return
	}
	if err := c.ch.Give(it); err != nil {
		ctx.Send(m.Giver, &msg.ItemGiven{Item: it, To: c.ch.Name, Refused: true, Text: c.ch.Name + " can't carry that."})
		return
	}
	c.send(ctx, fmt.Sprintf("%s gives you %s.", m.From.Name, it.Short()))
	ctx.Send(m.Giver, &msg.ItemGiven{Item: it, To: c.ch.Name})
}

// itemGiven finishes a give: a refused item comes back.
func (c *charActor) itemGiven(ctx actor.Context, m *msg.ItemGiven) {
	c.settleGive(m.Item.ID)
	if m.Refused {
		c.ch.Inventory = append(c.ch.Inventory, m.Item)
		c.complete(ctx, m.Text+"\n")
		return
	}
	ctx.Send(c.room(ctx), &msg.Broadcast{Text: fmt.Sprintf("%s gives %s to %s.", c.ch.Name, m.Item.Short(), m.To), Except: c.self})
	c.complete(ctx, fmt.Sprintf("You give %s to %s.\n", m.Item.Short(), m.To))
}

// sendVitals sends GMCP Char.Vitals (the connection drops it unless the
// client subscribed).
func (c *charActor) sendVitals(ctx actor.Context) {
	if c.conn == nil {
		return
	}
	v := c.ch.Vitals
	ctx.Send(c.conn, &msg.GMCP{Package: "Char.Vitals", JSON: fmt.Appendf(nil,
		`{"hp":%d,"maxhp":%d,"mp":%d,"maxmp":%d,"mv":%d,"maxmv":%d}`, v.HP, v.MaxHP, v.MP, v.MaxMP, v.MV, v.MaxMV)})
}

// pendingGive is an item on its way to another character: it belongs to
// nobody's inventory until the receiver confirms, and comes back if the
// receiver refuses or is gone.
type pendingGive struct {
	item world.Item
	to   *actor.PID
}

// giveTo hands an item to the receiver the room found.
func (c *charActor) giveTo(ctx actor.Context, m *msg.GiveTo) {
	for i := range c.giving {
		if c.giving[i].item.ID == m.Item.ID {
			c.giving[i].to = m.To.PID
		}
	}
	ctx.Request(m.To.PID, &msg.ReceiveItem{From: c.occupant(), Giver: c.self, Item: m.Item})
}

// settleGive removes a pending give by item id and returns it.
func (c *charActor) settleGive(id string) (pendingGive, bool) {
	for i, g := range c.giving {
		if g.item.ID == id {
			c.giving = append(c.giving[:i], c.giving[i+1:]...)
			return g, true
		}
	}
	return pendingGive{}, false
}

// deadLetter handles a request that reached an actor that had stopped.
// Only one request is outstanding at a time (commands run one by one), so
// it is the leave of a leaving character, else the oldest item on its way
// to another character (it comes back), else whatever the command awaited.
func (c *charActor) deadLetter(ctx actor.Context) {
	switch {
	case c.awaitLeft:
		c.awaitLeft = false
		c.tryFinish(ctx)
	case len(c.giving) > 0:
		g := c.giving[0]
		c.giving = c.giving[1:]
		c.ch.Inventory = append(c.ch.Inventory, g.item)
		c.complete(ctx, "They are gone; you keep "+g.item.Short()+".\n")
	case c.awaiting:
		c.complete(ctx, "Nothing happens.\n")
	}
}

// roomInfo sends GMCP Room.Info for the room the character is in (the
// connection drops it unless the client subscribed to Room).
func (c *charActor) roomInfo(ctx actor.Context) {
	if c.conn == nil {
		return
	}
	if body := c.cfg.roomInfoJSON(c.ch.Room); body != nil {
		ctx.Send(c.conn, &msg.GMCP{Package: "Room.Info", JSON: body})
	}
}

// RoomInfoJSON renders a room's GMCP Room.Info body.
func RoomInfoJSON(r *world.Room) []byte {
	exits := map[string]string{}
	for _, d := range world.Directions {
		if ex, ok := r.Exit(d); ok {
			exits[d.Short()] = string(ex.To)
		}
	}
	body, err := json.Marshal(map[string]any{"num": string(r.ID), "name": text.Strip(r.Name), "zone": r.Zone(), "area": r.Zone(), "exits": exits})
	if err != nil {
		return nil
	}
	return body
}
