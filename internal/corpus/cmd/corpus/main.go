// Command corpus writes a deterministic synthetic chat corpus in every
// export format Sealroom reads, with ground-truth labels.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"sealroom/internal/corpus"
)

func main() {
	messages := flag.Int("messages", 10000, "messages per format")
	seed := flag.Uint64("seed", 1, "random seed: the same seed writes the same bytes")
	out := flag.String("out", "", "output folder (required); created if missing")
	formats := flag.String("formats", strings.Join(corpus.Formats, ","), "comma-separated formats to write")
	from := flag.String("start", "", "earliest conversation start, `YYYY-MM-DD` (default 2025-01-06); conversations spread over the 300 days after it")
	until := flag.String("until", "", "leave out the messages after `YYYY-MM-DD` (the corpus then holds fewer than --messages)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), `Usage: corpus --messages N --seed S --out DIR [--formats LIST]

Writes N synthetic chat messages (English, Simplified and Traditional
Chinese, Brazilian Portuguese, Spanish, Hinglish; 1:1 and group chats) in
each chosen export format under DIR/<format>/, the same conversations in
each. Planted risk phrases (some obfuscated), personal data with valid
check digits and unique canary strings are listed in DIR/labels.jsonl;
DIR/corpus.json records the seed, counts and each conversation's zone.
Each labels.jsonl line: {"conversation","id" (as in jsonl/messages.jsonl),
"risk":[{"phrase","obfuscation","language","written"}],
"pii":[{"type","value"}],"canary"}. The layout of each format is
described in the package documentation (go doc sealroom/internal/corpus).

Formats: %s

Flags:
`, strings.Join(corpus.Formats, ", "))
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	var list []string
	for _, f := range strings.Split(*formats, ",") {
		if f = strings.TrimSpace(f); f != "" {
			list = append(list, f)
		}
	}
	start := time.Now()
	cfg := corpus.Config{Messages: *messages, Seed: *seed, Formats: list, Out: *out}
	if *from != "" {
		t, err := time.Parse(time.DateOnly, *from)
		if err != nil {
			fmt.Fprintf(os.Stderr, "corpus: --start %q: want a date like 2025-01-06\n", *from)
			os.Exit(2)
		}
		cfg.Start = t
	}
	if *until != "" {
		t, err := time.Parse(time.DateOnly, *until)
		if err != nil {
			fmt.Fprintf(os.Stderr, "corpus: --until %q: want a date like 2026-11-22\n", *until)
			os.Exit(2)
		}
		cfg.Until = t.Add(24*time.Hour - time.Second) // the whole day
	}
	m, err := corpus.Generate(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d messages in %d conversations to %s in %d formats (%s): %d labelled (%d risk, %d PII, %d canaries)\n",
		m.Messages, len(m.Conversations), *out, len(m.Formats), time.Since(start).Round(time.Millisecond),
		m.Labelled, m.Risks, m.PIIs, m.Canaries)
}
