package importers_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"sealroom/capture"
	"sealroom/capture/importers"
	"sealroom/internal/corpus"
	"sealroom/vault"
)

// TestCorpusIngest imports a generated corpus into a 2-of-3 vault and
// checks that every message is there exactly once: by count, by a second
// import that adds nothing, and by unlocking random conversations with two
// officers' approvals and comparing with the corpus. make test uses 4,000
// messages; `make corpus-check` 1,000,000 (SEALROOM_CORPUS_MESSAGES).
func TestCorpusIngest(t *testing.T) {
	n := 4000
	if s := os.Getenv("SEALROOM_CORPUS_MESSAGES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	start := time.Now()
	if _, err := corpus.Generate(corpus.Config{Messages: n, Seed: 42, Formats: []string{"jsonl", "whatsapp-android"}, Out: dir}); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d messages in 2 formats in %s", n, time.Since(start).Round(time.Millisecond))

	for _, format := range []string{"jsonl", "whatsapp-android"} {
		t.Run(format, func(t *testing.T) {
			tv := newTestVault(t, filepath.Join(dir, format+".vault"))
			as, admin, rita, officers := tv.as, tv.admin, tv.rita, tv.officers
			var inputs []string
			must(t, filepath.WalkDir(filepath.Join(dir, format), func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					inputs = append(inputs, p)
				}
				return err
			}))
			importAll := func() vault.IngestStats {
				in, err := as(admin).Ingest(nil)
				must(t, err)
				for _, p := range inputs {
					f, err := importers.Detect(p)
					must(t, err)
					// Chats of the same title are told apart by whose export
					// they are: here, the corpus's per-chat folder.
					st, err := f.Read(p, in, capture.Options{Zone: time.UTC, Custodian: filepath.Base(filepath.Dir(p))})
					must(t, err)
					if st.Bad != 0 {
						t.Fatalf("%s: %d unreadable: %v", p, st.Bad, st.Errors)
					}
				}
				st, err := in.Close()
				must(t, err)
				return st
			}
			start := time.Now()
			st := importAll()
			took := time.Since(start)
			t.Logf("imported %d messages in %s (%.0f msgs/s): %+v", n, took.Round(time.Millisecond), float64(n)/took.Seconds(), st)
			if st.New != n || st.Duplicate != 0 {
				t.Fatalf("first import: %+v", st)
			}
			if again := importAll(); again.New != 0 || again.Duplicate != n {
				t.Fatalf("second import: %+v", again)
			}
			rs := as(rita)
			cs, err := rs.Conversations()
			must(t, err)
			total := 0
			for _, c := range cs {
				total += c.Messages
			}
			if total != n {
				t.Fatalf("%d messages in the vault, want %d", total, n)
			}
			if format != "jsonl" {
				return
			}
			// Spot checks: the first messages of random conversations,
			// unlocked with two approvals, equal the corpus's.
			r := rand.New(rand.NewPCG(1, 2))
			for range 3 {
				c := cs[r.IntN(len(cs))]
				to := min(5, c.Messages)
				req, err := rs.Request(vault.Scope{Conversation: c.ID, From: 1, To: to}, "Corpus spot check of stored messages", time.Hour)
				must(t, err)
				must(t, as(officers[0]).Approve(req))
				must(t, as(officers[2]).Approve(req))
				u, err := rs.Unlock(req)
				must(t, err)
				var want []capture.Message
				must(t, corpus.Stream(42, n, func(_ *capture.Conversation, m *capture.Message, _ *corpus.Label) error {
					if m.Conversation == u.Header.ID && len(want) < to {
						want = append(want, *m)
					}
					return nil
				}))
				for i, um := range u.Messages {
					if !reflect.DeepEqual(um.Message, want[i]) {
						t.Fatalf("conversation %s message %d:\n got %+v\nwant %+v", c.ID, i+1, um.Message, want[i])
					}
				}
				if len(u.Messages) != to {
					t.Fatalf("unlocked %d messages, want %d", len(u.Messages), to)
				}
			}
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
