package vault

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/identity"
	"sealroom/crypto/seal"
	"sealroom/internal/synth"
	"sealroom/vault/auditlog"
)

func soak() bool { return os.Getenv("SEALROOM_SOAK") != "" }

// threeChunks makes a vault holding one 96-message conversation (three
// chunks) and an approved request for all of it, and returns the vault
// file's bytes, the request and the chunk records.
func threeChunks(t *testing.T) (*fixture, string, []capture.Message, [][]byte) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := f.ingest(v, 7, 96, 1)
	s := f.login(v, f.p.rita)
	conv := f.convID(s, 0)
	req := f.approved(v, conv.ID, 1, 96, time.Hour, 0, 1)
	var want []capture.Message
	for _, m := range a.Messages {
		want = append(want, *m)
	}
	var recs [][]byte
	must(t, v.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketChunks).ForEach(func(k, val []byte) error {
			recs = append(recs, bytes.Clone(val))
			return nil
		})
	}))
	must(t, v.Close())
	if len(recs) != 3 {
		t.Fatalf("%d chunk records", len(recs))
	}
	return f, req, want, recs
}

// flipTrial flips one byte of the vault file, reopens it as the reviewer
// and unlocks. It passes when the program does not panic and shows no
// wrong plaintext: every chunk is either reported by id and refused, or
// its messages are exactly the originals; or the whole unlock fails with
// an error.
func flipTrial(t *testing.T, f *fixture, orig []byte, off int, req string, want []capture.Message) (outcome string) {
	t.Helper()
	b := bytes.Clone(orig)
	b[off] ^= 0x5a
	path := filepath.Join(f.dir, "trial.vault")
	os.Remove(path) // a new inode: no lock left by an earlier trial can apply
	must(t, os.WriteFile(path, b, 0o600))
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("flip at %d: panic: %v", off, r)
		}
	}()
	opt := f.opts()
	opt.AcceptLogHead = true
	v, err := Open(path, opt)
	if err != nil {
		return "open refused"
	}
	defer v.Close()
	s, err := v.Login(f.p.rita)
	if err != nil {
		return "login refused"
	}
	u, err := s.Unlock(req)
	if err != nil {
		return "unlock refused"
	}
	byChunk := map[uint32]bool{}
	for _, d := range u.Damaged {
		byChunk[d.Chunk] = true
		if d.Conversation == "" || d.Err == nil {
			t.Fatalf("flip at %d: a damaged chunk is not named: %+v", off, d)
		}
	}
	i := 0
	for c := uint32(0); c < 3; c++ {
		if byChunk[c] {
			continue
		}
		for j := int(c) * ChunkSize; j < int(c+1)*ChunkSize; j++ {
			if i >= len(u.Messages) || !reflect.DeepEqual(u.Messages[i].Message, want[j]) {
				t.Fatalf("flip at %d: chunk %d shows wrong content", off, c)
			}
			i++
		}
	}
	if i != len(u.Messages) {
		t.Fatalf("flip at %d: %d extra messages shown", off, len(u.Messages)-i)
	}
	if len(u.Damaged) > 0 {
		// The damage is on the log, in the same transaction as the unlock.
		acts := logActions(t, f.login(v, f.p.aldo), 1)
		if acts[len(acts)-2] != auditlog.ActionIntegrityFail {
			t.Fatalf("flip at %d: damaged chunk not logged: %v", off, acts[len(acts)-3:])
		}
		return "chunk refused"
	}
	return "unaffected"
}

