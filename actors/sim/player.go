package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"

	"github.com/troupe-mud/troupe/world"
)

// Player tuning.
const (
	flushAge       = 250 * time.Millisecond // a batch is sent at least this often while samples arrive
	flushSamples   = 64                     // ... or when it holds this many samples
	maxNameTries   = 4                      // character names tried when one is taken
	maxWriteQueue  = 16                     // writes queued behind one in flight
	quitLinger     = time.Second            // time allowed to write "quit" at the stop
	maxEditorLines = 8                      // guard against a runaway script
)

// phase is where a player is in its life.
type phase uint8

const (
	phDialing phase = iota
	phLogin
	phGame
	phDone
)

// shared is what every player of a run reads; immutable once the run starts.
type shared struct {
	cfg       Config
	profile   *Profile
	keep      []float64 // per profile entry: the share of draws kept (Config.GlobalRate)
	collector *actor.PID
	log       zerolog.Logger
	pool      *workerPool // runs the players' timer fires (see arm)
}

// connSlot hands the connection between the dial goroutine and the actor's
// stop without leaking a socket that is dialed after the stop: whoever comes
// second closes it. It is the only lock in the package and is off the hot
// path (taken once at dial and once at stop).
type connSlot struct {
	mu     sync.Mutex
	nc     net.Conn
	closed bool
}

// set stores nc, or closes it and reports false when the slot was closed.
func (s *connSlot) set(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = nc.Close()
		return false
	}
	s.nc = nc
	return true
}

// take marks the slot closed and returns the connection, if any.
func (s *connSlot) take() net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	nc := s.nc
	s.nc = nil
	return nc
}

// player is one simulated connection. Every field is owned by its mailbox;
// the dial, reader and write goroutines talk to it only by message.
type player struct {
	sh   *shared
	n    int // player number, 0-based
	rng  *rand.Rand
	self *actor.PID
	root *actor.RootContext
	slot connSlot
	nc   net.Conn        // set on *dialed; read by the reader, written by the player (writeNow) or its write goroutine
	raw  syscall.RawConn // nc's file descriptor, for writes that do not wait (nil: none)

	phase          phase
	dialStart      time.Time // connect → game prompt is the login time
	creating       bool      // the server said the account does not exist
	nameTry        int       // character names tried
	name           string    // the character played, canonical (for the emote, chat and score answers)
	entering       bool      // a character name or menu choice was sent
	stepWhat       string    // what the login is waiting for (for errors)
	lastSeen       string    // the last prompt and line seen during login (for errors)
	answeredPrompt string    // the login prompt last answered, lower case

	// The command in flight.
	awaiting bool
	sentAt   time.Time
	answer   Answer // the marker of its answer
	resync   bool   // a command timed out; wait for its late answer
	lastSent time.Time

	script []string // editor lines still to type
	exits  []string // exits from the last look

	timer     *time.Timer   // the timer last armed (nil: none)
	fire      func()        // what every timer of the player runs: it sends fired
	armed     bool          // the timer is meant to fire
	due       time.Time     // when it is meant to fire: a *timerFired before this is a stale one
	nextDelay time.Duration // the delay the timer was last armed with

	writing bool     // a write goroutine is in flight
	wq      [][]byte // writes waiting for it

	batch      statsBatch
	batchStart time.Time
}

var _ actor.Actor = (*player)(nil)

func newPlayer(sh *shared, n int) *player {
	seed := uint64(sh.cfg.Seed)
	return &player{sh: sh, n: n, rng: rand.New(rand.NewPCG(seed, uint64(n)+1))}
}

