package conn

// Handler is an input handler: a plain value that gets every line the
// player types while it is on top of the stack. It runs inside the
// connection actor; it must not block.
type Handler interface {
	HandleLine(s *Socket, line string)
}

// Prompter is a handler whose prompt is computed when it is shown (for
// example a game prompt with the character's vitals). It overrides the
// frame's static prompt.
type Prompter interface {
	Prompt(s *Socket) string
}

// Enterer is a handler that wants to know when it becomes the top of the
// stack: after PushIH or ReplaceIH put it there, or a PopIH exposed it.
type Enterer interface {
	Enter(s *Socket)
}

// MessageHandler is a handler that gets the messages the connection actor
// does not handle itself: typically replies to requests the handler made
// through s.Context(). It reports whether it consumed the message.
type MessageHandler interface {
	HandleMessage(s *Socket, m any) bool
}

// Frame is one entry of the input-handler stack: the handler with its state,
// a static prompt, and a state name shown in the socket list.
type Frame struct {
	Handler Handler
	Prompt  string
	State   string
}

// Deferrer is a handler whose answers come later, from other actors (the
// game's play handler): a line it gets does not show the prompt at once;
// the prompt follows the output the answer brings (any output busts it).
// Its Defer method reports whether this line is deferred (an empty line,
// say, is not).
type Deferrer interface {
	Defer(line string) bool
}

// Quiet is a handler that does not show its prompt when it becomes the top
// of the stack: the output that follows (the game's welcome and first look)
// brings the prompt.
type Quiet interface {
	QuietEntry() bool
}

// Tracked is a handler that says when the state it keeps in the session
// snapshot changed. Without it the session re-encodes the handler after
// every call (any call may change a plain value's fields); with it, only
// after a call that reported a change. The game's play handler is Tracked:
// a typed command changes nothing that survives a restart, so a command
// costs no snapshot. Stack changes (push, pop, replace, SetTop, SetPrompt),
// the account, the character and aux data mark the snapshot dirty by
// themselves.
type Tracked interface {
	// SnapshotChanged reports whether the handler's snapshotted fields
	// changed since the last time it was asked, and forgets the change.
	SnapshotChanged() bool
}
