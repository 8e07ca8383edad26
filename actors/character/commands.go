package character

import (
	"fmt"
	"sort"
	"strings"

	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/world"
	"github.com/troupe-mud/troupe/world/command"
	"github.com/troupe-mud/troupe/world/text"
)

// DefaultCommands returns a new table with the engine's commands, in the
// order that decides abbreviations (the six directions first, so "n"
// walks north). Add a game's own commands to it and pass it in
// Config.Commands.
func DefaultCommands() *Commands {
	t := &Commands{}
	for _, d := range world.Directions {
		dir := d
		t.MustAdd(command.Entry[Handler]{Name: d.String(), MinAbbrev: d.Short(),
			Help: "Walk " + d.String() + ".", Handler: func(a *Act, _ command.Command) { a.move(dir) }})
	}
	for _, e := range []command.Entry[Handler]{
		{Name: "look", MinAbbrev: "l", Usage: "look [target]", Help: "Look at the room, someone, something, or a direction.", Handler: cmdLook},
		{Name: "say", Aliases: []string{"'"}, MinArgs: 1, Usage: "say <text>", Help: "Say something to the room.", Handler: cmdSay},
		{Name: "emote", Aliases: []string{":"}, MinArgs: 1, Usage: "emote <action>", Help: "Act something out.", Handler: cmdEmote},
		{Name: "tell", MinAbbrev: "te", MinArgs: 2, Usage: "tell <player> <text>", Help: "Tell a player something privately.", Handler: cmdTell},
		{Name: "reply", MinAbbrev: "rep", MinArgs: 1, Usage: "reply <text>", Help: "Reply to the last tell.", Handler: cmdReply},
		{Name: "who", Help: "List the players in the game.", Handler: cmdWho},
		{Name: "chat", Aliases: []string{"shout"}, MinAbbrev: "ch", MinArgs: 1, Usage: "chat <text>", Help: "Talk on the global channel.", Handler: cmdChat},
		{Name: "get", Aliases: []string{"take"}, MinArgs: 1, Usage: "get <item>|all", Help: "Pick something up.", Handler: cmdGet},
		{Name: "drop", MinArgs: 1, Usage: "drop <item>|all", Help: "Drop something.", Handler: cmdDrop},
		{Name: "give", MinArgs: 2, Usage: "give <item> <player>", Help: "Give something to someone.", Handler: cmdGive},
		{Name: "inventory", Aliases: []string{"i", "inv"}, Help: "List what you carry.", Handler: cmdInventory},
		{Name: "equipment", Aliases: []string{"eq"}, Help: "List what you wear.", Handler: cmdEquipment},
		{Name: "wear", Aliases: []string{"wield", "hold"}, MinArgs: 1, Usage: "wear <item>", Help: "Wear or wield something.", Handler: cmdWear},
		{Name: "remove", MinAbbrev: "rem", MinArgs: 1, Usage: "remove <item>", Help: "Take off something you wear.", Handler: cmdRemove},
		{Name: "score", Aliases: []string{"sc"}, Help: "Show your character.", Handler: cmdScore},
		{Name: "help", MinAbbrev: "h", Usage: "help [topic]", Help: "Read the help.", Handler: cmdHelp},
		{Name: "commands", Help: "List the commands.", Handler: cmdCommands},
		{Name: "describe", MinAbbrev: "desc", Help: "Write your description in the editor.", Handler: cmdDescribe},
		{Name: "save", Help: "Save your character.", Handler: cmdSave},
		{Name: "quit", MinAbbrev: "quit", Help: "Save and leave the game.", Handler: cmdQuit},
		{Name: "goto", Admin: true, MinArgs: 1, Usage: "goto <room id>", Help: "Go to a room by id.", Handler: cmdGoto},
		{Name: "shutdown", Admin: true, MinAbbrev: "shutdown", Help: "Shut the server down.", Handler: cmdShutdown},
		{Name: "reboot", Admin: true, MinAbbrev: "reboot", Help: "Restart the game from its binary; players stay connected.", Handler: cmdReboot},
	} {
		t.MustAdd(e)
	}
	return t
}

func (a *Act) move(d world.Direction) {
	if a.c.moving {
		a.Send("You are already on your way.")
		return
	}
	a.c.moving = true
	a.Await()
	a.ctx.Request(a.RoomPID(), &msg.Move{Who: a.Occupant(), Dir: d})
}

func cmdLook(a *Act, cmd command.Command) {
	a.Await()
	a.ctx.Request(a.RoomPID(), &msg.Look{Viewer: a.Self(), Target: strings.Join(cmd.Args, " ")})
}

func cmdSay(a *Act, cmd command.Command) {
	a.Await()
	a.ctx.Request(a.RoomPID(), &msg.Say{From: a.Occupant(), Text: cmd.Rest})
}

