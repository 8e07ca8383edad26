// Package wire carries troupe messages across the portal/game process
// boundary over proto.actor remote.
//
// # Why an envelope
//
// proto.actor remote only ships protobuf messages: the endpoint writer
// always uses serializer 0 (protobuf), so remote.RegisterSerializer does
// nothing for sends. troupe's messages are plain Go structs, so every one
// that crosses the boundary is msgpack-encoded (vmihailenco/msgpack/v5) and
// wrapped in the single protobuf type Envelope{type, payload}, where type is
// a stable wire name chosen with Register:
//
//	func init() { wire.Register[msg.PushInput]("msg.push_input") }
//
//	wire.Send(ctx, gamePID, &msg.PushInput{...}) // sender side
//	actor.PropsFromProducer(newX, actor.WithReceiverMiddleware(wire.Middleware)) // receiver side
//
// Send compares the target's address with the local actor system's: a local
// target gets the original pointer (one-process mode costs one string
// comparison), a remote one gets an *Envelope. Middleware turns an incoming
// *Envelope back into the *T before Receive runs, keeping the sender and
// headers; an envelope it cannot decode is logged on the package logger
// (SetLogger; zerolog's global logger by default), counted (Dropped) and not
// delivered. Both processes must register the same wire names, so
// registrations belong in the shared leaf package (actors/msg) init.
//
// Codec rules: Register[T] needs a struct T and panics on a duplicate name or
// type. Encode rejects unregistered types (naming the Go type), nil pointers
// and payloads over MaxPayloadSize (1 MiB). Decode names the wire type in
// every error (ErrUnknownType, ErrCorrupt, ErrTooLarge), rejects trailing
// bytes, ignores unknown fields and leaves missing ones zero (so an upgraded
// game process can talk to an older portal), and recovers from any decoder
// panic; FuzzDecode covers it. msgpack caps preallocation at 1e6 elements,
// so a hostile length prefix costs at most tens of MB before failing.
//
// What msgpack does to field types (established by the tests):
//   - *actor.PID round-trips Address, Id and RequestId (the protobuf
//     internals are unexported and skipped); PID.Equal holds afterwards.
//   - time.Time keeps the instant but comes back in time.Local: compare with
//     Equal, never ==.
//   - Unexported fields and func/chan fields are not sent. Messages must not
//     carry closures or interfaces that need concrete types (input handlers
//     are named values, see DESIGN.md).
//
// # Remote behaviour (protoactor-go v0.0.0-20240822202345-3c0e61ca19c9)
//
// Measured with TestPeerRestart: a child process killed with SIGKILL and
// restarted on the same 127.0.0.1 port, pinged every 20 ms (go test -race,
// 2 shared cores; WIRE_TEST_DEFAULTS and WIRE_TEST_OUTAGE reproduce the
// other rows).
//
// Peer death. The surviving side's endpoint writer notices the broken gRPC
// stream at once (TCP RST) and publishes *remote.EndpointTerminatedEvent on
// the actor system's EventStream: 4–6 ms after SIGKILL. Local actors that
// ctx.Watch a PID of the dead process get *actor.Terminated with
// Why == TerminatedReason_AddressTerminated at the same moment; this is how
// the portal should learn that the game died. Watches are not restored on
// reconnect: watch again. A hung peer (no RST) is detected by gRPC keepalive
// instead, within about 13 s (client pings every 10 s, gRPC's minimum).
//
// Sends to a dead peer. Send returns nil (delivery is asynchronous). The
// first send after EndpointTerminatedEvent creates a new endpoint writer
// that tries to connect; messages queue in its mailbox meanwhile. If the
// attempt fails they are dropped and published as *actor.DeadLetterEvent
// on the sender's EventStream, never reported to the sending actor. A
// message sent in the few ms between the death and the event can be lost
// without a dead letter (remote stashes it in a writer that then stops).
//
// Reconnection. Remote has no backoff of its own to the same address and no
// blocklist in effect: BlockList is only consulted for the system ID of an
// incoming connection, nothing in remote adds to it (cluster does), and the
// writer ignores a "blocked" answer anyway. What slows reconnection is the
// writer's connect loop: it runs inside the actor's Started handler, makes
// MaxRetryCount attempts (default 5) and sleeps a hard-coded 2 s after every
// failed one, then publishes EndpointTerminatedEvent and drops the queue.
// With remote's defaults an attempt fails in milliseconds against a closed
// port, so the writer spends almost all its time asleep: the first message
// reached the restarted peer 2.0 s after it was listening (outage 0.1 s) or
// 1.0 s (outage 3 s); up to 10 s of messages are buffered and delivered.
//
// StartRemote therefore makes each attempt wait for the peer instead of
// failing: grpc.WaitForReady(true) with gRPC redialling every 100–500 ms,
// bounded by AttachWait (8 s) through a stream interceptor, and
// MaxRetryCount 1. Measured: first message through 83 ms after the peer was
// listening (outage 0.1 s), 480 ms (outage 3 s); 17 ms (outage 12 s, a fresh
// attempt); worst case 1.0–2.0 s when the peer returns during the 2 s sleep
// that follows an 8 s attempt (outage 9 s: 1.0 s, and the 54 messages queued
// in that cycle became dead letters). Messages sent during an outage are
// delivered to the new incarnation if it comes up within the attempt
// (observed: the five pings sent right after the kill were answered by the
// restarted peer); PIDs of the old incarnation are dead letters over there,
// but well-known named actors do receive them, so the portal should stop
// forwarding player input while the game is down rather than rely on this.
//
// Other knobs set by StartRemote (see Options): keepalive on both sides, the
// server's receive limit raised to 64 MiB (remote batches up to 256 envelopes
// in one gRPC message and gRPC's 4 MiB default would reset the whole stream),
// an initial writer queue of 4096 instead of a preallocated 1e6 slots, and a
// gRPC idle timeout, because remote never closes the client connection of a
// failed attempt (one leaked grpc.ClientConn per failed attempt, an upstream
// bug; idleness at least stops them redialling). Note MaxRetryCount must
// stay >= 1: with 0 the writer reports "connected" without a stream and
// dead-letters everything.
//
// Receiving. Remote decodes with protoregistry.GlobalTypes and does not
// check the lookup: a message type unknown to the receiving process makes
// remote's gRPC handler panic and kills that process. envelope.pb.go
// registers troupe.wire.Envelope in its init, so any process importing this
// package receives envelopes (TestSendRemote); never send other protobuf
// types across.
//
// Shutdown. Shutdown is graceful: the peer gets a DisconnectRequest and an
// immediate EndpointTerminatedEvent. It can block up to AttachWait + 2 s
// when a connection attempt to a dead peer is in progress. remote.Shutdown
// (false) only stops the gRPC server; outgoing connections stay up.
//
// Testing caveat: every remote.Start calls grpclog.SetLoggerV2, which is a
// data race with the gRPC goroutines of any remote started earlier in the
// same process. Start exactly one remote per process (the tests run the
// second actor system in a child process). StartRemote probes the address
// first so that a busy port is an error and not a panic inside remote.Start.
//
// # Regenerating envelope.pb.go
//
// Only needed when envelope.proto changes; builds and tests never need protoc.
//
//	apt-get install -y protobuf-compiler
//	GOBIN=/tmp/bin go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.33.0
//	PATH=/tmp/bin:$PATH go generate ./actors/wire
//
// protoc-gen-go must match google.golang.org/protobuf in go.mod (v1.33.0).
package wire

//go:generate protoc --go_out=. --go_opt=paths=source_relative envelope.proto
