package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/seal"
)

// Attachment content: when an export holds a message's file (a WhatsApp
// .zip's media), the vault stores it sealed with its chunk's key, so the
// same approval that opens the message opens the file and nothing else
// does. A file is cut into pieces of pieceSize bytes, each sealed on its
// own, so a reader checks and holds one piece at a time:
//
//	files/<chunk key ‖ uint8 message ‖ uint8 attachment ‖ uint32 BE piece>
//	                         seal(chunk key DEK) of the piece
//
// The chunk's payload records each file's size and SHA-256, computed while
// sealing; a reader checks both, so a missing, extra or reordered piece is
// caught (a piece moved to another key fails its associated data).

// pieceSize: two sealed pieces and their keys fill eight 16 KiB pages.
const pieceSize = 64<<10 - 256

// ErrNoContent: the export did not hold the attachment's file.
var ErrNoContent = errors.New("the export did not include this file")

// maxFileBuffered is how many bytes of attachment content a batch
// buffers before it is committed (with its messages). A batch holds its
// sealed pieces in memory until it commits, so this bounds the memory an
// import of media takes, except for one file bigger than this, which is
// held whole (DESIGN.md: open problem).
const maxFileBuffered = 32 << 20

func fileKey(chunk []byte, msg, att int, piece uint32) []byte {
	k := append(make([]byte, 0, len(chunk)+6), chunk...)
	k = append(k, byte(msg), byte(att))
	return binary.BigEndian.AppendUint32(k, piece)
}

// sealedPiece is one record to put in files/.
type sealedPiece struct{ key, val []byte }

// sealFiles reads and seals the content of every attachment of msgs (one
// chunk's) that has it, with the chunk's key, and returns the messages to
// encode, with each such attachment's size and SHA-256 filled from what
// was read. A file that cannot be read is stored without content and
// counted in *failed; the export's own size and hash are kept.
func (s *Session) sealFiles(dek *seal.Key, chunk []byte, msgs []*capture.Message, failed *int) ([]*capture.Message, []sealedPiece) {
	var pieces []sealedPiece
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
			ps, size, sum, err := s.sealFile(dek, chunk, mi, ai, a.Open)
			if err != nil {
				*failed++
				continue
			}
			pieces = append(pieces, ps...)
			a.Size, a.SHA256 = size, hex.EncodeToString(sum)
		}
	}
	return out, pieces
}

func (s *Session) sealFile(dek *seal.Key, chunk []byte, mi, ai int, open func() (io.ReadCloser, error)) ([]sealedPiece, int64, []byte, error) {
	r, err := open()
	if err != nil {
		return nil, 0, nil, err
	}
	defer r.Close()
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
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, 0, nil, err
		}
	}
	return pieces, size, h.Sum(nil), nil
}

// Attachment returns the content of attachment i of m, one of u.Messages,
// after checking its size and SHA-256 against the sealed chunk. It is
// refused once the grant has expired, after Close, and with ErrNoContent
// when the export did not hold the file.
func (u *Unlocked) Attachment(m *UnlockedMessage, i int) ([]byte, error) {
	if i < 0 || i >= len(m.Attachments) {
		return nil, fmt.Errorf("message %d has no attachment %d", m.Seq, i)
	}
	a := m.Attachments[i]
	dek := u.keys[m.chunk]
	switch {
	case u.s == nil || dek == nil:
		return nil, errors.New("the unlocked view is closed")
	case !u.s.now().Before(u.Expires):
		return nil, fmt.Errorf("%w: the grant ended at %s", ErrExpired, u.Expires.Format("2006-01-02 15:04:05Z07:00"))
	}
	chunk := []byte(m.chunk)
	var out []byte
	err := u.s.v.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketFiles)
		if err != nil {
			return err
		}
		prefix := fileKey(chunk, m.pos, i, 0)[:len(chunk)+2]
		c := b.Cursor()
		n := uint32(0)
		for k, val := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, val = c.Next() {
			if !bytes.Equal(k, fileKey(chunk, m.pos, i, n)) {
				return fmt.Errorf("%w: attachment %q: piece %d is missing", ErrDamaged, a.Name, n)
			}
			if out, err = seal.Open(out, dek, u.s.ad(bucketFiles, k, 1), val); err != nil {
				return fmt.Errorf("%w: attachment %q, piece %d: %v", ErrDamaged, a.Name, n, err)
			}
			n++
		}
		if n == 0 {
			return fmt.Errorf("attachment %q: %w", a.Name, ErrNoContent)
		}
		return nil
	})
	if err == nil {
		sum := sha256.Sum256(out)
		if int64(len(out)) != a.Size || hex.EncodeToString(sum[:]) != a.SHA256 {
			err = fmt.Errorf("%w: attachment %q is not the file that was imported (size or SHA-256 differs)", ErrDamaged, a.Name)
		}
	}
	if err != nil {
		clear(out)
		return nil, err
	}
	return out, nil
}