func cmdEmote(a *Act, cmd command.Command) {
	a.Await()
	a.ctx.Request(a.RoomPID(), &msg.Emote{From: a.Occupant(), Text: cmd.Rest})
}

// tellMsg carries a tell through the supervisor to its receiver.
type tellMsg struct {
	To      string
	From    string
	FromPID string
	Text    string
}

// chatMsg is a line for every character in the game.
type chatMsg struct{ line string }

func cmdTell(a *Act, cmd command.Command) {
	to := cmd.Args[0]
	if strings.EqualFold(to, a.Name()) {
		a.Send("You mutter to yourself.")
		return
	}
	tell(a, to, cmd.RestAfter(1))
}

func tell(a *Act, to, line string) {
	a.Await() // the receiver (or the supervisor) answers
	a.ctx.Request(a.ctx.Parent(), &tellMsg{To: to, From: a.Name(), Text: line})
}

func cmdReply(a *Act, cmd command.Command) {
	if a.c.replyTo == "" {
		a.Send("Nobody has told you anything yet.")
		return
	}
	tell(a, a.c.replyTo, cmd.Rest)
}

func cmdWho(a *Act, _ command.Command) {
	a.Await()
	a.ctx.Request(a.ctx.Parent(), &Who{})
}

func cmdChat(a *Act, cmd command.Command) {
	a.Await()
	a.ctx.Request(a.ctx.Parent(), &chatMsg{line: fmt.Sprintf("{c[chat] %s: %s{x\n", a.Name(), text.Escape(cmd.Rest))})
}

func cmdGet(a *Act, cmd command.Command) {
	a.Await()
	a.ctx.Request(a.RoomPID(), &msg.TakeItem{Who: a.Occupant(), Target: strings.Join(cmd.Args, " ")})
}

func cmdDrop(a *Act, cmd command.Command) {
	t, err := command.ParseTarget(strings.Join(cmd.Args, " "))
	if err != nil {
		a.Send("Drop what?")
		return
	}
	ch := a.Char()
	idx := command.Select(ch.Inventory, world.Item.Keywords, t)
	if len(idx) == 0 {
		a.Send("You don't have that.")
		return
	}
	items := ch.TakeItems(idx)
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Short()
	}
	// The room hears of the drop before the player is told, so that anything
	// the player's answer causes (another player's look) sees the item.
	a.ctx.Send(a.RoomPID(), &msg.DropItems{Who: a.Occupant(), Items: items})
	a.Send("You drop " + text.List(names) + ".")
}

func cmdGive(a *Act, cmd command.Command) {
	t, err := command.ParseTarget(cmd.Args[0])
	if err != nil {
		a.Send("Give what?")
		return
	}
	ch := a.Char()
	i := command.Find(ch.Inventory, world.Item.Keywords, t)
	if i < 0 {
		a.Send("You don't have that.")
		return
	}
	items := ch.TakeItems([]int{i})
	a.c.giving = append(a.c.giving, pendingGive{item: items[0], to: a.RoomPID()})
	a.Await()
	a.ctx.Request(a.RoomPID(), &msg.GiveItem{From: a.Occupant(), Target: strings.Join(cmd.Args[1:], " "), Item: items[0]})
}

func cmdInventory(a *Act, _ command.Command) {
	ch := a.Char()
	if len(ch.Inventory) == 0 {
		a.Send("You are carrying nothing.")
		return
	}
	lines := make([]string, len(ch.Inventory))
	for i, it := range ch.Inventory {
		lines[i] = it.Short()
	}
	var b strings.Builder
	b.WriteString("You are carrying:\n")
	for _, l := range text.GroupLines(lines) {
		b.WriteString("  " + l + "\n")
	}
	a.Show(b.String())
}

func cmdEquipment(a *Act, _ command.Command) {
	worn := a.Char().WornItems()
	if len(worn) == 0 {
		a.Send("You are wearing nothing special.")
		return
	}
	var b strings.Builder
	b.WriteString("You are using:\n")
	for _, w := range worn {
		fmt.Fprintf(&b, "  %-14s %s\n", "<"+w.Slot.Label()+">", w.Item.Short())
	}
	a.Show(b.String())
}

func cmdWear(a *Act, cmd command.Command) {
	t, err := command.ParseTarget(strings.Join(cmd.Args, " "))
	ch := a.Char()
	i := -1
	if err == nil {
		i = command.Find(ch.Inventory, world.Item.Keywords, t)
	}
	if i < 0 {
		a.Send("You don't have that.")
		return
	}
	worn, removed, swapped, err := ch.Wear(i)
	if err != nil {
		a.Send("You can't wear " + ch.Inventory[i].Short() + ".")
		return
	}
	if swapped {
		a.Send("You stop using " + removed.Short() + ".")
	}
	a.Send("You wear " + worn.Short() + ".")
	a.ToRoom(a.Name() + " wears " + worn.Short() + ".")
}