// T1: byte flips over three sealed chunk records (first, middle, last)
// and random bytes across the file. make test runs every 9th byte of the
// records and 300 random bytes; make soak every byte and 10,000 random.
func TestByteFlip(t *testing.T) {
	f, req, want, recs := threeChunks(t)
	orig, err := os.ReadFile(f.path)
	must(t, err)
	step, random := 9, 300
	if soak() {
		step, random = 1, 10000
	}
	counts := map[string]int{}
	for ri, rec := range recs {
		at := liveOffset(t, f, orig, rec)
		for i := 0; i < len(rec); i += step {
			o := flipTrial(t, f, orig, at+i, req, want)
			counts[o]++
			if o == "unaffected" {
				t.Fatalf("flip at byte %d of chunk record %d went unnoticed", i, ri)
			}
		}
	}
	if raceEnabled {
		// Flips anywhere in the file can hit bbolt's page headers, and
		// checkptr (on under -race) aborts the process on bbolt's
		// unsafe.Slice over a damaged one. make test runs this test again
		// without -race for them.
		t.Logf("-race: %d random flips across the file left to the run without -race", random)
		random = 0
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range random {
		counts[flipReadOnly(t, f, orig, r.IntN(len(orig)))]++
	}
	t.Logf("outcomes (every %d. byte of three chunk records, %d random bytes): %v", step, random, counts)
	if counts["chunk refused"] == 0 {
		t.Fatal("no trial refused a damaged chunk")
	}
}

// liveOffset returns where in the file the chunk record rec is that
// bbolt reads: the file may also hold stale copies of a page in its free
// pages. A copy is live when changing it changes what bbolt reads.
func liveOffset(t *testing.T, f *fixture, orig, rec []byte) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "probe.vault")
	for at, from := -1, 0; ; from = at + 1 {
		i := bytes.Index(orig[from:], rec)
		if i < 0 {
			t.Fatalf("no live copy of a chunk record in the file")
		}
		at = from + i
		b := bytes.Clone(orig)
		b[at+len(rec)-1] ^= 0xff
		must(t, os.WriteFile(path, b, 0o600))
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		must(t, err)
		found := false
		must(t, db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketChunks).ForEach(func(_, val []byte) error {
				found = found || bytes.Equal(val, rec)
				return nil
			})
		}))
		must(t, db.Close())
		if !found {
			return at
		}
	}
}

// flipReadOnly flips one byte anywhere in the file and reads the vault
// read-only as the auditor: open, log in, list, read and verify the log.
// It passes when nothing panics or crashes. It does not write: bbolt
// trusts its file's structure, and a write transaction over a damaged
// page can corrupt the process's memory (seen in this test), so a flip
// that may land in bbolt's own pages is only read here (DESIGN.md).
func flipReadOnly(t *testing.T, f *fixture, orig []byte, off int) string {
	t.Helper()
	b := bytes.Clone(orig)
	b[off] ^= 0x5a
	path := filepath.Join(f.dir, "trial.vault")
	os.Remove(path)
	must(t, os.WriteFile(path, b, 0o600))
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("flip at %d: panic: %v", off, r)
		}
	}()
	opt := f.opts()
	opt.AcceptLogHead, opt.ReadOnly = true, true
	v, err := Open(path, opt)
	if err != nil {
		return "open refused"
	}
	defer v.Close()
	s, err := v.Login(f.p.aldo)
	if err != nil {
		return "login refused"
	}
	if _, err := s.Conversations(); err != nil {
		return "read refused"
	}
	if _, err := s.Requests(); err != nil {
		return "read refused"
	}
	if _, err := s.VerifyLog(LogOptions{}); err != nil {
		return "log fails"
	}
	return "unaffected"
}

