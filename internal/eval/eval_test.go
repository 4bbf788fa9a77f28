package eval

import (
	"math/rand/v2"
	"strings"
	"testing"

	"sealroom/capture"
	"sealroom/internal/corpus"
)

// An oracle that knows the truth scores 1 everywhere; one that finds
// nothing scores recall 0; a corrupted number differs from its valid one
// in exactly one digit (or an SSN's area).
func TestScoring(t *testing.T) {
	const n = 12000
	// The oracle reads the labels back from the same stream.
	labels, byText := map[string]*corpus.Label{}, map[string]*corpus.Label{}
	must(t, corpus.Stream(9, n, func(c *capture.Conversation, m *capture.Message, l *corpus.Label) error {
		if l != nil {
			labels[m.Conversation+"\x00"+m.ID] = l
			byText[m.Text] = l
		}
		return nil
	}))
	oracle := Detectors{
		Risk: func(c *capture.Conversation, m *capture.Message) []RiskHit {
			cur := labels[m.Conversation+"\x00"+m.ID]
			if cur == nil {
				return nil
			}
			var hits []RiskHit
			for _, r := range cur.Risk {
				i := strings.Index(m.Text, r.Written)
				hits = append(hits, RiskHit{Category: "test", Start: i, End: i + len(r.Written)})
			}
			return hits
		},
		PII: func(text string) []Entity {
			cur := byText[text]
			if cur == nil {
				return nil
			}
			var out []Entity
			for _, p := range cur.PII {
				i := strings.Index(text, p.Value)
				out = append(out, Entity{Type: p.Type, Start: i, End: i + len(p.Value)})
			}
			return out
		},
	}
	rep, err := Corpus(oracle, 9, n)
	must(t, err)
	if len(rep.PIIByType) == 0 || len(rep.RiskByLang) < 6 {
		t.Fatalf("too little truth: %d PII types, %d languages", len(rep.PIIByType), len(rep.RiskByLang))
	}
	for k, s := range rep.PIIByType {
		if s.Precision() != 1 || s.Recall() != 1 {
			t.Errorf("oracle PII %s: %+v", k, *s)
		}
	}
	for k, s := range rep.RiskByLang {
		if s.Recall() != 1 || s.FP != 0 {
			t.Errorf("oracle risk %s: %+v", k, *s)
		}
	}
	blind, err := Corpus(Detectors{PII: func(string) []Entity { return nil }, Risk: func(*capture.Conversation, *capture.Message) []RiskHit { return nil }}, 9, n)
	must(t, err)
	for k, s := range blind.PIIByType {
		if s.Recall() != 0 || s.TP != 0 {
			t.Errorf("blind PII %s: %+v", k, *s)
		}
	}

	r := rand.New(rand.NewPCG(1, 1))
	for _, typ := range corpus.ChecksumTypes {
		for range 200 {
			v := corpus.Sample(r, typ)
			c := corpus.Corrupt(r, typ, v)
			if len(c) != len(v) || c == v {
				t.Fatalf("%s: %q corrupted to %q", typ, v, c)
			}
			diff := 0
			for i := range v {
				if v[i] != c[i] {
					diff++
				}
			}
			if typ != corpus.PIISSN && diff != 1 {
				t.Fatalf("%s: %q and %q differ in %d places", typ, v, c, diff)
			}
		}
	}
	// Numbers with a detector that accepts everything: recall 1, and every
	// corrupted number a false positive.
	all := Numbers(Detectors{PII: func(text string) []Entity {
		var out []Entity
		for _, typ := range corpus.ChecksumTypes {
			out = append(out, Entity{Type: typ, Start: 4, End: len(text) - 3})
		}
		return out
	}}, 3, 50)
	for typ, s := range all.NumbersType {
		if s.TP != 50 || s.FP != 50 || s.FN != 0 {
			t.Errorf("accept-all %s: %+v", typ, *s)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
