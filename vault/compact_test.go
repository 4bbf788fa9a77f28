package vault

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/internal/synth"
)

// Compact shrinks a vault imported in four imports of 300 conversations
// and changes nothing in it: the same records (its own check), a log that
// verifies with the same head, a re-import that adds nothing, and an
// unlock that opens the messages.
func TestCompact(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	for i := range 4 { // four imports, each of 300 conversations
		f.ingest(v, uint64(10+i), 30000, 300)
	}
	s := f.login(v, f.p.aldo)
	head, err := s.VerifyLog(LogOptions{})
	must(t, err)
	pagesBefore := usedPages(t, v)
	must(t, v.Close())
	perm := os.FileMode(0o640)
	must(t, os.Chmod(f.path, perm))

	stale := filepath.Join(filepath.Dir(f.path), "."+filepath.Base(f.path)+".compact-123")
	must(t, os.WriteFile(stale, []byte("a copy a killed compaction left"), 0o600))

	var calls, lastDone, lastTotal int
	before, after, err := Compact(f.path, f.opts(), func(done, total int) { calls, lastDone, lastTotal = calls+1, done, total })
	must(t, err)
	if calls == 0 || lastDone != lastTotal || lastTotal == 0 {
		t.Errorf("progress: %d calls, the last %d of %d", calls, lastDone, lastTotal)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a stale copy stays: %v", err)
	}
	if after > before {
		t.Fatalf("compacted from %d to %d bytes", before, after)
	}
	if fi, err := os.Stat(f.path); err != nil || fi.Mode().Perm() != perm {
		t.Fatalf("the new file's mode: %v, %v; want %v", fi.Mode().Perm(), err, perm)
	}

	v = f.open()
	// The file grows in steps of 4 MiB: compare the pages its records take.
	if pagesAfter := usedPages(t, v); pagesAfter > pagesBefore*19/20 {
		t.Fatalf("records took %d bytes of pages before, %d after", pagesBefore, pagesAfter)
	} else {
		t.Logf("pages %d → %d bytes, file %d → %d", pagesBefore, pagesAfter, before, after)
	}
	s = f.login(v, f.p.aldo)
	again, err := s.VerifyLog(LogOptions{})
	must(t, err)
	if again.Head != head.Head || again.Entries != head.Entries {
		t.Fatalf("log after compaction: %d entries, head %s; before %d, %s", again.Entries, again.Head, head.Entries, head.Head)
	}
	for i := range 4 { // the same archives again
		in, err := f.login(v, f.p.admin).Ingest(nil)
		must(t, err)
		must(t, synth.Generate(uint64(10+i), 30000, 300).Send(in))
		st, err := in.Close()
		must(t, err)
		if st.New != 0 || st.Duplicate != 30000 {
			t.Fatalf("re-import %d after compaction: %+v", i, st)
		}
	}
	r := f.login(v, f.p.rita)
	conv := f.convID(r, 3)
	u, err := r.Unlock(f.approved(v, conv.ID, 1, 40, time.Hour, 0, 1))
	must(t, err)
	defer u.Close()
	if len(u.Messages) != 40 || len(u.Damaged) != 0 {
		t.Fatalf("unlocked %d messages, %d damaged chunks; want 40, 0", len(u.Messages), len(u.Damaged))
	}
	// No temporary file is left beside the vault.
	entries, err := os.ReadDir(f.dir)
	must(t, err)
	for _, e := range entries {
		if len(e.Name()) > 8 && e.Name()[0] == '.' {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// A program that opened the file before the rename, and waited for it,
// holds the replaced file: Open refuses it rather than write where nobody
// will look.
func TestCompactMarksOldFile(t *testing.T) {
	f := newFixture(t, 2, 3)
	old := f.path + ".old"
	must(t, os.Link(f.path, old)) // the old inode, kept reachable by a name
	_, _, err := Compact(f.path, f.opts(), nil)
	must(t, err)
	if _, err := Open(old, f.opts()); !errors.Is(err, ErrReplaced) {
		t.Fatalf("opening the replaced file: %v, want ErrReplaced", err)
	}
	v, err := Open(f.path, f.opts())
	must(t, err)
	v.Close()
}

// A copy that does not hold the vault's records is refused and the vault
// left as it was.
func TestCheckCopyRefusesDifference(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	name := f.path + ".copy"
	want, err := copyVault(v.db, name, nil)
	must(t, err)
	must(t, checkCopy(name, want))
	db, err := bolt.Open(name, 0o600, nil)
	must(t, err)
	must(t, db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte("extra"), []byte{1}) }))
	must(t, db.Close())
	if err := checkCopy(name, want); err == nil {
		t.Fatal("a copy with an extra record passed")
	}
}

func usedPages(t *testing.T, v *Vault) int64 {
	t.Helper()
	usage, _, err := v.Usage()
	must(t, err)
	var n int64
	for _, u := range usage {
		n += u.Pages
	}
	return n
}

// A workbench holds its vault shared, the file open only during an
// action: a compaction between two actions is what the next one opens.
func TestCompactBetweenSharedActions(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	f.ingest(v, 3, 2000, 10)
	must(t, v.Close())
	o := f.opts()
	o.Shared = true
	sv, err := Open(f.path, o)
	must(t, err)
	defer sv.Close()
	s := f.login(sv, f.p.rita)
	before, err := s.Conversations()
	must(t, err)
	_, _, err = Compact(f.path, f.opts(), nil)
	must(t, err)
	after, err := s.Conversations()
	must(t, err)
	if len(before) != 10 || len(after) != len(before) {
		t.Fatalf("%d conversations before the compaction, %d after", len(before), len(after))
	}
}
