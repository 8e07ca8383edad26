// Package server wires troupe's actor tree:
//
//	root
//	├─ portal        (package portal) the players' sockets
//	│  └─ link-<uid>
//	└─ server        the game; one-for-one, a crash below never takes the process down
//	   ├─ scheduler, store, auth, characters, world
//	   └─ sessions   the socket list, connect/disconnect hook chains
//	      └─ conn-<uid>   the session of one link
//
// Start runs portal and game in one actor system (the default, one
// process). StartGame runs the game alone with proto.actor remote on
// Config.Remote, for portals in another process (PortalConfig builds their
// configuration). Both build the actor system with protoactor's slog
// output bridged into the given zerolog logger and return once the world's
// rooms exist and the sessions service answers portals.
//
// Shutdown says goodbye to every socket (QUIT/shutdown), waits for the
// disconnect chains, saves characters and rooms, flushes the store and
// stops the actor system. Stop does the same without ending any
// connection: the portals keep the sockets for the next game. An admin's
// reboot runs Stop and Config.OnReboot (the game process execs its binary
// again), or, without OnReboot, restarts the game half inside the process.
// cmd/troupe and the black-box tests both use this package.
package server
