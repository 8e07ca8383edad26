package msg

// Reason says why a connection ended: the player (or the server on their
// behalf) quit, or the link died.
type Reason uint8

// Close reasons. The first reason a connection records wins.
const (
	// ReasonNone is the zero value: the connection has not ended.
	ReasonNone Reason = iota
	// ReasonQuit: a deliberate end (the player quit, a hook vetoed the
	// connection, the server shut down, the character was taken over).
	ReasonQuit
	// ReasonLinkDeath: the link failed (EOF, read or write error, idle,
	// a send queue that filled up).
	ReasonLinkDeath
)

// String returns QUIT or LINKDEATH, as the hooks and logs spell them.
func (r Reason) String() string {
	switch r {
	case ReasonQuit:
		return "QUIT"
	case ReasonLinkDeath:
		return "LINKDEATH"
	default:
		return "NONE"
	}
}

// Cause refines a Reason: what exactly ended the connection.
type Cause string

// Causes. Game code may add its own (a Cause is a string), but these are the
// ones the engine produces.
const (
	CauseQuit       Cause = "quit"        // the player asked to leave
	CauseEOF        Cause = "eof"         // the client closed its side
	CauseReadError  Cause = "read_error"  // reading the socket failed
	CauseWriteError Cause = "write_error" // writing the socket failed or timed out
	CauseIdle       Cause = "idle"        // no input for too long
	CauseSendQ      Cause = "sendq"       // the client stopped reading; its queue filled
	CauseShutdown   Cause = "shutdown"    // the server is shutting down
	CauseVeto       Cause = "veto"        // a connect hook refused the connection
	CauseTakeover   Cause = "takeover"    // the same character logged in elsewhere
	CauseProtocol   Cause = "protocol"    // the client broke the protocol's limits
	CauseCrash      Cause = "crash"       // the connection actor stopped unexpectedly
)
