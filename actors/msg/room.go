package msg

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/world"
)

// Occupant is how a room knows a character: enough to show it, match it by
// keyword and reach it. It is a value copied into the room's state.
type Occupant struct {
	Name string     // display name ("Alice", "the town crier")
	PID  *actor.PID // the character actor
	// Link, if not nil, is the portal link of the player's socket: lines
	// for this occupant that its character has nothing to decide about go
	// there directly as *link.Line (one hop instead of three). Nil for
	// mobiles, linkdead players, and characters that must see each line
	// themselves.
	Link     *actor.PID
	Line     string // what `look` shows ("Alice is here.")
	Desc     string // what `look <name>` shows
	Keywords []string
	Mobile   bool
	Linkdead bool
}

// NoDirection marks an arrival that did not come through an exit (login,
// goto, a restart).
const NoDirection = world.Direction(255)

// EnterRoom asks a room to take a character in. From is the direction it
// arrived from (NoDirection for login/goto); Silent suppresses the arrival
// line. Reply: *RoomEntered.
type EnterRoom struct {
	Who    Occupant
	From   world.Direction
	Silent bool
	Arrive string // arrival line for the others, if not the default
}

// RoomEntered answers *EnterRoom: the character is now in Room, and Look is
// the room as it sees it — empty when the room sent it straight to the
// player's link (Occupant.Link).
type RoomEntered struct {
	Room  world.RoomID
	Look  string
	Shown bool // Look was sent straight to the link (Look is empty)
}

// LeaveRoom removes a character from its room (quit, a mobile's death, a
// character whose actor is stopping). Depart is shown to the others unless
// Silent.
type LeaveRoom struct {
	PID    *actor.PID
	Silent bool
	Depart string
}

// Left answers a *LeaveRoom sent as a request: the room no longer has the
// character.
type Left struct{}

// Move asks the character's current room to move it through the exit in
// Dir. The room asks the destination to *EnterRoom and, once it has, lets
// the character go; the character is answered *RoomEntered by the
// destination, or *MoveFailed by the room it stays in.
type Move struct {
	Who Occupant
	Dir world.Direction
}

// MoveFailed answers *Move when the character cannot leave that way.
type MoveFailed struct {
	Text string
}

// UpdateOccupant replaces how a room shows a character (e.g. linkdead).
type UpdateOccupant struct {
	Who Occupant
}

// Look asks a room for what a viewer sees: the room itself (Target ""),
// an exit ("north"), an occupant, an item on the floor or an extra
// description. Reply: *Output, with no text when the room sent it straight
// to the viewer's link (Occupant.Link). Say and Emote answer the same way.
type Look struct {
	Viewer *actor.PID
	Target string
}

// Say is speech in a room: the speaker sees "You say, '…'", the others
// "Name says, '…'", and every other occupant gets a *Heard.
type Say struct {
	From Occupant
	Text string
}

// Emote is an action in a room: everyone sees "Name text".
type Emote struct {
	From Occupant
	Text string
}

// Heard tells an occupant that someone in its room said something (mobiles
// react to it; players have already been shown the line).
type Heard struct {
	From Occupant
	Room world.RoomID
	Text string
}

// Arrived tells an occupant that someone entered its room (mobiles greet).
type Arrived struct {
	Who  Occupant
	Room world.RoomID
}

// Broadcast shows Text to every occupant of a room except Except.
type Broadcast struct {
	Text   string
	Except *actor.PID
}

// Show is text for a character to show its player (a character without a
// player ignores it).
type Show struct {
	Text string
}

// TakeItem asks a room for the floor items matching Target (e.g. "sword",
// "2.coin", "all"). Reply: *ItemsTaken (possibly none, with a Text).
type TakeItem struct {
	Who    Occupant
	Target string
}

// ItemsTaken answers *TakeItem: the items now belong to the taker.
type ItemsTaken struct {
	Items []world.Item
	Text  string // the message when nothing matched
}

// DropItems puts items on a room's floor; the room owns them from then on.
type DropItems struct {
	Who   Occupant
	Items []world.Item
}

// GiveItem asks a room who Target is, to give them Item. The room answers
// *GiveTo with the receiver, or *ItemGiven with Refused (nobody matched) so
// the giver keeps the item.
type GiveItem struct {
	From   Occupant
	Target string
	Item   world.Item
}

// GiveTo answers *GiveItem: the giver hands Item to To with a request
// *ReceiveItem (a dead receiver comes back as a dead-letter response, and
// the giver keeps the item).
type GiveTo struct {
	Item world.Item
	To   Occupant
}

// ReceiveItem hands an item to a character; it answers the giver (Giver)
// with *ItemGiven.
type ReceiveItem struct {
	From  Occupant
	Giver *actor.PID
	Item  world.Item
}

// ItemGiven answers a give: Refused means the item comes back to the giver.
type ItemGiven struct {
	Item    world.Item
	To      string
	Refused bool
	Text    string
}
