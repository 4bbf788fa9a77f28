// Package eval measures the review engine against ground truth: the
// synthetic corpus's labels (planted PII and risk phrases, per language)
// and number lists drawn from the standards (valid, and with one digit
// changed). `make eval` runs it through internal/eval/cmd/eval.
package eval

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"text/tabwriter"

	"sealroom/capture"
	"sealroom/internal/corpus"
)

// Entity is a detected piece of personal data: its type, named as the
// corpus names them (corpus.PIIPhone …), and its byte span.
type Entity struct {
	Type       string
	Start, End int
}

// Detectors are the engine under test.
type Detectors struct {
	// PII finds personal data in a message's text.
	PII func(text string) []Entity
	// Risk reports the risk-policy hits of a message: byte spans over its
	// text, and each hit's category.
	Risk func(c *capture.Conversation, m *capture.Message) []RiskHit
}

// RiskHit is one risk-policy hit.
type RiskHit struct {
	Category   string
	Start, End int
}

// Score counts outcomes.
type Score struct{ TP, FP, FN int }

// Precision, Recall and F1; 1 when there is nothing to get wrong.
func (s Score) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }
func (s Score) Recall() float64    { return ratio(s.TP, s.TP+s.FN) }
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Report is what an evaluation found.
type Report struct {
	Messages    int
	PIIByType   map[string]*Score // corpus types
	PIIByLang   map[string]*Score
	RiskByLang  map[string]*Score // planted phrases found (TP) or missed (FN); hits on clean messages (FP)
	RiskByObf   map[string]*Score
	RiskObfLang map[string]*Score // obfuscated planted phrases only, by language
	RiskByCat   map[string]int    // hits on planted phrases, by the category that caught them
	Clean       map[string]int    // risk-free messages per language
	CleanHit    map[string]int    // of those, flagged by a risk policy
	NumbersType map[string]*Score
}

func newReport() *Report {
	return &Report{PIIByType: map[string]*Score{}, PIIByLang: map[string]*Score{}, RiskByLang: map[string]*Score{},
		RiskByObf: map[string]*Score{}, RiskObfLang: map[string]*Score{}, RiskByCat: map[string]int{}, Clean: map[string]int{}, CleanHit: map[string]int{},
		NumbersType: map[string]*Score{}}
}

func score(m map[string]*Score, k string) *Score {
	if m[k] == nil {
		m[k] = &Score{}
	}
	return m[k]
}

func overlaps(a0, a1, b0, b1 int) bool { return a0 < b1 && b0 < a1 }

// Corpus scores d on n messages of the corpus drawn with seed (use a seed
// the engine was not tuned on).
func Corpus(d Detectors, seed uint64, n int) (*Report, error) {
	rep := newReport()
	err := corpus.StreamLanguages(seed, n, func(c *capture.Conversation, m *capture.Message, l *corpus.Label, lang string) error {
		rep.Messages++
		if d.PII != nil {
			piiMessage(rep, d.PII(m.Text), m.Text, l, lang)
		}
		if d.Risk != nil {
			riskMessage(rep, d.Risk(c, m), m.Text, l, lang)
		}
		return nil
	})
	return rep, err
}

// piiMessage scores one message's entities. Only the types the corpus
// plants are scored: a detected name or IP address has no truth to meet.
func piiMessage(rep *Report, got []Entity, text string, l *corpus.Label, lang string) {
	type truth struct {
		typ        string
		start, end int
		found      bool
	}
	var want []*truth
	if l != nil {
		from := 0
		for _, p := range l.PII {
			i := strings.Index(text[from:], p.Value)
			if i < 0 {
				i = strings.Index(text, p.Value)
			} else {
				i += from
			}
			if i < 0 {
				continue // the corpus writes every value verbatim; a miss here is the corpus's bug
			}
			want = append(want, &truth{typ: p.Type, start: i, end: i + len(p.Value)})
			from = i + len(p.Value)
		}
	}
	planted := map[string]bool{}
	for _, t := range corpusPIITypes {
		planted[t] = true
	}
	for _, e := range got {
		if !planted[e.Type] {
			continue
		}
		hit := false
		for _, w := range want {
			if w.typ == e.Type && overlaps(w.start, w.end, e.Start, e.End) {
				w.found, hit = true, true
			}
		}
		if !hit {
			score(rep.PIIByType, e.Type).FP++
			score(rep.PIIByLang, lang).FP++
		}
	}
	for _, w := range want {
		if w.found {
			score(rep.PIIByType, w.typ).TP++
			score(rep.PIIByLang, lang).TP++
		} else {
			score(rep.PIIByType, w.typ).FN++
			score(rep.PIIByLang, lang).FN++
		}
	}
}

