// Package sessions is the sessions supervisor: the parent of every
// connection actor, the owner of the socket list, and the router of hook
// events.
//
// Accepted sockets arrive as *Accept messages from the listener goroutine.
// The supervisor gives each a UID, spawns its connection actor (stopped, never
// restarted, when it fails: a restart would lose the socket), puts it in the
// socket list and runs the connect chain: the subscribed handlers, one after
// the other in registration order, each answering with a *msg.Verdict; the
// first veto closes the connection with its message, and if all allow it the
// connection is admitted.
//
// When a connection ends (*msg.ConnEnded from the connection, or its actor
// terminating without one) the supervisor first drops it from the socket list
// and publishes the new snapshot, then runs the disconnect chain in order
// (each handler answers *msg.HookDone, or is passed after HookTimeout), and
// only then stops the actor. Game hooks (*msg.Publish) are fanned out to
// their subscribers without waiting.
//
// Hook handlers are actors; Func wraps a plain function into one for
// convenience. A handler is dropped from every chain when it stops.
package sessions
