package slack

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"sealroom/capture"
)

// FuzzReadDay feeds arbitrary bytes to the day-file decoder: it must not
// panic, must deliver only valid messages in increasing Seq, and must
// count what it delivers.
func FuzzReadDay(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*", "*", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, p := range seeds {
		if !isDayName(filepath.Base(p)) {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2]) // a truncation
		n++
	}
	if n == 0 {
		f.Fatal("no day files under testdata to seed the fuzzer")
	}
	f.Add([]byte(`[{"ts":"1.1","user":"U1","text":"<@U1|<#C1|>&amp;<<>>"}]`))
	f.Add([]byte(`[{"ts":"1736500000.000200","subtype":"x","files":[{"size":"12"},{"size":-1},{"size":{}}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sink := &collect{t: t}
		r := &reader{sink: sink, st: &capture.Stats{},
			names: map[string]string{"U1": "Ann Lee"}, chans: map[string]string{"C1": "general"}, done: map[string]bool{}}
		cv := newConvState(&capture.Conversation{ID: "slack:C1", Channel: "slack", Title: "#general",
			Participants: []capture.Participant{{ID: "U1", Name: "Ann Lee"}}})
		if err := r.readDay(bytes.NewReader(data), "fuzz.json", cv); err != nil {
			t.Fatalf("readDay returned %v; only sink errors or Strict stop it", err)
		}
		if r.st.Messages != len(sink.events) {
			t.Fatalf("Stats.Messages = %d, delivered %d", r.st.Messages, len(sink.events))
		}
		for i, e := range sink.events {
			if e.Msg == nil || e.Msg.Seq != int64(i+1) || e.Msg.Conversation != "slack:C1" {
				t.Fatalf("event %d = %v", i, e)
			}
		}
		for _, le := range r.st.Errors {
			if le.File != "fuzz.json" || le.Line < 0 {
				t.Fatalf("bad report %v", le)
			}
		}
	})
}
