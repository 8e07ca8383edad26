package sessions

import (
	"net"

	"github.com/troupe-mud/troupe/actors/msg"
)

// Accept hands an accepted socket to the supervisor. The listener
// goroutine sends it; the supervisor takes ownership of Conn.
type Accept struct {
	Conn net.Conn
}

// Shutdown asks the supervisor to end every connection as QUIT/shutdown
// with Message and to reply *ShutdownDone once every connection is gone
// and every disconnect chain has run. New sockets are refused from then on.
type Shutdown struct {
	Message string
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
