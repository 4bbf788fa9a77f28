package policy

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Matcher is a compiled set of policies. It is immutable after Compile and
// safe for concurrent use.
type Matcher struct {
	pols  []*Policy
	ac    *automaton
	pats  []string  // folded patterns, indexed like the automaton's
	info  []patInfo // per pattern
	refs  [][]ref   // per pattern: the terms, rule operands and exclusions it stands for
	fz    *fuzzer   // nil when no term is eligible
	detBy [len(detectors)][]int32
	det   bool      // some policy uses a detector
	evals sync.Pool // of *evalScratch
	hosts hostCache // lookalike's answers by host
}

type patInfo struct {
	needStart bool // begins with a letter or digit of a spaced script: must start a word
	needEnd   bool // ends with one: must end a word unless used as a prefix
	prefixOK  bool // some reference is a prefix term
}

type refKind uint8

const (
	refTerm refKind = iota
	refNearA
	refNearB
	refExclude
)

type ref struct {
	pol    int32
	idx    int32 // the term, rule or exclusion within the policy
	kind   refKind
	prefix bool
}

// Compile folds every term of pols with fold and builds one automaton for
// all of them. fold must be the function that normalized the text later
// given to Match: review/normalize.Fold in Sealroom (the tests use a
// stand-in). Policy ids must be distinct across pols.
func Compile(pols []*Policy, fold func(string) string) (*Matcher, error) {
	m := &Matcher{pols: pols}
	index := map[string]int32{}
	ids := map[string]*Policy{}
	var fuzzTerms []fuzzTerm
	add := func(p *Policy, line int, text string, r ref) error {
		r.prefix = strings.HasSuffix(text, "*")
		f := strings.Join(strings.Fields(fold(strings.TrimSuffix(text, "*"))), " ")
		if f == "" {
			return fmt.Errorf("%w: %s:%d: %q folds to nothing", ErrCompile, p.File, line, text)
		}
		pi, ok := index[f]
		if !ok {
			pi = int32(len(m.pats))
			index[f] = pi
			m.pats = append(m.pats, f)
			first, _ := utf8.DecodeRuneInString(f)
			last, _ := utf8.DecodeLastRuneInString(f)
			m.info = append(m.info, patInfo{needStart: wordRune(first), needEnd: wordRune(last)})
			m.refs = append(m.refs, nil)
		}
		m.info[pi].prefixOK = m.info[pi].prefixOK || r.prefix
		m.refs[pi] = append(m.refs[pi], r)
		if r.kind == refTerm && !r.prefix && fuzzyEligible(f) {
			fuzzTerms = append(fuzzTerms, fuzzTerm{f, pi})
		}
		return nil
	}
	for i, p := range pols {
		if q := ids[p.ID]; q != nil {
			return nil, fmt.Errorf("%w: policy %s defined in %s:%d and %s:%d", ErrCompile, p.ID, q.File, q.Line, p.File, p.Line)
		}
		ids[p.ID] = p
		pi := int32(i)
		for j, t := range p.Terms {
			if err := add(p, t.Line, t.Text, ref{pol: pi, idx: int32(j), kind: refTerm}); err != nil {
				return nil, err
			}
		}
		for j, n := range p.Near {
			if err := add(p, n.Line, n.A, ref{pol: pi, idx: int32(j), kind: refNearA}); err != nil {
				return nil, err
			}
			if err := add(p, n.Line, n.B, ref{pol: pi, idx: int32(j), kind: refNearB}); err != nil {
				return nil, err
			}
		}
		for j, t := range p.Exclude {
			if err := add(p, t.Line, t.Text, ref{pol: pi, idx: int32(j), kind: refExclude}); err != nil {
				return nil, err
			}
		}
		for _, d := range p.Detect {
			k := detectorIndex(d)
			m.detBy[k] = append(m.detBy[k], pi)
			m.det = true
		}
	}
	ac, err := newAutomaton(m.pats)
	if err != nil {
		return nil, err
	}
	m.ac = ac
	m.fz = newFuzzer(fuzzTerms)
	return m, nil
}

// Policies returns the compiled policies (shared: do not modify).
func (m *Matcher) Policies() []*Policy { return m.pols }

// latinWord reports whether s is one word of Latin letters (ASCII after
// normalization, but accented letters count too).
func latinWord(s string) bool {
	for _, r := range s {
		if runeClass(r)&clLatin == 0 {
			return false
		}
	}
	return s != ""
}

func detectorIndex(d Detector) int {
	for i, x := range detectors {
		if x == d {
			return i
		}
	}
	panic("policy: internal error: unknown detector " + string(d))
}
