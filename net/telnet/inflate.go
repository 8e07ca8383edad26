package telnet

import "errors"

// A push-style zlib inflater for MCCP3 (RFC 1950/1951).
//
// The standard library's and klauspost's inflaters pull their input from an
// io.Reader and treat a short read as a sticky error, so they cannot be fed
// whatever bytes one socket read happens to bring. This one is fed with
// feed and drained with inflate, and it stops at any byte: each step (a
// block header, a literal, a length/distance pair, a stored byte) is decoded
// from a snapshot of the bit reader and rolled back when the input runs out,
// to be decoded again when more input arrives. Huffman codes are decoded
// canonically bit by bit, as in zlib's puff.c: slow but small and simple,
// and player input is tiny. It never reads past the end of the zlib stream:
// the bytes after the adler32 trailer are handed back by leftover.

// Inflate errors.
var (
	errZlibHeader = errors.New("bad zlib header")
	errDeflate    = errors.New("bad deflate data")
	errAdler      = errors.New("zlib checksum mismatch")
)

// inflate outcomes besides an error.
type zStatus uint8

const (
	zNeedInput zStatus = iota // all input consumed; more may produce more output
	zDstFull                  // dst is full; call again
	zEnd                      // the zlib stream ended; see leftover
)

// inflate phases.
const (
	zpHeader  uint8 = iota // the 2-byte zlib header
	zpBlock                // a block header
	zpStored               // inside a stored block
	zpCodes                // inside a Huffman block
	zpTrailer              // the adler32 trailer
	zpDone                 // the stream ended
)

const (
	maxBits    = 15    // longest Huffman code
	windowSize = 32768 // deflate's largest distance
)

// huffman is a canonical Huffman code: count[n] codes of length n, and the
// symbols ordered by code.
type huffman struct {
	count  [maxBits + 1]uint16
	symbol [288]uint16
}

// inflater is one MCCP3 stream's state. It is owned by its Decoder.
type inflater struct {
	in     []byte // input not yet consumed, from pos
	pos    int
	bitbuf uint64 // bits read from in but not used, low bits first
	bitcnt uint

	phase      uint8
	final      bool // the current block is the last one
	stored     int  // bytes left in the stored block
	lit, dist  *huffman
	copyLen    int // bytes of a match still to copy
	copyDist   int
	dynLit     huffman
	dynDist    huffman
	window     []byte // the last windowSize bytes of output (a ring)
	total      uint64 // bytes of output so far
	adler      uint32
	lengths    [320]uint16 // scratch for a dynamic block header
	snapPos    int
	snapBitbuf uint64
	snapBitcnt uint
}

func newInflater() *inflater {
	return &inflater{window: make([]byte, windowSize), adler: 1}
}

// feed adds compressed input.
func (z *inflater) feed(b []byte) {
	if z.pos > 0 {
		z.in = z.in[:copy(z.in, z.in[z.pos:])]
		z.pos = 0
	}
	z.in = append(z.in, b...)
}

// leftover returns the input after the end of the stream (valid after zEnd).
func (z *inflater) leftover() []byte {
	var out []byte
	for z.bitcnt >= 8 {
		out = append(out, byte(z.take(8)))
	}
	return append(out, z.in[z.pos:]...)
}

func (z *inflater) snapshot() { z.snapPos, z.snapBitbuf, z.snapBitcnt = z.pos, z.bitbuf, z.bitcnt }
func (z *inflater) rollback() { z.pos, z.bitbuf, z.bitcnt = z.snapPos, z.snapBitbuf, z.snapBitcnt }

// need makes n bits available, reporting false if the input ran out.
func (z *inflater) need(n uint) bool {
	for z.bitcnt < n {
		if z.pos >= len(z.in) {
			return false
		}
		z.bitbuf |= uint64(z.in[z.pos]) << z.bitcnt
		z.pos++
		z.bitcnt += 8
	}
	return true
}

// take removes n available bits.
func (z *inflater) take(n uint) int {
	v := int(z.bitbuf & (1<<n - 1))
	z.bitbuf >>= n
	z.bitcnt -= n
	return v
}

