package telnet

import (
	"bytes"
	"compress/zlib"
	"math/rand/v2"
	"testing"
)

// inflateAll feeds in to a new inflater in pieces of at most chunk bytes
// (1 + random), draining into dst buffers of at most out bytes.
func inflateAll(t *testing.T, in []byte, chunk, out int, r *rand.Rand) (got, rest []byte, err error) {
	t.Helper()
	z := newInflater()
	dst := make([]byte, out)
	for len(in) > 0 {
		k := min(len(in), 1+r.IntN(chunk))
		z.feed(in[:k])
		in = in[k:]
		for {
			n, st, err := z.inflate(dst[:1+r.IntN(out)])
			got = append(got, dst[:n]...)
			if err != nil {
				return got, nil, err
			}
			if st == zEnd {
				z.feed(in)
				return got, z.leftover(), nil
			}
			if st == zNeedInput {
				break
			}
		}
	}
	return got, nil, nil
}

// TestInflateMatchesStdlib inflates streams made by compress/zlib at every
// level, with sync flushes in between, fed and drained in random pieces.
func TestInflateMatchesStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var corpus []byte
	for _, b := range renderedBursts(60) {
		corpus = append(corpus, b...)
	}
	noise := make([]byte, 70000)
	for i := range noise {
		noise[i] = byte(r.UintN(256))
	}
	inputs := [][]byte{nil, []byte("a"), corpus, noise, bytes.Repeat([]byte("x"), 100000), append(corpus, noise[:5000]...)}
	for level := -2; level <= 9; level++ {
		for ii, plain := range inputs {
			var buf bytes.Buffer
			w, err := zlib.NewWriterLevel(&buf, level)
			if err != nil {
				t.Fatal(err)
			}
			for p := plain; len(p) > 0; {
				k := min(len(p), 1+r.IntN(3000))
				w.Write(p[:k])
				if r.IntN(2) == 0 {
					w.Flush()
				}
				p = p[k:]
			}
			w.Close()
			stream := append(buf.Bytes(), "after"...)
			for _, chunk := range []int{1, 13, 4096} {
				got, rest, err := inflateAll(t, stream, chunk, 1+r.IntN(5000), r)
				if err != nil || !bytes.Equal(got, plain) || string(rest) != "after" {
					t.Fatalf("level %d input %d chunk %d: got %d of %d bytes, rest %q, err %v", level, ii, chunk, len(got), len(plain), rest, err)
				}
			}
		}
	}
}

// TestInflateSyncFlush checks that a sync-flushed burst inflates completely
// before any more input arrives (what MCCP3 needs).
func TestInflateSyncFlush(t *testing.T) {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	z := newInflater()
	dst := make([]byte, 1024)
	for _, line := range []string{"alice\r\n", "secret\r\n", "look\r\n", "look\r\n"} {
		w.Write([]byte(line))
		w.Flush()
		z.feed(buf.Bytes())
		buf.Reset()
		n, st, err := z.inflate(dst)
		if err != nil || st != zNeedInput || string(dst[:n]) != line {
			t.Fatalf("burst %q: got %q, %v, %v", line, dst[:n], st, err)
		}
	}
}

func TestInflateErrors(t *testing.T) {
	good := func() []byte {
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		w.Write([]byte("hello hello hello"))
		w.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"bad method", []byte{0x77, 0x01}, errZlibHeader},
		{"bad check bits", []byte{0x78, 0x02}, errZlibHeader},
		{"preset dictionary", []byte{0x78, 0xbb}, errZlibHeader},
		{"block type 3", []byte{0x78, 0x01, 0x07}, errDeflate},
		{"stored length mismatch", []byte{0x78, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00}, errDeflate},
		{"distance before the start", []byte{0x78, 0x01, 0x03, 0x02, 0x00}, errDeflate},
		{"bad checksum", func() []byte { b := good(); b[len(b)-1] ^= 1; return b }(), errAdler},
	}
	for _, tt := range tests {
		z := newInflater()
		z.feed(tt.in)
		_, _, err := z.inflate(make([]byte, 100))
		if err != tt.want {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
	}
}
