package sessions

import (
	"github.com/troupe-mud/troupe/actors/msg"
)

// Shutdown asks the supervisor to end every connection as QUIT/shutdown
// with Message and to reply *ShutdownDone once every connection is gone
// and every disconnect chain has run. New links are refused from then on.
//
// With Restart the game is going away to come back (a reboot, a stop of
// the game process): no connection ends, the portals are told the game is
// going down (Message is the reason), and the reply comes at once.
type Shutdown struct {
	Message string
	Restart bool
}

// ShutdownDone answers *Shutdown.
type ShutdownDone struct {
	Remaining int // connections still not gone if the supervisor gave up waiting
}

// Count asks how many sockets are connected; the reply is *Counted.
type Count struct{}

// Counted answers *Count.
type Counted struct {
	Sockets int
}

// Sockets returns the published socket list (read-only snapshot).
type Sockets = msg.SocketList

// Open tells the supervisor the game is ready (the world's rooms exist,
// the hooks given up front are subscribed): from now on it answers the
// portals' pings, so that they attach their links. Until then a portal
// sees the game as down.
type Open struct{}
