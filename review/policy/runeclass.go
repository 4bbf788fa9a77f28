package policy

import "unicode"

// Rune classes, as bits: what wordRune, unspaced and the Latin test of
// fuzzy matching answer, looked up once per rune of the Basic
// Multilingual Plane instead of asked of the unicode tables (unicode.In
// over eight scripts cost more than the automaton on Chinese text).
const (
	clWord     = 1 << iota // wordRune
	clUnspaced             // unspaced
	clLatin                // unicode.Latin
)

// bmpClass holds the classes of U+0000–U+FFFF (64 KiB); runes above it are
// asked of the unicode tables. It is filled from the tables' ranges, which
// takes a tenth of the time of asking for each rune (TestBMPClass checks
// the two agree).
var bmpClass = func() *[1 << 16]uint8 {
	t := new([1 << 16]uint8)
	const letterOrDigit = 1 << 7
	set := func(rt *unicode.RangeTable, bit uint8) {
		for _, g := range rt.R16 {
			for r := uint32(g.Lo); r <= uint32(g.Hi); r += uint32(g.Stride) {
				t[r] |= bit
			}
		}
	}
	set(unicode.Letter, letterOrDigit)
	set(unicode.Digit, letterOrDigit)
	for _, rt := range unspacedScripts {
		set(rt, clUnspaced)
	}
	set(unicode.Latin, clLatin)
	for r := range t {
		if t[r]&(letterOrDigit|clUnspaced) == letterOrDigit {
			t[r] |= clWord
		}
		t[r] &^= letterOrDigit
	}
	return t
}()

var unspacedScripts = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar}

func classify(r rune) uint8 {
	var c uint8
	if wordRuneSlow(r) {
		c |= clWord
	}
	if unspacedSlow(r) {
		c |= clUnspaced
	}
	if unicode.Is(unicode.Latin, r) {
		c |= clLatin
	}
	return c
}

func runeClass(r rune) uint8 {
	if uint32(r) < uint32(len(bmpClass)) {
		return bmpClass[r]
	}
	return classify(r)
}

// wordRune reports whether r is a letter or digit of a script that puts
// spaces between words. Terms in such scripts match whole words; Han,
// kana, Hangul and Thai have no spaces, so their terms match anywhere.
func wordRune(r rune) bool { return runeClass(r)&clWord != 0 }

func unspaced(r rune) bool { return runeClass(r)&clUnspaced != 0 }

func wordRuneSlow(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unspacedSlow(r)
}

func unspacedSlow(r rune) bool {
	return unicode.In(r, unspacedScripts...)
}
