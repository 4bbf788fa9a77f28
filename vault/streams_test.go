package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"testing/iotest"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/internal/synth"
	"sealroom/vault/auditlog"
)

// smallStreams lowers the streaming thresholds for a test: files over two
// pieces are streamed, three pieces per streaming transaction, two per
// sweeping one, and a batch holds at most five pieces' worth of files.
func smallStreams(t *testing.T) {
	th, tx, sw, buf := streamThreshold, streamTxBytes, sweepPieces, maxFileBuffered
	streamThreshold, streamTxBytes, sweepPieces, maxFileBuffered = 2*pieceSize, 3*pieceSize, 2, 5*pieceSize
	t.Cleanup(func() { streamThreshold, streamTxBytes, sweepPieces, maxFileBuffered = th, tx, sw, buf })
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 77))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// streamState is what the streamed-file buckets hold: pieces per file id,
// open marks and references.
type streamState struct {
	pieces map[fileID]int
	open   int
	refs   map[fileID][]byte
}

func streamsOf(t *testing.T, v *Vault) streamState {
	t.Helper()
	st := streamState{pieces: map[fileID]int{}, refs: map[fileID][]byte{}}
	must(t, v.view(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketBig).ForEach(func(k, _ []byte) error {
			var id fileID
			copy(id[:], k)
			st.pieces[id]++
			return nil
		})
		if err != nil {
			return err
		}
		st.open = tx.Bucket(bucketBigOpen).Stats().KeyN
		return tx.Bucket(bucketBigRefs).ForEach(func(k, val []byte) error {
			var id fileID
			copy(id[:], k)
			st.refs[id] = bytes.Clone(val)
			return nil
		})
	}))
	return st
}

// readAll reads attachment i of m through OpenAttachment, returning what
// it gave before the error that ended it (nil at a clean end).
func readAll(t *testing.T, u *Unlocked, m *UnlockedMessage, i int) ([]byte, error) {
	t.Helper()
	r, err := u.OpenAttachment(m, i)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out bytes.Buffer
	_, err = io.Copy(&out, r)
	return out.Bytes(), err
}

