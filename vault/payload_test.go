package vault

import (
	"bytes"
	"compress/flate"
	"errors"
	"strings"
	"testing"
)

func TestPayload(t *testing.T) {
	body := []byte(strings.Repeat("send me the numbers before the fix ", 100))
	p := compressPayload(nil, body)
	if p[0] != payloadV2 || len(p) > len(body)/4 {
		t.Fatalf("version %d, %d bytes for %d", p[0], len(p), len(body))
	}
	got, err := payloadBody(p)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("round trip: %v", err)
	}
	if got, err := payloadBody(append([]byte{payloadV1}, body...)); err != nil || !bytes.Equal(got, body) {
		t.Fatalf("version 1: %v", err)
	}
	// A compressed bomb beyond maxPayload, a bad version, bad DEFLATE.
	var bomb bytes.Buffer
	bomb.WriteByte(payloadV2)
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	w.Write(make([]byte, maxPayload+1))
	w.Close()
	for name, p := range map[string][]byte{"bomb": bomb.Bytes(), "version": {9, 1, 2}, "deflate": {payloadV2, 0xff, 0xfe}, "empty": nil} {
		if _, err := payloadBody(p); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
