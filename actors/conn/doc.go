// Package conn is the connection actor: one per socket, a child of the
// sessions supervisor. It owns everything about one player's link that is
// not the game: the telnet protocol state, the input-handler stack, the
// prompt, the outbound text buffer, per-socket auxiliary data, the idle
// clock and the reverse-DNS hostname.
//
// # Threads
//
// Two kinds of goroutine move bytes and nothing else. The reader goroutine
// reads the socket, runs the telnet decoder and sends the events to the
// actor as one *inbound message per read; a credit channel bounds how many
// such messages may wait in the mailbox, so a flooding client is slowed by
// TCP back-pressure instead of growing memory. A writer goroutine exists
// only while bytes are being written: the actor hands it one batch, it
// writes with a deadline and reports *writeDone; bytes produced meanwhile
// wait in the actor's send queue, which is bounded (a client that stops
// reading is disconnected with LINKDEATH/sendq). Idle connections therefore
// cost one blocked goroutine.
//
// # Input handlers
//
// Handlers are plain values (a type with its state fields), pushed, popped
// and replaced on a stack that only the actor touches, in message order.
// The top handler gets every line. A handler may also implement Prompter
// (a prompt computed at flush time), Enterer (called when it becomes the
// top), and MessageHandler (replies to requests it made, e.g. to the auth
// actor). A panic inside a handler is recovered here: the player is told in
// one line, the stack is logged, and the connection stays up.
//
// # Output
//
// Send and *msg.Output append to the outbound text and bust the prompt; the
// actor flushes once per burst (a flush message queued behind whatever is
// already in the mailbox), rendering the text for the client, then the
// prompt of the top handler followed by EOR or GA.
package conn
