package normalize

import (
	"math"
	"slices"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"sealroom/internal/ascii"
)

// Text is one message after normalization. The zero Text is ready to use.
// Reuse a Text for message after message: Normalize keeps its buffers, so
// normalizing allocates nothing once they have grown to the longest message.
//
// A Text is not safe for concurrent use; give each goroutine its own.
type Text struct {
	// Norm is the normalized message. Like bufio.Scanner's Bytes, it is
	// overwritten by the next Normalize into the same Text: copy what you
	// keep (string(t.Norm[i:j])).
	Norm []byte

	spans []span // spans[i] is the original span of Norm[i]

	// Scratch for the rune rules (non-ASCII messages only).
	fold      []byte // the message after rules 1 to 5
	fspans    []span // fspans[k] is the original span of fold[k]
	unitStart int    // index in fold of the last output unit's first byte
	prevLatin bool   // the last rune kept was a Latin letter (rule 5)
	dropping  bool   // a rune of span dropped was dropped since the last output
	dropped   span
	iter      norm.Iter // NFKC for the segments that need it
	seg       []byte    // the NFKC form of one segment

	// Scratch for the word rules.
	ascii  bool    // fold is the message itself, and fold[k] came from [k, k+1)
	n      int     // bytes of Norm written
	joined []int32 // rule 6: the offsets of a joined word's runes
}

// span is a byte range [start, end) of the original message. int32 halves
// the offset map; Normalize refuses messages of 2 GiB or more.
type span struct{ start, end int32 }

// Normalize sets dst to the normalized form of s and its offset map,
// reusing dst's buffers. It is safe to call concurrently with different
// dsts. It panics if s is 2 GiB or longer.
func Normalize(dst *Text, s string) {
	if len(s) >= math.MaxInt32 {
		panic("normalize: message of 2 GiB or more")
	}
	if !dst.fast(s) {
		dst.normalize(s, ascii.Is(s))
	}
}

// normalize is Normalize with the fast path chosen by the caller, so that
// tests can run ASCII text through the rune rules too.
func (t *Text) normalize(s string, ascii bool) {
	t.ascii = ascii
	if ascii {
		if plain(s) {
			t.lowerASCII(s)
			return
		}
		t.words(s)
		return
	}
	t.foldRunes(s)
	// The word rules read fold as a string. The view lives only for this
	// call, and fold is not written while it does.
	t.words(unsafe.String(unsafe.SliceData(t.fold), len(t.fold)))
}

// Original returns the span of the original message that Norm[i:j] came
// from: start is the first byte of the first original rune behind Norm[i],
// end is just past the last original rune behind Norm[j-1]. For i == j it
// returns an empty span where Norm[i] begins (or where Norm ends). Like a
// slice expression, it panics unless 0 <= i <= j <= len(Norm).
func (t *Text) Original(i, j int) (start, end int) {
	if i < 0 || j < i || j > len(t.Norm) {
		panic("normalize: Original out of range")
	}
	switch {
	case i < j:
		return int(t.spans[i].start), int(t.spans[j-1].end)
	case i < len(t.spans):
		p := int(t.spans[i].start)
		return p, p
	case i > 0:
		p := int(t.spans[i-1].end)
		return p, p
	}
	return 0, 0
}

// Fold returns the normalized form of s, as Normalize makes it, without the
// offset map. It is meant for lexicon terms: fold each term once, then match
// the folded terms against Text.Norm.
func Fold(s string) string {
	var t Text
	Normalize(&t, s)
	return string(t.Norm)
}

// plain reports whether no rule changes the ASCII message s but lower
// case: no leet symbol, no word mixing letters and digits (leet, units),
// only single spaces, and no two one-rune words in a row (which rule 6
// might join). Most chat is plain; lowerASCII makes it at a byte a step.
func plain(s string) bool {
	inWord, letter, digit := false, false, false
	wordLen, prevSingle, gapOK := 0, false, true // gapOK: only spaces and separators since the last word
	for i := 0; i < len(s); i++ {
		c := asciiClass[s[i]]
		switch c {
		case cLetter, cDigit:
			if !inWord {
				inWord, letter, digit, wordLen = true, false, false, 0
			}
			letter = letter || c == cLetter
			digit = digit || c == cDigit
			wordLen++
			if letter && digit {
				return false
			}
			continue
		case cLeet:
			return false
		case cSpace:
			if s[i] != ' ' || i > 0 && s[i-1] == ' ' {
				return false
			}
		}
		if inWord { // a word ended at i
			inWord = false
			single := wordLen == 1
			if single && prevSingle && gapOK {
				return false
			}
			prevSingle, gapOK = single, true
		}
		if c != cSpace && c != cSep {
			gapOK = false
		}
	}
	if inWord && wordLen == 1 && prevSingle && gapOK {
		return false
	}
	return true
}

// lowerASCII sets Norm to s in lower case, each byte from its own.
func (t *Text) lowerASCII(s string) {
	t.Norm = slices.Grow(t.Norm[:0], len(s))[:len(s)]
	t.spans = slices.Grow(t.spans[:0], len(s))[:len(s)]
	for i := 0; i < len(s); i++ {
		t.Norm[i] = lower[s[i]]
		t.spans[i] = span{int32(i), int32(i + 1)}
	}
}
