package vault

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	stdhash "hash"
	"io"
	"math"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/seal"
)

// Attachment content: when an export holds a message's file (a WhatsApp
// .zip's media), the vault stores it so that the same approval that opens
// the message opens the file and nothing else does. A file is cut into
// pieces of pieceSize bytes, each sealed on its own, so a reader checks
// and holds one piece at a time. A file of up to streamThreshold bytes is
// sealed with its chunk's key inside the batch's transaction:
//
//	files/<chunk key ‖ uint8 message ‖ uint8 attachment ‖ uint32 BE piece>
//	                         seal(chunk key DEK) of the piece
//
// A bigger one is streamed before its batch, under a key of its own that
// the chunk's payload holds (streams.go). The chunk's payload records each
// file's size and SHA-256, computed while sealing; a reader checks both,
// so a missing, extra or reordered piece is caught (a piece moved to
// another key fails its associated data).

// pieceSize: two sealed pieces and their keys fill eight 16 KiB pages.
const pieceSize = 64<<10 - 256

// ErrNoContent: the export did not hold the attachment's file.
var ErrNoContent = errors.New("the export did not include this file")

// maxFileBuffered is how many bytes of attachment content a batch holds
// before it is committed (with its messages): its transaction keeps the
// sealed pieces in memory until it commits. Message cuts a batch at this
// many bytes of files up to streamThreshold; the files beyond it, and the
// bigger ones, are streamed (streams.go). 1 GiB of 2 MiB files peaked at
// 89 MiB RSS with 8 MiB batches; 32 MiB batches of 8 MiB files took 222
// MiB, 16 MiB of 4 MiB files 145 MiB (scripts/media-bench.sh). Tests
// lower it.
var maxFileBuffered int64 = 8 << 20

func fileKey(chunk []byte, msg, att int, piece uint32) []byte {
	k := append(make([]byte, 0, len(chunk)+6), chunk...)
	k = append(k, byte(msg), byte(att))
	return binary.BigEndian.AppendUint32(k, piece)
}

// sealedPiece is one record to put in files/ or bigfiles/.
type sealedPiece struct{ key, val []byte }

// sealFiles gives every attachment of j's messages whose file the export
// holds its content: a streamed file (streams.go) by reference, any other
// read and sealed with the chunk's key into j.files. It returns the
// messages to encode, with each such attachment's size and SHA-256 filled
// from what was read. A file that cannot be read is stored without
// content and counted in j.failed; the export's own size and hash are
// kept.
func (s *Session) sealFiles(dek *seal.Key, j *chunkJob) []*capture.Message {
	msgs := j.msgs
	out := msgs
	for mi, m := range msgs {
		has := false
		for _, a := range m.Attachments {
			has = has || a.Open != nil
		}
		if !has {
			continue
		}
		if &out[0] == &msgs[0] {
			out = append([]*capture.Message(nil), msgs...)
		}
		mc := *m
		mc.Attachments = append([]capture.Attachment(nil), m.Attachments...)
		out[mi] = &mc
		for ai := range mc.Attachments {
			a := &mc.Attachments[ai]
			if a.Open == nil || ai > 255 { // keys hold the attachment's number in a byte
				continue
			}
			if st := j.streams[attAddr{m, ai}]; st != nil {
				if st.err != nil {
					j.failed++
					continue
				}
				j.refs = append(j.refs, fileRef{msg: mi, att: ai, id: st.id, key: st.key})
				j.streamed = append(j.streamed, st)
				a.Size, a.SHA256 = st.size, hex.EncodeToString(st.sum)
				continue
			}
			ps, size, sum, err := s.sealFile(dek, j.key, mi, ai, a.Open)
			if err != nil {
				j.failed++
				continue
			}
			j.files = append(j.files, ps...)
			a.Size, a.SHA256 = size, hex.EncodeToString(sum)
		}
	}
	return out
}

