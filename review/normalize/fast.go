package normalize

import (
	"slices"
	"unicode/utf8"
	"unsafe"
)

// The fast path: one pass applies the rune rules with a table lookup per
// rune (table.go), writing Norm and its spans directly; a second pass over
// that output checks that no word rule would change it. A message with a
// rune the table leaves to the general path goes through that path from
// the start (normalize); one that a word rule changes goes through the
// word rules (words) on the first pass's output.
//
// The rune pass is exact because it takes a message only when every rune
// of it starts an NFKC segment (the table says so of each, startsSegment):
// each rune is then a segment of its own, which is what the general path
// makes of it too, a unit with its own span whose output is foldRune of its
// NFKC form, the table's entry.

// fast normalizes s by the fast path and reports whether it could.
func (t *Text) fast(s string) bool {
	ascii, ok := t.fastFold(s)
	if !ok {
		return false
	}
	if plainWords(t.Norm) {
		return true
	}
	// The word rules change something: run them on the rune rules'
	// output, which for ASCII is s itself.
	if t.ascii = ascii; ascii {
		t.words(s)
		return true
	}
	t.fold, t.Norm = t.Norm, t.fold
	t.fspans, t.spans = t.spans, t.fspans
	t.words(unsafe.String(unsafe.SliceData(t.fold), len(t.fold)))
	return true
}

// fastFold applies the rune rules to s, as foldRunes would, writing t.Norm
// and t.spans, and reports whether s is ASCII. It returns ok false when a
// rune of s needs the general path (a combining mark, invalid UTF-8, ...);
// Norm and spans then hold nothing of use.
func (t *Text) fastFold(s string) (ascii, ok bool) {
	norm, spans := t.Norm[:cap(t.Norm)], t.spans[:cap(t.spans)]
	if len(norm) < len(s) || len(spans) < len(s) {
		norm = slices.Grow(t.Norm[:0], len(s))
		spans = slices.Grow(t.spans[:0], len(s))
		norm, spans = norm[:cap(norm)], spans[:cap(spans)]
	}
	// Invariant: n + len(s) - p <= len(norm), len(spans). ASCII and kSame
	// runes write what they read; only kMapped ones may need room.
	var (
		n         int  // bytes written
		unitStart int  // where the last rune's output begins in norm
		prevLatin bool // as in foldRune
		dropping  bool // a rune was dropped since the last output
		dropped   span // the last rune dropped
	)
	ascii = true
	for p := 0; p < len(s); {
		if b := s[p]; b < utf8.RuneSelf {
			if dropping {
				dropping = false
				extendSpans(spans[unitStart:n], dropped.end)
			}
			for {
				norm[n] = lower[b]
				spans[n] = span{int32(p), int32(p + 1)}
				n++
				if p++; p == len(s) {
					break
				}
				if b = s[p]; b >= utf8.RuneSelf {
					break
				}
			}
			unitStart = n - 1
			prevLatin = isLetterByte(norm[n-1])
			continue
		}
		ascii = false
		if q := hanEnd(s, p); q > p {
			// A run of CJK unified ideographs, the bulk of Chinese:
			// each kept as it is, no case, not Latin.
			if dropping {
				dropping = false
				extendSpans(spans[unitStart:n], dropped.end)
			}
			for ; p < q; p += 3 {
				norm[n], norm[n+1], norm[n+2] = s[p], s[p+1], s[p+2]
				sp := span{int32(p), int32(p + 3)}
				spans[n], spans[n+1], spans[n+2] = sp, sp, sp
				n += 3
			}
			unitStart, prevLatin = n-3, false
			continue
		}
		r, size := decodeFast(s, p)
		e := entryOf(r)
		if size == 1 || e&kindMask == kGeneral {
			return false, false // invalid UTF-8, or a rune for the general path
		}
		next := p + size
		sp := span{int32(p), int32(next)}
		kind := e & kindMask
		if e&dropIfLatin != 0 && prevLatin {
			kind = kDrop
		}
		var out string
		switch kind {
		case kDrop:
			if dropping {
				extendSpans(spans[unitStart:n], dropped.end)
			}
			dropping, dropped = true, sp
			p = next
			continue
		case kSame:
			out = s[p:next]
		default:
			out = mapped(e)
			if need := n + len(out) + len(s) - next; need > len(norm) || need > len(spans) {
				norm = slices.Grow(norm[:n], need-n)
				spans = slices.Grow(spans[:n], need-n)
				norm, spans = norm[:cap(norm)], spans[:cap(spans)]
			}
		}
		if dropping {
			dropping = false
			extendSpans(spans[unitStart:n], dropped.end)
		}
		unitStart = n
		for i := range len(out) {
			norm[n+i] = out[i]
			spans[n+i] = sp
		}
		n += len(out)
		if e&latinSet != 0 {
			prevLatin = e&latinTrue != 0
		}
		p = next
	}
	if dropping {
		extendSpans(spans[unitStart:n], dropped.end)
	}
	t.Norm, t.spans = norm[:n], spans[:n]
	return ascii, true
}

// hanEnd returns the end of the run of CJK unified ideographs
// (U+4E00–U+9FFF) at s[p:].
func hanEnd(s string, p int) int {
	for p+2 < len(s) {
		b := s[p]
		if b < 0xE4 || b > 0xE9 || s[p+1]&0xC0 != 0x80 || s[p+2]&0xC0 != 0x80 || b == 0xE4 && s[p+1] < 0xB8 {
			break // E4 B8 80 is U+4E00, E9 BF BF U+9FFF
		}
		p += 3
	}
	return p
}

