//go:build !linux

package portal

import (
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/net/telnet"
)

// startReader starts a readLoop goroutine for a link's socket (the idle
// poller is Linux only; see poller_linux.go).
func startReader(root *actor.RootContext, self *actor.PID, nc net.Conn, credits, done chan struct{}, dec *telnet.Decoder) {
	go readLoop(root, self, nc, credits, done, dec)
}
