package policy

import (
	"cmp"
	"slices"
	"unicode/utf8"
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

// Hit is one match in normalized text, at norm[Start:End].
type Hit struct {
	Start, End int
	Kind       HitKind
	Term       string // the folded term (KindTerm, KindFuzzy); "" for detectors
	Dist       int    // edit distance (KindFuzzy), else 0

	pat   int32 // index into Matcher.pats, -1 for detectors
	whole bool  // the match ends a word (always true where that does not apply)
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
		dst = detect(norm, dst)
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
		dst = append(dst, Hit{Start: start, End: end, Kind: KindTerm, Term: m.pats[p], pat: p, whole: whole})
	})
	sortHits(dst[first:])
	return dst
}

func sortHits(h []Hit) {
	slices.SortFunc(h, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.pat, b.pat))
	})
}

// fuzzyHits appends a KindFuzzy hit for each Latin word of norm that no
// exact hit (dst[first:], sorted) overlaps and that is within the edit limit
// of an eligible term.
func (m *Matcher) fuzzyHits(norm string, dst []Hit, first int) []Hit {
	exact := len(dst)
	j, maxEnd := first, -1 // exact hits starting before the word's end, and how far they reach
	for i := 0; i < len(norm); {
		r, size := utf8.DecodeRuneInString(norm[i:])
		if !wordRune(r) {
			i += size
			continue
		}
		ws := i
		for i < len(norm) {
			r, size = utf8.DecodeRuneInString(norm[i:])
			if !wordRune(r) {
				break
			}
			i += size
		}
		w := norm[ws:i]
		for ; j < exact && dst[j].Start < i; j++ {
			maxEnd = max(maxEnd, dst[j].End)
		}
		if len(w) < fuzzyMinWord || len(w) > fuzzyMaxWord || maxEnd > ws || !latinWord(w) {
			continue
		}
		if p, d, ok := m.fz.lookup(w); ok {
			dst = append(dst, Hit{Start: ws, End: i, Kind: KindFuzzy, Term: m.pats[p], Dist: d, pat: p, whole: true})
		}
	}
	return dst
}

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
