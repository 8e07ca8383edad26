// Package room holds the room actors and their supervisor, the world actor.
//
// The world actor spawns one actor per room of the loaded world
// (room-<zone>:<id>, addressed by that well-known name) and supervises them
// with restart. A room owns its occupants (as msg.Occupant values), the
// items on its floor and its exits; everything that happens in a room —
// arriving, leaving, speech, items changing hands — is a message to it,
// handled in order.
//
// Movement is an exchange between the two rooms: the room a character
// leaves asks the destination to take it in (*msg.EnterRoom) and only when
// the destination has answered does it drop the character, so a character
// is never in no room; while the exchange runs the leaving room hides the
// character from look and speech. If the destination does not answer, the
// character stays where it was.
//
// # Restart with occupants intact
//
// A room's mutable state lives in a box that its producer creates once per
// room and hands to every incarnation of the actor: when a room panics and
// its supervisor restarts it, the new incarnation finds the occupants and
// the floor where the old one left them. Only one incarnation runs at a
// time, so the box is still owned by exactly one actor. Floor items are
// also saved to the store (debounced after a change, and at shutdown) and
// reloaded when the server starts.
package room
