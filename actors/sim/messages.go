package sim

import (
	"net"
	"time"
)

// burst is everything the server sent up to one prompt marker (IAC EOR or
// IAC GA). Sent by the reader; nobody mutates it after sending.
type burst struct {
	lines   []string  // complete lines, ANSI colours stripped
	prompt  string    // the prompt text (the partial line before the marker)
	at      time.Time // when the read holding the marker returned
	dropped bool      // lines were dropped for the reader's limits
}

// readDone is the reader's last message: the connection failed or closed.
type readDone struct {
	err   error
	lines []string // lines after the last prompt (e.g. "Invalid password.")
}

// dialed reports the dial goroutine's result.
type dialed struct {
	nc  net.Conn
	err error
}

// written reports one write goroutine's result.
type written struct{ err error }

// timerFired is a player's single timer (think time, answer timeout or
// login step timeout); gen tells a stale timer from the current one.
type timerFired struct{ gen uint64 }

// progressTick asks the collector for a progress line.
type progressTick struct{}

// finish asks the collector for its totals; it responds with *totals.
type finish struct{}

// spawned tells the collector how many players the runner has started.
type spawned struct{ n int }
