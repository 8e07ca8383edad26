package server_test

// Benchmarks for the foundation figures of issue 2 (accepted connections
// per second, line-in to prompt-out round trip, memory per idle socket),
// for a say heard by 100 players over TCP, and for a whole server starting
// on a 10,000-room world. They measure and report
// (b.ReportMetric); they assert nothing about timings. Run them with
// scripts/gobench.sh, or for example:
//
//	go test ./actors/server -run '^$' -bench 'Accept|RoundTrip|IdleConn|SayOverTCP|ServerStartGrid' -benchtime 1s

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/actors/conn"
	"github.com/troupe-mud/troupe/actors/msg"
	"github.com/troupe-mud/troupe/actors/room"
	"github.com/troupe-mud/troupe/actors/server"
	"github.com/troupe-mud/troupe/actors/server/servertest"
	"github.com/troupe-mud/troupe/persistence"
	"github.com/troupe-mud/troupe/world"
)

// benchWait bounds every wait of these benchmarks.
const benchWait = 10 * time.Second

// gaPrompt is the benchmark handler's prompt; the server ends it with
// IAC GA because the benchmark clients never agree to EOR.
const gaPrompt = "> "

// iacGA ends a prompt on the wire.
var iacGA = []byte{255, 249}

// echoHandler answers every line with one line; the prompt follows.
type echoHandler struct{}

// HandleLine implements conn.Handler.
func (echoHandler) HandleLine(s *conn.Socket, line string) { s.Send("ok "+line, nil) }

// startEcho starts a server whose connections start (and stay) in
// echoHandler.
func startEcho(b *testing.B) *server.Server {
	b.Helper()
	return benchStart(b, server.Config{First: func() conn.Frame {
		return conn.Frame{Handler: echoHandler{}, Prompt: gaPrompt, State: "echo"}
	}})
}

// benchStart starts a server on 127.0.0.1:0 with an in-memory store and
// fast password hashing, logging errors only; b.Cleanup shuts it down.
func benchStart(b *testing.B, cfg server.Config) *server.Server {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Listener = ln
	cfg.Store = persistence.NewMemory()
	cfg.InsecureFastHash = true
	cfg.Log = zerolog.New(zerolog.NewTestWriter(b)).Level(zerolog.ErrorLevel)
	srv, err := server.Start(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Shutdown("", benchWait) })
	return srv
}

// readPrompt reads from c until the bytes read end in IAC GA (a prompt);
// buf is scratch space. The benchmark clients are dumb: they answer no
// negotiation, which the server never waits for.
func readPrompt(c net.Conn, buf []byte) error {
	if err := c.SetReadDeadline(time.Now().Add(benchWait)); err != nil {
		return err
	}
	var tail [2]byte // the last two bytes seen, across reads
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if n >= 2 {
				tail = [2]byte{buf[n-2], buf[n-1]}
			} else {
				tail = [2]byte{tail[1], buf[0]}
			}
			if bytes.Equal(tail[:], iacGA) {
				return nil
			}
		}
		if err != nil {
			return err
		}
	}
}