// T2: records moved to another key, swapped, restored from an older
// version, or moved to another vault fail, and the failure names them.
func TestTransplant(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	f.ingest(v, 3, 96, 2) // two conversations of 48 messages: chunks 0 and 1 each
	s := f.login(v, f.p.rita)
	c0, c1 := f.convID(s, 0), f.convID(s, 1)

	chunk := func(conv string, n uint32) (key, val []byte) {
		must(t, v.view(func(tx *bolt.Tx) error {
			ck, err := findConv(tx, conv)
			key = chunkKey(ck, n)
			val = bytes.Clone(tx.Bucket(bucketChunks).Get(key))
			return err
		}))
		return
	}
	put := func(key, val []byte) {
		must(t, v.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketChunks).Put(key, val) }))
	}
	k00, r00 := chunk(c0.ID, 0)
	k01, r01 := chunk(c0.ID, 1)
	k10, r10 := chunk(c1.ID, 0)

	// Swap chunks 0 and 1 of conversation 0, then request: the records
	// fail authentication under their new keys.
	put(k00, r01)
	put(k01, r00)
	req := f.approved(v, c0.ID, 1, 48, time.Hour, 0, 2)
	u, err := s.Unlock(req)
	must(t, err)
	if len(u.Messages) != 0 || len(u.Damaged) != 2 {
		t.Fatalf("swapped chunks: %d messages shown, %d damaged", len(u.Messages), len(u.Damaged))
	}
	for _, d := range u.Damaged {
		if d.Conversation != c0.ID[:len(d.Conversation)] || !errors.Is(d, ErrDamaged) {
			t.Fatalf("damage not named: %v", d)
		}
	}
	put(k00, r00)
	put(k01, r01)

	// A chunk transplanted after the request: the request's record hash
	// refuses it, naming the chunk.
	req = f.approved(v, c1.ID, 1, 10, time.Hour, 1, 2)
	put(k10, r00)
	u, err = s.Unlock(req)
	must(t, err)
	if len(u.Messages) != 0 || len(u.Damaged) != 1 || !strings.Contains(u.Damaged[0].Error(), "changed since the request") {
		t.Fatalf("transplanted chunk: %d messages, damaged %v", len(u.Messages), u.Damaged)
	}
	put(k10, r10)

	// A conversation summary restored from an older version: caught by
	// the versions the signed log records.
	var old []byte
	var ck []byte
	must(t, v.view(func(tx *bolt.Tx) (err error) {
		ck, err = findConv(tx, c0.ID)
		old = bytes.Clone(tx.Bucket(bucketConvs).Get(ck))
		return err
	}))
	a := f.ingest(v, 4, 10, 1) // a new conversation; then more for c0:
	_ = a
	in, err := f.login(v, f.p.admin).Ingest(nil)
	must(t, err)
	must(t, in.Message(&capture.Message{Conversation: "whatsapp:chat-000", ID: "late", Time: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Sender: "x", Kind: capture.KindMessage, Text: "late"}))
	_, err = in.Close()
	must(t, err)
	aldo := f.login(v, f.p.aldo)
	_, err = aldo.VerifyLog(LogOptions{})
	must(t, err)
	must(t, v.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConvs).Put(ck, old) }))
	_, err = aldo.VerifyLog(LogOptions{})
	var le *auditlog.Error
	if !errors.As(err, &le) || !strings.Contains(err.Error(), c0.ID[:12]) {
		t.Fatalf("rolled-back conversation summary: %v", err)
	}

	// A chunk moved to another vault at the same key fails there.
	g := newFixture(t, 2, 3)
	w := g.open()
	g.ingest(w, 3, 96, 2)
	gs := g.login(w, g.p.rita)
	gc0 := g.convID(gs, 0)
	var gk []byte
	must(t, w.view(func(tx *bolt.Tx) error {
		ck, err := findConv(tx, gc0.ID)
		gk = chunkKey(ck, 0)
		return err
	}))
	must(t, w.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketChunks).Put(gk, r00) }))
	req = g.approved(w, gc0.ID, 1, 5, time.Hour, 0, 1)
	u, err = gs.Unlock(req)
	if err == nil && (len(u.Messages) != 0 || len(u.Damaged) != 1) {
		t.Fatalf("chunk from another vault: %d messages shown", len(u.Messages))
	}
}

// T5: a second program holding the vault makes Open fail with ErrInUse
// within the timeout; a commit that fails performs no action.
func TestSecondWriter(t *testing.T) {
	f := newFixture(t, 2, 3)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SEALROOM_TEST_CHILD=hold", "SEALROOM_TEST_VAULT="+f.path, "SEALROOM_TEST_STATE="+filepath.Join(f.dir, "child"))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	must(t, cmd.Start())
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "holding\n" {
		t.Fatalf("child: %q", line)
	}
	for _, timeout := range []time.Duration{0, 500 * time.Millisecond} {
		start := time.Now()
		_, err := Open(f.path, &Options{StateDir: f.opts().StateDir, Timeout: timeout})
		took := time.Since(start)
		if !errors.Is(err, ErrInUse) {
			t.Fatalf("second writer: %v", err)
		}
		if took > 2*time.Second {
			t.Fatalf("second writer waited %s", took)
		}
		t.Logf("timeout %s: vault in use after %s", timeout, took.Round(time.Millisecond))
	}
	stdin.Close()
	must(t, cmd.Wait())
	v := f.open() // free again
	_ = v
}

