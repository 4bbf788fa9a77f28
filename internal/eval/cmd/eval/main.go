// Command eval prints the review engine's precision, recall and F1 (make
// eval): on a held-out seed of the synthetic corpus, per PII type and
// language and per planted risk phrase's language and obfuscation; on
// number lists drawn from the standards; and, with -peers, side by side
// with the npm redactors on the corpus's English messages.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"sealroom/capture"
	"sealroom/internal/corpus"
	"sealroom/internal/eval"
	"sealroom/review"
	"sealroom/review/pii"
	"sealroom/review/redact"
)

// corpusType maps the detector's types to the corpus's.
var corpusType = map[pii.Type]string{
	pii.Email: corpus.PIIEmail, pii.Phone: corpus.PIIPhone, pii.Card: corpus.PIICard, pii.IBAN: corpus.PIIIBAN,
	pii.IDCN: corpus.PIICNID, pii.CPF: corpus.PIICPF, pii.Aadhaar: corpus.PIIAadhaar, pii.SSN: corpus.PIISSN,
}

func main() {
	n := flag.Int("messages", 50000, "corpus messages to score")
	seed := flag.Uint64("seed", 20261123, "corpus seed: one the engine was not tuned on (the tests use 5, 9, 41, 42)")
	numbers := flag.Int("numbers", 2000, "valid numbers per checksum type (as many corrupted)")
	peers := flag.String("peers", "", "a folder where the npm peers are installed (node_modules): score them on the English messages too")
	flag.Parse()
	if err := run(*n, *seed, *numbers, *peers); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, numbers int, peers string) error {
	sc, err := review.Load(nil)
	if err != nil {
		return err
	}
	det := pii.New(pii.Options{})
	p, _ := redact.NewPseudonyms([]byte("eval pseudonym key, not secret"))
	d := eval.Detectors{
		PII: func(text string) []eval.Entity {
			var out []eval.Entity
			for _, e := range det.Detect(text, nil) {
				if t, ok := corpusType[e.Type]; ok {
					out = append(out, eval.Entity{Type: t, Start: e.Start, End: e.End})
				}
			}
			return out
		},
		Risk: func(c *capture.Conversation, m *capture.Message) []eval.RiskHit {
			var hits []eval.RiskHit
			for _, f := range sc.Scan(c, m, p) {
				for _, s := range f.Spans {
					if s.Kind == redact.Term {
						hits = append(hits, eval.RiskHit{Category: f.Category, Start: s.Start, End: s.End})
					}
				}
			}
			return hits
		},
	}
	start := time.Now()
	rep, err := eval.Corpus(d, seed, n)
	if err != nil {
		return err
	}
	rep.Print(os.Stdout, fmt.Sprintf("corpus seed %d, scored in %s", seed, time.Since(start).Round(time.Millisecond)))
	eval.Numbers(d, seed, numbers).Print(os.Stdout, fmt.Sprintf("standards number lists: %d valid and %d corrupted per type", numbers, numbers))
	if peers != "" {
		return comparePeers(d, seed, n, peers)
	}
	return nil
}

// comparePeers scores our detector and the npm redactors on the corpus's
// English messages, for the types each supports.
func comparePeers(d eval.Detectors, seed uint64, n int, dir string) error {
	type msg struct {
		Text string       `json:"text"`
		PII  []corpus.PII `json:"pii"`
	}
	var msgs []msg
	err := corpus.StreamLanguages(seed, n, func(c *capture.Conversation, m *capture.Message, l *corpus.Label, lang string) error {
		if lang != corpus.LangEN {
			return nil
		}
		mm := msg{Text: m.Text}
		if l != nil {
			mm.PII = l.PII
		}
		msgs = append(msgs, mm)
		return nil
	})
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "english.jsonl")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i := range msgs {
		if err := enc.Encode(&msgs[i]); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	f.Close()
	defer os.Remove(path)

	// Ours, scored the same way as the peers: a value is found when a
	// detection of its type covers it.
	ours := map[string]*eval.Score{}
	start := time.Now()
	for _, m := range msgs {
		got := d.PII(m.Text)
		for _, t := range []string{corpus.PIIEmail, corpus.PIIPhone, corpus.PIICard, corpus.PIISSN} {
			s := ours[t]
			if s == nil {
				s = &eval.Score{}
				ours[t] = s
			}
			tp := 0
			for _, p := range m.PII {
				if p.Type != t {
					continue
				}
				i := strings.Index(m.Text, p.Value)
				found := false
				for _, e := range got {
					if e.Type == t && e.Start <= i && e.End >= i+len(p.Value) {
						found = true
					}
				}
				if found {
					tp++
				} else {
					s.FN++
				}
			}
			s.TP += tp
			placed := 0
			for _, e := range got {
				if e.Type == t {
					placed++
				}
			}
			s.FP += max(0, placed-tp)
		}
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("\nEnglish corpus messages, side by side (%d messages)\n", len(msgs))
	fmt.Printf("%-28s %-6s %6s %6s %6s %9s %7s %7s %12s\n", "detector", "type", "TP", "FP", "FN", "precision", "recall", "F1", "msgs/s")
	for _, t := range []string{corpus.PIIEmail, corpus.PIIPhone, corpus.PIICard, corpus.PIISSN} {
		s := ours[t]
		fmt.Printf("%-28s %-6s %6d %6d %6d %9.3f %7.3f %7.3f %12.0f\n", "sealroom review/pii", t, s.TP, s.FP, s.FN, s.Precision(), s.Recall(), s.F1(), float64(len(msgs))/secs)
	}
	// Node resolves an ES module's imports from the script's folder: run a
	// copy of it next to the peers' node_modules.
	src, err := os.ReadFile("scripts/pii-peers.mjs")
	if err != nil {
		return err
	}
	script := filepath.Join(dir, "pii-peers.mjs")
	if err := os.WriteFile(script, src, 0o600); err != nil {
		return err
	}
	cmd := exec.Command("node", script, path)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("running the npm peers: %w", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Peer     string  `json:"peer"`
			Messages int     `json:"messages"`
			Seconds  float64 `json:"seconds"`
			Score    map[string]struct{ TP, FP, FN int }
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return fmt.Errorf("peer output %q: %w", line, err)
		}
		for _, t := range []string{corpus.PIIEmail, corpus.PIIPhone, corpus.PIICard, corpus.PIISSN} {
			sc, ok := r.Score[t]
			if !ok {
				continue
			}
			s := eval.Score{TP: sc.TP, FP: sc.FP, FN: sc.FN}
			fmt.Printf("%-28s %-6s %6d %6d %6d %9.3f %7.3f %7.3f %12.0f\n", r.Peer, t, s.TP, s.FP, s.FN, s.Precision(), s.Recall(), s.F1(), float64(r.Messages)/r.Seconds)
		}
	}
	return nil
}
