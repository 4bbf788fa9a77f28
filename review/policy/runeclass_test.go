package policy

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The table filled from the unicode ranges answers as the per-rune
// questions do, for every rune of the BMP.
func TestBMPClass(t *testing.T) {
	for r := range rune(len(bmpClass)) {
		if got, want := bmpClass[r], classify(r); got != want {
			t.Fatalf("U+%04X: table %03b, unicode %03b", r, got, want)
		}
	}
	for r, want := range map[rune]uint8{'a': clWord | clLatin, 'Z': clWord | clLatin, '5': clWord, 'é': clWord | clLatin,
		'я': clWord, '中': clUnspaced, 'カ': clUnspaced, '한': clUnspaced, 'ก': clUnspaced, ' ': 0, '，': 0,
		'𠀀': clUnspaced, '𝐀': clWord, '😀': 0} {
		if got := runeClass(r); got != want {
			t.Errorf("%q: class %03b, want %03b", r, got, want)
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

// asciiLetters8 marks exactly the ASCII letters, in every byte position.
func TestASCIILetters8(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			w := uint64(0x2e2e2e2e2e2e2e2e) // dots
			w = w&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			if c >= 0x80 { // and a non-ASCII neighbour, whose carry must not spill
				w |= 0xff << (8 * ((pos + 1) % 8))
			}
			got := asciiLetters8(w)>>(8*pos+7)&1 == 1
			if want := 'a' <= c|0x20 && c|0x20 <= 'z' && c < 0x80; got != want {
				t.Fatalf("byte %#02x at %d: letter %v, want %v", c, pos, got, want)
			}
			if other := asciiLetters8(w) &^ (0x80 << (8 * pos)); other != 0 && c < 0x80 {
				t.Fatalf("byte %#02x at %d: other bits %#x", c, pos, other)
			}
		}
	}
}

// nextWord finds the words a rune-by-rune reading finds, with the same
// Latin flag, in the corpus's messages and in random strings.
func TestNextWord(t *testing.T) {
	ref := func(s string) (words [][3]int) {
		ws, latin, in := 0, true, false
		for i, r := range s {
			if wordRune(r) {
				if !in {
					ws, latin, in = i, true, true
				}
				latin = latin && runeClass(r)&clLatin != 0 && !('0' <= r && r <= '9')
				continue
			}
			if in {
				words = append(words, [3]int{ws, i, b2i(latin)})
				in = false
			}
		}
		if in {
			words = append(words, [3]int{ws, len(s), b2i(latin)})
		}
		return words
	}
	texts := []string{"", "a", "abcdefgh", "abcdefghi", "ab1defghijk lmn", "guarantee 回扣 kickback", "çaféß naïve", "x\xffy \xe4ab \xe5\x80", "ЖЖЖ abc", "ｇｕａｒａｎｔｅｅ"}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("abcXYZ019 .,-_\u00e9\u0436\u4e2d\u3001\U0001d400\ufffd")
	letters := []rune("abcdefghijklmnopqrstuvwxyzABCZ@[`{ é")
	for k := range 40000 {
		a := alphabet
		if k%2 == 1 { // long runs of letters, for the eight-byte steps
			a = letters
		}
		r := make([]rune, rng.IntN(40))
		for i := range r {
			r[i] = a[rng.IntN(len(a))]
		}
		texts = append(texts, string(r))
	}
	for _, s := range texts {
		var got [][3]int
		for i := 0; ; {
			ws, we, latin := nextWord(s, i)
			if ws == we {
				break
			}
			got = append(got, [3]int{ws, we, b2i(latin)})
			i = we
		}
		if want := ref(s); !slices.Equal(got, want) {
			t.Fatalf("%q: nextWord %v, want %v", s, got, want)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