func TestFailingCommit(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	f.ingest(v, 1, 40, 2)
	s := f.login(v, f.p.rita)
	conv := f.convID(s, 0)
	aldo := f.login(v, f.p.aldo)
	before := logActions(t, aldo, 1)
	fail := errors.New("injected commit failure")
	v.beforeCommit = func(string) error { return fail }
	_, err := s.Request(Scope{Conversation: conv.ID, From: 1, To: 5}, "Alert 4471: possible front-running on the desk", time.Hour)
	if !errors.Is(err, fail) {
		t.Fatalf("request with a failing commit: %v", err)
	}
	v.beforeCommit = nil
	if rs, _ := s.Requests(); len(rs) != 0 {
		t.Fatalf("a failed request was stored: %+v", rs)
	}
	if after := logActions(t, aldo, 1); len(after) != len(before) {
		t.Fatalf("a failed request was logged: %v", after[len(before):])
	}
	// Recovers without reopening; the failed commit consumed no id.
	req := f.approved(v, conv.ID, 1, 5, time.Hour, 0)
	if req != "r1" {
		t.Fatalf("first request after the failure is %s", req)
	}
	// An approval whose commit fails records no vote and no grant.
	v.beforeCommit = func(a string) error {
		if a == auditlog.ActionApprove {
			return fail
		}
		return nil
	}
	if err := f.login(v, f.officers[1]).Approve(req); !errors.Is(err, fail) {
		t.Fatalf("approval with a failing commit: %v", err)
	}
	v.beforeCommit = nil
	if _, err := s.Unlock(req); !errors.Is(err, ErrNotApproved) {
		t.Fatalf("unlock after a failed approval: %v", err)
	}
	// An unlock whose log entry cannot be committed shows nothing.
	must(t, f.login(v, f.officers[1]).Approve(req))
	v.beforeCommit = func(a string) error {
		if a == auditlog.ActionUnlock {
			return fail
		}
		return nil
	}
	if u, err := s.Unlock(req); !errors.Is(err, fail) || u != nil {
		t.Fatalf("unlock with a failing log commit: %v", err)
	}
	v.beforeCommit = nil
	_, err = aldo.VerifyLog(LogOptions{})
	must(t, err)
}

// T6: a failure at any step of creation leaves no vault or a whole one.
func TestCreateCrashSafe(t *testing.T) {
	p := testPeople(t)
	pubs := []*identity.Public{p.officers[0].Public(), p.officers[1].Public()}
	for _, step := range []string{"before-commit", "after-commit", "before-link", "before-dir-sync"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "v.vault")
			createHook = func(s string) error {
				if s == step {
					return errors.New("crash at " + s)
				}
				return nil
			}
			err := Create(path, p.admin, pubs, Config{}, &Options{StateDir: dir})
			createHook = nil
			if err == nil {
				t.Fatal("no error from the failing step")
			}
			checkNoneOrWhole(t, path, p.admin)
			if left, _ := filepath.Glob(filepath.Join(dir, ".v.vault.creating-*")); len(left) > 0 {
				t.Fatalf("temporary files left: %v", left)
			}
		})
	}
	if err := Create(filepath.Join(t.TempDir(), "x"), p.admin, pubs, Config{}, nil); err != nil {
		t.Fatal(err)
	}
}

// checkNoneOrWhole passes when path does not exist or is a complete vault.
func checkNoneOrWhole(t *testing.T, path string, admin *identity.Identity) {
	t.Helper()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return
	}
	v, err := Open(path, &Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatalf("half-made vault under the final name: %v", err)
	}
	defer v.Close()
	if errs := v.Check(); len(errs) > 0 {
		t.Fatalf("bbolt check: %v", errs)
	}
	var count uint64
	must(t, v.view(func(tx *bolt.Tx) error {
		h, err := readLogHead(tx)
		count = h.Count
		return err
	}))
	if count != 1 {
		t.Fatalf("new vault has %d log entries", count)
	}
	if admin != nil {
		s, err := v.Login(admin)
		must(t, err)
		_, err = s.VerifyLog(LogOptions{})
		must(t, err)
	}
}

// childCreate runs in a child process: it creates vaults until killed.
func childCreate() {
	dir := os.Getenv("SEALROOM_TEST_DIR")
	admin, err := identity.New("k", "k@vault.test", []byte("pw"))
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	var pubs []*identity.Public
	for range 3 {
		o, err := identity.New("o", "o@vault.test", []byte("pw"))
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		pubs = append(pubs, o.Public())
	}
	fmt.Println("ready")
	for i := 0; ; i++ {
		if err := Create(filepath.Join(dir, fmt.Sprintf("v%d.vault", i)), admin, pubs, Config{}, &Options{StateDir: dir}); err != nil {
			fmt.Fprintln(os.Stderr, "create:", err)
			return
		}
	}
}

