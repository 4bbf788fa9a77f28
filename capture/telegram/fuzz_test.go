package telegram

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"sealroom/capture"
)

// validating is a Sink that fails the test on any message Validate
// refuses.
type validating struct{ t *testing.T }

func (v validating) Conversation(c *capture.Conversation) error {
	if c.ID == "" {
		v.t.Error("conversation without id")
	}
	return nil
}

func (v validating) Message(m *capture.Message) error {
	if err := m.Validate(); err != nil {
		v.t.Errorf("delivered an invalid message: %v", err)
	}
	return nil
}

func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/*/result.json")
	seeds = append(seeds, more...)
	if len(seeds) == 0 {
		f.Fatal("no seed files in testdata")
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// Cases found by fuzzing:
	f.Add([]byte(`{"messages":[{"id":1,"date_unixtime":"9999999999999","from_id":"u"}]}`))
	f.Add([]byte(`{"chats":{"list":[{"messages":[{"id":1,"text":[{"type":"text_link"}]}]}]}}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, strict := range []bool{false, true} {
			var st capture.Stats
			err := read(bytes.NewReader(data), "fuzz.json", validating{t}, capture.Options{Strict: strict}, &st)
			if err == nil && st.Bad > 0 && strict {
				t.Fatalf("strict read skipped %d records without an error", st.Bad)
			}
			if st.Bad != len(st.Errors) && len(st.Errors) < capture.MaxErrors {
				t.Fatalf("Bad %d but %d errors kept", st.Bad, len(st.Errors))
			}
		}
	})
}
