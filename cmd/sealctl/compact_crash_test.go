package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sealroom/capture/jsonl"
	"sealroom/internal/synth"
)

// `sealctl vault compact` killed with SIGKILL at a random moment: the
// vault opens, passes bbolt's check, its log verifies and it holds every
// message; compacting again finishes and removes the copy the killed run
// left. 5 rounds here, 100 in make soak.
func TestCompactKilled(t *testing.T) {
	rounds := 5
	if os.Getenv("SEALROOM_SOAK") != "" {
		rounds = 100
	}
	dir := t.TempDir()
	ada := newTestAdmin(t, dir)
	base := filepath.Join(dir, "base.vault")
	ada.createVault(t, base, base+".state")

	// Three imports of 40 conversations each: pages split at random keys.
	const n, imports = 30000, 3
	for i := range imports {
		a := synth.Generate(uint64(20+i), n, 40)
		for _, c := range a.Conversations {
			c.ID += fmt.Sprintf("-%d", i)
		}
		byID := map[string]int{}
		for j, c := range a.Conversations {
			byID[c.ID] = j
		}
		input := filepath.Join(dir, fmt.Sprintf("m%d.jsonl", i))
		f, err := os.Create(input)
		must(t, err)
		w := jsonl.NewWriter(f)
		for _, m := range a.Messages {
			m.Conversation += fmt.Sprintf("-%d", i)
			must(t, w.Write(a.Conversations[byID[m.Conversation]], m))
		}
		must(t, w.Flush())
		must(t, f.Close())
		c := exec.Command(os.Args[0], "ingest", base, "--as", ada.key, "--passphrase-file", ada.pass, "--format", "jsonl", "--no-scan", input)
		c.Env = append(os.Environ(), "SEALCTL_TEST_MAIN=1", "SEALROOM_STATE_DIR="+base+".state")
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("ingest %d: %v\n%s", i, err, out)
		}
	}
	const total = n * imports
	if got := count(t, base, ada.id, base+".state"); got != total {
		t.Fatalf("%d messages imported, want %d", got, total)
	}
	baseBytes, err := os.ReadFile(base)
	must(t, err)
	compact := func(v string) *exec.Cmd {
		c := exec.Command(os.Args[0], "vault", "compact", v)
		c.Env = append(os.Environ(), "SEALCTL_TEST_MAIN=1", "SEALROOM_STATE_DIR="+v+".state")
		return c
	}
	// Each copy has its own workstation state, as the original's.
	copyVault := func(v string) {
		must(t, os.WriteFile(v, baseBytes, 0o600))
		must(t, os.CopyFS(v+".state", os.DirFS(base+".state")))
	}
	timed := filepath.Join(dir, "timed.vault")
	copyVault(timed)
	start := time.Now()
	if out, err := compact(timed).CombinedOutput(); err != nil {
		t.Fatalf("compact: %v\n%s", err, out)
	}
	whole := time.Since(start)

	r := rand.New(rand.NewPCG(9, 10))
	copying, replaced := 0, 0 // rounds killed while copying, after the rename
	for round := range rounds {
		v := filepath.Join(dir, fmt.Sprintf("r%d.vault", round))
		copyVault(v)
		c := compact(v)
		must(t, c.Start())
		time.Sleep(time.Duration(r.Float64() * float64(whole)))
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
		stale, _ := filepath.Glob(filepath.Join(dir, "."+filepath.Base(v)+".compact-*"))
		fi, err := os.Stat(v)
		must(t, err)
		switch {
		case fi.Size() != int64(len(baseBytes)):
			replaced++
		case len(stale) > 0:
			copying++
		}
		if got := count(t, v, ada.id, v+".state"); got != total {
			t.Fatalf("round %d: %d messages after the kill, want %d", round, got, total)
		}
		if out, err := compact(v).CombinedOutput(); err != nil {
			t.Fatalf("round %d: compacting after the kill: %v\n%s", round, err, out)
		}
		if got := count(t, v, ada.id, v+".state"); got != total {
			t.Fatalf("round %d: %d messages after compacting again, want %d", round, got, total)
		}
		entries, err := os.ReadDir(dir)
		must(t, err)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "."+filepath.Base(v)+".compact-") {
				t.Fatalf("round %d: %s left", round, e.Name())
			}
		}
	}
	t.Logf("compacting takes %s; %d rounds: %d killed while copying, %d after the rename, the rest before the copy began",
		whole.Round(time.Millisecond), rounds, copying, replaced)
}
