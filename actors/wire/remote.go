package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
)

// Tuning of proto.actor remote; doc.go explains why each value is what it
// is. They are constants rather than options because both processes must
// agree on them (keepalive enforcement in particular).
const (
	// AttachWait bounds how long one connection attempt of an endpoint
	// writer waits for the peer to answer. While it waits, gRPC redials with
	// a 100–500 ms backoff, so a peer that comes back inside the window is
	// attached within about half a second. When it expires, remote sleeps a
	// hard-coded 2 s, drops what was queued and gives up on the endpoint
	// (EndpointTerminatedEvent); the next send starts a new attempt.
	AttachWait = 8 * time.Second

	dialBaseDelay         = 100 * time.Millisecond
	dialMaxDelay          = 500 * time.Millisecond
	dialMinConnectTimeout = 2 * time.Second
	dialIdleTimeout       = 10 * time.Second

	// clientPingTime is gRPC's minimum client keepalive interval; it only
	// matters for a peer that hangs without closing its socket.
	clientPingTime    = 10 * time.Second
	clientPingTimeout = 3 * time.Second
	serverPingTime    = 2 * time.Second
	serverPingTimeout = 3 * time.Second

	// serverMaxRecvMsgSize bounds one gRPC message on the receiving side.
	// Remote packs up to writerBatchSize envelopes in one message, so the
	// gRPC default of 4 MiB is too tight for bursts of large messages.
	serverMaxRecvMsgSize = 64 << 20
	writerBatchSize      = 256
	// writerQueueSize is only the initial ring size of an endpoint writer's
	// mailbox (it grows); remote's default of 1e6 preallocates 16 MB per
	// peer.
	writerQueueSize = 4096
)

// ErrRemote is wrapped by StartRemote's errors.
var ErrRemote = errors.New("wire: remote")

// StartRemote configures proto.actor remote on addr ("host:port"; port 0
// picks a free port, read it back from system.Address()) and starts it. From
// then on system.Address() is the listening address and PIDs spawned by the
// system carry it. extra options are applied after troupe's own and may
// override them. Call Shutdown to stop it.
func StartRemote(system *actor.ActorSystem, addr string, extra ...remote.ConfigOption) (r *remote.Remote, err error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: address %q: %w", ErrRemote, addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("%w: address %q: bad port", ErrRemote, addr)
	}
	if a := system.Address(); a != unstartedAddress {
		return nil, fmt.Errorf("%w: actor system already has address %s", ErrRemote, a)
	}
	// remote.Start panics if it cannot listen, after replacing gRPC's
	// global logger; probe first so a busy port is a plain error.
	probe, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	if err := probe.Close(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	opts := append(Options(), extra...)
	r = remote.NewRemote(system, remote.Configure(host, port, opts...))
	// remote.Start panics when it cannot listen (and if its endpoint manager
	// does not start within 3 s); turn that into an error.
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("%w: start on %s: %v", ErrRemote, addr, p)
		}
	}()
	r.Start()
	return r, nil
}

// Shutdown stops r gracefully: peers are told we are leaving (they see an
// EndpointTerminatedEvent at once) and the gRPC server drains. It may block
// up to AttachWait+2s if a connection attempt to a dead peer is in progress,
// because remote waits for its endpoint writers to stop. A nil r is a no-op.
func Shutdown(r *remote.Remote) {
	if r == nil {
		return
	}
	r.Shutdown(true)
}

// Options returns the remote.ConfigOptions StartRemote uses, for callers
// that build remote themselves (a cluster, say).
func Options() []remote.ConfigOption {
	return []remote.ConfigOption{
		remote.WithDialOptions(
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithConnectParams(grpc.ConnectParams{
				Backoff: backoff.Config{
					BaseDelay:  dialBaseDelay,
					Multiplier: 1.6,
					Jitter:     0.2,
					MaxDelay:   dialMaxDelay,
				},
				MinConnectTimeout: dialMinConnectTimeout,
			}),
			grpc.WithKeepaliveParams(keepalive.ClientParameters{
				Time:                clientPingTime,
				Timeout:             clientPingTimeout,
				PermitWithoutStream: true,
			}),
			// Remote never closes the gRPC client of a failed connection
			// attempt; idleness at least stops those from redialling.
			grpc.WithIdleTimeout(dialIdleTimeout),
			grpc.WithStreamInterceptor(attachTimeout(AttachWait)),
		),
		remote.WithCallOptions(grpc.WaitForReady(true)),
		remote.WithServerOptions(
			grpc.MaxRecvMsgSize(serverMaxRecvMsgSize),
			grpc.KeepaliveParams(keepalive.ServerParameters{
				Time:    serverPingTime,
				Timeout: serverPingTimeout,
			}),
			grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
				MinTime:             time.Second,
				PermitWithoutStream: true,
			}),
		),
		remote.WithEndpointWriterBatchSize(writerBatchSize),
		remote.WithEndpointWriterQueueSize(writerQueueSize),
		withMaxRetryCount(1),
	}
}

// withMaxRetryCount sets Config.MaxRetryCount, for which remote has no
// option. It must be at least 1: with 0 the writer "connects" without a
// stream and dead-letters everything forever.
func withMaxRetryCount(n int) remote.ConfigOption {
	return func(c *remote.Config) { c.MaxRetryCount = n }
}

// attachTimeout makes stream creation (which WaitForReady lets block until
// the peer answers) give up after d, without putting a deadline on the
// stream itself, which lives as long as the connection.
func attachTimeout(d time.Duration) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
		streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		ctx, cancel := context.WithCancel(ctx)
		timer := time.AfterFunc(d, cancel)
		cs, err := streamer(ctx, desc, cc, method, opts...)
		if !timer.Stop() && err == nil {
			// The timer fired after the stream was created: it is cancelled.
			err = fmt.Errorf("%w: peer did not answer within %v", ErrRemote, d)
		}
		if err != nil {
			cancel()
			return nil, err
		}
		// cancel is released with the stream's context when the ClientConn
		// is closed; the stream must outlive this call.
		return cs, nil
	}
}