var corpusPIITypes = []string{corpus.PIIEmail, corpus.PIIPhone, corpus.PIICard, corpus.PIIIBAN, corpus.PIICNID, corpus.PIICPF, corpus.PIIAadhaar, corpus.PIISSN}

// riskMessage scores one message's risk hits: a planted phrase is found
// when a hit overlaps where it is written; a message with no planted
// phrase that gets a hit counts against the clean-message rate.
func riskMessage(rep *Report, hits []RiskHit, text string, l *corpus.Label, lang string) {
	if l == nil || len(l.Risk) == 0 {
		rep.Clean[lang]++
		if len(hits) > 0 {
			rep.CleanHit[lang]++
			score(rep.RiskByLang, lang).FP++
		}
		return
	}
	for _, r := range l.Risk {
		i := strings.Index(text, r.Written)
		found := ""
		for _, h := range hits {
			if i >= 0 && overlaps(i, i+len(r.Written), h.Start, h.End) {
				found = h.Category
				break
			}
		}
		s, o := score(rep.RiskByLang, r.Language), score(rep.RiskByObf, r.Obfuscation)
		ol := &Score{} // scratch unless obfuscated
		if r.Obfuscation != corpus.ObfNone {
			ol = score(rep.RiskObfLang, r.Language)
		}
		if found != "" {
			s.TP++
			o.TP++
			ol.TP++
			rep.RiskByCat[found]++
		} else {
			s.FN++
			o.FN++
			ol.FN++
		}
	}
}

// Numbers scores d.PII on n valid and n corrupted numbers of each checksum
// type, each written alone in a short sentence.
func Numbers(d Detectors, seed uint64, n int) *Report {
	rep := newReport()
	r := rand.New(rand.NewPCG(seed, 0xe7a1))
	for _, typ := range corpus.ChecksumTypes {
		s := score(rep.NumbersType, typ)
		for range n {
			valid := corpus.Sample(r, typ)
			for _, v := range []struct {
				text string
				ok   bool
			}{{valid, true}, {corpus.Corrupt(r, typ, valid), false}} {
				text := "ref " + v.text + " ok"
				found := false
				for _, e := range d.PII(text) {
					if e.Type == typ && overlaps(4, 4+len(v.text), e.Start, e.End) {
						found = true
					}
				}
				switch {
				case v.ok && found:
					s.TP++
				case v.ok:
					s.FN++
				case found:
					s.FP++
				}
			}
		}
	}
	return rep
}

// Print writes the report's tables.
func (rep *Report) Print(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s (%d messages)\n", title, rep.Messages)
	table := func(name string, m map[string]*Score) {
		if len(m) == 0 {
			return
		}
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\tTP\tFP\tFN\tprecision\trecall\tF1\t\n", name)
		for _, k := range sortedKeys(m) {
			s := m[k]
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", k, s.TP, s.FP, s.FN, s.Precision(), s.Recall(), s.F1())
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	table("PII by type", rep.PIIByType)
	table("PII by language", rep.PIIByLang)
	table("risk phrases by language", rep.RiskByLang)
	table("risk phrases by obfuscation", rep.RiskByObf)
	table("obfuscated risk phrases by language (goal: recall ≥ 0.90)", rep.RiskObfLang)
	table("numbers by type", rep.NumbersType)
	if len(rep.RiskByCat) > 0 {
		fmt.Fprintln(w, "planted phrases caught, by category:")
		for _, k := range sortedKeys(rep.RiskByCat) {
			fmt.Fprintf(w, "  %-20s %d\n", k, rep.RiskByCat[k])
		}
	}
	if len(rep.Clean) > 0 {
		fmt.Fprintln(w, "clean messages flagged by a risk policy (goal ≤ 1%):")
		for _, k := range sortedKeys(rep.Clean) {
			fmt.Fprintf(w, "  %-8s %6d of %7d  %.2f%%\n", k, rep.CleanHit[k], rep.Clean[k], 100*float64(rep.CleanHit[k])/float64(max(rep.Clean[k], 1)))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
