// Package server wires troupe's actor tree and serves telnet:
//
//	root
//	└─ server     one-for-one; a crash below never takes the process down
//	   └─ sessions  the socket list, connect/disconnect hook chains
//	      └─ conn-<uid>
//
// (the world, characters, store, scheduler and auth actors join the tree
// under server as they land). Start builds the actor system with
// protoactor's slog output bridged into the given zerolog logger, spawns
// the tree, and serves the listener; Shutdown stops accepting, says goodbye
// to every socket (QUIT/shutdown), waits for the disconnect chains, and
// stops the actor system. cmd/troupe and the black-box tests both use it.
package server