// TestStreamedAttachments: files bigger than the threshold, of unknown
// size, or beyond a batch's budget are streamed under their own keys,
// referenced from their chunk, and read back piece by piece through an
// unlock of that chunk; the checks at the end catch a missing, swapped,
// extra or cut piece before the last piece's bytes are returned; a
// re-import streams nothing again.
func TestStreamedAttachments(t *testing.T) {
	smallStreams(t)
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(31, 64, 1)
	th := int(streamThreshold)
	type file struct {
		declared int64
		content  []byte // nil: unreadable
		streamed bool
		fails    bool // counted in FileErrors
	}
	var readErr = errors.New("zip: checksum error")
	files := [][]file{
		{{declared: 10, content: randomBytes(1, 10)}},
		{{declared: int64(th), content: randomBytes(2, th)}},                                         // at the threshold: sealed with the chunk
		{{declared: int64(th + 1), content: randomBytes(3, th+1), streamed: true}},                   // just over
		{{declared: int64(5*pieceSize + 3), content: randomBytes(4, 5*pieceSize+3), streamed: true}}, // over two transactions
		{{declared: 0, content: randomBytes(5, 1000), streamed: true}},                               // size unknown
		{{declared: 0, content: []byte{}, streamed: true}},                                           // size unknown, empty
		{{declared: 10, content: randomBytes(6, th+5), fails: true}},                                 // bigger than the export said
		{{declared: int64(th + 100), fails: true}},                                                   // cannot be opened
		{{declared: int64(4 * pieceSize), content: randomBytes(7, 4*pieceSize), fails: true}},        // fails after two pieces
		{{declared: int64(th + 7), content: randomBytes(8, th+7), streamed: true}, {declared: 20, content: randomBytes(9, 20)}},
		// With the small files above (four pieces and 40 bytes), the second
		// of these takes the batch beyond its budget of five pieces: it is
		// streamed, and the batch is cut after it (the third is in the next).
		{{declared: int64(2 * pieceSize), content: randomBytes(10, 2*pieceSize)}},
		{{declared: int64(2 * pieceSize), content: randomBytes(11, 2*pieceSize), streamed: true}},
		{{declared: int64(2 * pieceSize), content: randomBytes(12, 2*pieceSize)}},
	}
	wantFiles, wantErrors, wantStreamed := 0, 0, 0
	var wantBytes int64
	for i, fs := range files {
		m := a.Messages[i]
		m.Attachments = nil
		for _, fl := range fs {
			att := capture.Attachment{Name: "file-" + m.ID + ".bin", Size: fl.declared, Open: opener(fl.content)}
			switch {
			case i == 7:
				att.Open = func() (io.ReadCloser, error) { return nil, readErr }
			case i == 8:
				c := fl.content
				att.Open = func() (io.ReadCloser, error) {
					return io.NopCloser(io.MultiReader(bytes.NewReader(c[:2*pieceSize]), iotest.ErrReader(readErr))), nil
				}
			}
			m.Attachments = append(m.Attachments, att)
			if fl.fails {
				wantErrors++
				continue
			}
			wantFiles++
			wantBytes += int64(len(fl.content))
			if fl.streamed {
				wantStreamed++
			}
		}
	}
	// Message 3 twice: the repeat is a duplicate, its file not kept twice.
	st := importMessages(t, f, v, a, append(slices.Clone(a.Messages), a.Messages[3]))
	if st.Files != wantFiles || st.FileBytes != wantBytes || st.FileErrors != wantErrors || st.Duplicate != 1 {
		t.Fatalf("stats %+v, want %d files of %d bytes, %d errors, 1 duplicate", st, wantFiles, wantBytes, wantErrors)
	}
	ss := streamsOf(t, v)
	if len(ss.pieces) != wantStreamed || len(ss.refs) != wantStreamed || ss.open != 0 {
		t.Fatalf("%d streamed files, %d references, %d open; want %d, %d, 0 (the failed one dropped)",
			len(ss.pieces), len(ss.refs), ss.open, wantStreamed, wantStreamed)
	}
	for id := range ss.pieces {
		if ss.refs[id] == nil {
			t.Fatalf("streamed file %x has no reference", id[:4])
		}
	}
	raw, err := os.ReadFile(f.path)
	must(t, err)
	if big := files[3][0].content; bytes.Contains(raw, big[pieceSize:pieceSize+64]) {
		t.Fatal("a streamed file's content is in the vault file in the clear")
	}

	// A second import streams nothing: the messages are known.
	streamCommits := 0
	v.beforeCommit = func(action string) error {
		if action == actionStream {
			streamCommits++
		}
		return nil
	}
	if st := importMessages(t, f, v, a, a.Messages); st.New != 0 || st.Files != 0 || streamCommits != 0 {
		t.Fatalf("re-import: %+v, %d streaming commits", st, streamCommits)
	}
	v.beforeCommit = nil
	if again := streamsOf(t, v); len(again.pieces) != wantStreamed || again.open != 0 {
		t.Fatalf("after the re-import: %d streamed files, %d open", len(again.pieces), again.open)
	}

	s := f.login(v, f.p.rita)
	req := f.approved(v, f.convID(s, 0).ID, 1, 32, time.Hour, 0, 1)
	u, err := s.Unlock(req)
	must(t, err)
	byID := map[string]*UnlockedMessage{}
	for i := range u.Messages {
		byID[u.Messages[i].ID] = &u.Messages[i]
	}
	checked := 0
	for i, fs := range files {
		m := byID[a.Messages[i].ID]
		for j, fl := range fs {
			if _, streamed := u.files[fileAddr{m.chunk, m.pos, j}]; streamed != fl.streamed {
				t.Errorf("message %d attachment %d: streamed %v, want %v", i, j, streamed, fl.streamed)
			}
			got, err := readAll(t, u, m, j)
			whole, werr := u.Attachment(m, j)
			if fl.fails {
				if !errors.Is(err, ErrNoContent) || !errors.Is(werr, ErrNoContent) || m.Attachments[j].Size != fl.declared {
					t.Errorf("message %d: failed file read as %v / %v, size %d (want ErrNoContent, the export's size)", i, err, werr, m.Attachments[j].Size)
				}
				continue
			}
			sum := sha256.Sum256(fl.content)
			if err != nil || werr != nil || !bytes.Equal(got, fl.content) || !bytes.Equal(whole, fl.content) ||
				m.Attachments[j].Size != int64(len(fl.content)) || m.Attachments[j].SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("message %d attachment %d: %v / %v, %d and %d bytes, want %d", i, j, err, werr, len(got), len(whole), len(fl.content))
			}
			checked++
		}
	}
	if checked != wantFiles {
		t.Fatalf("%d files checked, want %d", checked, wantFiles)
	}

	// Damage to the six-piece file.
	big := byID[a.Messages[3].ID]
	id := u.files[fileAddr{big.chunk, big.pos, 0}].id
	tamper := func(fn func(b *bolt.Bucket) error) {
		t.Helper()
		must(t, v.update("test: tamper", func(tx *bolt.Tx) error { return fn(tx.Bucket(bucketBig)) }))
	}
	damaged := func(what string, wantRead int) {
		t.Helper()
		got, err := readAll(t, u, big, 0)
		if !errors.Is(err, ErrDamaged) || len(got) != wantRead {
			t.Fatalf("%s: %v after %d bytes, want ErrDamaged after %d", what, err, len(got), wantRead)
		}
		if _, err := u.Attachment(big, 0); !errors.Is(err, ErrDamaged) {
			t.Fatalf("%s: Attachment: %v", what, err)
		}
	}
	saved := map[uint32][]byte{}
	must(t, v.view(func(tx *bolt.Tx) error {
		for n := range uint32(6) {
			saved[n] = bytes.Clone(tx.Bucket(bucketBig).Get(bigKey(id, n)))
		}
		return nil
	}))
	tamper(func(b *bolt.Bucket) error { return b.Delete(bigKey(id, 2)) })
	damaged("missing piece 2", 2*pieceSize)
	tamper(func(b *bolt.Bucket) error { return b.Put(bigKey(id, 2), saved[1]) })
	damaged("piece 1 copied to piece 2", 2*pieceSize)
	tamper(func(b *bolt.Bucket) error { return b.Put(bigKey(id, 2), saved[2]) })
	if got, err := readAll(t, u, big, 0); err != nil || !bytes.Equal(got, files[3][0].content) {
		t.Fatalf("restored: %v", err)
	}
	tamper(func(b *bolt.Bucket) error { return b.Put(bigKey(id, 6), saved[5]) })
	damaged("an extra piece: the last one withheld", 5*pieceSize)
	tamper(func(b *bolt.Bucket) error { return b.Delete(bigKey(id, 6)) })
	tamper(func(b *bolt.Bucket) error { return b.Delete(bigKey(id, 5)) })
	damaged("the last piece cut", 5*pieceSize)
	tamper(func(b *bolt.Bucket) error {
		for n := range uint32(5) {
			if err := b.Delete(bigKey(id, n)); err != nil {
				return err
			}
		}
		return nil
	})
	damaged("every piece removed (not a file the export left out)", 0)
	tamper(func(b *bolt.Bucket) error {
		for n, val := range saved {
			if err := b.Put(bigKey(id, n), val); err != nil {
				return err
			}
		}
		return nil
	})

	// The reader stops at expiry and at Close.
	r, err := u.OpenAttachment(big, 0)
	must(t, err)
	if _, err := io.ReadFull(r, make([]byte, pieceSize)); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	if _, err := r.Read(make([]byte, 10)); !errors.Is(err, ErrExpired) {
		t.Fatalf("reading past the grant's end: %v", err)
	}
	must(t, r.Close())
	if _, err := u.OpenAttachment(big, 0); !errors.Is(err, ErrExpired) {
		t.Fatalf("opening after expiry: %v", err)
	}
	u.Close()
	if _, err := u.OpenAttachment(big, 0); err == nil || u.files != nil {
		t.Fatal("the view opened a file after Close, or kept its keys")
	}
}