// T6 under SIGKILL: a process creating vaults is killed at random moments;
// every vault file left is whole.
func TestCreateKill(t *testing.T) {
	rounds := 4
	if soak() {
		rounds = 200
	}
	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for i := range rounds {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SEALROOM_TEST_CHILD=create", "SEALROOM_TEST_DIR="+dir)
		stdout, _ := cmd.StdoutPipe()
		must(t, cmd.Start())
		if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
			t.Fatalf("child: %q", line)
		}
		time.Sleep(time.Duration(50+r.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		files, _ := filepath.Glob(filepath.Join(dir, "v*.vault"))
		for _, path := range files {
			checkNoneOrWhole(t, path, nil)
			checked++
		}
		_ = i
	}
	t.Logf("%d rounds, %d vault files checked whole", rounds, checked)
	if checked == 0 {
		t.Fatal("the child made no vault before it was killed")
	}
}

// T7: a log cut back (a restored copy) or rewritten (a diverging copy) is
// reported on open, and opens only when acknowledged.
func TestLogHead(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	f.ingest(v, 1, 40, 2)
	must(t, v.Close())
	backup, err := os.ReadFile(f.path)
	must(t, err)

	v = f.open()
	s := f.login(v, f.p.rita)
	f.approved(v, f.convID(s, 0).ID, 1, 3, time.Hour)
	must(t, v.Close())
	newer, err := os.ReadFile(f.path)
	must(t, err)

	must(t, os.WriteFile(f.path, backup, 0o600))
	_, err = Open(f.path, f.opts())
	var he *HeadError
	if !errors.As(err, &he) || he.Diverged || he.Size >= he.Seen {
		t.Fatalf("restored backup: %v", err)
	}
	// A diverging log: the backup with a different action.
	opt := f.opts()
	opt.AcceptLogHead = true
	v, err = Open(f.path, opt)
	must(t, err)
	f.approved(v, f.convID(f.login(v, f.p.rita), 1).ID, 1, 3, time.Hour)
	must(t, v.Close())
	must(t, os.WriteFile(f.path, newer, 0o600))
	_, err = Open(f.path, f.opts())
	if !errors.As(err, &he) || !he.Diverged {
		t.Fatalf("diverging log: %v", err)
	}
	// Acknowledged, it opens and becomes the remembered head: the next
	// plain open succeeds.
	v, err = Open(f.path, opt)
	must(t, err)
	must(t, v.Close())
	f.open()
}

// T12: the approval policy.
func TestApprovalPolicy(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	f.ingest(v, 1, 64, 1)
	rita := f.login(v, f.p.rita)
	conv := f.convID(rita, 0).ID
	o0, o1, o2 := f.login(v, f.officers[0]), f.login(v, f.officers[1]), f.login(v, f.officers[2])

	// An officer who is also a reviewer cannot approve their own request.
	must(t, v.db.Update(func(tx *bolt.Tx) error {
		m, err := readMember(tx, o2.m.Fingerprint)
		if err != nil {
			return err
		}
		m.Roles = append(m.Roles, RoleReviewer)
		return putMember(tx, m, o2.rev)
	}))
	o2 = f.login(v, f.officers[2])
	own, err := o2.Request(Scope{Conversation: conv, From: 1, To: 4}, "Officer's own look at the opening messages", time.Hour)
	must(t, err)
	if err := o2.Approve(own); !errors.Is(err, ErrSelfApproval) {
		t.Fatalf("self-approval: %v", err)
	}

	// A vote counts once.
	req := f.approved(v, conv, 1, 40, time.Hour, 0)
	if err := o0.Approve(req); !errors.Is(err, ErrAlreadyVoted) {
		t.Fatalf("second approval: %v", err)
	}
	if err := o0.Deny(req, "changed my mind"); !errors.Is(err, ErrAlreadyVoted) {
		t.Fatalf("denial after approval: %v", err)
	}

	// An approval for request A does not count for request B.
	reqB, err := rita.Request(Scope{Conversation: conv, From: 1, To: 40}, "The same scope asked for a second time", time.Hour)
	must(t, err)
	idA, _ := ParseRequestID(req)
	idB, _ := ParseRequestID(reqB)
	must(t, o1.Approve(reqB))
	keyA, keyB := voteKey(idA, o0.m.pub.FingerprintBytes()), voteKey(idB, o0.m.pub.FingerprintBytes())
	// Copied as is, the vote fails authentication under its new key.
	must(t, v.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketVotes).Put(keyB, tx.Bucket(bucketVotes).Get(keyA))
	}))
	if _, err := rita.Unlock(reqB); !errors.Is(err, ErrDamaged) {
		t.Fatalf("a vote copied from request A: %v", err)
	}
	// Re-sealed for its new key by an insider holding K_rev, the
	// officer's signature still names request A's hash.
	must(t, v.db.Update(func(tx *bolt.Tx) error {
		body, sig, err := rita.openSigned(bucketVotes, keyA, rita.review, tx.Bucket(bucketVotes).Get(keyA))
		if err != nil {
			return err
		}
		val := binary.BigEndian.AppendUint16(nil, uint16(len(sig)))
		val = append(val, sig...)
		if val, err = seal.Seal(val, rita.review, rita.ad(bucketVotes, keyB, 1), body); err != nil {
			return err
		}
		return tx.Bucket(bucketVotes).Put(keyB, val)
	}))
	if _, err := rita.Unlock(reqB); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "another request") {
		t.Fatalf("a vote re-sealed from request A: %v", err)
	}
	must(t, v.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketVotes).Delete(keyB) }))
	if _, err := rita.Unlock(reqB); !errors.Is(err, ErrNotApproved) {
		t.Fatalf("request B after removing the moved vote: %v", err)
	}

	// A denial closes a request.
	reqC, err := rita.Request(Scope{Conversation: conv, From: 5, To: 6}, "A third request that will be denied", time.Hour)
	must(t, err)
	if err := o0.Deny(reqC, " \n\t"); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("a denial with a blank reason: %v", err)
	}
	must(t, o0.Deny(reqC, "Not proportionate"))
	if err := o1.Approve(reqC); !errors.Is(err, ErrClosed) {
		t.Fatalf("approval after denial: %v", err)
	}

	// Use after expiry: refused, partials deleted, refusals logged.
	must(t, o1.Approve(req))
	u, err := rita.Unlock(req)
	must(t, err)
	var partials [][]byte
	must(t, v.view(func(tx *bolt.Tx) error {
		r, _ := rita.readRequest(tx, idA)
		st, err := rita.status(tx, r)
		for _, vt := range st.votes {
			raw, err := f.p.rita.Decrypt(vt.Partials)
			must(t, err)
			partials = append(partials, raw)
		}
		return err
	}))
	u.wipe()
	f.clock.Advance(2 * time.Hour)
	if _, err := rita.Unlock(req); !errors.Is(err, ErrExpired) {
		t.Fatalf("unlock after expiry: %v", err)
	}
	if err := o2.Approve(req); err == nil {
		t.Fatal("approval after expiry accepted")
	}
	must(t, v.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketVotes).Cursor()
		p := u64(idA)
		if k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p) {
			t.Fatalf("a vote of the expired request is still stored")
		}
		return nil
	}))
	must(t, v.Close())
	file, err := os.ReadFile(f.path)
	must(t, err)
	for _, p := range partials {
		if bytes.Contains(file, p) {
			t.Fatal("partial decryptions are in the vault file in the clear")
		}
	}
	v = f.open()
	aldo := f.login(v, f.p.aldo)
	es, err := aldo.LogEntries(1)
	must(t, err)
	refusals := map[string]int{}
	for _, e := range es {
		if e.Action == auditlog.ActionRefused {
			refusals[e.Detail["action"]]++
		}
	}
	// approve: self-approval, second approval, approval after denial,
	// approval after expiry; deny: denial after approval; unlock: request B
	// short of approvals, and expiry. (A moved vote is an integrity error,
	// not a refusal.)
	if refusals[auditlog.ActionApprove] != 4 || refusals[auditlog.ActionDeny] != 1 || refusals[auditlog.ActionUnlock] != 2 {
		t.Fatalf("refusals logged: %v", refusals)
	}
}