// BenchmarkAccept measures accepted connections per second: 8 goroutines
// dial the server as fast as they can, read the first prompt and hang up.
// One op is one connection; conn-µs percentiles are from dial to prompt.
func BenchmarkAccept(b *testing.B) {
	const workers = 8
	srv := startEcho(b)
	addr := srv.Addr().String()
	var next atomic.Int64
	lat := make([][]time.Duration, workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 4096)
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				c, err := net.DialTimeout("tcp", addr, benchWait)
				if err != nil {
					errs <- err
					return
				}
				err = readPrompt(c, buf)
				_ = c.Close()
				if err != nil {
					errs <- fmt.Errorf("first prompt: %w", err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "conns/s")
	reportLatency(b, slices.Concat(lat...), "conn")
}

// BenchmarkRoundTrip measures a line in and the prompt out on an idle
// server: one connection sends a line and waits for the prompt after the
// answer. One op is one round trip.
func BenchmarkRoundTrip(b *testing.B) {
	srv := startEcho(b)
	c, err := net.DialTimeout("tcp", srv.Addr().String(), benchWait)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	buf := make([]byte, 4096)
	if err := readPrompt(c, buf); err != nil {
		b.Fatal(err)
	}
	line := []byte("look\r\n")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if _, err := c.Write(line); err != nil {
			b.Fatal(err)
		}
		if err := readPrompt(c, buf); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatency(b, lat, "rtt")
}

// idleConns is how many sockets BenchmarkIdleConnMemory holds open.
const idleConns = 2000

// BenchmarkIdleConnMemory measures the memory of idle connected sockets:
// idleConns connections are opened, each reads its first prompt, then all
// sit there. Reported per connection (after GC; means over the
// iterations, and -benchtime 1x is the cleanest: later iterations reuse
// partly filled spans of earlier ones and read lower):
//
//   - heap-B/conn (HeapInuse), live-B/conn (HeapAlloc) and stack-B/conn
//     (StackInuse) of server and client together (both are in this
//     process; the clients have no goroutine once the prompt is read);
//   - bare-heap-B/conn, bare-live-B/conn, bare-stack-B/conn: the same for
//     as many sockets dialled to a plain listener that accepts and reads
//     nothing (both ends' net.Conn);
//   - server-B/conn: the server-only estimate, heap+stack minus the bare
//     heap+stack. It leaves out the server's own accepted net.Conn (a few
//     hundred bytes), which the bare baseline subtracts with the client's.
func BenchmarkIdleConnMemory(b *testing.B) {
	var srvSum, bareSum memStat
	for range b.N {
		bare := bareSockets(b, idleConns)
		srv := serverSockets(b, idleConns)
		bareSum = bareSum.add(bare)
		srvSum = srvSum.add(srv)
	}
	per := func(v float64) float64 { return v / float64(b.N) / idleConns }
	b.ReportMetric(per(srvSum.heap), "heap-B/conn")
	b.ReportMetric(per(srvSum.alloc), "live-B/conn")
	b.ReportMetric(per(srvSum.stack), "stack-B/conn")
	b.ReportMetric(per(bareSum.heap), "bare-heap-B/conn")
	b.ReportMetric(per(bareSum.alloc), "bare-live-B/conn")
	b.ReportMetric(per(bareSum.stack), "bare-stack-B/conn")
	b.ReportMetric(per(srvSum.heap+srvSum.stack-bareSum.heap-bareSum.stack), "server-B/conn")
	b.ReportMetric(0, "ns/op")
}

// bareSockets dials n sockets to a listener that accepts and reads nothing
// and returns the heap and stack in use per socket pair.
func bareSockets(b *testing.B, n int) memStat {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var accepted []net.Conn
	acceptDone := make(chan struct{})
	before := memInUse()
	go func() {
		defer close(acceptDone)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			accepted = append(accepted, c)
			mu.Unlock()
		}
	}()
	dialed := make([]net.Conn, 0, n)
	defer func() {
		_ = ln.Close()
		<-acceptDone
		for _, c := range dialed {
			_ = c.Close()
		}
		for _, c := range accepted {
			_ = c.Close()
		}
	}()
	for range n {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), benchWait)
		if err != nil {
			b.Fatal(err)
		}
		dialed = append(dialed, c)
	}
	deadline := time.Now().Add(benchWait)
	for {
		mu.Lock()
		got := len(accepted)
		mu.Unlock()
		if got == n {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("accepted %d of %d sockets", got, n)
		}
		time.Sleep(time.Millisecond)
	}
	return memInUse().sub(before)
}

// serverSockets opens n connections to a fresh server, reads each one's
// first prompt, and returns the heap and stack in use per connection with
// all of them idle.
func serverSockets(b *testing.B, n int) memStat {
	b.Helper()
	g0 := runtime.NumGoroutine()
	srv := startEcho(b)
	addr := srv.Addr().String()
	before := memInUse()
	conns := make([]net.Conn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				_ = c.Close()
			}
		}
		_ = srv.Shutdown("", benchWait)
		// Let the connections' goroutines end, so that a next iteration's
		// baseline does not count (and then free) this one's.
		deadline := time.Now().Add(benchWait)
		for runtime.NumGoroutine() > g0+50 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}()
	// A few dialling goroutines; each connection is left without a reader
	// once its first prompt is in.
	const workers = 4
	var next atomic.Int64
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 4096)
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				c, err := net.DialTimeout("tcp", addr, benchWait)
				if err != nil {
					errs <- err
					return
				}
				conns[i] = c
				if err := readPrompt(c, buf); err != nil {
					errs <- fmt.Errorf("first prompt: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	deadline := time.Now().Add(benchWait)
	for len(srv.Sockets.Load()) != n {
		if time.Now().After(deadline) {
			b.Fatalf("the server lists %d of %d sockets", len(srv.Sockets.Load()), n)
		}
		time.Sleep(time.Millisecond)
	}
	after := memInUse()
	if path := os.Getenv(idleProfileEnv); path != "" {
		writeHeapProfile(b, path)
	}
	return after.sub(before)
}

// idleProfileEnv names a file to write a heap profile to while the idle
// server sockets are open (add -test.memprofilerate 512 for detail).
const idleProfileEnv = "TROUPE_IDLE_HEAPPROFILE"

func writeHeapProfile(b *testing.B, path string) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}

// memStat is the memory a benchmark compares, or a difference of two.
type memStat struct{ heap, alloc, stack float64 }

// memInUse returns HeapInuse, HeapAlloc and StackInuse after two
// collections.
func memInUse() memStat {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return memStat{heap: float64(m.HeapInuse), alloc: float64(m.HeapAlloc), stack: float64(m.StackInuse)}
}