// decode reads one symbol of h: -1 when the input ran out, -2 for an
// invalid code.
func (z *inflater) decode(h *huffman) int {
	code, first, index := 0, 0, 0
	for l := 1; l <= maxBits; l++ {
		if !z.need(1) {
			return -1
		}
		code |= z.take(1)
		count := int(h.count[l])
		if code-count < first {
			return int(h.symbol[index+code-first])
		}
		index += count
		first += count
		first <<= 1
		code <<= 1
	}
	return -2
}

// build makes h from code lengths. It returns the number of unused codes:
// negative for an over-subscribed set, positive for an incomplete one.
func (h *huffman) build(lengths []uint16) int {
	h.count = [maxBits + 1]uint16{}
	for _, l := range lengths {
		h.count[l]++
	}
	if int(h.count[0]) == len(lengths) {
		return 0 // no codes: complete, though decoding any symbol fails
	}
	left := 1
	for l := 1; l <= maxBits; l++ {
		left <<= 1
		left -= int(h.count[l])
		if left < 0 {
			return left
		}
	}
	var offs [maxBits + 1]uint16
	for l := 1; l < maxBits; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	for sym, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(sym)
			offs[l]++
		}
	}
	return left
}

// The fixed Huffman codes of block type 1.
var fixedLit, fixedDist = func() (*huffman, *huffman) {
	var l [288]uint16
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	var lit, dist huffman
	lit.build(l[:])
	var d [30]uint16
	for i := range d {
		d[i] = 5
	}
	dist.build(d[:])
	return &lit, &dist
}()

// Length and distance bases and extra bits (RFC 1951 3.2.5).
var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder   = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// put writes one output byte to dst and the window.
func (z *inflater) put(dst []byte, n int, c byte) {
	dst[n] = c
	z.window[z.total%windowSize] = c
	z.total++
}

// inflate writes output to dst until dst is full, the input runs out or the
// stream ends. n bytes of dst are valid whatever the outcome.
func (z *inflater) inflate(dst []byte) (n int, st zStatus, err error) {
	defer func() { z.adler = adler32Update(z.adler, dst[:n]) }()
	for {
		switch z.phase {
		case zpHeader:
			if !z.need(16) {
				return n, zNeedInput, nil
			}
			cmf, flg := z.take(8), z.take(8)
			if cmf&0x0f != 8 || cmf>>4 > 7 || (cmf<<8|flg)%31 != 0 || flg&0x20 != 0 {
				return n, 0, errZlibHeader
			}
			z.phase = zpBlock
		case zpBlock:
			z.snapshot()
			ok, err := z.blockHeader()
			if err != nil {
				return n, 0, err
			}
			if !ok {
				z.rollback()
				return n, zNeedInput, nil
			}
		case zpStored:
			for z.stored > 0 {
				if n == len(dst) {
					return n, zDstFull, nil
				}
				if !z.need(8) {
					return n, zNeedInput, nil
				}
				z.put(dst, n, byte(z.take(8)))
				n++
				z.stored--
			}
			z.endBlock()
		case zpCodes:
			for z.copyLen > 0 {
				if n == len(dst) {
					return n, zDstFull, nil
				}
				z.put(dst, n, z.window[(z.total-uint64(z.copyDist))%windowSize])
				n++
				z.copyLen--
			}
			if n == len(dst) {
				return n, zDstFull, nil
			}
			z.snapshot()
			sym := z.decode(z.lit)
			switch {
			case sym == -1:
				z.rollback()
				return n, zNeedInput, nil
			case sym < 0:
				return n, 0, errDeflate
			case sym < 256:
				z.put(dst, n, byte(sym))
				n++
			case sym == 256:
				z.endBlock()
			default:
				ok, err := z.match(sym - 257)
				if err != nil {
					return n, 0, err
				}
				if !ok {
					z.rollback()
					return n, zNeedInput, nil
				}
			}
		case zpTrailer:
			z.take(z.bitcnt % 8)
			if !z.need(32) {
				return n, zNeedInput, nil
			}
			a := uint32(z.take(8))<<24 | uint32(z.take(8))<<16 | uint32(z.take(8))<<8 | uint32(z.take(8))
			if a != adler32Update(z.adler, dst[:n]) {
				return n, 0, errAdler
			}
			z.phase = zpDone
		case zpDone:
			return n, zEnd, nil
		}
	}
}