// The schema check: a newer vault is refused, an older one migrated.
func TestSchema(t *testing.T) {
	f := newFixture(t, 2, 2)
	setSchema := func(n uint32) {
		db, err := bolt.Open(f.path, 0o600, nil)
		must(t, err)
		must(t, db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, n))
		}))
		must(t, db.Close())
	}
	setSchema(schemaVersion + 1)
	if _, err := Open(f.path, f.opts()); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v", err)
	}
	setSchema(schemaVersion - 1)
	ran := false
	migrations = append(migrations, migration{From: schemaVersion - 1, Name: "test", Run: func(tx *bolt.Tx) error { ran = true; return nil }})
	defer func() { migrations = migrations[:len(migrations)-1] }()
	v := f.open()
	var got uint32
	must(t, v.view(func(tx *bolt.Tx) error {
		got = binary.BigEndian.Uint32(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	}))
	if !ran || got != schemaVersion {
		t.Fatalf("migration ran %v, schema now %d", ran, got)
	}
}

// Nothing the vault file holds in the clear is message content (the
// "Plaintext on disk" list in doc.go).
func TestNoPlaintextInFile(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := f.ingest(v, 5, 200, 4)
	s := f.login(v, f.p.rita)
	req := f.approved(v, f.convID(s, 0).ID, 1, 20, time.Hour, 0, 1)
	_, err := s.Unlock(req)
	must(t, err)
	must(t, v.Close())
	file, err := os.ReadFile(f.path)
	must(t, err)
	probes := []string{"Alert 4471", a.Conversations[0].ID, a.Conversations[0].Title}
	for _, m := range a.Messages[:50] {
		probes = append(probes, m.Text, m.Sender, m.ID)
	}
	for _, p := range a.Conversations[0].Participants {
		probes = append(probes, p.Name)
	}
	for _, p := range probes {
		if len(p) >= 4 && bytes.Contains(file, []byte(p)) {
			t.Fatalf("%q is in the vault file in the clear", p)
		}
	}
}

