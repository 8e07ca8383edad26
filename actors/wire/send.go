package wire

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
	zlog "github.com/rs/zerolog/log"
)

// ErrNilPID is returned by Send for a nil target.
var ErrNilPID = errors.New("wire: nil target PID")

// unstartedAddress is the address protoactor gives every PID of a system
// whose remote has not been started (actor.localAddress, unexported there).
// The process registry treats it as local even after remote has started.
const unstartedAddress = "nonhost"

// IsLocal reports whether pid lives in system, i.e. a message to it never
// leaves the process.
func IsLocal(system *actor.ActorSystem, pid *actor.PID) bool {
	return pid.Address == system.Address() || pid.Address == unstartedAddress
}

// Send delivers m to the actor to. If to lives in ctx's own actor system, m
// is sent unchanged (no encoding: one-process mode pays nothing). Otherwise
// m is encoded with Encode and the *Envelope is sent; the receiving actor
// must be spawned with Middleware to see m again. The error is non-nil only
// when m cannot be encoded (or to or m is nil); delivery itself is
// fire-and-forget like ctx.Send, and remote delivery failures end up as
// dead letters on the sender's event stream (see doc.go).
func Send(ctx actor.SenderContext, to *actor.PID, m any) error {
	if to == nil {
		return ErrNilPID
	}
	if m == nil {
		return ErrNilMessage
	}
	if IsLocal(ctx.ActorSystem(), to) {
		ctx.Send(to, m)
		return nil
	}
	env, err := Encode(m)
	if err != nil {
		return fmt.Errorf("wire: send to %s: %w", to, err)
	}
	ctx.Send(to, env)
	return nil
}

// logger is the package logger used by Middleware. It defaults to zerolog's
// global logger so that dropped envelopes are never silent.
var logger atomic.Pointer[zerolog.Logger]

// dropped counts envelopes Middleware could not decode.
var dropped atomic.Uint64

func init() {
	l := zlog.Logger.With().Str("pkg", "wire").Logger()
	logger.Store(&l)
}

// SetLogger sets the logger Middleware uses to report undecodable
// envelopes. Call it once at start-up, before actors receive messages; tests
// that install a per-test logger must restore it in t.Cleanup.
func SetLogger(l zerolog.Logger) {
	logger.Store(&l)
}

// Dropped returns the number of envelopes Middleware has dropped since the
// process started, for metrics.
func Dropped() uint64 {
	return dropped.Load()
}

// Middleware is an actor.ReceiverMiddleware (use it with
// actor.WithReceiverMiddleware) that replaces an incoming *Envelope by the
// decoded message before the actor's Receive sees it, preserving the
// message's sender and headers. Other messages pass through untouched. An
// envelope that cannot be decoded is logged on the package logger (see
// SetLogger), counted in Dropped and not delivered.
func Middleware(next actor.ReceiverFunc) actor.ReceiverFunc {
	return NewMiddleware(nil)(next)
}

var _ actor.ReceiverMiddleware = Middleware

// NewMiddleware is Middleware with an explicit logger; a nil log means the
// package logger at the time of the drop.
func NewMiddleware(log *zerolog.Logger) actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, me *actor.MessageEnvelope) {
			env, ok := me.Message.(*Envelope)
			if !ok {
				next(c, me)
				return
			}
			m, err := Decode(env)
			if err != nil {
				dropped.Add(1)
				l := log
				if l == nil {
					l = logger.Load()
				}
				ev := l.Warn().Err(err).Str("wire_type", env.GetType()).
					Int("payload_len", len(env.GetPayload())).Stringer("target", c.Self())
				if me.Sender != nil {
					ev = ev.Stringer("sender", me.Sender)
				}
				ev.Msg("dropping undecodable envelope")
				return
			}
			next(c, &actor.MessageEnvelope{Header: me.Header, Message: m, Sender: me.Sender})
		}
	}
}
