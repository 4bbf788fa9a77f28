package policy

import "testing"

// The table filled from the unicode ranges answers as the per-rune
// questions do, for every rune of the BMP.
func TestBMPClass(t *testing.T) {
	for r := range rune(len(bmpClass)) {
		if got, want := bmpClass[r], classify(r); got != want {
			t.Fatalf("U+%04X: table %03b, unicode %03b", r, got, want)
		}
	}
	for _, r := range []rune{'a', 'Z', '5', 'é', 'ß', 'я', '中', 'カ', '한', 'ก', '𠀀', '𝐀', '😀', ' ', '，'} {
		if runeClass(r) != classify(r) {
			t.Errorf("%q: runeClass %03b, classify %03b", r, runeClass(r), classify(r))
		}
	}
}

// hanAt agrees with decoding: a character it skips is no word rune, and it
// never skips invalid UTF-8.
func TestHanAt(t *testing.T) {
	for r := rune(0x3F00); r < 0xA100; r++ {
		s := "a" + string(r) + "b"
		if hanAt(s, 1) && (wordRune(r) || r < 0x4000 || r > 0x9FFF) {
			t.Fatalf("hanAt skips U+%04X", r)
		}
		if !hanAt(s, 1) && 0x4000 <= r && r <= 0x9FFF {
			t.Errorf("hanAt misses U+%04X", r)
		}
	}
	for _, s := range []string{"\xe4ab", "\xe4\x80", "\xe5\x80a", "\xe9"} {
		if hanAt(s, 0) {
			t.Errorf("hanAt(%q) on invalid UTF-8", s)
		}
	}
}
