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