// Receive is the player's single entry point.
func (p *player) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		p.self, p.root = ctx.Self(), ctx.ActorSystem().Root
		p.dialStart = time.Now()
		p.arm(p.sh.cfg.Timeout)
		p.stepWhat = "connect"
		go dial(p.root, p.self, &p.slot, p.sh.cfg.Addr, p.localAddr(), p.sh.cfg.Timeout)
	case *dialed:
		p.onDialed(m)
	case *burst:
		if m.dropped {
			p.batch.counts[cDropped]++
		}
		switch p.phase {
		case phLogin:
			p.onLogin(ctx, m)
		case phGame:
			p.onGame(ctx, m)
		}
	case *timerFired:
		// A fire never comes early, so one before due is a stale one (the
		// timer was re-armed while it was on its way).
		if p.armed && !time.Now().Before(p.due) {
			p.armed = false
			p.onTimer(ctx)
		}
	case *written:
		p.writing = false
		if m.err != nil {
			p.lost(ctx, fmt.Errorf("write: %w", m.err))
			return
		}
		if len(p.wq) > 0 {
			bufs := p.wq
			p.wq = nil
			p.startWrite(bufs)
		}
	case *replies:
		p.write(m.b)
	case *writeFailed:
		p.lost(ctx, fmt.Errorf("write: %w", m.err))
	case *readDone:
		if p.phase == phLogin && containsFold(m.lines, "invalid password") {
			p.loginFailed(ctx, "invalid password")
			return
		}
		p.lost(ctx, m.err)
	case *actor.Stopping:
		p.stop()
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		p.sh.log.Warn().Str("msg", fmt.Sprintf("%T", m)).Msg("sim player: unhandled message")
	}
}

// localAddr spreads many loopback players over several source addresses,
// since one source address has only ~28k ephemeral ports to one server.
func (p *player) localAddr() *net.TCPAddr {
	host, _, _ := net.SplitHostPort(p.sh.cfg.Addr)
	if host != "127.0.0.1" || p.sh.cfg.Players <= 20000 {
		return nil
	}
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+p.n/20000))}
}

// dial connects off the actor and reports back.
func dial(root *actor.RootContext, self *actor.PID, slot *connSlot, addr string, local *net.TCPAddr, timeout time.Duration) {
	d := net.Dialer{Timeout: timeout}
	if local != nil {
		d.LocalAddr = local
	}
	nc, err := d.Dial("tcp", addr)
	if err == nil && !slot.set(nc) {
		return // stopped meanwhile; set closed it
	}
	root.Send(self, &dialed{nc: nc, err: err})
}

func (p *player) onDialed(m *dialed) {
	if m.err != nil {
		p.batch.counts[cLoginErrors]++
		p.sh.log.Debug().Err(m.err).Int("player", p.n).Msg("dial failed")
		p.end()
		return
	}
	p.nc = m.nc
	if sc, ok := m.nc.(syscall.Conn); ok {
		p.raw, _ = sc.SyscallConn()
	}
	p.phase = phLogin
	p.stepWhat = "greeting"
	p.arm(p.sh.cfg.Timeout)
	r := &reader{nc: p.nc}
	root, self := p.root, p.self
	go r.runTo(func(m any) { root.Send(self, m) })
}

// onLogin drives the login flow from the prompts (see doc.go for the
// dialogue).
func (p *player) onLogin(ctx actor.Context, b *burst) {
	p.lastSeen = b.prompt
	if len(b.lines) > 0 {
		p.lastSeen = b.lines[len(b.lines)-1] + " / " + b.prompt
	}
	for _, l := range b.lines {
		low := strings.ToLower(l)
		switch {
		case strings.Contains(low, "invalid password"):
			p.loginFailed(ctx, "invalid password")
			return
		case strings.Contains(low, "does not exist"):
			p.creating = true
		case strings.Contains(low, "account created"):
			p.batch.counts[cCreated]++
		case strings.Contains(low, "welcome to the game"):
			p.entered(ctx, b.at)
			return
		}
	}
	pr := strings.ToLower(strings.TrimSpace(b.prompt))
	if pr == p.answeredPrompt && !hasText(b.lines) {
		return // the server redrew the prompt we answered when it read our line
	}
	p.answeredPrompt = pr
	cfg := &p.sh.cfg
	switch {
	case strings.Contains(pr, "create account"), strings.Contains(pr, "(y/n)"):
		p.send("y", "password prompt")
	case strings.Contains(pr, "account"):
		p.send(AccountName(cfg.Seed, p.n), "password or create prompt")
	case strings.Contains(pr, "password"):
		p.send(cfg.Password, "login answer")
	case strings.Contains(pr, "character name"), strings.Contains(pr, "name your character"):
		if p.nameTry >= maxNameTries {
			p.loginFailed(ctx, "character names taken")
			return
		}
		p.entering = true
		p.name = CharacterName(cfg.Seed, p.n, p.nameTry)
		p.send(p.name, "character created")
		p.nameTry++
	case strings.Contains(pr, "choice"):
		p.entering = true
		choice, name := p.menuChoice(b.lines)
		p.name = name
		p.send(choice, "game prompt")
	case p.entering:
		// A prompt that is none of the login prompts after a character was
		// chosen: the game prompt, even if the welcome text changed.
		p.entered(ctx, b.at)
	default:
		// An unknown prompt during login: wait; the step timeout reports it.
	}
}

