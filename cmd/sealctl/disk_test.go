package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"sealroom/internal/corpus"
)

// No plaintext from the imported files is left on disk outside the vault
// and the input: `sealctl ingest` of a corpus in every format, with its
// own TMPDIR, HOME and cache folders; then every file it could have
// written, and the vault, are searched for the corpus's canaries and for
// message texts.
func TestNoPlaintextOnDisk(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "corpus")
	m, err := corpus.Generate(corpus.Config{Messages: 5000, Seed: 41, Out: src})
	must(t, err)
	needles := diskNeedles(t, src)
	if len(needles) < 20 {
		t.Fatalf("only %d canaries and texts to look for", len(needles))
	}

	home, tmp := filepath.Join(dir, "home"), filepath.Join(dir, "tmp")
	for _, d := range []string{home, tmp} {
		must(t, os.MkdirAll(d, 0o700))
	}
	ada := newTestAdmin(t, dir)
	key, pass := ada.key, ada.pass
	state := filepath.Join(home, "state")
	vpath := filepath.Join(dir, "disk.vault")
	ada.createVault(t, vpath, state)

	for _, format := range m.Formats {
		args := []string{"ingest", vpath, "--as", key, "--passphrase-file", pass, "--tz", "UTC", "--custodian", format}
		switch format {
		case "slack", "signal":
			args = append(args, filepath.Join(src, format))
		default:
			err := filepath.WalkDir(filepath.Join(src, format), func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					args = append(args, p)
				}
				return err
			})
			must(t, err)
		}
		c := exec.Command(os.Args[0], args...)
		c.Env = append(os.Environ(), "SEALCTL_TEST_MAIN=1", "SEALROOM_STATE_DIR="+state, "TMPDIR="+tmp,
			"HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"), "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("ingest %s: %v\n%s", format, err, out)
		}
	}

	// The needles are really in the input (the search can find them).
	jsonlInput, err := os.ReadFile(filepath.Join(src, "jsonl", "messages.jsonl"))
	if err != nil {
		t.Fatalf("reading the corpus JSONL export: %v", err)
	}
	for _, n := range needles {
		if !bytes.Contains(jsonlInput, jsonEscapeFree(n)) {
			t.Fatalf("needle %q is not in the input", n)
		}
	}

	searched := 0
	for _, root := range []string{home, tmp, vpath} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			searched++
			for _, n := range needles {
				if bytes.Contains(b, n) {
					t.Errorf("%s holds plaintext %q", p, n)
				}
			}
			return nil
		})
		must(t, err)
	}
	if searched < 2 { // at least the vault and the workstation's log head
		t.Fatalf("only %d files searched", searched)
	}
	t.Logf("%d files searched for %d needles after importing %d formats", searched, len(needles), len(m.Formats))
}

// diskNeedles returns the corpus's canaries and, from its JSONL export,
// message texts of 12 bytes or more.
func diskNeedles(t *testing.T, src string) [][]byte {
	t.Helper()
	var out [][]byte
	seen := map[string]bool{}
	add := func(s string) {
		if len(s) >= 12 && !seen[s] {
			seen[s] = true
			out = append(out, []byte(s))
		}
	}
	f, err := os.Open(filepath.Join(src, "labels.jsonl"))
	must(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l corpus.Label
		must(t, json.Unmarshal(sc.Bytes(), &l))
		if l.Canary != "" {
			out = append(out, []byte(l.Canary))
		}
	}
	canaries := len(out)
	if canaries == 0 {
		t.Fatal("the corpus planted no canary")
	}
	texts, err := filepath.Glob(filepath.Join(src, "jsonl", "*"))
	must(t, err)
	for _, p := range texts {
		g, err := os.Open(p)
		must(t, err)
		sc := bufio.NewScanner(g)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() && len(out) < canaries+500 {
			var rec struct {
				Text string `json:"text"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil {
				add(rec.Text)
			}
		}
		g.Close()
	}
	return out
}

// jsonEscapeFree returns n when it needs no JSON escaping, else a prefix
// of it that does not.
func jsonEscapeFree(n []byte) []byte {
	if i := bytes.IndexAny(n, "\"\\\n\t<>&"); i >= 0 {
		return n[:i]
	}
	return n
}
