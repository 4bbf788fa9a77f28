package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"sealroom/capture/jsonl"
	"sealroom/crypto/identity"
	"sealroom/internal/synth"
	"sealroom/vault"
)

// TestMain lets a test run this binary as sealctl itself.
func TestMain(m *testing.M) {
	if os.Getenv("SEALCTL_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// T4-lite: `sealctl ingest` killed with SIGKILL at a random moment, then
// run again to the end: the vault opens, its log verifies, and every
// message is there exactly once. 5 rounds here, 100 in make soak.
func TestIngestKilled(t *testing.T) {
	rounds := 5
	if os.Getenv("SEALROOM_SOAK") != "" {
		rounds = 100
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	ada := newTestAdmin(t, dir)
	admin, key, pass := ada.id, ada.key, ada.pass
	empty := filepath.Join(dir, "empty.vault")
	ada.createVault(t, empty, state)
	emptyBytes, err := os.ReadFile(empty)
	must(t, err)

	const n = 100000 // seven batches of 16,384: kills land between commits
	a := synth.Generate(11, n, 40)
	input := filepath.Join(dir, "messages.jsonl")
	f, err := os.Create(input)
	must(t, err)
	w := jsonl.NewWriter(f)
	byID := map[string]int{}
	for i, c := range a.Conversations {
		byID[c.ID] = i
	}
	for _, m := range a.Messages {
		must(t, w.Write(a.Conversations[byID[m.Conversation]], m))
	}
	must(t, w.Flush())
	must(t, f.Close())

	r := rand.New(rand.NewPCG(7, 8))
	emptyInput := filepath.Join(dir, "empty.jsonl")
	must(t, os.WriteFile(emptyInput, nil, 0o600))
	// Every copy of the empty vault has the same id: each gets its own
	// workstation state, or the copies would look like rollbacks.
	sealctlOn := func(v, in string) *exec.Cmd {
		c := exec.Command(os.Args[0], "ingest", v, "--as", key, "--passphrase-file", pass, "--format", "jsonl", in)
		c.Env = append(os.Environ(), "SEALCTL_TEST_MAIN=1", "SEALROOM_STATE_DIR="+v+".state")
		return c
	}
	sealctl := func(v string) *exec.Cmd { return sealctlOn(v, input) }
	// Time the start-up (passphrase KDF, open, login) and one whole run,
	// to kill the others anywhere while they import.
	timed := filepath.Join(dir, "timed.vault")
	must(t, os.WriteFile(timed, emptyBytes, 0o600))
	start := time.Now()
	if out, err := sealctlOn(timed, emptyInput).CombinedOutput(); err != nil {
		t.Fatalf("ingest of nothing: %v\n%s", err, out)
	}
	startup := time.Since(start)
	start = time.Now()
	if out, err := sealctl(timed).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	whole := time.Since(start)
	if got := count(t, timed, admin, timed+".state"); got != n {
		t.Fatalf("%d messages after an uninterrupted ingest, want %d", got, n)
	}
	killedPartway := 0
	for round := range rounds {
		v := filepath.Join(dir, fmt.Sprintf("r%d.vault", round))
		must(t, os.WriteFile(v, emptyBytes, 0o600))
		c := sealctl(v)
		began := time.Now()
		must(t, c.Start())
		if round%2 == 0 {
			// Anywhere during the import.
			time.Sleep(startup + time.Duration(r.Float64()*float64(max(whole-startup, 0))))
		} else {
			// After the first batch reached the file: mid-import.
			deadline := time.Now().Add(2 * whole)
			for time.Now().Before(deadline) {
				if fi, err := os.Stat(v); err == nil && fi.Size() > int64(len(emptyBytes)) {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			time.Sleep(time.Duration(r.Float64() * float64(whole-startup) / 2))
		}
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
		stored := count(t, v, admin, v+".state")
		t.Logf("round %d: killed after %s, %d messages stored", round, time.Since(began).Round(time.Millisecond), stored)
		if stored > 0 && stored < n {
			killedPartway++
		}
		if out, err := sealctl(v).CombinedOutput(); err != nil {
			t.Fatalf("round %d: ingest after the kill: %v\n%s", round, err, out)
		}
		if got := count(t, v, admin, v+".state"); got != n {
			t.Fatalf("round %d: %d messages after the re-run, want %d", round, got, n)
		}
	}
	t.Logf("start-up %s, whole ingest %s; %d rounds, %d killed part-way through", startup.Round(time.Millisecond), whole.Round(time.Millisecond), rounds, killedPartway)
}

// count opens the vault, verifies its log and returns the messages stored.
func count(t *testing.T, path string, admin *identity.Identity, state string) int {
	t.Helper()
	v, err := vault.Open(path, &vault.Options{StateDir: state})
	if err != nil {
		t.Fatalf("opening after a kill: %v", err)
	}
	defer v.Close()
	if errs := v.Check(); len(errs) > 0 {
		t.Fatalf("bbolt check: %v", errs)
	}
	s, err := v.Login(admin)
	must(t, err)
	if _, err := s.VerifyLog(vault.LogOptions{}); err != nil {
		t.Fatalf("log after a kill: %v", err)
	}
	cs, err := s.Conversations()
	must(t, err)
	total := 0
	for _, c := range cs {
		total += c.Messages
	}
	return total
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
