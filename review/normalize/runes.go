package normalize

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldRunes applies the rune rules (1 to 5) to s, writing t.fold and
// t.fspans.
func (t *Text) foldRunes(s string) {
	t.fold, t.fspans = t.fold[:0], t.fspans[:0]
	t.unitStart, t.prevLatin, t.dropping = 0, false, false
	defer t.startUnit(span{}) // settles a drop at the end
	for p := 0; p < len(s); {
		if q := asciiEnd(s, p); q-p > 1 {
			// All but the last byte of an ASCII run are simple.
			t.foldASCII(s, p, q-1)
			p = q - 1
		}
		if r, ok := latin1Letter(s, p); ok && startsSimply(s, p+2) {
			// À…ÿ before a rune that composes with nothing before it: its
			// own NFKC segment, unchanged by NFKC. Rules 4 and 5 fold it.
			t.foldRune(r, span{int32(p), int32(p + 2)})
			p += 2
			continue
		}
		if r, size, ok := simple(s, p); ok {
			sp := span{int32(p), int32(p + size)}
			if r < utf8.RuneSelf {
				t.foldRune(r, sp)
			} else {
				t.prevLatin = false
				t.startUnit(sp)
				t.fold = append(t.fold, s[p:p+size]...)
				for range size {
					t.fspans = append(t.fspans, sp)
				}
				p += size
				// The rest of a run of CJK ideographs, the bulk of
				// Chinese text, as the loop would take them one by one:
				// each its own unit, nothing dropped to settle.
				for p+2 < len(s) && 0xE3 <= s[p] && s[p] <= 0xE9 {
					r, size := decode(s, p)
					if size != 3 || !isCJK(r) {
						break
					}
					t.unitStart = len(t.fspans)
					t.fold = append(t.fold, s[p:p+3]...)
					sp := span{int32(p), int32(p + 3)}
					t.fspans = append(t.fspans, sp, sp, sp)
					p += 3
				}
				continue
			}
			p += size
			continue
		}
		q := p
		for {
			_, size, _ := simple(s, q)
			if q += size; q == len(s) {
				break
			}
			if _, _, ok := simple(s, q); ok {
				break
			}
			if _, ok := latin1Letter(s, q); ok && startsSimply(s, q+2) {
				break
			}
		}
		t.foldStretch(s[:q], p)
		p = q
	}
}

// asciiEnd returns the end of the run of ASCII bytes at s[p:].
func asciiEnd(s string, p int) int {
	for p < len(s) && s[p] < utf8.RuneSelf {
		p++
	}
	return p
}

// foldASCII is foldRune for each of the ASCII bytes s[p:q], each its own
// unit.
func (t *Text) foldASCII(s string, p, q int) {
	n := len(t.fold)
	t.fold = append(t.fold, s[p:q]...)
	for i := n; i < len(t.fold); i++ {
		t.fold[i] = lower[t.fold[i]]
	}
	t.startUnit(span{int32(p), int32(p + 1)})
	t.fspans = slices.Grow(t.fspans, q-p)
	for k := p; k < q; k++ {
		t.fspans = append(t.fspans, span{int32(k), int32(k + 1)})
	}
	t.unitStart = len(t.fold) - 1
	t.prevLatin = isLetterByte(s[q-1])
}

// simple returns the NFKC form of the rune at s[p:], and whether that rune
// is its own NFKC segment and a rune of the form needs nothing of rules 2
// to 5 but ASCII case folding: an ASCII rune before an ASCII rune, a CJK
// ideograph or punctuation mark, a full-width ASCII rune before ASCII or
// CJK. Most of most messages is made of them. TestSimple checks them
// against x/text.
func simple(s string, p int) (r rune, size int, ok bool) {
	if b := s[p]; b < utf8.RuneSelf {
		return rune(b), 1, startsSimply(s, p+1)
	}
	r, size = decode(s, p)
	switch {
	case isCJK(r):
		return r, size, true
	case isFullWidth(r):
		return r - 0xFEE0, size, startsSimply(s, p+size)
	}
	return r, size, false
}

// startsSimply reports whether s[q:] is empty or starts with a rune that
// nothing before it composes with: ASCII, CJK or full-width ASCII.
func startsSimply(s string, q int) bool {
	if q == len(s) || s[q] < utf8.RuneSelf {
		return true
	}
	if _, ok := latin1Letter(s, q); ok {
		return true
	}
	r, _ := decode(s, q)
	return isCJK(r) || isFullWidth(r)
}