// TestStreamedOrphans: an import that dies while streaming (part of a
// file committed) or after (the file whole, its chunk not committed)
// leaves pieces whose key died with it; the next import sweeps them, logs
// how many, stores each file once and reads it back intact.
func TestStreamedOrphans(t *testing.T) {
	smallStreams(t)
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(41, 40, 1)
	contents := map[string][]byte{}
	for i, n := range map[int]int{3: 5*pieceSize + 3, 7: 3 * pieceSize} {
		m := a.Messages[i]
		c := randomBytes(uint64(i), n)
		m.Attachments = []capture.Attachment{{Name: "VID-" + m.ID + ".mp4", Size: int64(n), Open: opener(c)}}
		contents[m.ID] = c
	}
	died := errors.New("injected: the process died")
	attempt := func(die func(action string) bool) {
		t.Helper()
		v.beforeCommit = func(action string) error {
			if die(action) {
				return died
			}
			return nil
		}
		defer func() { v.beforeCommit = nil }()
		in, err := f.login(v, f.p.admin).Ingest(nil)
		must(t, err)
		for _, m := range a.Messages {
			if err := in.Message(m); err != nil {
				break
			}
		}
		if _, err := in.Close(); !errors.Is(err, died) {
			t.Fatalf("the import did not die: %v", err)
		}
	}
	// Dies at its second streaming commit: the first (three pieces and the
	// mark) is in the file. Nothing runs after a death: no sweep either.
	streams := 0
	attempt(func(action string) bool {
		if action == actionStream {
			streams++
			return streams >= 2
		}
		return action == actionSweep
	})
	if ss := streamsOf(t, v); ss.open != 1 || len(ss.pieces) != 1 || len(ss.refs) != 0 {
		t.Fatalf("after dying mid-file: %d open, %d files with pieces, %d references", ss.open, len(ss.pieces), len(ss.refs))
	}
	// The next import sweeps that file, then dies when committing its
	// batch: both files are whole, no chunk holds them.
	committing := false
	attempt(func(action string) bool {
		committing = committing || action == auditlog.ActionIngest
		return committing
	})
	ss := streamsOf(t, v)
	if ss.open != 2 || len(ss.pieces) != 2 || len(ss.refs) != 0 || storedMessages(t, f, v) != 0 {
		t.Fatalf("after dying at the batch's commit: %d open, %d files with pieces, %d references", ss.open, len(ss.pieces), len(ss.refs))
	}

	// The next process imports again.
	must(t, v.Close())
	v = f.open()
	st := importMessages(t, f, v, a, a.Messages)
	if st.New != len(a.Messages) || st.Files != 2 || st.FileBytes != int64(8*pieceSize+3) {
		t.Fatalf("import after the deaths: %+v", st)
	}
	ss = streamsOf(t, v)
	total := 0
	for _, n := range ss.pieces {
		total += n
	}
	if ss.open != 0 || len(ss.pieces) != 2 || len(ss.refs) != 2 || total != 6+3 {
		t.Fatalf("after the import: %d open, %d files of %d pieces, %d references; want 0, 2 of 9, 2", ss.open, len(ss.pieces), total, len(ss.refs))
	}
	es, err := f.login(v, f.p.admin).LogEntries(1)
	must(t, err)
	swept := ""
	for _, e := range es {
		if e.Action == auditlog.ActionIngest {
			swept = e.Detail["files_swept"]
		}
	}
	if swept != "2" {
		t.Fatalf("the import logged files_swept %q, want 2", swept)
	}

	s := f.login(v, f.p.rita)
	u, err := s.Unlock(f.approved(v, f.convID(s, 0).ID, 1, 32, time.Hour, 0, 1))
	must(t, err)
	defer u.Close()
	read := 0
	for i := range u.Messages {
		m := &u.Messages[i]
		if want := contents[m.ID]; want != nil {
			got, err := readAll(t, u, m, 0)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("message %s: %v, %d bytes, want %d", m.ID, err, len(got), len(want))
			}
			read++
		}
	}
	if read != 2 {
		t.Fatalf("%d files read back, want 2", read)
	}
}