// sealFile reads and seals one file of at most streamThreshold bytes (a
// bigger one is streamed; one that grew past the size the export gave is
// refused, so that a batch's memory stays bounded).
func (s *Session) sealFile(dek *seal.Key, chunk []byte, mi, ai int, open func() (io.ReadCloser, error)) ([]sealedPiece, int64, []byte, error) {
	rc, err := open()
	if err != nil {
		return nil, 0, nil, err
	}
	defer rc.Close()
	r := io.LimitReader(rc, streamThreshold+1)
	h := sha256.New()
	buf := make([]byte, pieceSize)
	defer clear(buf)
	var pieces []sealedPiece
	var size int64
	for n := uint32(0); ; n++ {
		k, err := io.ReadFull(r, buf)
		if k > 0 || n == 0 { // an empty file is one empty piece
			key := fileKey(chunk, mi, ai, n)
			val, serr := seal.Seal(nil, dek, s.ad(bucketFiles, key, 1), buf[:k])
			if serr != nil {
				return nil, 0, nil, serr
			}
			pieces = append(pieces, sealedPiece{key, val})
			h.Write(buf[:k])
			size += int64(k)
		}
		if size > streamThreshold {
			return nil, 0, nil, fmt.Errorf("the file grew past %d bytes while the import read it", streamThreshold)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, 0, nil, err
		}
	}
	return pieces, size, h.Sum(nil), nil
}

