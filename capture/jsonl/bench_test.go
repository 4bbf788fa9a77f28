package jsonl

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"sealroom/capture"
	"sealroom/internal/synth"
)

type discard struct{}

func (discard) Conversation(*capture.Conversation) error { return nil }
func (discard) Message(*capture.Message) error           { return nil }

// BenchmarkRead reads 200,000 synthetic messages in 50 conversations from
// a JSONL file, on one core in make bench.
func BenchmarkRead(b *testing.B) {
	const n = 200000
	a := synth.Generate(5, n, 50)
	path := filepath.Join(b.TempDir(), "messages.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := NewWriter(f)
	byID := map[string]*capture.Conversation{}
	for _, c := range a.Conversations {
		byID[c.ID] = c
	}
	for _, m := range a.Messages {
		if err := w.Write(byID[m.Conversation], m); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.SetBytes(fi.Size())
	start := time.Now()
	msgs := 0
	for b.Loop() {
		st, err := ReadFile(path, discard{}, capture.Options{})
		if err != nil || st.Bad != 0 || st.Messages != n {
			b.Fatal(err, st)
		}
		msgs += st.Messages
	}
	b.ReportMetric(float64(msgs)/time.Since(start).Seconds(), "msgs/s")
}