// latin1Letter returns the rune at s[p:] when it is one of the letters
// U+00C0–U+00FF (À…ÿ, bar × and ÷), the accented letters of Portuguese,
// Spanish and most of Western Europe. Each is a starter that NFKC leaves
// as it is and that composes with nothing before it (TestLatin1Letters),
// so it starts an NFKC segment, and ends one unless a mark follows.
func latin1Letter(s string, p int) (rune, bool) {
	if p+1 < len(s) && s[p] == 0xC3 && 0x80 <= s[p+1] && s[p+1] <= 0xBF {
		r := rune(s[p+1]) + 0x40 // 0xC3 0x80 is U+00C0
		return r, r != '×' && r != '÷'
	}
	return 0, false
}

// isFullWidth reports whether r is a full-width form of an ASCII rune
// (ＡＢＣ，！), which NFKC makes that ASCII rune.
func isFullWidth(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }

// isCJK reports whether r is a CJK ideograph (U+3400–U+4DBF,
// U+4E00–U+9FFF) or one of the CJK punctuation marks U+3001–U+3003 and
// U+3008–U+3011 (、。〃〈〉《》「」『』【】). Each is a starter in NFKC, in
// no composition and unchanged by it, so a segment of its own; it has no
// case and no marks.
func isCJK(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF ||
		r >= 0x3001 && r <= 0x3003 || r >= 0x3008 && r <= 0x3011
}

// foldStretch applies the rune rules to s[p:], which starts and ends on
// NFKC segment boundaries.
func (t *Text) foldStretch(s string, p int) {
	for p < len(s) {
		// s[p:n] is NFKC already: fold it rune by rune, each rune its
		// own unit.
		n := p + norm.NFKC.QuickSpanString(s[p:])
		for p < n {
			r, size := decode(s, p)
			t.foldRune(r, span{int32(p), int32(p + size)})
			p += size
		}
		if p == len(s) {
			break
		}
		// One segment (a starter and its marks) needs NFKC: every rune
		// of its normal form shares the segment's span. A rune whose
		// decomposition has several starters (Ĳ → IJ) comes out of the
		// iterator in several pieces before it moves on.
		t.iter.InitString(norm.NFKC, s[p:])
		t.seg = t.seg[:0]
		for t.iter.Pos() == 0 && !t.iter.Done() {
			t.seg = append(t.seg, t.iter.Next()...)
		}
		sp := span{int32(p), int32(p + t.iter.Pos())}
		for seg := t.seg; len(seg) > 0; {
			r, size := utf8.DecodeRune(seg)
			t.foldRune(r, sp)
			seg = seg[size:]
		}
		p = int(sp.end)
	}
}

// foldRune applies rules 2 to 5 to one NFKC rune r from the original span
// sp.
func (t *Text) foldRune(r rune, sp span) {
	if r < utf8.RuneSelf {
		b := lower[r]
		t.prevLatin = isLetterByte(b)
		t.emitByte(b, sp)
		return
	}
	if noCase(r) {
		t.prevLatin = false
		t.emitRune(r, sp)
		return
	}
	switch {
	case unicode.IsSpace(r):
		t.prevLatin = false
		t.emitByte(' ', sp)
		return
	case ignorable(r), t.prevLatin && unicode.Is(unicode.Mn, r):
		t.drop(sp)
		return
	}
	// Lower case of the upper case folds the lower-case runes that have no
	// upper-case twin of their own: ς and σ, ᲀ and в, ͅ and ι.
	r = unicode.ToLower(unicode.ToUpper(r))
	if r >= 0x300 && unicode.IsMark(r) { // a kept mark belongs to the letter before it (no marks before U+0300)
		t.emitRune(r, sp)
		return
	}
	if r == 'ß' { // ẞ came here as ß
		t.prevLatin = true
		t.emitByte('s', sp)
		t.emitByte('s', sp)
		return
	}
	if b := latinBase(r); b != "" {
		t.prevLatin = true
		for _, r := range b {
			if r < utf8.RuneSelf {
				t.emitByte(byte(r), sp)
			} else {
				t.emitRune(r, sp)
			}
		}
		return
	}
	t.prevLatin = unicode.Is(unicode.Latin, r)
	t.emitRune(r, sp)
}

// noCase reports whether r is one of the runes from U+3100 to U+A63F
// (Bopomofo, CJK ideographs, Hangul compatibility jamo, Yi, Lisu, Vai): no
// case, no marks, no spaces, nothing to drop. TestNoCaseRange checks it.
func noCase(r rune) bool { return r >= 0x3100 && r < 0xA640 }

