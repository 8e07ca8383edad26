// Package listener is troupe's accept loop: it takes sockets from a
// net.Listener and hands each to a callback, backing off on temporary
// errors (e.g. out of file descriptors) instead of spinning, and returning
// when the listener is closed. Tests inject their own listener
// (127.0.0.1:0), as net/http's Serve does.
package listener
