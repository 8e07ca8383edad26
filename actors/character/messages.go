package character

import (
	"errors"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/world"
)

// Errors answered in *Entered.
var (
	// ErrNoSuchCharacter: the store has no character of that name.
	ErrNoSuchCharacter = errors.New("character: no such character")
	// ErrNotYours: the character belongs to another account.
	ErrNotYours = errors.New("character: belongs to another account")
	// ErrLeaving: the character is saving and leaving the game; try again.
	ErrLeaving = errors.New("character: leaving the game")
)

// EnterGame asks the characters supervisor to put Name in the game, played
// from Conn. Reply (to the sender): *Entered.
type EnterGame struct {
	Account string // account key
	Name    string // character name
	Conn    *actor.PID
	// Link is the portal's link of the session's socket: rooms and
	// channels send lines many players see straight to it (*link.Line).
	// Nil: everything goes through the character and the session.
	Link *actor.PID
	// Resume: the session is being rebuilt after a game restart; Room, if
	// it exists, is where the character was (newer than its last save).
	Resume bool
	Room   world.RoomID
	// Quiet: do not show the room on entering (the player is in the editor).
	Quiet bool
}

// Entered answers *EnterGame.
type Entered struct {
	Name       string
	Char       *actor.PID
	Reattached bool // the character was already in the game (linkdead or elsewhere)
	Err        error
}

// SaveAll asks the supervisor to save every character in the game and to
// answer *SavedAll once every save is durable (server shutdown).
type SaveAll struct{}

// SavedAll answers *SaveAll.
type SavedAll struct {
	Saved, Failed int
}

// Who asks the supervisor for the characters in the game. Reply: *WhoList.
type Who struct{}

// WhoEntry is one line of *WhoList.
type WhoEntry struct {
	Name     string
	Linkdead bool
	Admin    bool
}

// WhoList answers *Who, sorted by name.
type WhoList struct {
	Entries []WhoEntry
}

// Internal messages.
type (
	saveNow      struct{ leave bool } // from the supervisor at shutdown
	savedNow     struct{ err error }  // to the supervisor
	autosave     struct{}
	graceExpired struct{ gen int }
)