func cmdRemove(a *Act, cmd command.Command) {
	ch := a.Char()
	t, err := command.ParseTarget(strings.Join(cmd.Args, " "))
	if err != nil {
		a.Send("Remove what?")
		return
	}
	worn := ch.WornItems()
	i := command.Find(worn, func(w world.WornItem) []string { return w.Item.Keywords() }, t)
	if i < 0 {
		a.Send("You are not wearing that.")
		return
	}
	it, err := ch.Remove(worn[i].Slot)
	if err != nil {
		a.Send("You can't remove that.")
		return
	}
	a.Send("You stop using " + it.Short() + ".")
}

func cmdScore(a *Act, _ command.Command) {
	ch := a.Char()
	v := ch.Vitals
	room := string(ch.Room)
	if a.World() != nil {
		if r, ok := a.World().Room(ch.Room); ok {
			room = r.Name
		}
	}
	a.Show(fmt.Sprintf("{WYou are %s.{x\nHit points %d/%d, mana %d/%d, movement %d/%d.\n"+
		"You carry %d %s and wear %d.\nYou are in %s.\n",
		ch.Name, v.HP, v.MaxHP, v.MP, v.MaxMP, v.MV, v.MaxMV,
		len(ch.Inventory), plural(len(ch.Inventory), "item", "items"), len(ch.WornItems()), room))
}

func cmdHelp(a *Act, cmd command.Command) {
	ix := a.c.cfg.help()
	q := strings.Join(cmd.Args, " ")
	if q == "" {
		q = "help"
	}
	if t, ok := ix.Lookup(q, a.Admin()); ok {
		a.Show(t.Render())
		return
	}
	if s := ix.Suggest(q, a.Admin()); s != "" {
		a.Send(fmt.Sprintf("No help on '%s'. Did you mean '%s'?", text.Escape(q), s))
		return
	}
	a.Send(fmt.Sprintf("No help on '%s'. Try 'commands'.", text.Escape(q)))
}

func cmdCommands(a *Act, _ command.Command) {
	names := []string{}
	for _, e := range a.Commands().Visible(a.Admin()) {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, n := range names {
		fmt.Fprintf(&b, "%-12s", n)
		if i%6 == 5 {
			b.WriteByte('\n')
		}
	}
	a.Show(strings.TrimRight(b.String(), " ") + "\n")
}

func cmdDescribe(a *Act, _ command.Command) {
	if a.Conn() == nil {
		return
	}
	a.ctx.Send(a.Conn(), &msg.EditText{Initial: a.Char().Description, Mode: "text", Tag: "describe", ReplyTo: a.Self()})
}

func cmdSave(a *Act, _ command.Command) {
	a.Await()
	c, ctx := a.c, a.ctx
	a.SaveNow(func(err error) {
		if err != nil {
			c.complete(ctx, "{RSaving failed; the game will keep trying.{x\n")
			return
		}
		c.complete(ctx, "Saved.\n")
	})
}

func cmdQuit(a *Act, _ command.Command) {
	c, ctx := a.c, a.ctx
	conn := c.conn
	if conn != nil {
		ctx.Send(conn, &msg.Output{Text: "You save your progress and leave the game.\n"})
	}
	c.conn = nil // QUIT: no linkdeath for this link; input is ignored from now on
	// The link closes only once the save is durable, so a player who sees
	// "Goodbye!" can log straight back in and find everything.
	c.leaveThen(ctx, c.ch.Name+" has left the game.", func() {
		if conn != nil {
			ctx.Send(conn, &msg.Kick{Reason: msg.ReasonQuit, Cause: msg.CauseQuit, Message: "Goodbye!"})
		}
	})
}

func cmdGoto(a *Act, cmd command.Command) {
	id := world.RoomID(cmd.Args[0])
	if a.World() != nil {
		if _, ok := a.World().Room(id); !ok {
			a.Send("No room has the id '" + text.Escape(cmd.Args[0]) + "'.")
			return
		}
	}
	c, ctx := a.c, a.ctx
	if c.inRoom {
		ctx.Send(a.RoomPID(), &msg.LeaveRoom{PID: c.self, Depart: c.ch.Name + " vanishes in a puff of smoke."})
		c.inRoom = false
	}
	c.ch.Room = id
	a.Await()
	ctx.Request(a.RoomPID(), &msg.EnterRoom{Who: a.Occupant(), From: msg.NoDirection, Arrive: c.ch.Name + " appears in a puff of smoke."})
}

func cmdShutdown(a *Act, _ command.Command) {
	a.Send("Shutting the server down.")
	a.ctx.Send(msg.Service(a.ctx.ActorSystem(), "server"), &msg.RequestShutdown{By: a.Name()})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func cmdReboot(a *Act, _ command.Command) {
	a.Send("You ask the world to begin again. It will be back in a moment.")
	a.ctx.Send(msg.Service(a.ctx.ActorSystem(), "server"), &msg.RequestReboot{By: a.Name()})
}