// ignorable reports whether rule 3 drops r.
func ignorable(r rune) bool {
	switch r {
	case 0x180E: // Mongolian vowel separator: Cf, but White_Space in Go
		return true
	}
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// emitByte appends the ASCII byte b, from the original span sp, to fold.
func (t *Text) emitByte(b byte, sp span) {
	t.startUnit(sp)
	t.fold = append(t.fold, b)
	t.fspans = append(t.fspans, sp)
}

// emitRune appends r, from the original span sp, to fold.
func (t *Text) emitRune(r rune, sp span) {
	t.startUnit(sp)
	n := len(t.fold)
	t.fold = utf8.AppendRune(t.fold, r)
	for range len(t.fold) - n {
		t.fspans = append(t.fspans, sp)
	}
}

// startUnit notes where the output of a new source span begins, for drop,
// and settles a pending drop.
func (t *Text) startUnit(sp span) {
	if t.dropping {
		t.dropping = false
		if t.dropped != sp {
			t.extend(t.dropped.end)
		}
	}
	if n := len(t.fspans); n == 0 || t.fspans[n-1] != sp {
		t.unitStart = n
	}
}

// drop gives a dropped rune's span to the output before it, so that a
// redaction covering that output also covers the invisible rune. It waits
// for the next output: a rune dropped from an NFKC segment whose other runes
// are kept (a soft hyphen and a mark after it) is covered by them already,
// and the output before must not grow into their span.
func (t *Text) drop(sp span) {
	if t.dropping && t.dropped != sp {
		t.extend(t.dropped.end)
	}
	t.dropping, t.dropped = true, sp
}

// extend makes the last output unit's span end at end. A dropped rune
// before any output belongs to no output.
func (t *Text) extend(end int32) {
	for k := t.unitStart; k < len(t.fspans); k++ {
		t.fspans[k].end = end
	}
}

// latinBase returns what rule 5 makes of the lower-case Latin letter r,
// or "" if r is not one it folds.
func latinBase(r rune) string {
	switch {
	case r >= 0xC0 && r < 0x250:
		return latinTable[r-0xC0]
	case r >= 0x1E00 && r < 0x1F00:
		return latinExtTable[r-0x1E00]
	}
	return ""
}

// latinTable and latinExtTable hold latinLetters for U+00C0–U+024F and
// U+1E00–U+1EFF. They are built once, at package initialization, and only
// read after that.
var (
	latinTable    = latinBases(0xC0, 0x250)
	latinExtTable = latinBases(0x1E00, 0x1F00)
)

// latinBases builds the table of latinBase for runes [lo, hi).
func latinBases(lo, hi rune) []string {
	tab := make([]string, hi-lo)
	for r := lo; r < hi; r++ {
		tab[r-lo] = latinLetters(r)
	}
	return tab
}

// latinLetters returns what rule 5 makes of the lower-case rune r, or "".
// r decomposes to a Latin letter and nonspacing marks (ǿ: ø and an acute;
// ǯ: ʒ and a caron), and the letter may be one that rule 5 names.
func latinLetters(r rune) string {
	if unicode.ToLower(r) != r {
		return ""
	}
	d := norm.NFD.String(string(r))
	base, size := utf8.DecodeRuneInString(d)
	for _, m := range d[size:] {
		if !unicode.Is(unicode.Mn, m) {
			return ""
		}
	}
	switch base {
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'đ':
		return "d"
	case 'ħ':
		return "h"
	case 'ŧ':
		return "t"
	case 'ı':
		return "i"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	}
	if base != r && unicode.Is(unicode.Latin, base) {
		return string(base)
	}
	return ""
}

// lower maps each byte to its lower case for ASCII and to itself otherwise.
var lower = func() (l [256]byte) {
	for i := range l {
		l[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			l[i] += 'a' - 'A'
		}
	}
	return l
}()

// isLetterByte reports whether b is an ASCII letter.
func isLetterByte(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// decode is utf8.DecodeRuneInString(s[p:]), faster for the three-byte
// runes of CJK text. Lead bytes E1–EC and EE–EF start no overlong form and
// no surrogate, so their runes are valid when two continuation bytes
// follow.
func decode(s string, p int) (rune, int) {
	b := s[p]
	if b < utf8.RuneSelf {
		return rune(b), 1
	}
	if b >= 0xE1 && b <= 0xEF && b != 0xED && p+2 < len(s) && s[p+1]&0xC0 == 0x80 && s[p+2]&0xC0 == 0x80 {
		return rune(b&0x0F)<<12 | rune(s[p+1]&0x3F)<<6 | rune(s[p+2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s[p:])
}
