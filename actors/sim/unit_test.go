package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/troupe-mud/troupe/net/telnet"
)

func TestProfileWeights(t *testing.T) {
	const draws = 200000
	for name, p := range Profiles {
		rng := rand.New(rand.NewPCG(42, 1))
		got := make([]int, len(p.Mix))
		for range draws {
			e := p.Pick(rng)
			for i := range p.Mix {
				if &p.Mix[i] == e {
					got[i]++
				}
			}
		}
		for i, e := range p.Mix {
			want := float64(draws) * float64(e.Weight) / float64(p.total)
			// 5 standard deviations of a binomial count: a fixed seed makes
			// this deterministic; the bound says the weights are honoured.
			sd := math.Sqrt(want * (1 - float64(e.Weight)/float64(p.total)))
			if math.Abs(float64(got[i])-want) > 5*sd+1 {
				t.Errorf("%s: %q/%d drawn %d times, want %.0f±%.0f", name, e.Text, e.Kind, got[i], want, 5*sd)
			}
		}
	}
}

func TestEntryLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	move := Entry{Kind: KindMove, Weight: 1}
	for range 50 {
		if l, _ := move.line(rng, []string{"north", "up"}, nil); l != "north" && l != "up" {
			t.Fatalf("move with exits north, up sent %q", l)
		}
		if l, _ := move.line(rng, nil, nil); !slices.Contains(Directions, l) {
			t.Fatalf("move without exits sent %q", l)
		}
	}
	edit := Entry{Text: "describe", Kind: KindEdit, Weight: 1}
	l, script := edit.line(rng, nil, nil)
	if l != "describe" || len(script) < 2 || script[len(script)-1] != ".s" {
		t.Errorf("edit: %q then %q", l, script)
	}
}

func TestNames(t *testing.T) {
	if got := AccountName(12, 3); got != "load12x3" {
		t.Errorf("AccountName = %q", got)
	}
	if AccountName(1, 23) == AccountName(12, 3) {
		t.Error("account names collide across seeds")
	}
	if got := CharacterName(1, 23, 0); got != "Lbxcd" {
		t.Errorf("CharacterName = %q, want Lbxcd", got)
	}
	long := CharacterName(MaxSeed, MaxPlayers-1, 4)
	if len(long) > 15 {
		t.Errorf("longest character name %q is %d long", long, len(long))
	}
	for _, r := range long {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			t.Fatalf("character name %q has a non-letter", long)
		}
	}
	if CharacterName(1, 2, 1) == CharacterName(1, 2, 0) {
		t.Error("retry name equals the first")
	}
}

func TestParseExits(t *testing.T) {
	tests := []struct {
		line string
		want []string
		ok   bool
	}{
		{"[Exits: north east south west]", []string{"north", "east", "south", "west"}, true},
		{"Obvious exits: n, s, up.", []string{"n", "s", "up"}, true},
		{"Exits: none", []string{}, true},
		{"The exits are blocked", nil, false},
		{"A square.", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseExits(tt.line, nil)
		if ok != tt.ok || (ok && !slices.Equal(got, tt.want)) {
			t.Errorf("parseExits(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMenuChoice(t *testing.T) {
	p := &player{sh: &shared{cfg: Config{Seed: 1}}, n: 2}
	mine := CharacterName(1, 2, 0)
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"--- Character Selection ---", "1. Other", "2. " + mine, "3. Create new character", "0. Quit"}, "2"},
		{[]string{"--- Character Selection ---", "1. Create new character", "0. Quit"}, "1"},
		{[]string{"--- Character Selection ---", "1. Other", "2. Create new character", "0. Quit"}, "1"},
		{[]string{"\x1b[1m1) " + mine + " (level 3)\x1b[0m"}, "1"},
	}
	for _, tt := range tests {
		lines := make([]string, len(tt.lines))
		for i, l := range tt.lines {
			lines[i] = stripANSI(l)
		}
		got, name := p.menuChoice(lines)
		if got != tt.want {
			t.Errorf("menuChoice(%q) = %q, want %q", tt.lines, got, tt.want)
		}
		if tt.want == "2" && name != mine {
			t.Errorf("menuChoice(%q) chose character %q, want %q", tt.lines, name, mine)
		}
	}
}

func TestStripANSI(t *testing.T) {
	if got := stripANSI("\x1b[1;31mred\x1b[0m plain \x1b[38;5;200mx"); got != "red plain x" {
		t.Errorf("stripANSI = %q", got)
	}
}

func TestPercentiles(t *testing.T) {
	h := newHist()
	for ms := int64(1); ms <= 1000; ms++ { // 1..1000 ms, once each
		if err := h.RecordValue(ms * 1000); err != nil {
			t.Fatal(err)
		}
	}
	p := percentilesOf(h)
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > want*0.002+0.001 { // HDR keeps 3 significant digits
			t.Errorf("%s = %.3f ms, want %.3f", name, got, want)
		}
	}
	near("p50", p.P50, 500)
	near("p90", p.P90, 900)
	near("p99", p.P99, 990)
	near("p999", p.P999, 999)
	near("max", p.Max, 1000)
	near("mean", p.Mean, 500.5)
	if p.Count != 1000 {
		t.Errorf("count = %d", p.Count)
	}
	if (percentilesOf(newHist()) != Percentiles{}) {
		t.Error("empty histogram gives non-zero percentiles")
	}
}

