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

// replies are telnet negotiation answers the reader decided, for the
// player to write.
type replies struct{ b []byte }

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

// writeFailed reports a write the player made itself (without a goroutine)
// that failed.
type writeFailed struct{ err error }

// timerFired is a player's single timer (think time, answer timeout or
// login step timeout) firing; one that comes before the time the timer was
// last armed for is a stale one.
type timerFired struct{}

// progressTick asks the collector for a progress line.
type progressTick struct{}

// finish asks the collector for its totals; it responds with *totals.
type finish struct{}

// spawned tells the collector how many players the runner has started.
type spawned struct{ n int }
