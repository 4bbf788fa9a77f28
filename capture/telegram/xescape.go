package telegram

import (
	"bytes"
	"io"
)

// Telegram Desktop writes control characters inside strings as \xHH
// (SerializeString in export_output_json.cpp), which JSON does not allow.
// xFilter rewrites each such escape to \u00HH as the bytes stream past, so
// encoding/json can read the file. It remembers whether a read ended on an
// escaping backslash, so an escape split across two reads is rewritten
// like any other, and `\\x` (an escaped backslash, then a plain x) is left
// alone.
//
// The filter also notes where each newline falls in its output, the
// coordinates json.Decoder.InputOffset counts in, so that a message can be
// reported with its line (see lineAt).
type xFilter struct {
	r     io.Reader
	in    []byte // scratch for reads from r
	out   []byte // filtered bytes; pend is the part not yet returned
	pend  []byte
	err   error // r's error, returned once pend is drained
	esc   bool  // the last byte read was a backslash that escapes the next
	start bool  // the first read is done (it checks for a BOM)
	off   int64 // bytes produced so far

	// Newline offsets not yet passed by lineAt, oldest first; nl[head:]
	// are live. They span at most the decoder's buffer and pend.
	nl    []int64
	head  int
	lines int // newlines before nl[head]
}

// filterChunk is how much is read from the file at a time.
const filterChunk = 32 << 10

func newXFilter(r io.Reader) *xFilter {
	return &xFilter{r: r, in: make([]byte, filterChunk), out: make([]byte, 0, 3*filterChunk)}
}

func (f *xFilter) Read(p []byte) (int, error) {
	for len(f.pend) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		var n int
		var err error
		if !f.start {
			// Read enough to recognize a byte-order mark whole.
			f.start = true
			n, err = io.ReadAtLeast(f.r, f.in, 3)
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			b := f.in[:n]
			// A UTF-8 byte-order mark is decoration a Windows editor may
			// add; encoding/json refuses it.
			if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
				n = copy(f.in, b[3:])
			}
		} else {
			n, err = f.r.Read(f.in)
		}
		f.err = err
		f.transform(f.in[:n])
	}
	n := copy(p, f.pend)
	f.pend = f.pend[n:]
	return n, nil
}

// transform filters b into f.pend. Each input byte yields at most three
// output bytes (x → u00).
//
// String state is not tracked: in JSON a backslash can only stand inside a
// string, so "a backslash escapes the next byte" is all the state needed.
// Outside strings a backslash is invalid JSON whether or not its x is
// rewritten, and the decoder reports it either way. This keeps the filter
// to bulk copies between backslashes.
func (f *xFilter) transform(b []byte) {
	out := f.out[:0]
	if f.esc && len(b) > 0 { // an escape split across reads
		f.esc = false
		out = escaped(out, b[0])
		b = b[1:]
	}
	for {
		i := bytes.IndexByte(b, '\\')
		if i < 0 {
			out = append(out, b...)
			break
		}
		out = append(out, b[:i+1]...)
		if i+1 == len(b) {
			f.esc = true
			break
		}
		out = escaped(out, b[i+1])
		b = b[i+2:]
	}
	for i := 0; ; {
		j := bytes.IndexByte(out[i:], '\n')
		if j < 0 {
			break
		}
		f.nl = append(f.nl, f.off+int64(i+j))
		i += j + 1
	}
	f.off += int64(len(out))
	f.out = out
	f.pend = out
}

// escaped appends the byte after a backslash, rewriting x as u00.
func escaped(out []byte, c byte) []byte {
	if c == 'x' {
		return append(out, 'u', '0', '0')
	}
	return append(out, c)
}

// lineAt returns the 1-based line holding output offset off. Offsets must
// not decrease from call to call.
func (f *xFilter) lineAt(off int64) int {
	for f.head < len(f.nl) && f.nl[f.head] < off {
		f.head++
		f.lines++
	}
	if f.head > 4096 && 2*f.head > len(f.nl) {
		n := copy(f.nl, f.nl[f.head:])
		f.nl = f.nl[:n]
		f.head = 0
	}
	return f.lines + 1
}
