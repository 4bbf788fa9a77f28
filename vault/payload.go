package vault

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// A chunk's payload is compressed with DEFLATE before it is sealed. The
// text and the fields 32 messages repeat shrink three to four times, which
// keeps a chunk record within one 4 KiB bbolt page instead of spilling
// into two overflow pages: the vault stays near the size of the export.
// Compression runs on plaintext inside the sealed record; an observer of
// the file learns each chunk's compressed size, which depends on how
// repetitive its messages are. No one can mix text of their choosing
// into a chunk and watch its size change, the setting where that matters.
const payloadV2 = 2 // payloadV1's body, DEFLATE-compressed

// maxPayload bounds a decompressed chunk: 32 messages of at most 1 MiB of
// text each, with room for attachments' names. A bigger one is damage.
const maxPayload = 40 << 20

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level: no error
	return w
}}

// compressPayload appends payloadV2 and the compressed body to dst.
func compressPayload(dst, body []byte) []byte {
	out := bytes.NewBuffer(append(dst, payloadV2))
	w := deflaters.Get().(*flate.Writer)
	w.Reset(out)
	w.Write(body) // a bytes.Buffer does not fail
	w.Close()
	w.Reset(io.Discard) // drop the reference to out, and the plaintext window
	deflaters.Put(w)
	return out.Bytes()
}

// payloadBody returns the codec body of a V1 or V2 payload.
func payloadBody(p []byte) ([]byte, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("%w: empty chunk payload", ErrDamaged)
	}
	switch p[0] {
	case payloadV1:
		return p[1:], nil
	case payloadV2:
		r := flate.NewReader(bytes.NewReader(p[1:]))
		defer r.Close()
		body, err := io.ReadAll(io.LimitReader(r, maxPayload+1))
		if err != nil {
			return nil, fmt.Errorf("%w: chunk payload does not decompress: %v", ErrDamaged, err)
		}
		if len(body) > maxPayload {
			return nil, fmt.Errorf("%w: chunk payload decompresses beyond %d bytes", ErrDamaged, maxPayload)
		}
		return body, nil
	}
	return nil, fmt.Errorf("%w: chunk payload version %d", ErrDamaged, p[0])
}