// A message that is a duplicate only at commit (another import stored it
// while this one streamed its file) leaves no streamed file behind.
func TestStreamedDuplicateAtCommit(t *testing.T) {
	smallStreams(t)
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(51, 10, 1)
	c := randomBytes(51, 4*pieceSize)
	other := make(chan IngestStats, 1)
	first := true
	a.Messages[2].Attachments = []capture.Attachment{{Name: "doc.pdf", Size: int64(len(c)), Open: func() (io.ReadCloser, error) {
		if first { // the first import is streaming: the second one runs to its end
			first = false
			in, err := f.login(v, f.p.admin).Ingest(nil)
			if err == nil {
				err = a.Send(in)
			}
			st, cerr := in.Close()
			if err == nil {
				err = cerr
			}
			if err != nil {
				t.Errorf("the other import: %v", err)
			}
			other <- st
		}
		return io.NopCloser(bytes.NewReader(c)), nil
	}}}
	in, err := f.login(v, f.p.admin).Ingest(nil)
	must(t, err)
	must(t, a.Send(in))
	st, err := in.Close()
	must(t, err)
	if o := <-other; o.New != len(a.Messages) || o.Files != 1 {
		t.Fatalf("the other import: %+v", o)
	}
	if st.New != 0 || st.Duplicate != len(a.Messages) || st.Files != 0 {
		t.Fatalf("the first import: %+v, want all duplicates", st)
	}
	if ss := streamsOf(t, v); ss.open != 0 || len(ss.pieces) != 1 || len(ss.refs) != 1 {
		t.Fatalf("%d open, %d files with pieces, %d references; want 0, 1, 1", ss.open, len(ss.pieces), len(ss.refs))
	}
}