// menuChoice picks our character from the selection menu, or "Create new
// character" when it is not listed, or "1"; name is the character chosen
// ("" when a new one is to be created).
func (p *player) menuChoice(lines []string) (choice, name string) {
	want := strings.ToLower(CharacterName(p.sh.cfg.Seed, p.n, 0))
	create := ""
	first, firstName := "", ""
	for _, l := range lines {
		num, rest, ok := menuLine(l)
		if !ok || num == "0" {
			continue
		}
		low := strings.ToLower(rest)
		switch {
		case strings.Contains(low, "create"):
			create = num
		case strings.HasPrefix(low, want):
			return num, menuName(rest)
		case first == "":
			first, firstName = num, menuName(rest)
		}
	}
	switch {
	case create != "" && first == "":
		return create, ""
	case first != "":
		return first, firstName
	}
	return "1", ""
}

// menuName is the character name of a menu entry ("Lbxcd (level 3)" →
// "Lbxcd").
func menuName(rest string) string {
	name, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	return world.CanonicalName(name)
}

// menuLine splits "  2. Name (level 3)" into "2" and "Name (level 3)".
func menuLine(l string) (num, rest string, ok bool) {
	l = strings.TrimSpace(l)
	i := 0
	for i < len(l) && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i == 0 || i >= len(l) || (l[i] != '.' && l[i] != ')') {
		return "", "", false
	}
	return l[:i], strings.TrimSpace(l[i+1:]), true
}

// entered records the login time and starts the command stream.
func (p *player) entered(ctx actor.Context, at time.Time) {
	p.phase = phGame
	p.stepWhat = ""
	p.batch.login = append(p.batch.login, at.Sub(p.dialStart).Microseconds())
	p.batch.connected++
	p.flush(ctx)
	p.disarm()
	rate := p.rate()
	if p.sh.cfg.ConnectOnly || rate == 0 {
		return
	}
	// The first command comes after a uniform fraction of one interval, so
	// that players who logged in together do not type together.
	p.lastSent = time.Now()
	p.arm(time.Duration(p.rng.Float64() * float64(time.Second) / rate))
}

func (p *player) rate() float64 { return p.sh.cfg.Rate * p.sh.profile.RateScale }

// onGame matches bursts to the command in flight. troupe shows the game
// prompt only after output: a typed line gets no prompt of its own, the
// game's answer comes as a burst of text ending in the prompt, and output
// that others cause (a say, a mobile walking in) comes as bursts of its
// own at any time. The command completes at the first burst holding its
// answer's marker (answer.go); every other burst is unsolicited output.
func (p *player) onGame(ctx actor.Context, b *burst) {
	for _, l := range b.lines {
		if ex, ok := parseExits(l, p.exits); ok {
			p.exits = ex
		}
	}
	switch {
	case p.resync:
		p.batch.counts[cAsync]++
		if hasText(b.lines) {
			p.resync = false
			p.schedule()
		}
	case !p.awaiting:
		p.batch.counts[cAsync]++
	default:
		if v := p.answer.match(b, p.name); v != vNone {
			p.answered(ctx, b.at, v)
			return
		}
		p.batch.counts[cAsync]++
	}
}

