package msg

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/world"
)

// Well-known names of the service actors under the server actor. Game code
// addresses services by name (Service), never by a cached PID, so that a
// restarted service (or, later, a restarted game process) is found again.
const (
	ServiceSessions   = "server/sessions"
	ServiceStore      = "server/store"
	ServiceAuth       = "server/auth"
	ServiceCharacters = "server/characters"
	ServiceWorld      = "server/world"
	ServiceScheduler  = "server/scheduler"
)

// Service returns the PID of the named service in the local actor system.
func Service(system *actor.ActorSystem, name string) *actor.PID {
	return actor.NewPID(system.Address(), name)
}

// Command is a line of game input for a character actor, from the
// connection that plays it.
type Command struct {
	Line string
	Conn *actor.PID
}

// SetPrompt gives a connection its game prompt (the character's vitals);
// the connection shows it after every burst of output while in the game.
type SetPrompt struct {
	Text string
}

// EditText asks a connection to open the line editor on Initial (mode
// "text" or "script"). When the player saves (.s) or quits (.q) the editor,
// the connection sends *EditDone with Tag to ReplyTo.
type EditText struct {
	Initial string
	Mode    string
	Tag     string
	ReplyTo *actor.PID
}

// EditDone reports the end of an editor session: Saved with the Text, or
// abandoned.
type EditDone struct {
	Tag   string
	Text  string
	Saved bool
}

// RequestShutdown asks the server to shut down (the admin command).
type RequestShutdown struct {
	By string
}

// InRoom tells a connection where its character is now (after a move or a
// login): the play handler keeps it in the session snapshot, so that a game
// restart puts the character back in the same room.
type InRoom struct {
	Room world.RoomID
}

// RequestReboot asks the game to restart (the admin command): everything
// is saved, the portals are told, and the game process starts again from
// its binary while the portal keeps the players' sockets.
type RequestReboot struct {
	By string
}