// endBlock moves on after a block.
func (z *inflater) endBlock() {
	if z.final {
		z.phase = zpTrailer
	} else {
		z.phase = zpBlock
	}
}

// match reads the rest of a length/distance pair whose length code is
// lcode; false when the input ran out.
func (z *inflater) match(lcode int) (bool, error) {
	if lcode >= 29 {
		return false, errDeflate
	}
	if !z.need(uint(lenExtra[lcode])) {
		return false, nil
	}
	length := int(lenBase[lcode]) + z.take(uint(lenExtra[lcode]))
	dcode := z.decode(z.dist)
	if dcode == -1 {
		return false, nil
	}
	if dcode < 0 || dcode >= 30 {
		return false, errDeflate
	}
	if !z.need(uint(distExtra[dcode])) {
		return false, nil
	}
	dist := int(distBase[dcode]) + z.take(uint(distExtra[dcode]))
	if uint64(dist) > z.total {
		return false, errDeflate // before the start of the stream
	}
	z.copyLen, z.copyDist = length, dist
	return true, nil
}

// blockHeader reads a block header (and a dynamic block's code tables);
// false when the input ran out.
func (z *inflater) blockHeader() (bool, error) {
	if !z.need(3) {
		return false, nil
	}
	z.final = z.take(1) == 1
	switch z.take(2) {
	case 0:
		z.take(z.bitcnt % 8)
		if !z.need(32) {
			return false, nil
		}
		l, nl := z.take(16), z.take(16)
		if l != ^nl&0xffff {
			return false, errDeflate
		}
		z.stored = l
		z.phase = zpStored
	case 1:
		z.lit, z.dist = fixedLit, fixedDist
		z.phase = zpCodes
	case 2:
		ok, err := z.dynamic()
		if !ok || err != nil {
			return ok, err
		}
		z.lit, z.dist = &z.dynLit, &z.dynDist
		z.phase = zpCodes
	default:
		return false, errDeflate
	}
	return true, nil
}

// dynamic reads the code tables of a dynamic block (RFC 1951 3.2.7).
func (z *inflater) dynamic() (bool, error) {
	if !z.need(14) {
		return false, nil
	}
	nlen, ndist, ncode := z.take(5)+257, z.take(5)+1, z.take(4)+4
	if nlen > 286 || ndist > 30 {
		return false, errDeflate
	}
	lengths := z.lengths[:]
	for i := range 19 {
		v := 0
		if i < ncode {
			if !z.need(3) {
				return false, nil
			}
			v = z.take(3)
		}
		lengths[clOrder[i]] = uint16(v)
	}
	var lencode huffman
	if lencode.build(lengths[:19]) != 0 {
		return false, errDeflate // the code-length code must be complete
	}
	for i := 0; i < nlen+ndist; {
		sym := z.decode(&lencode)
		if sym == -1 {
			return false, nil
		}
		if sym < 0 {
			return false, errDeflate
		}
		if sym < 16 {
			lengths[i] = uint16(sym)
			i++
			continue
		}
		var v uint16
		var rep int
		switch sym {
		case 16:
			if i == 0 {
				return false, errDeflate
			}
			v = lengths[i-1]
			if !z.need(2) {
				return false, nil
			}
			rep = 3 + z.take(2)
		case 17:
			if !z.need(3) {
				return false, nil
			}
			rep = 3 + z.take(3)
		default:
			if !z.need(7) {
				return false, nil
			}
			rep = 11 + z.take(7)
		}
		if i+rep > nlen+ndist {
			return false, errDeflate
		}
		for ; rep > 0; rep-- {
			lengths[i] = v
			i++
		}
	}
	if lengths[256] == 0 {
		return false, errDeflate // no end-of-block code
	}
	if left := z.dynLit.build(lengths[:nlen]); left < 0 || (left > 0 && nlen-int(z.dynLit.count[0]) != 1) {
		return false, errDeflate
	}
	if left := z.dynDist.build(lengths[nlen : nlen+ndist]); left < 0 || (left > 0 && ndist-int(z.dynDist.count[0]) != 1) {
		return false, errDeflate
	}
	return true, nil
}