// A schema 2 vault (from before streamed files) opens read-only as it is;
// opened for writing it is migrated, takes streamed files, and still
// reads the files sealed with their chunks.
func TestSchema2(t *testing.T) {
	smallStreams(t)
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(61, 20, 1)
	small, big := randomBytes(61, pieceSize+5), randomBytes(62, 3*pieceSize)
	a.Messages[1].Attachments = []capture.Attachment{{Name: "IMG.jpg", Size: int64(len(small)), Open: opener(small)}}
	if st := importMessages(t, f, v, a, a.Messages[:10]); st.Files != 1 {
		t.Fatalf("import: %+v", st)
	}
	must(t, v.update("test: back to schema 2", func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketBig, bucketBigOpen, bucketBigRefs} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte{0, 0, 0, 2})
	}))
	must(t, v.Close())

	opt := f.opts()
	opt.ReadOnly = true
	ro, err := Open(f.path, opt)
	if err != nil {
		t.Fatalf("read-only open of a schema 2 vault: %v", err)
	}
	if n := storedMessages(t, f, ro); n != 10 {
		t.Fatalf("read-only: %d messages", n)
	}
	must(t, ro.Close())

	v = f.open()
	must(t, v.view(func(tx *bolt.Tx) error {
		if got := tx.Bucket(bucketMeta).Get(keySchema); !bytes.Equal(got, []byte{0, 0, 0, 3}) || tx.Bucket(bucketBigRefs) == nil {
			t.Errorf("after a writable open: schema %v, streamed-file buckets missing", got)
		}
		return nil
	}))
	a.Messages[12].Attachments = []capture.Attachment{{Name: "VID.mp4", Size: int64(len(big)), Open: opener(big)}}
	if st := importMessages(t, f, v, a, a.Messages); st.New != 10 || st.Files != 1 {
		t.Fatalf("import after migrating: %+v", st)
	}
	s := f.login(v, f.p.rita)
	u, err := s.Unlock(f.approved(v, f.convID(s, 0).ID, 1, 20, time.Hour, 0, 1))
	must(t, err)
	defer u.Close()
	for i, want := range map[int][]byte{1: small, 12: big} {
		m := &u.Messages[i]
		if got, err := readAll(t, u, m, 0); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("message %d: %v, %d bytes, want %d", i, err, len(got), len(want))
		}
	}
}
