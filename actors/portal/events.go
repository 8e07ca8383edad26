package portal

import (
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
	"github.com/asynkron/protoactor-go/remote"
)

// eventSub is the portal's subscription to the actor system's event
// stream: proto.actor remote publishes *remote.EndpointTerminatedEvent
// when the connection to the game's process is lost, which tells the
// portal sooner than missing pongs do.
type eventSub struct {
	system *actor.ActorSystem
	sub    *eventstream.Subscription
}

func watchEndpoints(system *actor.ActorSystem, portal *actor.PID, gameAddr string) *eventSub {
	root := system.Root
	sub := system.EventStream.Subscribe(func(ev any) {
		if e, ok := ev.(*remote.EndpointTerminatedEvent); ok && e.Address == gameAddr {
			root.Send(portal, &endpointDown{})
		}
	})
	return &eventSub{system: system, sub: sub}
}

func (e *eventSub) stop() {
	if e != nil && e.sub != nil {
		e.system.EventStream.Unsubscribe(e.sub)
	}
}