// OpenAttachment returns a reader of the content of attachment i of m,
// one of u.Messages. It holds one piece at a time: each is read in its
// own short read transaction and authenticated (it must be the piece of
// this file at this position), and the file's size and SHA-256 are
// checked against the sealed chunk when its last piece is read, before
// any byte of that piece is returned. A missing, extra or reordered piece,
// or a file cut short or extended, ends the reading with ErrDamaged in
// place of io.EOF. Opening and reading are refused once the grant has
// expired and after Close; opening returns ErrNoContent when the export
// did not hold the file. The caller must not write what it reads to disk.
func (u *Unlocked) OpenAttachment(m *UnlockedMessage, i int) (io.ReadCloser, error) {
	if i < 0 || i >= len(m.Attachments) {
		return nil, fmt.Errorf("message %d has no attachment %d", m.Seq, i)
	}
	if err := u.usable(); err != nil {
		return nil, err
	}
	a := m.Attachments[i]
	r := &attachmentReader{u: u, name: a.Name, size: a.Size, sum: a.SHA256, h: sha256.New()}
	if ref, ok := u.files[fileAddr{m.chunk, m.pos, i}]; ok {
		id := ref.id
		r.bucket, r.dek = bucketBig, ref.key
		r.key = func(n uint32) []byte { return bigKey(id, n) }
	} else {
		chunk, pos := []byte(m.chunk), m.pos
		r.bucket, r.dek = bucketFiles, u.keys[m.chunk]
		r.key = func(n uint32) []byte { return fileKey(chunk, pos, i, n) }
		var held bool
		err := u.s.v.view(func(tx *bolt.Tx) error {
			b, err := bucket(tx, bucketFiles)
			if err == nil {
				held = b.Get(r.key(0)) != nil
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("attachment %q: %w", a.Name, err)
		}
		if !held {
			return nil, fmt.Errorf("attachment %q: %w", a.Name, ErrNoContent)
		}
	}
	if r.dek == nil {
		return nil, errors.New("the unlocked view is closed")
	}
	pieces := (a.Size + pieceSize - 1) / pieceSize
	if a.Size == 0 {
		pieces = 1 // an empty file is one empty piece
	}
	if pieces > 1<<32-1 {
		return nil, fmt.Errorf("%w: attachment %q: a size of %d bytes", ErrDamaged, a.Name, a.Size)
	}
	r.pieces = uint32(pieces)
	r.buf = make([]byte, 0, pieceSize)
	return r, nil
}

// usable refuses reading after Close and after the grant's end.
func (u *Unlocked) usable() error {
	switch {
	case u.s == nil || u.keys == nil:
		return errors.New("the unlocked view is closed")
	case !u.s.now().Before(u.Expires):
		return fmt.Errorf("%w: the grant ended at %s", ErrExpired, u.Expires.Format("2006-01-02 15:04:05Z07:00"))
	}
	return nil
}

// attachmentReader is what OpenAttachment returns.
type attachmentReader struct {
	u      *Unlocked
	name   string
	size   int64  // as sealed in the chunk
	sum    string // hex SHA-256, as sealed in the chunk
	bucket []byte
	key    func(piece uint32) []byte
	dek    *seal.Key
	pieces uint32 // how many the file has
	n      uint32 // the next piece to read
	buf    []byte // the current piece's plaintext; buf[off:] is unread
	off    int
	h      stdhash.Hash
	got    int64 // bytes of the pieces read
	err    error // once set, every Read returns it
}

// releaseEvery is how many pieces a reader reads between telling the
// kernel to unmap the file pages it faulted in (mapping_linux.go), so
// that reading a big file does not grow the process by the file's size.
const releaseEvery = 128

func (r *attachmentReader) Read(p []byte) (int, error) {
	for r.off == len(r.buf) {
		if r.err != nil {
			return 0, r.err
		}
		if r.n == r.pieces {
			r.err = io.EOF
			continue
		}
		if err := r.next(); err != nil {
			clear(r.buf)
			r.buf, r.off, r.err = r.buf[:0], 0, err
			return 0, err
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

// next reads, authenticates and checks piece r.n.
func (r *attachmentReader) next() error {
	if err := r.u.usable(); err != nil {
		return err
	}
	last := r.n == r.pieces-1
	k := r.key(r.n)
	var found, extra bool
	var oerr error
	err := r.u.s.v.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, r.bucket)
		if err != nil {
			return err
		}
		val := b.Get(k)
		if found = val != nil; found {
			r.buf, oerr = seal.Open(r.buf[:0], r.dek, r.u.s.ad(r.bucket, k, 1), val)
			extra = last && b.Get(r.key(r.pieces)) != nil
		}
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("attachment %q, piece %d: %w", r.name, r.n, err)
	case !found:
		return fmt.Errorf("%w: attachment %q: piece %d is missing", ErrDamaged, r.name, r.n)
	case oerr != nil:
		return fmt.Errorf("%w: attachment %q, piece %d: %v", ErrDamaged, r.name, r.n, oerr)
	case extra:
		return fmt.Errorf("%w: attachment %q: a piece follows its last one", ErrDamaged, r.name)
	}
	r.off = 0
	r.got += int64(len(r.buf))
	r.h.Write(r.buf)
	r.n++
	if r.got > r.size || last && (r.got != r.size || hex.EncodeToString(r.h.Sum(nil)) != r.sum) {
		return fmt.Errorf("%w: attachment %q is not the file that was imported (size or SHA-256 differs)", ErrDamaged, r.name)
	}
	if r.n%releaseEvery == 0 {
		r.u.s.v.releaseMapped()
	}
	return nil
}

// Close clears the reader's plaintext; later reads fail.
func (r *attachmentReader) Close() error {
	clear(r.buf[:cap(r.buf)])
	r.buf, r.off = r.buf[:0], 0
	if r.err == nil || r.err == io.EOF {
		r.err = errors.New("the attachment reader is closed")
	}
	return nil
}

// Attachment returns the whole content of attachment i of m, one of
// u.Messages, checked as OpenAttachment checks it; on any failure it
// returns no content. Prefer OpenAttachment for big files: this holds the
// file whole.
func (u *Unlocked) Attachment(m *UnlockedMessage, i int) ([]byte, error) {
	rc, err := u.OpenAttachment(m, i)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	r := rc.(*attachmentReader)
	if r.size > int64(maxAttachment) {
		return nil, fmt.Errorf("attachment %q has %d bytes, more than one slice holds: read it with OpenAttachment", r.name, r.size)
	}
	out := make([]byte, 0, r.size) // the reader never returns more
	var spare [1]byte
	for {
		dst := out[len(out):cap(out)]
		if len(dst) == 0 {
			dst = spare[:]
		}
		n, err := r.Read(dst)
		if len(out) == cap(out) && n > 0 {
			err = fmt.Errorf("%w: attachment %q is longer than sealed", ErrDamaged, r.name)
		} else {
			out = out[:len(out)+n]
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			clear(out[:cap(out)])
			clear(spare[:])
			return nil, err
		}
	}
}

// maxAttachment is the biggest file Attachment returns whole.
const maxAttachment = math.MaxInt