// extendSpans makes each of spans end at end.
func extendSpans(spans []span, end int32) {
	for k := range spans {
		spans[k].end = end
	}
}

// plainWords reports whether the word rules (6 to 9) leave f, the output
// of the rune rules (valid UTF-8), as it is: then words would copy f and
// its spans unchanged. It may say false of some text they leave alone
// (two one-rune words in a row, an @ or a $, Han characters either side
// of a separator), never true of text they change.
func plainWords(f []byte) bool {
	var (
		w          wordInfo
		inWord     bool
		wordStart  int  // where the current word starts in f
		runes      int  // runes in the current word
		prevSingle bool // the last word was of one rune
		gapOK      bool // only white space and separators since the last word
		han        int  // 1: the last rune was Han; 2: Han, then separators
	)
	for i := 0; i < len(f); {
		b := f[i]
		if isLetterByte(b) {
			// A run of ASCII letters, most of most words.
			if !inWord {
				inWord, wordStart, runes, w = true, i, 0, wordInfo{}
			}
			j := i + 1
			for j < len(f) && isLetterByte(f[j]) {
				j++
			}
			runes += j - i
			w.latin += j - i
			w.digitRun, han = 0, 0
			i = j
			continue
		}
		var (
			c    uint8
			size = 1
			e    uint32
		)
		if b < utf8.RuneSelf {
			c = asciiClass[b]
		} else {
			if j := hanEnd(unsafe.String(unsafe.SliceData(f), len(f)), i); j > i {
				// A run of CJK unified ideographs: letters of
				// another script than Latin, Han.
				if han == 2 {
					return false // rule 6 for Han: 回 扣
				}
				if !inWord {
					inWord, wordStart, runes, w = true, i, 0, wordInfo{}
				}
				runes += (j - i) / 3
				w.other++
				w.digitRun, han = 0, 1
				i = j
				continue
			}
			var r rune
			r, size = decodeValid(f, i)
			e = entryOf(r)
			c = classOf(e)
		}
		switch {
		case e&hanBit != 0:
			if han == 2 {
				return false // rule 6 for Han: 回 扣
			}
			han = 1
		case c == cSpace || c == cSep:
			if han != 0 {
				han = 2
			}
		default:
			han = 0
		}
		if c == cLeet {
			if b != '!' {
				return false // @ and $ have more rules than this checks
			}
			if inWord && i+1 < len(f) && isWord(classAtValid(f, i+1)) {
				w.leets++ // a ! inside a word: leet (br!be)
				w.digitRun = 0
				runes++
				i++
				continue
			}
		}
		if isWord(c) {
			if !inWord {
				inWord, wordStart, runes, w = true, i, 0, wordInfo{}
			}
			runes++
			if c != cDigit {
				w.digitRun = 0
			}
			switch {
			case c == cDigit:
				w.leets++
				w.digitRun++
				w.maxRun = max(w.maxRun, w.digitRun)
			case c != cLetter:
			case b < utf8.RuneSelf:
				w.latin++
			case w.other == 0:
				switch e & letterMask >> letterShift {
				case lLatin:
					w.latin++
				case lLookalike:
					w.lookies++
				case lOther:
					w.other++
				}
			}
			i += size
			continue
		}
		if inWord {
			inWord = false
			if runes == 1 && prevSingle && gapOK || (w.leets > 0 || w.lookies > 0) && !plainWord(f[wordStart:i], &w) {
				return false
			}
			prevSingle, gapOK = runes == 1, true
		}
		switch c {
		case cSpace:
			if b != ' ' || i > 0 && f[i-1] == ' ' {
				return false // rule 9
			}
		case cSep:
		default:
			gapOK = false
		}
		i += size
	}
	return !inWord || !(runes == 1 && prevSingle && gapOK) && plainWord(f[wordStart:], &w)
}

// plainWord reports whether neither rule 7 nor rule 8 applies to the word
// f, which w describes (w.rules, as word decides).
func plainWord(f []byte, w *wordInfo) bool {
	homo, leetOK := w.rules()
	if leetOK && isQuantity(unsafe.String(unsafe.SliceData(f), len(f))) {
		leetOK = false
	}
	return !homo && !leetOK
}

// classAtValid returns the word-rule class of the rune at f[i:], valid
// UTF-8.
func classAtValid(f []byte, i int) uint8 {
	if f[i] < utf8.RuneSelf {
		return asciiClass[f[i]]
	}
	r, _ := decodeValid(f, i)
	return classOf(entryOf(r))
}

// decodeFast is decode with two-byte runes (accented Latin letters, Greek,
// Cyrillic) inline too.
func decodeFast(s string, p int) (rune, int) {
	if b := s[p]; b >= 0xC2 && b < 0xE0 && p+1 < len(s) && s[p+1]&0xC0 == 0x80 {
		return rune(b&0x1F)<<6 | rune(s[p+1]&0x3F), 2
	}
	return decode(s, p)
}

// decodeValid decodes the rune at f[i:], which is valid UTF-8.
func decodeValid(f []byte, i int) (rune, int) {
	switch b := f[i]; {
	case b < 0xE0:
		return rune(b&0x1F)<<6 | rune(f[i+1]&0x3F), 2
	case b < 0xF0:
		return rune(b&0x0F)<<12 | rune(f[i+1]&0x3F)<<6 | rune(f[i+2]&0x3F), 3
	}
	return rune(f[i]&0x07)<<18 | rune(f[i+1]&0x3F)<<12 | rune(f[i+2]&0x3F)<<6 | rune(f[i+3]&0x3F), 4
}
