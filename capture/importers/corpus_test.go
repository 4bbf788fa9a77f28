package importers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sealroom/capture"
	"sealroom/internal/corpus"
)

type gather struct {
	msgs  int
	texts strings.Builder
}

func (g *gather) Conversation(*capture.Conversation) error { return nil }
func (g *gather) Message(m *capture.Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	g.msgs++
	g.texts.WriteString(m.Text)
	g.texts.WriteByte('\n')
	return nil
}

// The generated corpus, written in every format, reads back through
// format detection with every message present and no unreadable record,
// and every canary is in every format's text.
func TestCorpusRoundTrip(t *testing.T) {
	const n = 3000
	dir := t.TempDir()
	m, err := corpus.Generate(corpus.Config{Messages: n, Seed: 5, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	canaries := canariesOf(t, filepath.Join(dir, "labels.jsonl"))
	if len(canaries) == 0 {
		t.Fatal("the corpus planted no canary")
	}
	for _, format := range m.Formats {
		t.Run(format, func(t *testing.T) {
			var inputs []string
			switch format {
			case "slack", "signal":
				inputs = []string{filepath.Join(dir, format)} // one export folder
			default:
				err := filepath.WalkDir(filepath.Join(dir, format), func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						inputs = append(inputs, p)
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			var g gather
			for _, in := range inputs {
				f, err := Detect(in)
				if err != nil {
					t.Fatal(err)
				}
				st, err := f.Read(in, &g, capture.Options{})
				if err != nil || st.Bad != 0 {
					t.Fatalf("%s as %s: %v, %d unreadable: %v", in, f.Name, err, st.Bad, st.Errors)
				}
			}
			if g.msgs != m.Counts[format] || g.msgs != n {
				t.Fatalf("%d messages read, %d written", g.msgs, m.Counts[format])
			}
			for _, c := range canaries {
				if !strings.Contains(g.texts.String(), c) {
					t.Fatalf("canary %s lost", c)
				}
			}
		})
	}
}

func canariesOf(t *testing.T, labels string) []string {
	b, err := os.ReadFile(labels)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.Index(line, `"canary":"`); i >= 0 {
			rest := line[i+len(`"canary":"`):]
			out = append(out, rest[:strings.IndexByte(rest, '"')])
		}
	}
	return out
}
