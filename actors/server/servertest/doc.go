// Package servertest holds helpers for black-box tests over real TCP: a
// dumb telnet client that strips (and refuses) option negotiation, sends
// lines, and waits for text with a deadline; and a hook recorder.
package servertest
