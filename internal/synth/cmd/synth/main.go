// Command synth writes a deterministic synthetic archive as Sealroom JSONL
// (docs/formats/jsonl.md) for tests, benchmarks and the demo.
//
//	go run ./internal/synth/cmd/synth -n 1000 -convs 32 > messages.jsonl
package main

import (
	"flag"
	"fmt"
	"os"

	"sealroom/capture/jsonl"
	"sealroom/internal/synth"
)

func main() {
	n := flag.Int("n", 1000, "number of messages")
	convs := flag.Int("convs", 32, "number of conversations")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same archive")
	flag.Parse()
	if *n < 0 || *convs < 1 {
		fmt.Fprintln(os.Stderr, "synth: -n must be ≥ 0 and -convs ≥ 1")
		os.Exit(2)
	}
	a := synth.Generate(*seed, *n, *convs)
	w := jsonl.NewWriter(os.Stdout)
	byID := map[string]int{}
	for i, c := range a.Conversations {
		byID[c.ID] = i
	}
	for _, m := range a.Messages {
		if err := w.Write(a.Conversations[byID[m.Conversation]], m); err != nil {
			fmt.Fprintln(os.Stderr, "synth:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}
