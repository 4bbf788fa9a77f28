package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/internal/synth"
)

// importMessages sends msgs (and the archive's headers) through one
// Ingester and returns its totals.
func importMessages(t *testing.T, f *fixture, v *Vault, a *synth.Archive, msgs []*capture.Message) IngestStats {
	t.Helper()
	in, err := f.login(v, f.p.admin).Ingest(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range a.Conversations {
		must(t, in.Conversation(c))
	}
	for _, m := range msgs {
		must(t, in.Message(m))
	}
	st, err := in.Close()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// storedMessages is the number of messages the vault's conversations hold.
func storedMessages(t *testing.T, f *fixture, v *Vault) int {
	t.Helper()
	cs, err := f.login(v, f.p.admin).Conversations()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cs {
		n += c.Messages
	}
	return n
}

// TestIngestOverlap imports two overlapping slices of an archive, each
// bigger than a batch, then the whole archive and a repeat-laden copy:
// every message is stored exactly once.
func TestIngestOverlap(t *testing.T) {
	const n = 3 * batchMessages
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(21, n, 3)

	// Per conversation, the first 60% and then the last 60% of its
	// messages (synth sends conversation by conversation).
	per := map[string][]*capture.Message{}
	for _, m := range a.Messages {
		per[m.Conversation] = append(per[m.Conversation], m)
	}
	var early, late []*capture.Message
	overlap := 0
	for _, c := range a.Conversations {
		ms := per[c.ID]
		cut1, cut2 := len(ms)*6/10, len(ms)*4/10
		early = append(early, ms[:cut1]...)
		late = append(late, ms[cut2:]...)
		overlap += cut1 - cut2
	}
	st := importMessages(t, f, v, a, early)
	if st.New != len(early) || st.Duplicate != 0 {
		t.Fatalf("first slice: %+v, want %d new", st, len(early))
	}
	st = importMessages(t, f, v, a, late)
	if st.New != len(late)-overlap || st.Duplicate != overlap {
		t.Fatalf("overlapping slice: %+v, want %d new and %d duplicate", st, len(late)-overlap, overlap)
	}
	st = importMessages(t, f, v, a, a.Messages)
	if st.New != 0 || st.Duplicate != n {
		t.Fatalf("whole archive again: %+v, want all %d duplicate", st, n)
	}
	if got := storedMessages(t, f, v); got != n {
		t.Fatalf("the vault holds %d messages, want %d", got, n)
	}

	// A new message, sent three times in one import, among old ones.
	extra := *a.Messages[len(a.Messages)-1]
	extra.ID += "-new"
	st = importMessages(t, f, v, a, []*capture.Message{a.Messages[5], &extra, &extra, a.Messages[7], &extra})
	if st.New != 1 || st.Duplicate != 4 {
		t.Fatalf("repeats in one import: %+v, want 1 new, 4 duplicate", st)
	}
	if got := storedMessages(t, f, v); got != n+1 {
		t.Fatalf("the vault holds %d messages, want %d", got, n+1)
	}
}

// idDirOf reads a conversation's id directory.
func idDirOf(t *testing.T, f *fixture, v *Vault, convID string) idDir {
	t.Helper()
	s := f.login(v, f.p.admin)
	var d idDir
	err := v.view(func(tx *bolt.Tx) error {
		var err error
		d, err = s.readIDDir(tx.Bucket(bucketIDs), s.mac([]byte(convID)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestIDSegmentsGrow: small imports grow a conversation's last segment up
// to segmentMax fingerprints instead of adding one segment each; a big
// batch gets its own.
func TestIDSegmentsGrow(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(22, segmentMax+batchMessages, 1)
	const step = 1024 // 8 small imports fill the first segment
	for lo := 0; lo < segmentMax+step; lo += step {
		importMessages(t, f, v, a, a.Messages[lo:lo+step])
	}
	d := idDirOf(t, f, v, a.Conversations[0].ID)
	if len(d.segs) != 2 || d.segs[0].n != segmentMax || d.segs[1].n != step {
		t.Fatalf("segments after %d small imports: %+v, want %d then %d", segmentMax/step+1, d.segs, segmentMax, step)
	}
	if d.segs[0].last > d.segs[1].first {
		t.Fatalf("segment time ranges overlap: %+v", d.segs)
	}
	rest := a.Messages[segmentMax+step:]
	if st := importMessages(t, f, v, a, rest); st.New != len(rest) {
		t.Fatalf("last import: %+v, want %d new", st, len(rest))
	}
	d = idDirOf(t, f, v, a.Conversations[0].ID)
	if len(d.segs) != 3 || int(d.segs[2].n) != len(rest) {
		t.Fatalf("segments: %+v, want a third of %d", d.segs, len(rest))
	}
	if st := importMessages(t, f, v, a, a.Messages); st.New != 0 {
		t.Fatalf("re-import: %+v, want 0 new", st)
	}
}

// TestMigrateSchema1 turns a vault back into schema 1 (a msgs/ key per
// message, no id sets), opens it, and checks that the migration keeps
// every stored message known: re-importing adds nothing, new messages
// are added once.
func TestMigrateSchema1(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(23, 600, 2)
	old, more := a.Messages[:500], a.Messages[500:]
	importMessages(t, f, v, a, old)
	s := f.login(v, f.p.admin)
	err := v.update("test: back to schema 1", func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketIDs); err != nil {
			return err
		}
		msgs, err := tx.CreateBucket(bucketMsgs)
		if err != nil {
			return err
		}
		for _, m := range old {
			if err := msgs.Put(s.mac(s.mac([]byte(m.Conversation)), []byte(m.ID)), []byte{0, 0, 0, 1}); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 1))
	})
	must(t, err)
	must(t, v.Close())

	v = f.open()
	must(t, v.view(func(tx *bolt.Tx) error {
		if got := binary.BigEndian.Uint32(tx.Bucket(bucketMeta).Get(keySchema)); got != schemaVersion {
			t.Errorf("schema %d after opening, want %d", got, schemaVersion)
		}
		if tx.Bucket(bucketIDs) == nil {
			t.Error("no ids bucket after the migration")
		}
		return nil
	}))
	if st := importMessages(t, f, v, a, a.Messages); st.New != len(more) || st.Duplicate != len(old) {
		t.Fatalf("import after migrating: %+v, want %d new, %d duplicate", st, len(more), len(old))
	}
	if st := importMessages(t, f, v, a, a.Messages); st.New != 0 {
		t.Fatalf("second import after migrating: %+v, want 0 new", st)
	}
	if got := storedMessages(t, f, v); got != len(a.Messages) {
		t.Fatalf("the vault holds %d messages, want %d", got, len(a.Messages))
	}
}

// storedIn finds a batch's stored fingerprints in a sorted segment in
// one merging pass, and in an unsorted one too; mergeSorted keeps order.
func TestStoredIn(t *testing.T) {
	enc := func(vs ...uint64) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.BigEndian.AppendUint64(b, v)
		}
		return b
	}
	batch := []uint64{3, 7, 9, 20}
	for name, seg := range map[string][]byte{"sorted": enc(1, 7, 8, 20, 30), "unsorted": enc(30, 20, 1, 7, 8)} {
		got := storedIn(nil, seg, batch)
		slices.Sort(got)
		if want := []uint64{7, 20}; !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	got := mergeSorted(enc(1, 5, 9), enc(2, 5, 10, 11))
	if want := enc(1, 2, 5, 5, 9, 10, 11); !bytes.Equal(got, want) {
		t.Errorf("merge: %x", got)
	}
}

// TestFingerprint checks the fingerprinter against the definition,
// SHA-256(K_c ‖ uvarint(len(id)) ‖ id)[:8], for ids on either side of
// the one-block fast path: stored id sets depend on it.
func TestFingerprint(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	s := f.login(v, f.p.admin)
	ck := s.mac([]byte("whatsapp:Desk"))
	k := s.fingerprintKey(ck)
	var fp fingerprinter
	for _, n := range []int{0, 1, 34, 53, 54, 55, 63, 64, 127, 128, 1000} {
		id := strings.Repeat("x", n)
		buf := binary.AppendUvarint(append([]byte(nil), k[:]...), uint64(n))
		sum := sha256.Sum256(append(buf, id...))
		if got, want := fp.fingerprint(s.fingerprintState(ck), id), binary.BigEndian.Uint64(sum[:]); got != want {
			t.Errorf("id of %d bytes: fingerprint %x, want %x", n, got, want)
		}
	}
}
