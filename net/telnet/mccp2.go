package telnet

import (
	"encoding/binary"

	"github.com/klauspost/compress/flate"
)

// MCCP2: server-to-client compression with a nearly stateless zlib stream.
//
// A stdlib (or klauspost) zlib writer keeps its window, hash chains and
// Huffman state between writes: about 800 KiB per connection, which tens of
// thousands of players cannot afford. Instead each Flush burst is deflated on
// its own by flate.StatelessDeflate, which keeps no state between calls and
// ends the burst with an empty stored block (the sync-flush marker 00 00 FF
// FF), so the client can inflate every burst as it arrives. The zlib wrapper
// is written here: the 2-byte header when compression starts, a running
// adler32 (4 bytes of state), and on Finish or DONT MCCP2 a final empty block
// and the adler32 trailer, so clients see a clean Z_STREAM_END.
//
// Bursts compressed alone lose the matches into earlier output, and MUD
// output is very repetitive from burst to burst (prompts, room titles,
// colour codes). The last mccp2Dict bytes of the stream are therefore kept
// and passed as the preset dictionary of the next burst: the client's
// inflater already holds them in its window, so back references into them
// are valid. BenchmarkMCCP2Dict measures the trade-off between dictionary
// size, ratio and CPU.

// mccp2Dict is how many bytes of past output each connection keeps as the
// dictionary for its next burst (klauspost uses at most 8 KiB).
const mccp2Dict = 4096

// zlibHeader is CMF 0x78 (deflate, 32 KiB window) and FLG 0x01 (fastest
// level, no preset dictionary, check bits valid: 0x7801 % 31 == 0).
var zlibHeader = [2]byte{0x78, 0x01}

// startMCCP2 sends IAC SB MCCP2 IAC SE and the zlib header; everything after
// them is compressed.
func (p *Protocol) startMCCP2() {
	if p.zOn || p.finished {
		return
	}
	p.out = append(p.out, IAC, SB, OptMCCP2, IAC, SE, zlibHeader[0], zlibHeader[1])
	p.zOn = true
	p.zAdler = 1
	p.zDict = nil
	p.caps.MCCP2 = true
}

// stopMCCP2 ends the compressed stream: the pending bytes, a final empty
// block and the adler32 trailer (Z_FINISH). Later bytes go plain.
func (p *Protocol) stopMCCP2() {
	if !p.zOn {
		return
	}
	p.compress()
	_ = flate.StatelessDeflate(sliceWriter{&p.out}, nil, true, nil) // writes to a slice: cannot fail
	p.out = binary.BigEndian.AppendUint32(p.out, p.zAdler)
	p.zOn = false
	p.zDict = nil
	p.caps.MCCP2 = false
}

// compress deflates zpend into out as one sync-flushed burst.
func (p *Protocol) compress() {
	if !p.zOn || len(p.zpend) == 0 {
		return
	}
	_ = flate.StatelessDeflate(sliceWriter{&p.out}, p.zpend, false, p.zDict) // writes to a slice: cannot fail
	p.zAdler = adler32Update(p.zAdler, p.zpend)
	p.keepDict(p.zpend)
	p.zpend = p.zpend[:0]
}

// keepDict keeps the last zDictMax bytes of the stream in zDict.
func (p *Protocol) keepDict(b []byte) {
	n := p.zDictMax
	if n <= 0 {
		return
	}
	if p.zDict == nil {
		p.zDict = make([]byte, 0, n)
	}
	if len(b) >= n {
		p.zDict = append(p.zDict[:0], b[len(b)-n:]...)
		return
	}
	if drop := len(p.zDict) + len(b) - n; drop > 0 {
		p.zDict = p.zDict[:copy(p.zDict, p.zDict[drop:])]
	}
	p.zDict = append(p.zDict, b...)
}

// sliceWriter appends to a byte slice; the deflater writes to it.
type sliceWriter struct{ b *[]byte }

func (w sliceWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

// adler32Update returns the adler32 checksum adler extended by b (RFC 1950).
func adler32Update(adler uint32, b []byte) uint32 {
	const (
		mod  = 65521
		nmax = 5552 // the most bytes before s2 can overflow 32 bits
	)
	s1, s2 := adler&0xffff, adler>>16
	for len(b) > 0 {
		chunk := b
		if len(chunk) > nmax {
			chunk = chunk[:nmax]
		}
		b = b[len(chunk):]
		for _, c := range chunk {
			s1 += uint32(c)
			s2 += s1
		}
		s1 %= mod
		s2 %= mod
	}
	return s2<<16 | s1
}
