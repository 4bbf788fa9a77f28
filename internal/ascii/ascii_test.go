package ascii

import (
	"strings"
	"testing"
)

// Is finds a non-ASCII byte at every position of strings of every length
// up to 40, and Word reads bytes in little-endian order.
func TestIs(t *testing.T) {
	for n := 0; n <= 40; n++ {
		s := strings.Repeat("a", n)
		if !Is(s) {
			t.Fatalf("%d ASCII bytes: not ASCII", n)
		}
		for i := range n {
			b := []byte(s)
			b[i] = 0x80 | byte(i)
			if Is(string(b)) {
				t.Fatalf("byte %d of %d: 0x%02x taken for ASCII", i, n, b[i])
			}
		}
	}
	if w := Word("\x01\x02\x03\x04\x05\x06\x07\x08rest"); w != 0x0807060504030201 {
		t.Fatalf("Word = %#x", w)
	}
}