func TestReportJSON(t *testing.T) {
	tot := &totals{latency: newHist(), login: newHist(), connected: 3, peak: 4, spawned: 4}
	_ = tot.latency.RecordValue(2000)
	_ = tot.login.RecordValue(50000)
	tot.counts[cCommands], tot.counts[cUnknown], tot.counts[cTimeouts], tot.counts[cLoginErrors], tot.counts[cDisconnects] = 10, 2, 1, 1, 1
	cfg := Config{Addr: "127.0.0.1:1", Players: 4, Rate: 1.5, Profile: "talker"}
	r := newReport(&cfg, tot, 2*time.Second)
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	r.setCPU(3*time.Second, time.Second, 2*time.Second, 4)
	if r.CPUCores != 1.5 || r.CPUMicrosPerCommand != 300000 || r.SteadyCPUMicrosPerCommand != 500000 || r.CPUSysSeconds != 1 {
		t.Errorf("cpu fields %+v", r)
	}
	for _, k := range []string{"players", "connected", "commands", "commands_per_sec", "errors", "disconnects",
		"login_ms", "latency_ms", "unknown", "duration_s", "profile", "rate",
		"cpu_seconds", "cpu_sys_seconds", "cpu_cores", "cpu_us_per_command", "steady_cpu_seconds", "steady_cpu_us_per_command"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	lat := m["latency_ms"].(map[string]any)
	for _, k := range []string{"p50", "p90", "p99", "p999", "max"} {
		if v, ok := lat[k].(float64); !ok || math.Abs(v-2) > 0.01 {
			t.Errorf("latency_ms.%s = %v, want 2", k, lat[k])
		}
	}
	login := m["login_ms"].(map[string]any)
	for _, k := range []string{"p50", "p99", "max"} {
		if v, ok := login[k].(float64); !ok || math.Abs(v-50) > 0.1 {
			t.Errorf("login_ms.%s = %v, want 50", k, login[k])
		}
	}
	if m["commands_per_sec"].(float64) != 5 || m["errors"].(float64) != 2 || m["connected"].(float64) != 3 || m["profile"] != "talker" {
		t.Errorf("report = %s", buf.String())
	}
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil || !bytes.Contains(table.Bytes(), []byte("p99.9")) || !bytes.Contains(table.Bytes(), []byte("300000.0 µs per command")) {
		t.Errorf("table: %v\n%s", err, table.String())
	}
}

func TestValidate(t *testing.T) {
	ok := func() Config {
		return Config{Addr: "127.0.0.1:4000", Players: 10, Rate: 1, Duration: time.Minute}
	}
	c := ok()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Profile != "normal" || c.Timeout != DefaultTimeout || c.Password != DefaultPassword || c.Ramp != DefaultRamp {
		t.Errorf("defaults not filled: %+v", c)
	}
	bad := map[string]func(*Config){
		"remote":        func(c *Config) { c.Addr = "192.0.2.1:4000" },
		"no port":       func(c *Config) { c.Addr = "127.0.0.1" },
		"zero players":  func(c *Config) { c.Players = 0 },
		"many players":  func(c *Config) { c.Players = MaxPlayers + 1 },
		"long":          func(c *Config) { c.Duration = 2 * time.Hour },
		"no duration":   func(c *Config) { c.Duration = 0 },
		"negative rate": func(c *Config) { c.Rate = -1 },
		"NaN rate":      func(c *Config) { c.Rate = math.NaN() },
		"short pw":      func(c *Config) { c.Password = "abc" },
		"pw space":      func(c *Config) { c.Password = "abc defgh" },
		"profile":       func(c *Config) { c.Profile = "sleeper" },
		"seed":          func(c *Config) { c.Seed = -1 },
		"big seed":      func(c *Config) { c.Seed = MaxSeed + 1 },
	}
	for name, f := range bad {
		c := ok()
		f(&c)
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", name, err)
		}
	}
	c = ok()
	c.Addr, c.AllowRemote = "192.0.2.1:4000", true
	if err := c.Validate(); err != nil {
		t.Errorf("remote with AllowRemote: %v", err)
	}
	c = ok()
	c.Addr = "localhost:4000"
	if err := c.Validate(); err != nil {
		t.Errorf("localhost: %v", err)
	}
}