// answered completes the command in flight.
func (p *player) answered(ctx actor.Context, at time.Time, v verdict) {
	p.awaiting = false
	p.batch.latency = append(p.batch.latency, at.Sub(p.sentAt).Microseconds())
	p.batch.counts[cCommands]++
	switch v {
	case vUnknown:
		p.batch.counts[cUnknown]++
		p.script = p.script[:0] // the editor is not open: drop the script
	case vNoEditor:
		p.batch.counts[cUnknown]++
		p.script = p.script[:0]
	case vBlocked:
		p.batch.counts[cBlocked]++
	case vAmbiguous:
		p.batch.counts[cAmbiguous]++
	}
	p.schedule()
	if len(p.batch.latency) >= flushSamples || time.Since(p.batchStart) >= flushAge || p.timerDelay() >= flushAge {
		p.flush(ctx)
	}
}

// schedule arms the think timer for the next command: an exponential gap
// after the last send (a Poisson stream of the profile's rate); an editor
// script types on at the same pace.
func (p *player) schedule() {
	rate := p.rate()
	if rate == 0 {
		p.disarm()
		return
	}
	gap := time.Duration(p.rng.ExpFloat64() / rate * float64(time.Second))
	gap = min(gap, time.Duration(math.Min(20/rate*float64(time.Second), float64(MaxDuration)))) // cap the tail at 20 means
	p.arm(max(time.Until(p.lastSent.Add(gap)), 0))
}

func (p *player) timerDelay() time.Duration {
	if p.awaiting {
		return 0
	}
	return p.nextDelay
}

// onTimer handles the one timer: login step timeout, think time or answer
// timeout, by phase.
func (p *player) onTimer(ctx actor.Context) {
	switch {
	case p.phase == phDialing || p.phase == phLogin:
		p.loginFailed(ctx, "timeout waiting for "+p.stepWhat)
	case p.phase != phGame:
	case p.awaiting:
		p.awaiting = false
		p.script = p.script[:0]
		p.batch.counts[cTimeouts]++
		p.flush(ctx)
		p.resync = true
		p.arm(p.sh.cfg.Timeout) // if the late prompt never comes, go on anyway
	case p.resync:
		p.resync = false
		p.schedule()
	default:
		p.command()
	}
}

// command sends the next line: the rest of an editor script, or a new
// draw from the profile.
func (p *player) command() {
	var line string
	if len(p.script) > 0 {
		line = p.script[0]
		p.script = p.script[1:]
		p.answer = answerEditLine
		if line == ".s" {
			p.answer = answerEditSave
		}
	} else {
		e := p.sh.profile.pickCapped(p.rng, p.sh.keep)
		p.answer = e.Answer
		line, p.script = e.line(p.rng, p.exits, p.script[:0])
		if len(p.script) > maxEditorLines {
			p.script = p.script[:maxEditorLines]
		}
	}
	now := time.Now()
	p.awaiting, p.sentAt, p.lastSent = true, now, now
	p.write(appendLine(line))
	p.arm(p.sh.cfg.Timeout)
}

// appendLine is line with its CR LF, in a buffer of its own.
func appendLine(line string) []byte {
	return append(append(make([]byte, 0, len(line)+2), line...), '\r', '\n')
}

// send answers a login prompt and arms the step timeout.
func (p *player) send(line, waitingFor string) {
	p.stepWhat = waitingFor
	p.write(appendLine(line))
	p.arm(p.sh.cfg.Timeout)
}

// write sends b without ever waiting in Receive: a line goes straight
// into the socket with a non-blocking write (writeNow) when no write is
// in flight; what the socket does not take at once goes to a write
// goroutine, one in flight at a time, the later lines queued behind it.
// A command costs no goroutine and no message unless the server stops
// reading.
func (p *player) write(b []byte) {
	if p.nc == nil || p.phase == phDone {
		return
	}
	if p.writing {
		if len(p.wq) >= maxWriteQueue {
			return // the server stopped reading; the answer timeout reports it
		}
		p.wq = append(p.wq, b)
		return
	}
	if p.raw != nil {
		n, err := writeNow(p.raw, b)
		if err != nil {
			p.root.Send(p.self, &writeFailed{err: err})
			return
		}
		if b = b[n:]; len(b) == 0 {
			return
		}
	}
	p.startWrite([][]byte{b})
}

