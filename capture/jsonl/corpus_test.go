package jsonl_test

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sealroom/capture/jsonl"
	"sealroom/internal/corpus"
)

// The multilingual corpus in JSONL (six languages, emoji, planted
// obfuscations, attachments): every line takes the fast path and decodes
// as encoding/json decodes it.
func TestDecodeFastCorpus(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.Generate(corpus.Config{Messages: 20000, Seed: 7, Formats: []string{"jsonl"}, Out: dir}); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "jsonl", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus files: %v %v", files, err)
	}
	lines := 0
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, jsonl.MaxLine)
		for sc.Scan() {
			line := sc.Bytes()
			var fast, slow jsonl.Record
			if !jsonl.DecodeFast(line, &fast) {
				t.Fatalf("%s: left the fast path: %s", name, line)
			}
			if err := jsonl.DecodeJSON(line, &slow); err != nil || !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%s: %s\nfast %+v\njson %+v (%v)", name, line, fast, slow, err)
			}
			lines++
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if lines < 20000 {
		t.Fatalf("%d lines read", lines)
	}
}
