package normalize

import "unicode/utf8"

// Rule 6 limits.
const (
	minJoined = 3 // one-rune words in a run before it is joined
	minLetter = 2 // letters among them ("1 2 3" is a list of numbers)
	maxSep    = 4 // bytes of one separator ("b - r - i" has " - ")

	// maxJoined bounds a run: a longer one is joined in pieces. Without
	// it, a hostile message of 50,000 "+4" took quadratic time (35 s),
	// each word rescanning the run it could not join.
	maxJoined = 64
)

// join applies rule 6 at f[p:], the start of a word. If spaced-out letters
// start there, it writes them as one word and returns where the last of
// them ends; otherwise it writes nothing and returns false.
func (t *Text) join(f string, p int) (int, bool) {
	end, ok := single(f, p)
	if !ok {
		return 0, false // the common case: a word of two runes or more
	}
	q := sepEnd(f, end)
	sep := f[end:q]
	if sep == "" || sepLen(sep) > maxSep || q == len(f) {
		return 0, false
	}
	t.joined = append(t.joined[:0], int32(p))
	for len(t.joined) < maxJoined {
		next, ok := single(f, q)
		if !ok {
			break
		}
		t.joined = append(t.joined, int32(q))
		end = next
		// The same separator again (white space of any length counts
		// as one space, as rule 9 makes it).
		q = sepEnd(f, end)
		if !sameSep(sep, f[end:q]) {
			break
		}
	}
	if len(t.joined) < minJoined {
		return 0, false
	}
	var w wordInfo
	letters := 0
	for _, k := range t.joined {
		c, _ := classAt(f, int(k))
		if c == cLetter {
			letters++
		}
		w.add(f, int(k), c)
	}
	if letters < minLetter {
		return 0, false
	}
	homo, leetOK := w.rules()
	for _, k := range t.joined {
		_, size := classAt(f, int(k))
		t.mapRune(f, int(k), size, homo, leetOK)
	}
	return end, true
}

// single reports whether a one-rune word (a letter or a digit, or an @ or $
// standing for one) starts at f[p:], and returns where it ends.
func single(f string, p int) (int, bool) {
	if p >= len(f) {
		return 0, false
	}
	c, size := classAt(f, p)
	if !isWord(c) && !(c == cLeet && f[p] != '!') {
		return 0, false
	}
	end := p + size
	if end < len(f) && isWordAt(f, end) {
		return 0, false
	}
	return end, true
}

// sepEnd returns the end of the run of separators and white space at f[q:].
func sepEnd(f string, q int) int {
	for q < len(f) {
		c, size := classAt(f, q)
		if c != cSpace && c != cSep {
			break
		}
		q += size
	}
	return q
}

// sepLen returns the length of the separator run a once each of its runs
// of white space is one space.
func sepLen(a string) int {
	n := 0
	for i := 0; i < len(a); i++ {
		if i == 0 || !isSpaceByte(a[i]) || !isSpaceByte(a[i-1]) {
			n++
		}
	}
	return n
}

// sameSep reports whether the separator runs a and b are the same once
// each of their runs of white space is one space.
func sameSep(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isSpaceByte(a[i]) && isSpaceByte(b[j]) {
			for i < len(a) && isSpaceByte(a[i]) {
				i++
			}
			for j < len(b) && isSpaceByte(b[j]) {
				j++
			}
			continue
		}
		if a[i] != b[j] {
			return false
		}
		i, j = i+1, j+1
	}
	return i == len(a) && j == len(b)
}

// isSpaceByte reports whether b is ASCII white space.
func isSpaceByte(b byte) bool { return b < utf8.RuneSelf && asciiClass[b] == cSpace }
