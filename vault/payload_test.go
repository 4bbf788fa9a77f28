package vault

import (
	"bytes"
	"compress/flate"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"

	"sealroom/capture"
	"sealroom/crypto/seal"
)

func TestPayload(t *testing.T) {
	body := []byte(strings.Repeat("send me the numbers before the fix ", 100))
	p := compressPayload(nil, payloadV3, body)
	if p[0] != payloadV3 || len(p) > len(body)/4 {
		t.Fatalf("version %d, %d bytes for %d", p[0], len(p), len(body))
	}
	got, err := payloadBody(p)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("round trip: %v", err)
	}
	if got, err := payloadBody(append([]byte{payloadV1}, body...)); err != nil || !bytes.Equal(got, body) {
		t.Fatalf("version 1: %v", err)
	}
	// Version 2 (DEFLATE) is still read.
	var v2 bytes.Buffer
	v2.WriteByte(payloadV2)
	w, _ := flate.NewWriter(&v2, flate.BestSpeed)
	w.Write(body)
	w.Close()
	if got, err := payloadBody(v2.Bytes()); err != nil || !bytes.Equal(got, body) {
		t.Fatalf("version 2: %v", err)
	}
	// Compressed bombs beyond maxPayload, a bad version, bad data.
	var bomb bytes.Buffer
	bomb.WriteByte(payloadV2)
	w, _ = flate.NewWriter(&bomb, flate.BestCompression)
	w.Write(make([]byte, maxPayload+1))
	w.Close()
	s2bomb := append([]byte{payloadV3}, s2.Encode(nil, make([]byte, maxPayload+1))...)
	// (S2 blocks carry no checksum: a payload is authenticated by its seal
	// before it is decompressed. A cut one fails on its length.)
	s2bad := compressPayload(nil, payloadV3, body)
	s2bad = s2bad[:len(s2bad)/2]
	for name, p := range map[string][]byte{"bomb": bomb.Bytes(), "s2 bomb": s2bomb, "version": {9, 1, 2},
		"deflate": {payloadV2, 0xff, 0xfe}, "s2": {payloadV3, 0xff, 0xfe}, "s2 cut": s2bad, "empty": nil} {
		if _, err := payloadBody(p); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Version 4 payloads carry the chunk's streamed files: ids and keys come
// back as sealed; a count the bytes cannot hold, a zero key, or a
// reference to an attachment the chunk does not have is damage.
func TestPayloadFileRefs(t *testing.T) {
	k1, err := seal.NewKey()
	must(t, err)
	k2, err := seal.NewKey()
	must(t, err)
	refs := []fileRef{{msg: 1, att: 1, id: fileID{1, 2, 3}, key: k1}, {msg: 0, att: 0, id: fileID{9}, key: k2}}
	at := time.Date(2024, 1, 5, 9, 12, 0, 0, time.UTC)
	msg := func(id string, atts int) *capture.Message {
		m := &capture.Message{Conversation: "c", ID: id, Time: at, Sender: "ann", Text: "x", Kind: capture.KindMessage}
		for range atts {
			m.Attachments = append(m.Attachments, capture.Attachment{Name: "a.mp4", Size: 1 << 30})
		}
		return m
	}
	codec := func(ms ...*capture.Message) []byte {
		b := capture.AppendConversation(nil, &capture.Conversation{ID: "c"})
		for _, m := range ms {
			b = capture.AppendMessage(b, m)
		}
		return b
	}
	p := compressPayload(nil, payloadV4, append(appendFileRefs(nil, refs), codec(msg("m1", 1), msg("m2", 2))...))
	msgs, _, got, err := decodePayload(p, 1, 2)
	must(t, err)
	if len(msgs) != 2 || len(got) != 2 {
		t.Fatalf("%d messages, %d references", len(msgs), len(got))
	}
	for i, r := range got {
		if r.msg != refs[i].msg || r.att != refs[i].att || r.id != refs[i].id || !r.key.Equal(refs[i].key) {
			t.Fatalf("reference %d: %+v, want %+v", i, r, refs[i])
		}
	}
	// Version 3 has none.
	if _, _, got, err := decodePayload(compressPayload(nil, payloadV3, codec(msg("m1", 1))), 1, 1); err != nil || got != nil {
		t.Fatalf("version 3: %v, %d references", err, len(got))
	}

	for _, c := range []struct {
		name string
		body []byte
		n    uint16
	}{
		{"no references", append([]byte{0}, codec(msg("m1", 1))...), 1},
		{"a count beyond the end", append([]byte{5}, codec(msg("m1", 1))...), 1},
		{"a zero key", append(append([]byte{1, 0, 0}, make([]byte, fileIDSize+seal.KeySize)...), codec(msg("m1", 1))...), 1},
		{"no such attachment", append(appendFileRefs(nil, refs[:1]), codec(msg("m1", 1), msg("m2", 1))...), 2},
		{"no such message", append(appendFileRefs(nil, refs[:1]), codec(msg("m1", 1))...), 1},
		{"one attachment twice", append(appendFileRefs(nil, []fileRef{refs[1], refs[1]}), codec(msg("m1", 1))...), 1},
	} {
		if _, _, _, err := decodePayload(compressPayload(nil, payloadV4, c.body), 1, c.n); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v, want ErrDamaged", c.name, err)
		}
	}
}