// T12: a revoked or expired key is not enrolled, and the refusal names
// its fingerprint. (GnuPG-made fixtures from crypto/identity/testdata.)
func TestUnusableKeys(t *testing.T) {
	p := testPeople(t)
	for _, name := range []string{"revoked", "expired"} {
		b, err := os.ReadFile(filepath.Join("..", "crypto", "identity", "testdata", name+".pub.asc"))
		must(t, err)
		bad, err := identity.ParsePublic(b)
		must(t, err)
		want := identity.ErrKeyRevoked
		if name == "expired" {
			want = identity.ErrKeyExpired
		}
		err = Create(filepath.Join(t.TempDir(), "v"), p.admin, []*identity.Public{p.officers[0].Public(), bad}, Config{}, nil)
		if !errors.Is(err, want) || !strings.Contains(err.Error(), bad.Fingerprint()) {
			t.Fatalf("%s officer key: %v", name, err)
		}
		f := newFixture(t, 2, 2)
		v := f.open()
		err = f.login(v, p.admin).AddMember(bad, []Role{RoleReviewer})
		if !errors.Is(err, want) || !strings.Contains(err.Error(), bad.Fingerprint()) {
			t.Fatalf("%s member key: %v", name, err)
		}
	}
}

// An ingest-only member imports but can neither request, approve nor
// unlock, and cannot read the log.
func TestIngestRoleCannotUnlock(t *testing.T) {
	f := newFixture(t, 2, 2)
	v := f.open()
	feeder, err := identity.New("Capture Server", "capture@vault.test", []byte("pw"))
	must(t, err)
	must(t, f.login(v, f.p.admin).AddMember(feeder.Public(), []Role{RoleIngest}))
	s := f.login(v, feeder)
	a := synth.Generate(3, 40, 1)
	in, err := s.Ingest(nil)
	must(t, err)
	must(t, a.Send(in))
	st, err := in.Close()
	must(t, err)
	if st.New != 40 {
		t.Fatalf("ingest role stored %d", st.New)
	}
	conv := f.convID(f.login(v, f.p.rita), 0).ID
	if _, err := s.Request(Scope{Conversation: conv, From: 1, To: 2}, "A capture server asking to read messages", time.Hour); !errors.Is(err, ErrForbidden) {
		t.Fatalf("request by the ingest role: %v", err)
	}
	req := f.approved(v, conv, 1, 2, time.Hour, 0, 1)
	if err := s.Approve(req); !errors.Is(err, ErrForbidden) {
		t.Fatalf("approval by the ingest role: %v", err)
	}
	if _, err := s.Unlock(req); !errors.Is(err, ErrNotRequester) {
		t.Fatalf("unlock by the ingest role: %v", err)
	}
	if _, err := s.LogEntries(1); !errors.Is(err, ErrForbidden) {
		t.Fatalf("log read by the ingest role: %v", err)
	}
}