// TestReaderFraming feeds a scripted byte stream, cut at awkward places,
// through a real socket into the reader and checks bursts and replies.
func TestReaderFraming(t *testing.T) {
	srvSide, cliSide := net.Pipe()
	defer srvSide.Close()
	defer cliSide.Close()
	msgs := make(chan any, 16)
	r := &reader{nc: cliSide}
	go r.runTo(func(m any) { msgs <- m })

	IAC, EOR, GA := telnet.IAC, telnet.EOR, telnet.GA
	writes := [][]byte{
		{IAC, telnet.WILL, telnet.OptEOR, IAC, telnet.WILL, telnet.OptMCCP2, IAC, telnet.DO, telnet.OptTTYPE},
		[]byte("Hello\r\nAccount na"), []byte("me: "), {IAC}, {GA, '\r', '\n'}, []byte("Huh?\r\n> "), {IAC, EOR},
		[]byte("\r\nBob says hi\r\n\x1b[1m> \x1b[0m"), {IAC, EOR, 'X', IAC, IAC, 'Y', '\r', '\n', 'p', IAC, EOR},
	}
	go func() {
		for _, w := range writes {
			_ = srvSide.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if _, err := srvSide.Write(w); err != nil {
				return
			}
		}
	}()
	want := []burst{
		{lines: []string{"Hello"}, prompt: "Account name: "},
		{lines: []string{"", "Huh?"}, prompt: "> "},
		{lines: []string{"", "Bob says hi"}, prompt: "> "},
		{lines: []string{"X\xffY"}, prompt: "p"},
	}
	// The replies come to the player (the socket's only writer) before
	// the first burst.
	wantReplies := []byte{IAC, telnet.DO, telnet.OptEOR, IAC, telnet.DONT, telnet.OptMCCP2, IAC, telnet.WONT, telnet.OptTTYPE}
	var gotReplies []byte
	for i := 0; i < len(want); {
		select {
		case m := <-msgs:
			if rp, ok := m.(*replies); ok {
				gotReplies = append(gotReplies, rp.b...)
				continue
			}
			b, ok := m.(*burst)
			if !ok || b.prompt != want[i].prompt || !slices.Equal(b.lines, want[i].lines) {
				t.Fatalf("burst %d = %#v, want lines %q prompt %q", i, m, want[i].lines, want[i].prompt)
			}
			if i == 0 && !bytes.Equal(gotReplies, wantReplies) {
				t.Errorf("replies before the first burst = %v, want %v", gotReplies, wantReplies)
			}
			i++
		case <-time.After(5 * time.Second):
			t.Fatalf("burst %d never came", i)
		}
	}
}
