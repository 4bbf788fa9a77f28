package normalize

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Classes of runes for the word rules (6 to 9).
const (
	cOther  = iota
	cLetter // a letter (any script), or a mark
	cDigit  // an ASCII digit
	cNumber // another decimal digit (٣, ३): part of a word, never leet
	cLeet   // @ $ !: leet inside a word, punctuation elsewhere
	cSpace  // ASCII white space (the rune rules made all white space ' ')
	cSep    // a separator that rule 6 drops between spaced-out letters
)

// asciiClass is the class of each ASCII byte.
var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for b := range c {
		switch {
		case isLetterByte(byte(b)):
			c[b] = cLetter
		case '0' <= b && b <= '9':
			c[b] = cDigit
		}
	}
	for _, b := range "@$!" {
		c[b] = cLeet
	}
	for _, b := range " \t\n\v\f\r" {
		c[b] = cSpace
	}
	for _, b := range ".-_*/|~+" {
		c[b] = cSep
	}
	return c
}()

// leet maps the ASCII digits and symbols of rule 8 to letters (0: none).
var leet = [utf8.RuneSelf]byte{
	'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
	'@': 'a', '$': 's', '!': 'i',
}

// classAt returns the class and the size of the rune at f[p:].
func classAt(f string, p int) (class uint8, size int) {
	if b := f[p]; b < utf8.RuneSelf {
		return asciiClass[b], 1
	}
	return classRune(f, p)
}

// classRune is classAt for a non-ASCII rune.
func classRune(f string, p int) (class uint8, size int) {
	r, size := decode(f, p)
	switch {
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs, the bulk of Chinese
		return cLetter, size
	case unicode.IsLetter(r), unicode.IsMark(r):
		return cLetter, size
	case unicode.IsDigit(r):
		return cNumber, size
	}
	switch r {
	case '·', '•', '‧', '・', '‐', '–', '—':
		return cSep, size
	}
	return cOther, size
}

// isWord reports whether a rune of class c is part of a word.
func isWord(c uint8) bool { return c == cLetter || c == cDigit || c == cNumber }

// src returns the original span of fold byte k.
func (t *Text) src(k int) span {
	if t.ascii {
		return span{int32(k), int32(k + 1)}
	}
	return t.fspans[k]
}

// put appends the output byte b, made from fold bytes [from, to).
func (t *Text) put(b byte, from, to int) {
	t.Norm[t.n] = b
	t.spans[t.n] = span{t.src(from).start, t.src(to - 1).end}
	t.n++
}

// copyBytes appends f[p:q] unchanged (bar ASCII case). Every byte of a
// rune in fold has the rune's span, so byte k's span is src(k).
func (t *Text) copyBytes(f string, p, q int) {
	norm, spans := t.Norm[t.n:t.n+q-p], t.spans[t.n:t.n+q-p]
	t.n += q - p
	if t.ascii {
		for i := range norm {
			norm[i] = lower[f[p+i]]
			spans[i] = span{int32(p + i), int32(p + i + 1)}
		}
		return
	}
	copy(norm, f[p:q])
	copy(spans, t.fspans[p:q])
}

// words applies the word rules (6 to 9) to f, the message after the rune
// rules, writing t.Norm and t.spans. No word rule makes text longer, so
// both are sized len(f) up front and written by index.
func (t *Text) words(f string) {
	t.Norm = slices.Grow(t.Norm[:0], len(f))[:len(f)]
	t.spans = slices.Grow(t.spans[:0], len(f))[:len(f)]
	t.n = 0
	for p := 0; p < len(f); {
		c, size := asciiClass[f[p]&0x7f], 1
		if f[p] >= utf8.RuneSelf {
			c, size = classRune(f, p)
		}
		if (c == cSpace || c == cSep) && t.hanGap(f, p) {
			p = sepEnd(f, p) // rule 6 for Han: 回 扣, 回.扣 → 回扣
			continue
		}
		switch {
		case c == cSpace:
			q := p + 1
			for q < len(f) && f[q] < utf8.RuneSelf && asciiClass[f[q]] == cSpace {
				q++
			}
			// Keep apart a last space that shares an NFKC segment
			// with what follows (" \u0308"), so that spans do not
			// overlap.
			for !t.ascii && q < len(f) && q > p+1 && t.fspans[q-1] == t.fspans[q] {
				q--
			}
			t.put(' ', p, q)
			p = q
		case isWord(c) || f[p] == '$' && p+1 < len(f) && isWordAt(f, p+1):
			// Most words are longer than one rune: only try rule 6
			// when the next byte does not say so.
			if q := p + size; q == len(f) || !nextIsWord(f, q) {
				if q, ok := t.join(f, p); ok {
					p = q
					continue
				}
			}
			p = t.word(f, p)
		default:
			t.copyBytes(f, p, p+size)
			p += size
		}
	}
	t.Norm, t.spans = t.Norm[:t.n], t.spans[:t.n]
}

