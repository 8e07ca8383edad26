package sessions

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/troupe-mud/troupe/actors/msg"
)

// Func wraps a plain function into a hook handler actor. The function runs
// inside that actor (never in the supervisor), one event at a time; for a
// *msg.Connected event its verdict is the answer (nil allows), for other
// requests the actor answers *msg.HookDone.
func Func(f func(ev msg.Hook) *msg.Verdict) *actor.Props {
	return actor.PropsFromFunc(func(ctx actor.Context) {
		ev, ok := ctx.Message().(msg.Hook)
		if !ok {
			return
		}
		v := f(ev)
		if ctx.Sender() == nil {
			return
		}
		if _, isConnect := ev.(*msg.Connected); isConnect {
			if v == nil {
				v = msg.Allow
			}
			ctx.Respond(v)
			return
		}
		ctx.Respond(msg.Done)
	})
}
