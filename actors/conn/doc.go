// Package conn is the session: the game's side of one player's connection,
// a child of the sessions supervisor. It owns everything about the
// connection that is not the socket: the input-handler stack, the prompt,
// the outbound text, per-socket auxiliary data, the idle clock, the account
// and character played. The socket and its telnet state live in the
// portal's link actor (package portal); the two speak the link protocol
// (package link), as pointers in one process or across proto.actor remote.
//
// # Surviving a game restart
//
// When what it would restore changes, the session sends its link a
// msgpack snapshot of itself: each frame of the stack (a handler
// registered with RegisterHandler, encoded by its exported fields, with its
// prompt and state name), the account and character, the aux data. The
// portal keeps the last one. A stack change, the account, the character
// and aux data mark the snapshot dirty; so does any call of a handler,
// unless the handler is Tracked and says nothing of its state changed (the
// game's play handler is: a typed command costs no snapshot). The idle
// clock is not in the snapshot: the link says how long the player has been
// idle when it attaches again. When the game restarts, the link attaches again with it and
// the new session rebuilds the stack from it, then calls Resume on every
// handler that implements Resumer (a reply it waited for will never come).
//
// # Input handlers
//
// Handlers are plain values (a type with its state fields), pushed, popped
// and replaced on a stack that only the actor touches, in message order.
// The top handler gets every line. A handler may also implement Prompter
// (a prompt computed at flush time), Enterer (called when it becomes the
// top), and MessageHandler (replies to requests it made, e.g. to the auth
// actor; messages are offered from the top of the stack down, so a reply
// reaches a handler that is now under the editor). A panic inside a handler is recovered here: the player is told in
// one line, the stack is logged, and the connection stays up.
//
// # Output
//
// Send and *msg.Output append to the outbound text and bust the prompt; the
// actor flushes once per burst (a flush message queued behind whatever is
// already in the mailbox) with one *link.Out: the text, whether to show
// the prompt, echo and GMCP changes, and — only when they changed — the
// prompt of the top handler and the snapshot. The link keeps the prompt
// and shows it after any text, its own *link.Line from rooms and channels
// too (see package link), and renders everything for the client (colour,
// charset, MCCP, EOR or GA after the prompt).
package conn
