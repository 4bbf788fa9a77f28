package pii

import (
	"unicode"
	"unicode/utf8"
)

// E-mail addresses, found from their '@'. The local part is RFC 5321's
// dot-atom (letters, digits and !#$%&*+-/=?^_`{|}~, dots between) without
// the apostrophe, which chat text puts next to words far more often than
// addresses do, plus Latin letters (EAI, RFC 6531). The domain is two or
// more labels of 1-63 bytes, not starting or ending with '-', and the last
// is a top-level domain: two or more ASCII letters, an "xn--" label, or a
// label in a non-Latin script (例子.中国).
//
// A label is either Latin (ASCII letters, digits, '-', Latin letters such
// as ü) or in one other script; a change of script ends the domain, so
// "john@example.com谢谢" stops before 谢谢.

const (
	maxLocal  = 64
	maxDomain = 253
	maxLabel  = 63
)

// atext marks the ASCII bytes of a local part besides letters and digits.
var atext = func() (t [128]bool) {
	for _, c := range []byte("!#$%&*+-/=?^_`{|}~.") {
		t[c] = true
	}
	return t
}()

// email emits the address whose '@' is at text[a], and returns where to
// resume.
func (s *scanner) email(a int) int {
	text := s.text
	start := a
	for start > 0 && a-start <= maxLocal {
		c := text[start-1]
		if c < 0x80 {
			if !isAlnum(c) && !atext[c] {
				break
			}
			start--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if !isLatinLetter(r) {
			break
		}
		start -= n
	}
	// Dots cannot start a local part or come in pairs: "see...john@"
	// starts at john.
	for k := a - 1; k > start; k-- {
		if text[k] == '.' && text[k-1] == '.' {
			start = k + 1
			break
		}
	}
	for start < a && text[start] == '.' {
		start++
	}
	if start == a || a-start > maxLocal || text[a-1] == '.' || prevGlue(text, start) {
		return a + 1
	}
	end, ok := domain(text, a+1)
	if !ok {
		return a + 1
	}
	s.emit(Email, start, end, scoreChecksum)
	return end
}

// domain reads the domain starting at p and returns its end.
func domain(text string, p int) (int, bool) {
	labels := 0
	end := p
	var last string
	for {
		q := label(text, end)
		if q == end || q-end > maxLabel || text[end] == '-' || text[q-1] == '-' {
			if labels > 0 {
				end-- // the dot before this label ends a sentence, not the domain
			}
			break
		}
		labels++
		last = text[end:q]
		end = q
		if end+1 < len(text) && text[end] == '.' {
			if label(text, end+1) > end+1 {
				end++
				continue
			}
		}
		break
	}
	if labels < 2 || end-p > maxDomain || !tld(last) || nextGlue(text, end) {
		return 0, false
	}
	return end, true
}

// label reads one label at p, Latin or in another script, and returns its
// end.
func label(text string, p int) int {
	q := p
	latin := true
	for q < len(text) {
		c := text[q]
		if c < 0x80 {
			if !latin || !(isAlnum(c) || c == '-') {
				break
			}
			q++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[q:])
		isLatin := isLatinLetter(r)
		switch {
		case isLatin && latin:
		case !isLatin && unicode.IsLetter(r) && (q == p || !latin):
			latin = false
		default:
			return q
		}
		q += n
	}
	return q
}

// tld checks a top-level domain.
func tld(l string) bool {
	if len(l) >= 4 && l[:4] == "xn--" {
		return len(l) > 4
	}
	if l[0] >= 0x80 {
		r, _ := utf8.DecodeRuneInString(l)
		return !isLatinLetter(r)
	}
	if len(l) < 2 {
		return false
	}
	for k := range len(l) {
		if !isUpper(l[k]) && !isLower(l[k]) {
			return false
		}
	}
	return true
}
