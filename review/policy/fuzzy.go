package policy

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/sajari/fuzzy"
)

// Fuzzy matching catches misspellings the normalizer cannot undo
// ("guarentee", "kickbak"). Only Latin-script single-word terms of six or
// more letters take part: shorter words have too many neighbours, and
// github.com/sajari/fuzzy works on bytes, so a Han character (three bytes)
// is beyond its reach — CJK terms stay exact. The library only proposes
// candidates (symmetric deletes, depth 2); each one is checked with a
// rune-level Levenshtein distance against the limit below.
const (
	fuzzyMinTerm = 6 // letters in a term
	fuzzyMinWord = 5 // bytes in a message word, the cheap first filter
	fuzzyMaxWord = 40
	fuzzyLong    = 9 // terms this long allow two edits, shorter ones one
)

type fuzzTerm struct {
	text string
	pat  int32
}

type fuzzer struct {
	model *fuzzy.Model
	pat   map[string]int32
	// The prefilter: a word within the limit of a term keeps the term's
	// first three or last three letters unless the edits touch both ends,
	// and its length is within the limit. These map a term's first and last
	// three bytes to a bit set of the word lengths that can match it; most
	// words fail both lookups and never reach the model, which costs
	// microseconds per word.
	head, tail trigrams

	// Results by word: chat repeats its words, and the model costs
	// microseconds per lookup. The cache lives in memory as long as the
	// Matcher (an import, a scan) and stops growing at fuzzyCacheMax words.
	cache  sync.Map // string → fuzzyResult
	cached atomic.Int64
}

type fuzzyResult struct {
	pat  int32
	dist int8
	ok   bool
}

const fuzzyCacheMax = 1 << 16

func fuzzyEligible(f string) bool {
	return latinWord(f) && utf8.RuneCountInString(f) >= fuzzyMinTerm
}

// trigrams maps three bytes to a bit set: a table for the 26³ lower-case
// ASCII ones (what normalized Latin text mostly holds), a map for the rest.
type trigrams struct {
	az    []uint64
	other map[string]uint64
}

func newTrigrams() trigrams {
	return trigrams{az: make([]uint64, 26*26*26), other: map[string]uint64{}}
}

// azIndex returns the table index of s[:3], or -1.
func azIndex(s string) int {
	a, b, c := s[0]-'a', s[1]-'a', s[2]-'a'
	if a >= 26 || b >= 26 || c >= 26 {
		return -1
	}
	return (int(a)*26+int(b))*26 + int(c)
}

func (t *trigrams) add(s string, bits uint64) {
	if i := azIndex(s); i >= 0 {
		t.az[i] |= bits
	} else {
		t.other[s[:3]] |= bits
	}
}

func (t *trigrams) get(s string) uint64 {
	if i := azIndex(s); i >= 0 {
		return t.az[i]
	}
	return t.other[s[:3]]
}

// fuzzyLimit is the largest edit distance accepted for term.
func fuzzyLimit(term string) int {
	if utf8.RuneCountInString(term) >= fuzzyLong {
		return 2
	}
	return 1
}

func newFuzzer(terms []fuzzTerm) *fuzzer {
	if len(terms) == 0 {
		return nil
	}
	z := &fuzzer{model: fuzzy.NewModel(), pat: make(map[string]int32, len(terms)), head: newTrigrams(), tail: newTrigrams()}
	// Order matters: the default threshold (5) would give a term trained
	// once no suggestion keys, and autocomplete builds a regexp from input.
	z.model.SetThreshold(1)
	z.model.SetUseAutocomplete(false)
	z.model.SetDepth(2)
	words := make([]string, 0, len(terms))
	for _, t := range terms {
		if _, ok := z.pat[t.text]; !ok {
			z.pat[t.text] = t.pat
			words = append(words, t.text)
			lim := fuzzyLimit(t.text)
			var lens uint64
			for n := len(t.text) - lim; n <= len(t.text)+lim; n++ {
				if n < 64 {
					lens |= 1 << n
				}
			}
			z.head.add(t.text[:3], lens)
			z.tail.add(t.text[len(t.text)-3:], lens)
		}
	}
	z.model.Train(words)
	return z
}

// lookup returns the closest term within its limit of word, or ok false.
// word itself is not a term (exact hits never come here).
func (z *fuzzer) lookup(word string) (pat int32, dist int, ok bool) {
	bit := uint64(1) << len(word) // words are at most fuzzyMaxWord < 64 bytes
	if z.head.get(word[:3])&bit == 0 && z.tail.get(word[len(word)-3:])&bit == 0 || fuzzyStop[word] {
		return 0, 0, false
	}
	if r, hit := z.cache.Load(word); hit {
		r := r.(fuzzyResult)
		return r.pat, int(r.dist), r.ok
	}
	pat, dist, ok = z.modelLookup(word)
	if z.cached.Load() < fuzzyCacheMax {
		z.cached.Add(1)
		z.cache.Store(strings.Clone(word), fuzzyResult{pat: pat, dist: int8(dist), ok: ok})
	}
	return pat, dist, ok
}

// modelLookup asks the model for candidates and keeps the closest term.
func (z *fuzzer) modelLookup(word string) (pat int32, dist int, ok bool) {
	best := 3
	for term := range z.model.Potentials(word, true) {
		p, known := z.pat[term]
		if !known {
			continue
		}
		d := levenshtein(word, term)
		if d >= 1 && d <= fuzzyLimit(term) && (d < best || d == best && p < pat) {
			best, pat, ok = d, p, true
		}
	}
	return pat, best, ok
}

// levenshtein is the edit distance between a and b in runes (insertions,
// deletions, substitutions).
func levenshtein(a, b string) int {
	// Words and host labels are short: rows and runes on the stack.
	var ra0, rb0 [48]rune
	var prev0, cur0 [49]int
	ra, rb := appendRunes(ra0[:0], a), appendRunes(rb0[:0], b)
	prev, cur := prev0[:0], cur0[:0]
	if len(rb)+1 > len(prev0) {
		prev, cur = make([]int, 0, len(rb)+1), make([]int, 0, len(rb)+1)
	}
	prev, cur = prev[:len(rb)+1], cur[:len(rb)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// fuzzyStop holds common words one or two edits from a pack term: a
// message that uses them means the word, not a misspelt term.
var fuzzyStop = map[string]bool{
	"inside": true, "insides": true, "insiders": false, "brides": true, "briber": false,
	"return": true, "returns": true, "retuned": true, "personnel": true, "persona": true,
	"private": true, "provide": true, "deleted": true, "delete": true, "deletes": true,
	"complain": false, "contact": true, "contract": true, "contacts": true, "contracts": true,
	"secrete": true, "secrets": true, "garantee": false, "payment": true, "payments": true,
	"threat": true, "threats": true, "thread": true, "threads": true, "treats": true,
	"password": true, "passwords": true, "account": true, "accounts": true,
}
