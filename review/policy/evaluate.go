package policy

import (
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Finding is a policy that a message triggers.
type Finding struct {
	Policy   string
	Category Category
	Severity Severity
	// Score adds, over the distinct terms, rules and detections that count,
	// 1 for an exact term, a NEAR rule or a detection and 1 − 0.3 × the edit
	// distance for a fuzzy term (0.7, 0.4). It is at least the policy's
	// min_hits − 0.6 × (fuzzy ones).
	Score float64
	Hits  []Hit // the hits that count, sorted by Start; a NEAR rule gives both operands
}

const fuzzyPenalty = 0.3

// Scan is Match then Evaluate.
func (m *Matcher) Scan(norm string) []Finding {
	return m.Evaluate(norm, m.Match(norm, nil))
}

// polHits gathers what one message holds for one policy.
type polHits struct {
	terms    []Hit // term hits (exact or fuzzy) and detections
	near     []nearHit
	excluded []Hit
	// Bit i is set when rule i's A (nearA) or B (nearB) operand was hit:
	// only rules with both are looked at. Rules from 64 on share bit 63.
	nearA, nearB uint64
}

func ruleBit(i int32) uint64 { return 1 << min(i, 63) }

type nearHit struct {
	h    Hit
	rule int32
	side refKind
}

// evalScratch is Evaluate's per-call state, kept in Matcher.evals: most
// messages hit a term or two, and allocating a table of every policy for
// each of them was a fifth of a scan.
type evalScratch struct {
	per     []polHits // by policy
	touched []int32   // the policies of per that hold something
	kept    []Hit     // the findings' hits, one after the other
	ends    []int     // where each finding's hits end in kept
}

// Evaluate turns the hits Match found in norm into findings, in the order
// of the policies given to Compile: word-end rules for prefix terms,
// exclusions, NEAR rules, then min_hits.
func (m *Matcher) Evaluate(norm string, hits []Hit) []Finding {
	if len(hits) == 0 {
		return nil
	}
	sc, _ := m.evals.Get().(*evalScratch)
	if sc == nil {
		sc = &evalScratch{per: make([]polHits, len(m.pols))}
	}
	defer m.evals.Put(sc)
	fs, _ := m.evaluateAll(sc, nil, nil, norm, hits)
	return fs
}

// An Evaluator is Evaluate for a caller that reuses its memory, one
// goroutine at a time: the review scanner keeps one per goroutine.
type Evaluator struct {
	m  *Matcher
	sc evalScratch
}

// Evaluator returns a new Evaluator of m's policies.
func (m *Matcher) Evaluator() *Evaluator {
	return &Evaluator{m: m, sc: evalScratch{per: make([]polHits, len(m.pols))}}
}

// Append is Evaluate appending the findings to dst and their hits to
// hitBuf, which the findings' Hits share; it returns both.
func (e *Evaluator) Append(dst []Finding, hitBuf []Hit, norm string, hits []Hit) ([]Finding, []Hit) {
	return e.m.evaluateAll(&e.sc, dst, hitBuf, norm, hits)
}

func (m *Matcher) evaluateAll(sc *evalScratch, dst []Finding, hitBuf []Hit, norm string, hits []Hit) ([]Finding, []Hit) {
	if len(hits) == 0 {
		return dst, hitBuf
	}
	get := func(p int32) *polHits {
		ph := &sc.per[p]
		if len(ph.terms) == 0 && len(ph.near) == 0 && len(ph.excluded) == 0 {
			if !slices.Contains(sc.touched, p) {
				sc.touched = append(sc.touched, p)
			}
		}
		return ph
	}
	for _, h := range hits {
		if h.pat < 0 || int(h.pat) >= len(m.refs) { // a detection
			if k := int(h.Kind) - int(KindShortener); k >= 0 && k < len(m.detBy) {
				for _, p := range m.detBy[k] {
					ph := get(p)
					ph.terms = append(ph.terms, h)
				}
			}
			continue
		}
		for _, r := range m.refs[h.pat] {
			if !h.whole && !r.prefix {
				continue
			}
			if h.Kind == KindFuzzy && r.kind != refTerm {
				continue
			}
			ph := get(r.pol)
			if !h.whole { // a prefix: the hit is the whole word
				h.End = wordEnd(norm, h.End)
				h.whole = true
			}
			switch r.kind {
			case refTerm:
				ph.terms = append(ph.terms, h)
			case refExclude:
				ph.excluded = append(ph.excluded, h)
			case refNearA:
				ph.near = append(ph.near, nearHit{h, r.idx, r.kind})
				ph.nearA |= ruleBit(r.idx)
			default:
				ph.near = append(ph.near, nearHit{h, r.idx, r.kind})
				ph.nearB |= ruleBit(r.idx)
			}
		}
	}
	// The findings come in policy order.
	slices.Sort(sc.touched)
	out, first := dst, len(dst)
	for _, pi := range sc.touched {
		ph := &sc.per[pi]
		if len(ph.terms) > 0 || ph.nearA&ph.nearB != 0 {
			p := m.pols[pi]
			var score float64
			var ok bool
			if score, sc.kept, ok = m.evaluate(norm, p, ph, sc.kept); ok {
				if out == nil {
					out = make([]Finding, 0, len(sc.touched))
				}
				out = append(out, Finding{Policy: p.ID, Category: p.Category, Severity: p.Severity, Score: score})
				sc.ends = append(sc.ends, len(sc.kept))
			}
		}
		ph.terms, ph.near, ph.excluded = ph.terms[:0], ph.near[:0], ph.excluded[:0] // hits hold no pointers: nothing to clear
		ph.nearA, ph.nearB = 0, 0
	}
	// The findings' hits go to hitBuf in one append.
	if len(out) > first {
		base := len(hitBuf)
		hitBuf = append(hitBuf, sc.kept...)
		start := base
		for i, end := range sc.ends {
			end += base
			out[first+i].Hits = hitBuf[start:end:end]
			start = end
		}
	}
	sc.touched, sc.kept, sc.ends = sc.touched[:0], sc.kept[:0], sc.ends[:0]
	return out, hitBuf
}

// evaluate decides whether p's hits ph make a finding, and its score. The
// finding's hits are appended to kept, which evaluate returns.
func (m *Matcher) evaluate(norm string, p *Policy, ph *polHits, kept []Hit) (float64, []Hit, bool) {
	// Distinct terms, detections and NEAR rules that count, each with its
	// best weight. Few per message: a slice, not a map.
	type counted struct {
		kind byte // 't' term, 'd' detection, 'n' NEAR rule
		key  string
		w    float64
	}
	var stack [8]counted
	best := stack[:0]
	add := func(kind byte, key string, w float64) {
		for i := range best {
			if best[i].kind == kind && best[i].key == key {
				best[i].w = max(best[i].w, w)
				return
			}
		}
		best = append(best, counted{kind, key, w})
	}
	first := len(kept)
	for _, h := range ph.terms {
		if len(ph.excluded) > 0 && overlapsAny(h, ph.excluded) {
			continue
		}
		w := 1.0
		if h.Kind == KindFuzzy {
			w = 1 - fuzzyPenalty*float64(h.Dist)
		}
		if h.pat >= 0 {
			add('t', m.pats[h.pat], w)
		} else {
			add('d', norm[h.Start:h.End], w)
		}
		kept = append(kept, h)
	}
	// The rules whose both operands were hit, in order: bit i is rule i,
	// and bit 63 every rule from 63 on.
	for both := ph.nearA & ph.nearB; both != 0; both &= both - 1 {
		lo := bits.TrailingZeros64(both)
		hi := lo + 1
		if lo == 63 {
			hi = len(p.Near)
		}
		for i := lo; i < hi; i++ {
			if a, b, ok := nearPair(norm, ph, int32(i), p.Near[i].N); ok {
				add('n', strconv.Itoa(i), 1)
				kept = append(kept, a, b)
			}
		}
	}
	if len(best) < p.MinHits || len(best) == 0 {
		return 0, kept[:first], false
	}
	score := 0.0
	for _, c := range best {
		score += c.w
	}
	mine := kept[first:]
	sortHits(mine)
	// Drop repeats of a span (two terms or rules on the same words).
	n := min(len(mine), 1)
	for _, h := range mine[n:] {
		if last := mine[n-1]; h.Start != last.Start || h.End != last.End || h.Kind != last.Kind {
			mine[n] = h
			n++
		}
	}
	mine = mine[:n]
	return score, kept[:first+len(mine)], true
}

// nearPair finds an A and a B operand of rule, not excluded, apart and in
// either order, with at most n words between them. Hits come sorted by
// start, so the closest pair ending at a hit is with the last opposite
// operand seen before it.
func nearPair(norm string, ph *polHits, rule int32, n int) (Hit, Hit, bool) {
	var last [2]*Hit
	for i := range ph.near {
		x := &ph.near[i]
		if x.rule != rule || overlapsAny(x.h, ph.excluded) {
			continue
		}
		side, other := 0, 1
		if x.side == refNearB {
			side, other = 1, 0
		}
		if o := last[other]; o != nil && o.End <= x.h.Start && wordsBetween(norm[o.End:x.h.Start], n+1) <= n {
			return *o, x.h, true
		}
		last[side] = &x.h
	}
	return Hit{}, Hit{}, false
}

// wordsBetween counts the words of gap, stopping at limit: runs of letters
// and digits of spaced scripts count one each, and every Han, kana or
// Hangul character counts as a word.
func wordsBetween(gap string, limit int) int {
	n, in := 0, false
	for _, r := range gap {
		switch {
		case unspaced(r):
			n++
			in = false
		case wordRune(r):
			if !in {
				n++
			}
			in = true
		default:
			in = false
		}
		if n >= limit {
			return n
		}
	}
	return n
}

func overlapsAny(h Hit, spans []Hit) bool {
	for _, s := range spans {
		if s.Start < h.End && h.Start < s.End {
			return true
		}
	}
	return false
}

// wordEnd is the end of the word that goes on at i.
func wordEnd(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !wordRune(r) {
			break
		}
		i += size
	}
	return i
}
