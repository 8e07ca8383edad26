package telnet

import (
	"bytes"
	"compress/zlib"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestAdler32Update(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 20000)
	for i := range data {
		data[i] = byte(r.UintN(256))
	}
	for _, n := range []int{0, 1, 5551, 5552, 5553, 20000} {
		// Fed in uneven pieces, the running sum matches the stdlib's.
		a := uint32(1)
		for b := data[:n]; len(b) > 0; {
			k := min(len(b), 1+r.IntN(7000))
			a = adler32Update(a, b[:k])
			b = b[k:]
		}
		if want := adler32.Checksum(data[:n]); a != want {
			t.Errorf("n=%d: adler %08x, want %08x", n, a, want)
		}
		// All 0xff: the worst case for overflow.
		ff := bytes.Repeat([]byte{0xff}, n)
		if got, want := adler32Update(1, ff), adler32.Checksum(ff); got != want {
			t.Errorf("0xff n=%d: adler %08x, want %08x", n, got, want)
		}
	}
}

// TestMCCP2Stream checks the stateless stream with the stdlib inflater:
// after every Flush the bytes so far inflate to all the text so far without
// more input (each burst is sync-flushed), and Finish ends the stream with a
// valid adler32 (zlib's reader checks it at io.EOF). It covers bursts larger
// than one deflate block and than the dictionary, with and without one.
func TestMCCP2Stream(t *testing.T) {
	bursts := renderedBursts(200)
	r := rand.New(rand.NewPCG(5, 6))
	big := make([]byte, 100000) // several stateless blocks, poorly compressible
	for i := range big {
		big[i] = 'a' + byte(r.UintN(26))
	}
	bursts = append(bursts[:100], append([][]byte{big, bytes.Repeat([]byte("ab"), 40000), {IAC, IAC}}, bursts[100:]...)...)
	for _, dict := range []int{0, 100, mccp2Dict, 8192, 20000} {
		p := NewProtocol(Config{})
		p.zDictMax = dict
		p.Start()
		p.Flush()
		feed(p, neg(DO, OptMCCP2))
		start := p.Flush()
		if want := "\xff\xfa\x56\xff\xf0\x78\x01"; string(start) != want {
			t.Fatalf("start = %q, want %q", start, want)
		}
		var wire, text []byte
		wire = append(wire, start[5:]...)
		for i, s := range bursts {
			p.emit(s)
			text = append(text, s...)
			wire = append(wire, p.Flush()...)
			if i%17 != 0 && len(s) < 1000 {
				continue // inflating from the start each time is slow: check some
			}
			zr, err := zlib.NewReader(bytes.NewReader(wire))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != io.ErrUnexpectedEOF || !bytes.Equal(got, text) {
				t.Fatalf("dict %d, after burst %d: inflated %d of %d bytes, err %v", dict, i, len(got), len(text), err)
			}
		}
		wire = append(wire, p.Finish()...)
		zr, err := zlib.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, text) {
			t.Fatalf("dict %d: finished stream inflated %d of %d bytes, err %v", dict, len(got), len(text), err)
		}
		if len(p.zDict) > dict {
			t.Fatalf("dict %d: kept %d bytes", dict, len(p.zDict))
		}
	}
}

// TestMCCP2Restart checks DONT MCCP2 then DO MCCP2: two complete zlib
// streams with plain bytes between them, and text after Finish goes plain.
func TestMCCP2Restart(t *testing.T) {
	p := NewProtocol(Config{})
	p.Start()
	p.Flush()
	feed(p, neg(DO, OptMCCP2))
	p.WriteRaw(strings.Repeat("first stream ", 50) + "\n")
	w1 := p.Flush()
	feed(p, neg(DONT, OptMCCP2))
	w2 := p.Flush()
	feed(p, neg(DO, OptMCCP2))
	p.WriteText("second stream\n")
	w3 := p.Finish()
	p.WriteText("after\n")
	w4 := p.Flush()

	first := append(w1[5:], w2...)
	end := bytes.Index(first, []byte(neg(WONT, OptMCCP2)))
	if end < 0 {
		t.Fatalf("no WONT MCCP2 after DONT: %q", w2)
	}
	zr, err := zlib.NewReader(bytes.NewReader(first[:end]))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || string(got) != strings.Repeat("first stream ", 50)+"\r\n" {
		t.Fatalf("first stream %q, %v", got, err)
	}
	if !bytes.HasPrefix(w3, []byte("\xff\xfb\x56\xff\xfa\x56\xff\xf0\x78\x01")) {
		t.Fatalf("restart = %q", w3)
	}
	zr, err = zlib.NewReader(bytes.NewReader(w3[8:]))
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(zr)
	if err != nil || string(got) != "second stream\r\n" {
		t.Fatalf("second stream %q, %v", got, err)
	}
	if string(w4) != "after\r\n" {
		t.Fatalf("after Finish = %q", w4)
	}
}
