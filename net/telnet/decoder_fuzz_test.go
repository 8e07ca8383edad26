package telnet

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// loadCaptures reads testdata/captures/*.hex: the client-to-server bytes of
// real clients (one burst of hex bytes per line), extracted from
// /work/shared/testdata/telnet-captures. It returns each file's whole stream
// followed by every single burst.
func loadCaptures(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "captures", "*.hex"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no captures in testdata/captures: %v", err)
	}
	var out [][]byte
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		var whole []byte
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			b, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(sc.Text()), " ", ""))
			if err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			out = append(out, b)
			whole = append(whole, b...)
		}
		f.Close()
		out = append(out, whole)
	}
	return out
}

func TestCapturesDecode(t *testing.T) {
	// Every real client's stream decodes into the lines it typed and
	// nothing oversize; the whole tintin session carries its login.
	for _, in := range loadCaptures(t) {
		for _, ev := range decodeSplit(Limits{}, in, 0) {
			if ev.Err != nil {
				t.Errorf("capture event error %v in % x", ev.Err, in)
			}
		}
	}
	in, err := os.ReadFile(filepath.Join("testdata", "captures", "kildclient.hex"))
	if err != nil {
		t.Fatal(err)
	}
	var stream []byte
	for _, l := range strings.Split(strings.TrimSpace(string(in)), "\n") {
		b, _ := hex.DecodeString(strings.ReplaceAll(l, " ", ""))
		stream = append(stream, b...)
	}
	p := NewProtocol(Config{})
	p.Start()
	for _, ev := range decodeSplit(Limits{}, stream, 1) {
		if ev.Kind == EventLine {
			if len(ev.Line) == 0 {
				t.Error("kildclient's stray NUL made an empty line")
			}
			continue
		}
		p.Handle(&ev)
	}
	if c := p.Caps(); c.Client != "KildClient" || c.Width != 43 || c.Height != 7 || !c.MCCP2 || !c.GMCP {
		t.Errorf("kildclient caps %+v", c)
	}
}

func FuzzDecode(f *testing.F) {
	for _, b := range loadCaptures(f) {
		f.Add(b)
	}
	for _, s := range []string{
		"\xff", "\xff\xfa", "\xff\xfa\x18\x00abc\xff", "\xff\xff\xff\xff\n", "a\r\x00b\r\x00",
		"\x00\x00\r\n\x00", "\r\r\n\n\r", "\xff\xfa\xc9" + strings.Repeat("x", 100) + "\xff\xf0",
		strings.Repeat("y", 200) + "\n", "a\x08\x08\x7f\xc3\xa9\x08\n", "\xff\xfa\xff\xff\xf0\xff\xf0",
		"\xff\xfa\x1f\x00\xff\xff\x00\xff\xff\xff\xf0", "\xff\xfa\x27\x00\x00X\x01Y\x02\x02\x03\xff\xf0",
		"\xff\xfa\x2a\x01;UTF-8;\xff\xf0\xff\xfa\x2a\x02\xff\xf0", "\xff\xfb\x18\xff\xfa\x18\x00MTTS 99999999999999\xff\xf0",
		"\xff\xfd\xc9\xff\xfa\xc9Core.Supports.Set [\"a 1\",1,null]\xff\xf0\xff\xfa\xc9Core.Hello []\xff\xf0",
		"\xff\xfa\x18\xff\xfd\x01\n", "\x1b[31m\xe2\x80\xae\xc2\x9b\n", "MSSP-REQUEST\r\n",
	} {
		f.Add([]byte(s))
	}
	// MCCP3: compressed lines, a finished stream and plain bytes after it.
	f.Add(append(append([]byte(mccp3Start), deflateBursts(f, true, "alice\r\n", "\xff\xfa\x18\x00x\xff\xf0secret\n")...), "look\r\n"...))
	f.Add(append([]byte(mccp3Start), deflateBursts(f, false, strings.Repeat("ab\r\n", 50))...))
	lim := Limits{MaxLine: 64, MaxSubneg: 32, MaxInflate: 4096, MCCP3: true}
	f.Fuzz(func(t *testing.T, in []byte) {
		whole := decodeSplit(lim, in, 0)
		if e := whole[max(len(whole), 1)-1:]; len(e) == 1 && e[0].Err == ErrInflateLimit {
			// The per-call inflate limit depends on how the input is
			// split: smaller reads may stay under it.
			return
		}
		for _, ev := range whole {
			if len(ev.Line) > lim.MaxLine || len(ev.Data) > lim.MaxSubneg {
				t.Fatalf("event over the limits: %s", describe([]Event{ev}))
			}
			if ev.Err != nil && ev.Data != nil {
				t.Fatalf("oversize subnegotiation kept data")
			}
		}
		want := describe(whole)
		// Split points derived from the input: the same events must come out.
		for _, n := range []int{1, 2, 7} {
			if got := describe(decodeSplit(lim, in, n)); got != want {
				t.Fatalf("chunks of %d: %s; want %s", n, got, want)
			}
		}
		if len(in) > 0 {
			k := int(in[0]) % len(in)
			d := NewDecoder(lim)
			evs := d.Decode(in[:k], nil)
			if got := describe(d.Decode(in[k:], evs)); got != want {
				t.Fatalf("split at %d: %s; want %s", k, got, want)
			}
		}
		// The protocol layer takes anything; decoded lines carry no controls.
		p := NewProtocol(Config{Limits: lim})
		p.Start()
		for i := range whole {
			ev := &whole[i]
			if ev.Kind != EventLine {
				p.Handle(ev)
				continue
			}
			text, _, _ := p.DecodeLine(ev.Line)
			if !utf8.ValidString(text) {
				t.Fatalf("DecodeLine returned invalid UTF-8 %q", text)
			}
			for _, r := range text {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Fatalf("DecodeLine kept control %U in %q", r, text)
				}
			}
			p.WriteText(text)
		}
		p.EndPrompt()
		_ = p.Finish()
	})
}
