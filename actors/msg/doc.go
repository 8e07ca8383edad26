// Package msg holds the messages that cross actor boundaries in troupe: hook
// events (connect, disconnect and the game's own), close reasons, and the
// requests other actors send to the sessions supervisor and to connections.
//
// It is the leaf of the actors tree: it imports only protoactor and the
// standard library, so every actor package can import it without cycles.
// Messages are pointers to structs that nobody mutates after sending.
// Commands are imperative (Kick, Subscribe); facts are past tense
// (Connected, Disconnected).
package msg
