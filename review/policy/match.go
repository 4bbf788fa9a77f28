package policy

import (
	"cmp"
	"math/bits"
	"slices"
	"unicode/utf8"

	"sealroom/internal/ascii"
)

// HitKind says what found a hit.
type HitKind uint8

const (
	KindTerm       HitKind = iota // a lexicon term, NEAR operand or exclusion, exactly
	KindFuzzy                     // a word within the edit limit of a term
	KindShortener                 // a URL shortener's host
	KindPunycode                  // a host with an xn-- label
	KindLookalike                 // a host imitating a brand
	KindExecutable                // a file name with an executable extension
)

// Hit is one match in normalized text, at norm[Start:End]. It holds no
// pointer (Matcher.Term names its term), so the slices of hits a scan
// builds cost the garbage collector nothing.
type Hit struct {
	Start, End int
	pat        int32 // index into Matcher.pats, -1 for detectors
	Kind       HitKind
	Dist       uint8 // edit distance (KindFuzzy), else 0; at most 2
	whole      bool  // the match ends a word (always true where that does not apply)
}

// Term returns the folded term h matched (KindTerm, KindFuzzy), or "" for
// a detector's hit.
func (m *Matcher) Term(h Hit) string {
	if h.pat < 0 || int(h.pat) >= len(m.pats) {
		return ""
	}
	return m.pats[h.pat]
}

// Match appends to dst the hits in norm, which must be text normalized by
// the fold function given to Compile, and returns dst. The new hits are
// sorted by Start, then End. Latin-script terms match at the start of a
// word and, unless they end in '*', at its end; CJK terms match anywhere.
func (m *Matcher) Match(norm string, dst []Hit) []Hit {
	first := len(dst)
	dst = m.exact(norm, dst)
	if m.fz != nil {
		n := len(dst)
		dst = m.fuzzyHits(norm, dst, first)
		if len(dst) > n {
			sortHits(dst[first:])
		}
	}
	if m.det {
		n := len(dst)
		dst = detect(norm, dst, &m.hosts)
		if len(dst) > n {
			sortHits(dst[first:])
		}
	}
	return dst
}

// exact appends the automaton's hits that meet the word rules, sorted.
func (m *Matcher) exact(norm string, dst []Hit) []Hit {
	first := len(dst)
	m.ac.scan(norm, func(p int32, end int) {
		start := end - int(m.ac.plen[p])
		in := &m.info[p]
		if in.needStart && !boundaryBefore(norm, start) {
			return
		}
		whole := !in.needEnd || boundaryAfter(norm, end)
		if !whole && !in.prefixOK {
			return
		}
		dst = append(dst, Hit{Start: start, End: end, Kind: KindTerm, pat: p, whole: whole})
	})
	sortHits(dst[first:])
	return dst
}

// sortHits sorts hits by Start, End, Kind and pattern. A message has a
// few: they are sorted by insertion, which costs a tenth of slices.SortFunc
// for three; many go to slices.SortFunc.
func sortHits(h []Hit) {
	if len(h) > 12 {
		slices.SortFunc(h, compareHits)
		return
	}
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && compareHits(h[j], h[j-1]) < 0; j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

func compareHits(a, b Hit) int {
	switch {
	case a.Start != b.Start:
		return cmp.Compare(a.Start, b.Start)
	case a.End != b.End:
		return cmp.Compare(a.End, b.End)
	case a.Kind != b.Kind:
		return cmp.Compare(a.Kind, b.Kind)
	}
	return cmp.Compare(a.pat, b.pat)
}

// fuzzyHits appends a KindFuzzy hit for each Latin word of norm that no
// exact hit (dst[first:], sorted) overlaps and that is within the edit limit
// of an eligible term.
func (m *Matcher) fuzzyHits(norm string, dst []Hit, first int) []Hit {
	exact := len(dst)
	j, maxEnd := first, -1 // exact hits starting before the word's end, and how far they reach
	for i := 0; ; {
		ws, we, latin := nextWord(norm, i)
		if ws == we {
			return dst
		}
		i = we
		if n := we - ws; n < fuzzyMinWord || n > fuzzyMaxWord || !latin {
			continue
		}
		for ; j < exact && dst[j].Start < we; j++ {
			maxEnd = max(maxEnd, dst[j].End)
		}
		if maxEnd > ws {
			continue
		}
		if p, d, ok := m.fz.lookup(norm[ws:we]); ok {
			dst = append(dst, Hit{Start: ws, End: we, Kind: KindFuzzy, Dist: uint8(d), pat: p, whole: true})
		}
	}
}

// nextWord returns the first word of s at or after i — a run of word
// runes — and whether it is all Latin letters; ws == we when there is none.
func nextWord(s string, i int) (ws, we int, latin bool) {
	for ; i < len(s); i++ {
		// Most text is ASCII after normalization: bytes below RuneSelf are
		// classified by table, without decoding.
		if c := s[i]; c < utf8.RuneSelf {
			if asciiWord[c] != 0 {
				break
			}
		} else if hanAt(s, i) {
			i += 2
		} else if r, size := utf8.DecodeRuneInString(s[i:]); runeClass(r)&clWord == 0 {
			i += size - 1
		} else {
			break
		}
	}
	ws, latin = i, true
	for i < len(s) {
		// Runs of ASCII letters, eight bytes at a time.
		for i+8 <= len(s) {
			l := asciiLetters8(ascii.Word(s[i:]))
			if l != ascii.HighBits {
				i += bits.TrailingZeros64(^l&ascii.HighBits) / 8
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			k := asciiWord[c]
			if k == 0 {
				break
			}
			latin = latin && k == asciiLetter
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		cl := runeClass(r)
		if cl&clWord == 0 {
			break
		}
		latin = latin && cl&clLatin != 0
		i += size
	}
	return ws, i, latin
}

// asciiLetters8 sets the high bit of each byte of w that is an ASCII
// letter, and clears every other bit. A byte is a letter when, lower-cased
// by setting bit 5, it lies in 0x61–0x7A; the sums below cannot carry from
// one byte to the next, as each byte is at most 0x7F before them.
func asciiLetters8(w uint64) uint64 {
	x := (w | 0x2020202020202020) &^ ascii.HighBits
	atLeastA := x + 0x1f1f1f1f1f1f1f1f             // high bit set where x ≥ 0x61
	pastZ := x + 0x0505050505050505                // high bit set where x ≥ 0x7B
	return atLeastA &^ pastZ &^ w & ascii.HighBits // and not where w had it: not ASCII
}

// hanAt reports whether s holds at i a character of U+4000–U+9FFF, Han
// and the Yijing hexagrams, none a word rune: most of Chinese text, told
// by its bytes without decoding.
func hanAt(s string, i int) bool {
	return i+2 < len(s) && 0xE4 <= s[i] && s[i] <= 0xE9 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80
}

const (
	asciiLetter = 1
	asciiDigit  = 2
)

// asciiWord classes the ASCII bytes wordRune accepts: letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			t[c] = asciiLetter
		case '0' <= c && c <= '9':
			t[c] = asciiDigit
		}
	}
	return t
}()

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !wordRune(r)
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !wordRune(r)
}
