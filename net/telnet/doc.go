// Package telnet is troupe's telnet layer: a streaming decoder (bytes in,
// lines and option events out), per-connection option negotiation with the
// RFC 1143 Q method, client capabilities (TTYPE/MTTS, NAWS, CHARSET, ...),
// MUD protocols (EOR/GA, GMCP, MSSP, MCCP2) and the rendering of game text
// with colour markup for each client.
//
// It has no game knowledge and does no I/O: the socket reader goroutine owns
// a Decoder, the connection actor owns a Protocol and hands the bytes from
// Protocol.Flush to its writer.
package telnet
