package normalize

import "strings"

// Rule 6 limits.
const (
	minJoined = 3 // one-rune words in a run before it is joined
	minLetter = 2 // letters among them ("1 2 3" is a list of numbers)
	maxSep    = 4 // bytes of one separator ("b - r - i" has " - ")
)

// join applies rule 6 at f[p:], the start of a word. If spaced-out letters
// start there, it writes them as one word and returns where the last of
// them ends; otherwise it writes nothing and returns false.
func (t *Text) join(f string, p int) (int, bool) {
	end, ok := single(f, p)
	if !ok {
		return 0, false // the common case: a word of two runes or more
	}
	q := end
	for q < len(f) && q-end <= maxSep {
		if c, size := classAt(f, q); c == cSpace || c == cSep {
			q += size
			continue
		}
		break
	}
	sep := f[end:q]
	if sep == "" || len(sep) > maxSep || q == len(f) {
		return 0, false
	}
	t.joined = append(t.joined[:0], int32(p))
	for {
		next, ok := single(f, q)
		if !ok {
			break
		}
		t.joined = append(t.joined, int32(q))
		end = next
		// The same separator again, and not the start of a longer one.
		if !strings.HasPrefix(f[end:], sep) {
			break
		}
		q = end + len(sep)
		if q < len(f) {
			if c, _ := classAt(f, q); c == cSpace || c == cSep {
				break
			}
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