// hanGap reports whether the separator run at f[p:] (white space, or up
// to maxSep bytes of . - _ * and the like) stands between two Han
// characters: Chinese is written without spaces, so such a gap is an
// evasion (回 扣, 回.扣) and rule 6 drops it.
func (t *Text) hanGap(f string, p int) bool {
	if p == 0 || t.ascii || f[p-1] < utf8.RuneSelf { // most gaps follow an ASCII letter
		return false
	}
	if before, _ := utf8.DecodeLastRuneInString(f[:p]); !isHan(before) {
		return false
	}
	q := sepEnd(f, p)
	if q == len(f) || sepLen(f[p:q]) > maxSep {
		return false
	}
	after, _ := utf8.DecodeRuneInString(f[q:])
	return isHan(after)
}

// isHan reports whether r is of the Han script, looking up the table only
// outside the block of unified ideographs.
func isHan(r rune) bool {
	return 0x4E00 <= r && r <= 0x9FFF || r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// nextIsWord is isWordAt with ASCII inline.
func nextIsWord(f string, q int) bool {
	if f[q] < utf8.RuneSelf {
		return isWord(asciiClass[f[q]])
	}
	return isWordAt(f, q)
}

// isWordAt reports whether the rune at f[p:] is part of a word.
func isWordAt(f string, p int) bool {
	c, _ := classAt(f, p)
	return isWord(c)
}

// wordInfo is what rules 7 and 8 need to know about a word.
type wordInfo struct {
	latin    int  // Latin letters (ASCII or not)
	other    int  // letters of other scripts, bar look-alikes
	lookies  int  // Cyrillic and Greek look-alikes of Latin letters
	leets    int  // ASCII digits and @ $ !
	digitRun int  // the current run of ASCII digits
	maxRun   int  // the longest run of ASCII digits
	at       bool // has an @ (rule 8 spares e-mail addresses)
	dollar   bool // has a $
}

// add counts the rune at f[p:] of class c.
func (w *wordInfo) add(f string, p int, c uint8) {
	if c != cDigit {
		w.digitRun = 0
	}
	switch c {
	case cDigit:
		w.leets++
		w.digitRun++
		w.maxRun = max(w.maxRun, w.digitRun)
	case cLeet:
		w.leets++
		w.at = w.at || f[p] == '@'
		w.dollar = w.dollar || f[p] == '$'
	case cLetter:
		switch {
		case f[p] < utf8.RuneSelf:
			w.latin++
			return
		case w.other > 0:
			return // neither rule 7 nor rule 8 applies
		}
		r, _ := decode(f, p)
		switch {
		case lookalike(r) != 0:
			w.lookies++
		case unicode.Is(unicode.Latin, r):
			w.latin++
		case unicode.IsLetter(r):
			w.other++
		}
	}
}

// rules returns whether rules 7 (homoglyphs) and 8 (leet) apply to a word.
// A run of three or more digits makes a word a code (h264, US$500) unless
// it has two Latin letters or more and no $ (d3l373, 53771ng).
func (w *wordInfo) rules() (homo, leet bool) {
	latinOnly := w.latin > 0 && w.other == 0
	return latinOnly && w.lookies > 0, latinOnly && w.leets > 0 && (w.maxRun < 3 || w.latin >= 2 && !w.dollar)
}

// word writes the word that starts at f[p:] and returns where it ends.
func (t *Text) word(f string, p int) int {
	// Fast path: a word of ASCII letters, which no rule changes.
	e := p
	for e < len(f) && f[e] < utf8.RuneSelf && asciiClass[f[e]] == cLetter {
		e++
	}
	if e > p {
		if e == len(f) {
			t.copyBytes(f, p, e)
			return e
		}
		if c := asciiClass[f[e]&0x7f]; f[e] < utf8.RuneSelf && c != cDigit && !(c == cLeet && joinsWord(f, p, e)) {
			t.copyBytes(f, p, e)
			return e
		}
	}

	var w wordInfo
	for e = p; e < len(f); {
		c, size := classAt(f, e)
		if !isWord(c) && !(c == cLeet && joinsWord(f, p, e)) {
			break
		}
		w.add(f, e, c)
		e += size
		if w.other > 0 {
			// A letter of another script (a Han character): neither
			// rule 7 nor 8 applies to the word, so only its end matters.
			for e < len(f) {
				if e+2 < len(f) && 0xE4 <= f[e] && f[e] <= 0xE9 { // U+4000–U+9FFF
					if r, _ := decode(f, e); 0x4E00 <= r && r <= 0x9FFF {
						e += 3 // a CJK unified ideograph: a letter
						continue
					}
				}
				c, size := classAt(f, e)
				if !isWord(c) && !(c == cLeet && joinsWord(f, p, e)) {
					break
				}
				e += size
			}
			t.copyBytes(f, p, e)
			return e
		}
	}
	homo, leetOK := w.rules()
	if leetOK && (isQuantity(f[p:e]) || w.at && isEmailDomain(f[e:])) {
		leetOK = false
	}
	if !homo && !leetOK {
		t.copyBytes(f, p, e)
		return e
	}
	for k := p; k < e; {
		_, size := classAt(f, k)
		t.mapRune(f, k, size, homo, leetOK)
		k += size
	}
	return e
}

// joinsWord reports whether the leet symbol at f[k], in a word that starts
// at f[p], belongs to the word: it must be followed by a word character,
// and be inside the word unless it is a $.
func joinsWord(f string, p, k int) bool {
	return k+1 < len(f) && isWordAt(f, k+1) && (k > p || f[k] == '$')
}

// mapRune writes the rune f[k:k+size] of a word, applying rule 7 if homo
// and rule 8 if leetOK.
func (t *Text) mapRune(f string, k, size int, homo, leetOK bool) {
	if b := f[k]; b < utf8.RuneSelf {
		if l := leet[b]; leetOK && l != 0 {
			b = l
		}
		t.put(lower[b], k, k+1)
		return
	}
	if homo {
		r, _ := decode(f, k)
		if l := lookalike(r); l != 0 {
			t.put(l, k, k+size)
			return
		}
	}
	t.copyBytes(f, k, k+size)
}

// units are the letters a number takes as a quantity (4pm, 3rd, 10kg);
// other letters after digits are leet (0ff, 73ll).
var units = map[string]bool{
	"a": true, "am": true, "pm": true, "st": true, "nd": true, "rd": true, "th": true, "k": true, "m": true, "b": true,
	"g": true, "x": true, "h": true, "s": true, "d": true, "y": true, "w": true, "t": true, "p": true, "kg": true,
	"km": true, "cm": true, "mm": true, "gb": true, "mb": true, "tb": true, "kb": true, "ml": true, "hz": true, "px": true,
	"mg": true, "lb": true, "oz": true, "ft": true, "yr": true, "hr": true, "kw": true, "bn": true, "mn": true, "l": true,
}

// isQuantity reports whether w is digits and a unit of one or two ASCII
// letters, perhaps after a $: 4pm, 3rd, 10am, $5k.
func isQuantity(w string) bool {
	if len(w) > 0 && w[0] == '$' {
		w = w[1:]
	}
	d := 0
	for d < len(w) && '0' <= w[d] && w[d] <= '9' {
		d++
	}
	n := len(w) - d
	if d == 0 || n < 1 || n > 2 {
		return false
	}
	for i := d; i < len(w); i++ {
		if !isLetterByte(w[i]) {
			return false
		}
	}
	return units[strings.ToLower(w[d:])]
}

// isEmailDomain reports whether rest, the text after a word with an @,
// goes on like a domain: a dot and a letter.
func isEmailDomain(rest string) bool {
	return len(rest) >= 2 && rest[0] == '.' && isLetterByte(rest[1])
}
