// Package sessions is the sessions supervisor: the parent of every
// session (the game's side of a connection, package conn), the owner of
// the socket list, the router of hook events, and the game's well-known
// address for portals ("server/sessions").
//
// Portals send *link.Attach for each socket (package link). The supervisor
// spawns the session under the portal's UID (stopped, never restarted,
// when it fails), puts it in the socket list and, for a new socket, runs
// the connect chain: the subscribed handlers, one after
// the other in registration order, each answering with a *msg.Verdict; the
// first veto closes the connection with its message, and if all allow it the
// connection is admitted. A socket whose session a game restart lost
// attaches with Resume and its last snapshot: the session rebuilds itself
// and the connect chain does not run again. A portal that believed the game
// was down and attaches a link whose session still lives gets it back.
//
// Portals ping; the supervisor answers (with the game's boot id) once the
// game is ready (*Open), and ends the sessions of a portal silent for 3 s
// as LINKDEATH/portal, so that their characters go linkdead. Shutdown with
// Restart tells the portals the game is going and ends nothing.
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
//
// Memory: every session is spawned with one shared Props (conn.Spawner),
// and a session's uid is read back from its actor name (conn-<uid>) rather
// than kept in a second map: the supervisor's own cost per socket is its
// entry in the socket list.
package sessions