// sub returns m-o.
func (m memStat) sub(o memStat) memStat {
	return memStat{heap: m.heap - o.heap, alloc: m.alloc - o.alloc, stack: m.stack - o.stack}
}

// add returns m+o.
func (m memStat) add(o memStat) memStat {
	return memStat{heap: m.heap + o.heap, alloc: m.alloc + o.alloc, stack: m.stack + o.stack}
}

// BenchmarkServerStartGrid measures a whole server starting on a
// generated 10,000-room world (with its 100 wandering rats): from
// server.Start until a request to the last room is answered (ready-ms),
// and until Start returned (start-ms; Start waits for the world actor to
// have spawned its rooms). The world is generated outside the timer. That
// every room has also loaded its state is measured by the room package's
// BenchmarkWorldStartup.
func BenchmarkServerStartGrid(b *testing.B) {
	const rooms = 10_000
	w := world.GenerateGrid(rooms)
	ids := w.RoomIDs()
	lastID := ids[len(ids)-1]
	var startSum, readySum time.Duration
	for range b.N {
		b.StopTimer()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		cfg := server.Config{Listener: ln, World: w, Store: persistence.NewMemory(), InsecureFastHash: true,
			Log: zerolog.New(zerolog.NewTestWriter(b)).Level(zerolog.ErrorLevel)}
		runtime.GC()
		b.StartTimer()
		t0 := time.Now()
		srv, err := server.Start(cfg)
		if err != nil {
			b.Fatal(err)
		}
		started := time.Since(t0)
		b.Cleanup(func() { _ = srv.Shutdown("", benchWait) })
		if _, err := srv.System.Root.RequestFuture(room.PID(srv.System, lastID), &msg.Look{}, benchWait).Result(); err != nil {
			b.Fatalf("the last room: %v", err)
		}
		ready := time.Since(t0)
		b.StopTimer()
		if err := srv.Shutdown("", benchWait); err != nil {
			b.Fatal(err)
		}
		startSum += started
		readySum += ready
		b.StartTimer()
	}
	b.ReportMetric(float64(startSum)/float64(time.Millisecond)/float64(b.N), "start-ms")
	b.ReportMetric(float64(readySum)/float64(time.Millisecond)/float64(b.N), "ready-ms")
}

// sayListeners is how many players hear each say in BenchmarkSayOverTCP.
const sayListeners = 100

// BenchmarkSayOverTCP measures a say heard by 100 players end to end:
// 101 players log in (new accounts, through the login flow) to the
// starter world's start room; one says a line, and the op ends when every
// one of the 100 others has read it from its socket. The speaker reads its
// own echo and prompt before the next say. One op is one say. Logging the
// players in is outside the timer (login-s reports it).
func BenchmarkSayOverTCP(b *testing.B) {
	srv := benchStart(b, server.Config{})
	addr := srv.Addr().String()
	t0 := time.Now()
	speaker := servertest.CreateNamed(b, addr, "Speaker")
	others := make([]*servertest.Client, sayListeners)
	for i := range others {
		others[i] = servertest.CreateNamed(b, addr, fmt.Sprintf("Listener%c%c", 'a'+i/26, 'a'+i%26))
	}
	loginTime := time.Since(t0)
	// Settle: every listener has seen the last one enter, so arrivals do
	// not mix with the says.
	last := fmt.Sprintf("Listener%c%c", 'a'+(sayListeners-1)/26, 'a'+(sayListeners-1)%26)
	for _, c := range others[:sayListeners-1] {
		c.Expect(last)
	}
	speaker.Expect(last)
	lat := make([]time.Duration, 0, 1024)
	i := 0
	for b.Loop() {
		i++
		line := fmt.Sprintf("line number %d", i)
		heard := "Speaker says, '" + line + "'"
		t := time.Now()
		speaker.Send("say " + line)
		for _, c := range others {
			c.Expect(heard)
		}
		lat = append(lat, time.Since(t))
		speaker.Expect("You say, '" + line + "'")
		speaker.Expect(servertest.Prompt)
	}
	reportLatency(b, lat, "heard")
	b.ReportMetric(loginTime.Seconds(), "login-s")
}

// reportLatency reports the p50, p99 and max of lat in microseconds, named
// <name>-p50-µs and so on.
func reportLatency(b *testing.B, lat []time.Duration, name string) {
	if len(lat) == 0 {
		b.Error("no samples")
		return
	}
	slices.Sort(lat)
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	pct := func(p float64) float64 { return us(lat[min(len(lat)-1, int(p*float64(len(lat))))]) }
	b.ReportMetric(pct(0.50), name+"-p50-µs")
	b.ReportMetric(pct(0.99), name+"-p99-µs")
	b.ReportMetric(us(lat[len(lat)-1]), name+"-max-µs")
}
