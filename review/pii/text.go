package pii

import "unicode/utf8"

// Byte classes drive the scanner: each class is a trigger that may start a
// value. Bytes of class cNone (spaces, punctuation, UTF-8 continuation
// bytes) are skipped in a tight loop.
const (
	cNone  = iota
	cDigit // 0-9: numbers, base58 and 0x wallets, IPs
	cUpper // A-Z: names, IBAN, PAN, HKID
	cLower // a-z: participants' names, bc1 wallets, IPv6
	cAt    // '@': e-mail
	cPlus  // '+': E.164 phones
	cParen // '(': "(11) 91234-5678"
	cHigh  // a UTF-8 lead byte: full-width digits, Latin letters, Han
	cColon // ':': IPv6 addresses starting "::"
)

var class = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = cUpper
		t[c+'a'-'A'] = cLower
	}
	t['@'], t['+'], t['('], t[':'] = cAt, cPlus, cParen, cColon
	for c := 0xC2; c <= 0xF4; c++ {
		t[c] = cHigh
	}
	return t
}()

func isDigit(c byte) bool { return c-'0' < 10 }
func isUpper(c byte) bool { return c-'A' < 26 }
func isLower(c byte) bool { return c-'a' < 26 }
func isAlnum(c byte) bool { return isDigit(c) || isUpper(c) || isLower(c) }
func isHex(c byte) bool   { return isDigit(c) || (c|0x20)-'a' < 6 }

// isLatinLetter reports whether r is a letter of the Latin-1 Supplement or
// Latin Extended-A/B blocks (á, ñ, ç, ã, ő …), which continue a Latin word.
func isLatinLetter(r rune) bool {
	return r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7
}

// glueRune reports whether r glues to an adjacent value, making both one
// token: ASCII letters, digits and '_', Latin, Greek and Cyrillic letters,
// combining marks, and full-width letters and digits. Han, kana, Hangul and
// Devanagari do not glue: Chinese writes "电话13800138000" with no space,
// and that number is still a phone number.
func glueRune(r rune) bool {
	switch {
	case r < 0x80:
		c := byte(r)
		return isAlnum(c) || c == '_'
	case r < 0xC0:
		return false
	case r <= 0x24F:
		return r != 0xD7 && r != 0xF7
	case r >= 0x300 && r <= 0x4FF: // combining marks, Greek, Cyrillic
		return true
	case r >= 0x1E00 && r <= 0x1EFF: // Latin Extended Additional (Vietnamese)
		return true
	case r >= 0xFF10 && r <= 0xFF19, r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A:
		return true
	}
	return false
}

// prevGlue reports whether the rune ending at text[i] glues to a value
// starting at i.
func prevGlue(text string, i int) bool {
	if i == 0 {
		return false
	}
	if c := text[i-1]; c < 0x80 {
		return isAlnum(c) || c == '_'
	}
	return prevGlueRune(text, i)
}

func prevGlueRune(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return glueRune(r)
}

// nextGlue reports whether the rune starting at text[j] glues to a value
// ending at j.
func nextGlue(text string, j int) bool {
	if j >= len(text) {
		return false
	}
	if c := text[j]; c < 0x80 {
		return isAlnum(c) || c == '_'
	}
	return nextGlueRune(text, j)
}

func nextGlueRune(text string, j int) bool {
	r, _ := utf8.DecodeRuneInString(text[j:])
	return glueRune(r)
}

// numSep reports whether c joins digit groups into one number ("1.2.3",
// "12-34", "12/34"): a value cannot start or end next to c plus a digit.
func numSep(c byte) bool { return c == '.' || c == '-' || c == '/' }

// leftOK reports whether a value may start at i: not glued to a letter or
// digit, and not the tail of a dotted or dashed number ("1.4111…").
func leftOK(text string, i int) bool {
	if prevGlue(text, i) {
		return false
	}
	return i < 2 || !numSep(text[i-1]) || !isDigit(text[i-2])
}

// rightOK is leftOK's mirror for a value ending at j.
func rightOK(text string, j int) bool {
	if nextGlue(text, j) {
		return false
	}
	return j+1 >= len(text) || !numSep(text[j]) || !isDigit(text[j+1])
}

// digitAt returns the value of the ASCII or full-width (U+FF10-U+FF19)
// digit at text[i] and its length in bytes, or size 0.
func digitAt(text string, i int) (d byte, size int) {
	if i >= len(text) {
		return 0, 0
	}
	if c := text[i]; isDigit(c) {
		return c - '0', 1
	}
	if i+2 < len(text) && text[i] == 0xEF && text[i+1] == 0xBC && text[i+2]-0x90 < 10 {
		return text[i+2] - 0x90, 3
	}
	return 0, 0
}

// wordEnd returns the end of the ASCII-alphanumeric word starting at i,
// and whether it holds a digit and a letter. A Latin letter outside ASCII
// (á, ñ) continues the word and sets latin.
func wordEnd(text string, i int) (j int, digit, letter, latin bool) {
	j = i
	// Fast path: a run of ASCII letters, most words of most text.
	for j < len(text) && class[text[j]]-cUpper < 2 {
		j++
	}
	letter = j > i
	for j < len(text) {
		c := text[j]
		switch {
		case isDigit(c):
			digit = true
		case isUpper(c) || isLower(c):
			letter = true
		case c >= 0xC3 && c <= 0xC9:
			r, n := utf8.DecodeRuneInString(text[j:])
			if !isLatinLetter(r) {
				return
			}
			letter, latin = true, true
			j += n
			continue
		default:
			return
		}
		j++
	}
	return
}

// hasWordBefore reports whether one of the lower-case ASCII words (or any
// UTF-8 strings) in words, whose first bytes are marked in first, ends
// within window bytes before i; ASCII is compared case-insensitively. An
// ASCII word must start a word in the text.
func hasWordBefore(text string, i, window int, words []string, first *[256]bool) bool {
	for k := max(0, i-window); k < i; k++ {
		c := text[k]
		if isUpper(c) {
			c += 'a' - 'A'
		}
		if !first[c] || (c < 0x80 && k > 0 && isAlnum(text[k-1])) {
			continue
		}
		for _, w := range words {
			if k+len(w) <= i && foldPrefix(text[k:], w) {
				return true
			}
		}
	}
	return false
}

// firstBytes marks the first byte of each word.
func firstBytes(words []string) *[256]bool {
	var t [256]bool
	for _, w := range words {
		t[w[0]] = true
	}
	return &t
}

// foldPrefix reports whether s starts with the lower-case w, ASCII letters
// of s compared case-insensitively.
func foldPrefix(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		c := s[k]
		if isUpper(c) {
			c += 'a' - 'A'
		}
		if c != w[k] {
			return false
		}
	}
	return true
}
