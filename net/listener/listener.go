package listener

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/rs/zerolog"
)

// Serve accepts sockets from ln and calls handle for each (on the accept
// goroutine: handle must not block). It returns nil when ln is closed, or
// the error that ended it.
func Serve(ln net.Listener, log zerolog.Logger, handle func(net.Conn)) error {
	var delay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || isTemporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				log.Warn().Err(err).Dur("retry_in", delay).Msg("accept failed")
				time.Sleep(delay) // the accept goroutine, not an actor
				continue
			}
			return err
		}
		delay = 0
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(true)
			_ = tc.SetKeepAlivePeriod(2 * time.Minute)
			_ = tc.SetKeepAlive(true)
		}
		handle(c)
	}
}

// isTemporary reports accept errors worth retrying (EMFILE, ENFILE,
// ECONNABORTED, ...), which net reports through the deprecated Temporary.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// DefaultAddr is where troupe listens for telnet when no address is given.
const DefaultAddr = ":4000"

// Open returns ln if it is set (tests pass 127.0.0.1:0), or a new TCP
// listener on addr (DefaultAddr if empty).
func Open(ln net.Listener, addr string) (net.Listener, error) {
	if ln != nil {
		return ln, nil
	}
	if addr == "" {
		addr = DefaultAddr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return l, nil
}
