package policy

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"testing"

	"sealroom/assets/policies"
	"sealroom/capture"
	"sealroom/internal/corpus"
)

func builtin(t testing.TB) ([]*Policy, *Matcher) {
	t.Helper()
	pols, err := ParseFS(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(pols, testFold)
	if err != nil {
		t.Fatal(err)
	}
	return pols, m
}

// TestPacks checks every built-in policy: one per category, every language
// of the six, and at least 15 terms in each.
func TestPacks(t *testing.T) {
	pols, _ := builtin(t)
	var cats []Category
	for _, p := range pols {
		cats = append(cats, p.Category)
		if !slices.Equal(p.Languages, Languages) {
			t.Errorf("%s: languages %v, want all of %v", p.ID, p.Languages, Languages)
		}
		for _, l := range p.Languages {
			n := 0
			for _, term := range p.Terms {
				if term.Lang == l {
					n++
				}
			}
			if n < 15 {
				t.Errorf("%s: %d %s terms, want at least 15", p.ID, n, l)
			}
		}
	}
	slices.Sort(cats)
	want := slices.Clone(Categories)
	slices.Sort(want)
	if !slices.Equal(cats, want) {
		t.Errorf("categories %v, want one policy each of %v", cats, want)
	}
}

func TestParseFSError(t *testing.T) {
	pols, _ := builtin(t)
	pols = append(pols, pols[0])
	if _, err := Compile(pols, testFold); !errors.Is(err, ErrCompile) {
		t.Errorf("duplicate id: %v", err)
	}
	if _, err := Compile(pols[:1], func(string) string { return "" }); !errors.Is(err, ErrCompile) || !strings.Contains(err.Error(), ".policy:") {
		t.Errorf("empty fold: %v", err)
	}
}

// TestCorpus runs the built-in packs over the synthetic corpus: every
// planted phrase the stand-in fold can read (not obfuscated, or in full
// width) is found, and few clean messages are flagged. Recall on the
// other obfuscations needs review/normalize and is measured by
// internal/eval.
func TestCorpus(t *testing.T) {
	_, m := builtin(t)
	n, clean, flagged := 0, 0, 0
	err := corpus.Stream(7, 20000, func(_ *capture.Conversation, msg *capture.Message, l *corpus.Label) error {
		fs := m.Scan(testFold(msg.Text))
		if l == nil || len(l.Risk) == 0 {
			clean++
			if len(fs) > 0 {
				flagged++
			}
			return nil
		}
		for _, r := range l.Risk {
			if r.Obfuscation != corpus.ObfNone && r.Obfuscation != corpus.ObfFullwidth {
				continue
			}
			n++
			if len(fs) == 0 {
				t.Errorf("planted %s phrase %q (%s) not found", r.Language, r.Phrase, r.Obfuscation)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 || clean < 1000 {
		t.Fatalf("corpus too small: %d planted, %d clean", n, clean)
	}
	if rate := float64(flagged) / float64(clean); rate > 0.01 {
		t.Errorf("%d of %d clean messages flagged (%.2f%%), want ≤ 1%%", flagged, clean, 100*rate)
	}
	t.Logf("%d planted phrases found; %d of %d clean messages flagged", n, flagged, clean)
}

// TestAutomatonPacks checks the automaton of every built-in pack against
// strings.Index over the corpus's messages, each also with every pattern
// planted in it: it reports each occurrence of each pattern, and nothing
// else.
func TestAutomatonPacks(t *testing.T) {
	_, m := builtin(t)
	type occ struct {
		pat int32
		end int
	}
	var texts []string
	err := corpus.Stream(11, 1500, func(_ *capture.Conversation, msg *capture.Message, _ *corpus.Label) error {
		texts = append(texts, testFold(msg.Text))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range m.pats { // every pattern, inside a word, after one and overlapping others
		texts = append(texts, texts[i%len(texts)]+" x"+p+p[:len(p)/2]+" "+m.pats[(i+1)%len(m.pats)])
	}
	for _, text := range texts {
		var got []occ
		m.ac.scan(text, func(p int32, end int) { got = append(got, occ{p, end}) })
		var want []occ
		for pi, p := range m.pats {
			for off := 0; ; {
				k := strings.Index(text[off:], p)
				if k < 0 {
					break
				}
				want = append(want, occ{int32(pi), off + k + len(p)})
				off += k + 1
			}
		}
		order := func(a, b occ) int { return cmp.Or(cmp.Compare(a.end, b.end), cmp.Compare(a.pat, b.pat)) }
		if !slices.IsSortedFunc(got, func(a, b occ) int { return cmp.Compare(a.end, b.end) }) {
			t.Fatalf("%q: emits not in end order: %v", text, got)
		}
		slices.SortFunc(got, order)
		slices.SortFunc(want, order)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: automaton %v, strings.Index %v", text, got, want)
		}
	}
}
