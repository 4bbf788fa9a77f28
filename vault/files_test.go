package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/internal/synth"
)

// withFiles gives messages of a synth archive attachments with content:
// sizes around the piece size, an empty file, and one whose file cannot
// be read. It returns the contents by message id and attachment number.
func withFiles(a *synth.Archive) map[string][][]byte {
	r := rand.New(rand.NewPCG(3, 4))
	sizes := []int{0, 10, pieceSize - 1, pieceSize, pieceSize + 1, 2*pieceSize + 5}
	content := map[string][][]byte{}
	for i, m := range a.Messages[:len(sizes)+2] {
		var atts []capture.Attachment
		var files [][]byte
		for j := 0; j < 1+i%2; j++ {
			n := sizes[(i+j)%len(sizes)]
			b := make([]byte, n)
			for k := range b {
				b[k] = byte(r.Uint32())
			}
			atts = append(atts, capture.Attachment{Name: "IMG-" + m.ID + ".jpg", Type: "image/jpeg", Size: int64(n),
				Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }})
			files = append(files, b)
		}
		if i == len(sizes)+1 { // the export names the file but it cannot be read
			atts = append(atts, capture.Attachment{Name: "broken.mp4", Size: 99,
				Open: func() (io.ReadCloser, error) { return nil, errors.New("zip: checksum error") }})
			files = append(files, nil)
		}
		m.Attachments = atts
		content[m.ID] = files
	}
	return content
}

// TestAttachments: files the export holds are sealed with their chunk's
// key and come back, checked, through an unlock of that chunk only; the
// view ends at expiry and on Close; damaged pieces are named.
func TestAttachments(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(31, 64, 1)
	content := withFiles(a)
	st := importMessages(t, f, v, a, a.Messages)
	wantFiles := 0
	var wantBytes int64
	for _, fs := range content {
		for _, b := range fs {
			if b != nil {
				wantFiles++
				wantBytes += int64(len(b))
			}
		}
	}
	if st.Files != wantFiles || st.FileBytes != wantBytes || st.FileErrors != 1 {
		t.Fatalf("stats %+v, want %d files, %d bytes, 1 error", st, wantFiles, wantBytes)
	}
	// Importing again stores nothing twice.
	if st := importMessages(t, f, v, a, a.Messages); st.New != 0 || st.Files != 0 {
		t.Fatalf("re-import: %+v", st)
	}

	s := f.login(v, f.p.rita)
	conv := f.convID(s, 0)
	req := f.approved(v, conv.ID, 1, 32, time.Hour, 0, 1)
	u, err := s.Unlock(req)
	must(t, err)
	checked := 0
	for mi := range u.Messages {
		m := &u.Messages[mi]
		for ai, att := range m.Attachments {
			got, err := u.Attachment(m, ai)
			want := content[m.ID][ai]
			if want == nil {
				if !errors.Is(err, ErrNoContent) || att.Size != 99 {
					t.Fatalf("unreadable file: %v, size %d (want ErrNoContent, the export's size)", err, att.Size)
				}
				continue
			}
			sum := sha256.Sum256(want)
			if err != nil || !bytes.Equal(got, want) || att.Size != int64(len(want)) || att.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("message %s attachment %d: %v, %d bytes, want %d", m.ID, ai, err, len(got), len(want))
			}
			checked++
		}
	}
	if checked != wantFiles {
		t.Fatalf("%d files checked, want %d", checked, wantFiles)
	}

	// Damage: a missing middle piece, a piece swapped in from another
	// file, a piece from another chunk.
	var big *UnlockedMessage
	ai := 0
	for mi := range u.Messages {
		for i, att := range u.Messages[mi].Attachments {
			if att.Size == 2*pieceSize+5 {
				big, ai = &u.Messages[mi], i
			}
		}
	}
	if big == nil {
		t.Fatal("the three-piece file is not in the unlocked scope")
	}
	key := func(n uint32) []byte { return fileKey([]byte(big.chunk), big.pos, ai, n) }
	var saved []byte
	tamper := func(fn func(b *bolt.Bucket) error) {
		t.Helper()
		must(t, v.update("test: tamper", func(tx *bolt.Tx) error { return fn(tx.Bucket(bucketFiles)) }))
	}
	tamper(func(b *bolt.Bucket) error { saved = bytes.Clone(b.Get(key(1))); return b.Delete(key(1)) })
	if _, err := u.Attachment(big, ai); !errors.Is(err, ErrDamaged) {
		t.Fatalf("missing piece: %v", err)
	}
	tamper(func(b *bolt.Bucket) error { return b.Put(key(1), b.Get(key(0))) })
	if _, err := u.Attachment(big, ai); !errors.Is(err, ErrDamaged) {
		t.Fatalf("piece 0 copied to piece 1: %v", err)
	}
	tamper(func(b *bolt.Bucket) error { return b.Put(key(1), saved) })
	if _, err := u.Attachment(big, ai); err != nil {
		t.Fatalf("restored: %v", err)
	}
	tamper(func(b *bolt.Bucket) error { return b.Put(key(3), saved) })
	if _, err := u.Attachment(big, ai); !errors.Is(err, ErrDamaged) {
		t.Fatalf("extra piece: %v", err)
	}

	// Messages of chunk 2 were not in scope: their files are not reachable.
	if len(u.keys) != 1 {
		t.Fatalf("%d chunk keys kept for a one-chunk scope", len(u.keys))
	}
	f.clock.Advance(2 * time.Hour)
	if _, err := u.Attachment(&u.Messages[0], 0); !errors.Is(err, ErrExpired) {
		t.Fatalf("after expiry: %v", err)
	}
	u.Close()
	if u.keys != nil || u.Messages != nil {
		t.Fatal("Close left keys or messages")
	}
}
