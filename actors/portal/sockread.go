package portal

import (
	"net"
	"sync"
	"syscall"

	"github.com/troupe-mud/troupe/net/telnet"
)

// readBuffers lends a reader its buffer for the time of one read. An idle
// player's reader spends its life waiting for the socket to become
// readable; with a buffer of its own it would hold readBuffer bytes all
// that time (20 MiB for 20,000 idle players). The pool is emptied by the
// garbage collector when readers stop asking.
var readBuffers = sync.Pool{New: func() any {
	b := make([]byte, readBuffer)
	return &b
}}

// sockReader reads a socket for the reader goroutine, which owns it.
type sockReader struct {
	nc  net.Conn
	raw syscall.RawConn // nil: read through nc into buf, as any net.Conn
	buf []byte          // with raw == nil only: the reader's own buffer
}

func newSockReader(nc net.Conn) *sockReader {
	return &sockReader{nc: nc, raw: rawConn(nc)}
}

// read waits until the socket has bytes (or fails), reads them and decodes
// them with dec, returning the events (which never refer to the buffer:
// the decoder copies what it keeps). Like net.Conn.Read it reports io.EOF
// when the peer has closed its side, and honours the read deadline and
// Close.
func (r *sockReader) read(dec *telnet.Decoder) ([]telnet.Event, error) {
	if r.raw == nil {
		if r.buf == nil {
			r.buf = make([]byte, readBuffer)
		}
		n, err := r.nc.Read(r.buf)
		if n <= 0 {
			return nil, err
		}
		return dec.Decode(r.buf[:n], nil), err
	}
	var (
		evs  []telnet.Event
		rerr error
	)
	err := r.raw.Read(func(fd uintptr) bool {
		bp := readBuffers.Get().(*[]byte)
		n, err := readFD(fd, *bp)
		if wouldBlock(err) {
			readBuffers.Put(bp)
			return false // wait for readability, holding no buffer
		}
		if n > 0 {
			evs = dec.Decode((*bp)[:n], nil)
		}
		readBuffers.Put(bp)
		rerr = err
		return true
	})
	if err != nil {
		return evs, err
	}
	return evs, rerr
}
