package wire

import (
	"github.com/asynkron/protoactor-go/actor"
)

// Decoding wraps a so that it gets every *Envelope decoded, exactly as
// Middleware does it (same sender and headers, an undecodable envelope
// logged, counted in Dropped and not delivered), without a receiver
// middleware.
//
// It is for actors there are thousands of (one per player): proto.actor
// gives each actor spawned with a receiver middleware its "context
// extras" (about 200 bytes, allocated at its first message) and wraps
// every message it receives in a new *actor.MessageEnvelope on the way
// through the chain. Decoding costs one 16-byte wrapper per actor and
// nothing per local message.
func Decoding(a actor.Actor) actor.Actor { return &decoding{a: a} }

// decoding is the wrapper Decoding returns. a is immutable.
type decoding struct{ a actor.Actor }

var _ actor.Actor = (*decoding)(nil)

// Receive hands local messages straight to the wrapped actor. An envelope
// is decoded and received again through the context, as the last step of
// a middleware chain does: ctx.Receive sets the decoded message (with the
// envelope's sender and headers) as the current one and calls Receive,
// which passes it on.
func (d *decoding) Receive(ctx actor.Context) {
	env, ok := ctx.Message().(*Envelope)
	if !ok {
		d.a.Receive(ctx)
		return
	}
	m, err := Decode(env)
	if err != nil {
		dropped.Add(1)
		ev := logger.Load().Warn().Err(err).Str("wire_type", env.GetType()).
			Int("payload_len", len(env.GetPayload())).Stringer("target", ctx.Self())
		if s := ctx.Sender(); s != nil {
			ev = ev.Stringer("sender", s)
		}
		ev.Msg("dropping undecodable envelope")
		return
	}
	me := &actor.MessageEnvelope{Message: m, Sender: ctx.Sender()}
	if h := ctx.MessageHeader(); h != nil && h.Length() > 0 {
		for _, k := range h.Keys() {
			me.SetHeader(k, h.Get(k))
		}
	}
	ctx.Receive(me)
}
