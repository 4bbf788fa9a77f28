package vault

import (
	"bytes"
	"compress/flate"
	"errors"
	"strings"
	"testing"

	"github.com/klauspost/compress/s2"
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
