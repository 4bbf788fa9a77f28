package vault

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/klauspost/compress/s2"

	"sealroom/crypto/seal"
)

// A chunk's payload is compressed before it is sealed. The text and the
// fields 32 messages repeat shrink two to three times, so the vault stays
// near the size of the export. Compression runs on plaintext inside the
// sealed record; an observer of the file learns each chunk's compressed
// size, which depends on how repetitive its messages are. No one can mix
// text of their choosing into a chunk and watch its size change, the
// setting where that matters.
//
// Version 3 uses S2 (github.com/klauspost/compress/s2, a Snappy
// extension) block format: on 2.3 KB WhatsApp chunks it takes 3.5 µs
// against DEFLATE's 28 µs (Go's compress/flate, fastest level) and
// compresses 2.5 times against 3.1. DEFLATE was a third of an import's
// CPU time. Versions 1 and 2 are still read.
//
// Version 4 is version 3 for a chunk whose messages have streamed files
// (streams.go): the S2-compressed body starts with the files' references,
//
//	uvarint(n) n×(uint8 message ‖ uint8 attachment ‖ 16-byte file id ‖ 32-byte file key)
//
// and goes on as version 3's. The file keys are reachable only through
// the chunk's key: the approval that opens the chunk opens its files.
// Chunks without streamed files keep version 3.
const (
	payloadV2 = 2 // payloadV1's body, DEFLATE-compressed
	payloadV3 = 3 // payloadV1's body, S2 block-compressed
	payloadV4 = 4 // file references, then payloadV1's body, S2 block-compressed
)

// fileRef is a streamed file's entry in its chunk's payload: the
// attachment it holds the content of, its id and its key.
type fileRef struct {
	msg, att int
	id       fileID
	key      *seal.Key
}

const fileRefSize = 2 + fileIDSize + seal.KeySize

// appendFileRefs appends version 4's references to dst.
func appendFileRefs(dst []byte, refs []fileRef) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(refs)))
	for _, r := range refs {
		dst = append(dst, byte(r.msg), byte(r.att))
		dst = append(dst, r.id[:]...)
		raw := r.key.MarshalSecret()
		dst = append(dst, raw...)
		clear(raw)
	}
	return dst
}

// splitFileRefs reads version 4's references from the start of body and
// returns them (each with its own copy of the key) and the codec body.
func splitFileRefs(body []byte) ([]fileRef, []byte, error) {
	n, k := binary.Uvarint(body)
	if k <= 0 || n == 0 || n > uint64(len(body)-k)/fileRefSize {
		return nil, nil, fmt.Errorf("%w: chunk payload's file references", ErrDamaged)
	}
	p := body[k:]
	refs := make([]fileRef, 0, n)
	for range n {
		key, err := seal.KeyFromBytes(p[2+fileIDSize : fileRefSize])
		if err != nil {
			destroyRefs(refs)
			return nil, nil, fmt.Errorf("%w: chunk payload's file key: %v", ErrDamaged, err)
		}
		r := fileRef{msg: int(p[0]), att: int(p[1]), key: key}
		copy(r.id[:], p[2:])
		refs = append(refs, r)
		p = p[fileRefSize:]
	}
	return refs, p, nil
}

func destroyRefs(refs []fileRef) {
	for _, r := range refs {
		r.key.Destroy()
	}
}

// maxPayload bounds a decompressed chunk: 32 messages of at most 1 MiB of
// text each, with room for attachments' names. A bigger one is damage.
const maxPayload = 40 << 20

// compressPayload appends version (payloadV3 or payloadV4) and the
// compressed body to dst.
func compressPayload(dst []byte, version byte, body []byte) []byte {
	n := 1 + s2.MaxEncodedLen(len(body))
	if cap(dst)-len(dst) < n {
		dst = append(make([]byte, 0, len(dst)+n), dst...)
	}
	dst = append(dst, version)
	enc := s2.Encode(dst[len(dst):cap(dst)], body)
	return dst[:len(dst)+len(enc)]
}

// payloadBody returns the decompressed body of a payload: for versions 1
// to 3 the codec body, for version 4 the file references and the codec
// body (splitFileRefs parts them).
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
	case payloadV3, payloadV4:
		n, err := s2.DecodedLen(p[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: chunk payload does not decompress: %v", ErrDamaged, err)
		}
		if n > maxPayload {
			return nil, fmt.Errorf("%w: chunk payload decompresses beyond %d bytes", ErrDamaged, maxPayload)
		}
		body, err := s2.Decode(make([]byte, n), p[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: chunk payload does not decompress: %v", ErrDamaged, err)
		}
		return body, nil
	}
	return nil, fmt.Errorf("%w: chunk payload version %d", ErrDamaged, p[0])
}