// startWrite writes bufs on a goroutine of its own, which reports
// *written.
func (p *player) startWrite(bufs [][]byte) {
	p.writing = true
	go func(nc net.Conn, root *actor.RootContext, self *actor.PID, timeout time.Duration) {
		_ = nc.SetWriteDeadline(time.Now().Add(timeout))
		nb := net.Buffers(bufs)
		_, err := nb.WriteTo(nc)
		if err == nil {
			// The player's own writes check the deadline too: clear it.
			// Nobody else writes meanwhile (the player waits for written).
			_ = nc.SetWriteDeadline(time.Time{})
		}
		root.Send(self, &written{err: err})
	}(p.nc, p.root, p.self, p.sh.cfg.Timeout)
}

// fired is the message of every player's timer: a timer says only that it
// fired, and the player tells a stale fire by its due time.
var fired = &timerFired{}

// arm starts the player's timer to fire in d, replacing what it was armed
// for. Each arm is a new timer and the old one is stopped: Reset would
// save the allocation, but the runtime finds a timer moved earlier by
// scanning its whole timer heap, which with thousands of players cost
// several times more.
func (p *player) arm(d time.Duration) {
	p.disarm()
	p.nextDelay = d
	p.armed = true
	p.due = time.Now().Add(d)
	if p.fire == nil {
		// The timer's own goroutine is new and its stack small; the pool's
		// workers run the player's Receive on stacks that have grown.
		root, self, pool := p.root, p.self, p.sh.pool
		send := func() { root.Send(self, fired) }
		p.fire = send
		if pool != nil {
			p.fire = func() { pool.Go(send) }
		}
	}
	p.timer = time.AfterFunc(d, p.fire)
}

// disarm stops the timer; a fire already on its way is ignored.
func (p *player) disarm() {
	p.armed = false
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}

// flush sends the batch to the collector.
func (p *player) flush(ctx actor.Context) {
	if !p.batch.empty() {
		b := p.batch
		ctx.Send(p.sh.collector, &b)
		p.batch = statsBatch{latency: make([]int64, 0, 8)}
	}
	p.batchStart = time.Now()
}

// loginFailed counts a failed login and ends the player.
func (p *player) loginFailed(ctx actor.Context, why string) {
	if p.phase == phDone {
		return
	}
	p.batch.counts[cLoginErrors]++
	p.sh.log.Debug().Int("player", p.n).Str("why", why).Str("last_seen", p.lastSeen).Msg("login failed")
	p.end()
	p.flush(ctx)
}

// lost handles a connection that ended while the player was not stopping.
func (p *player) lost(ctx actor.Context, err error) {
	switch p.phase {
	case phDone:
		return
	case phGame:
		p.batch.counts[cDisconnects]++
		p.batch.connected--
	default:
		p.batch.counts[cLoginErrors]++
	}
	if err != nil && !errors.Is(err, net.ErrClosed) {
		p.sh.log.Debug().Err(err).Int("player", p.n).Str("last_seen", p.lastSeen).Msg("connection lost")
	}
	p.end()
	p.flush(ctx)
}

// end closes the connection and leaves the player idle until the runner
// stops it (the runner keeps its PID; stopping an idle actor is cheap).
func (p *player) end() {
	p.phase = phDone
	p.disarm()
	if nc := p.slot.take(); nc != nil {
		_ = nc.Close()
	}
}

// stop is the run's end: the player says quit (best effort, off the
// actor) and closes its socket. Its last counts reach the collector first.
func (p *player) stop() {
	p.disarm()
	if !p.batch.empty() {
		b := p.batch
		p.root.Send(p.sh.collector, &b)
	}
	p.phase = phDone
	if nc := p.slot.take(); nc != nil {
		go func() {
			_ = nc.SetWriteDeadline(time.Now().Add(quitLinger))
			_, _ = nc.Write([]byte("quit\r\n"))
			_ = nc.Close()
		}()
	}
}

// containsFold reports whether any line contains sub, ignoring case (sub
// is lower case).
func containsFold(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), sub) {
			return true
		}
	}
	return false
}

// hasText reports whether any line has a non-space character.
func hasText(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return true
		}
	}
	return false
}
