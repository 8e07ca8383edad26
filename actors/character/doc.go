// Package character holds the character actors (players, and later
// mobiles) and their supervisor, the characters actor.
//
// The supervisor owns the registry of characters in the game. A login asks
// it to *EnterGame: if the character is already in the game (linkdead, or
// connected elsewhere) the request goes to that actor, which takes the new
// link over (the old one is told and closed; the body is never duplicated);
// otherwise it spawns char-<name>, which loads its record from the store
// before it answers. The supervisor subscribes to the disconnect hook and
// forwards each disconnect to the character played on that socket.
//
// A character actor owns its record: stats, inventory, location. On
// LINKDEATH it stays in the world, marked linkdead, for the grace period,
// and a login within it reattaches to the same body; after it, or on QUIT,
// it saves and leaves. It autosaves periodically, and saves when the
// server shuts down. A save is acknowledged by the store only once it is
// durable; a failed save is logged and the player told, never dropped.
//
// Game input arrives as *msg.Command from the connection; the verb is
// looked up in the command table (see Commands), which code outside the
// engine can add to before the server starts.
package character
