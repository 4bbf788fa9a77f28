package vault

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/seal"
)

// Streamed files. A batch of messages commits in one transaction, and
// everything that transaction writes stays in memory until it commits; so
// a file is sealed inside it (files.go) only when it is small. A file
// bigger than streamThreshold, of unknown size, or beyond the batch's
// budget of maxFileBuffered bytes is streamed instead, before the batch
// commits, in transactions of about streamTxBytes each: it gets a random
// id and a fresh key of its own, its pieces are sealed with that key, and
// the key and id go into the sealed payload of the chunk that holds its
// message (payload version 4). Only the chunk's key reaches the file's
// key: the approval that opens the chunk opens the file, and nothing
// else does.
//
//	bigfiles/<file id ‖ uint32 BE piece>   sealed(the file's key) piece of up to pieceSize bytes
//	bigfiles.open/<file id>                empty: the file's pieces are being written, no chunk holds it
//	bigfiles.refs/<file id>                chunk key ‖ uint8 message ‖ uint8 attachment
//
// The first streaming transaction of a file marks it open; the batch's
// transaction, which writes the chunk, replaces the mark by the file's
// reference. A file whose message turns out to be a duplicate, whose
// batch fails, or whose import dies before its batch commits keeps its
// mark: its key is gone (it lived only in the importer's memory), and its
// pieces are deleted after the batch, or by the next import (sweepOrphans).
// A sweep costs what the marked files hold, not what the vault holds.

// fileID names a streamed file: 16 random bytes.
type fileID [fileIDSize]byte

const fileIDSize = 16

// streamThreshold is the size above which a file is streamed. Files up to
// it are sealed inside their batch's transaction, which holds at most
// maxFileBuffered bytes of them: a quarter of that, so that a batch holds
// at least four such files before Message cuts it. Photos (WhatsApp sends
// them at 0.1–0.5 MB) and voice notes stay with their chunk; videos and
// big documents are streamed. Tests lower it.
var streamThreshold int64 = 2 << 20

// streamTxBytes is how many bytes of sealed pieces one streaming
// transaction writes (and the importer holds) before it commits. What a
// commit allocates is garbage at once, and sealctl ingest lets the heap
// grow to three times what is live (GOGC=200): importing one 1 GiB file
// peaked at 45, 65 and 98 MiB RSS with 2, 4 and 8 MiB, equally fast here.
// 4 MiB is 256 fsyncs per GiB, for disks where an fsync costs more.
var streamTxBytes = 4 << 20

// sweepPieces is how many pieces one sweeping transaction deletes.
var sweepPieces = 1024

func bigKey(id fileID, piece uint32) []byte {
	return binary.BigEndian.AppendUint32(append(make([]byte, 0, fileIDSize+4), id[:]...), piece)
}

// streamed is one file streamed for a batch.
type streamed struct {
	id   fileID
	key  *seal.Key
	size int64
	sum  []byte
	err  error // reading the file failed: its message is stored without it
	kept bool  // a chunk holds it: its batch committed
}

// attAddr names attachment att of a message of a batch.
type attAddr struct {
	m   *capture.Message
	att int
}

// track records that this process streams id; untrack forgets it.
func (v *Vault) track(id fileID) {
	v.streamMu.Lock()
	defer v.streamMu.Unlock()
	if v.streaming == nil {
		v.streaming = map[fileID]bool{}
	}
	v.streaming[id] = true
}

func (v *Vault) untrack(id fileID) {
	v.streamMu.Lock()
	defer v.streamMu.Unlock()
	delete(v.streaming, id)
}

func (v *Vault) tracked(id fileID) bool {
	v.streamMu.Lock()
	defer v.streamMu.Unlock()
	return v.streaming[id]
}

// pieceWriter gathers sealed pieces and open marks and commits them in
// transactions of about streamTxBytes. Its buffers are reused once a
// commit has copied them into the file.
type pieceWriter struct {
	v     *Vault
	marks []fileID
	puts  []sealedPiece
	bytes int
	free  [][]byte
}

func (w *pieceWriter) put(key, val []byte) error {
	w.puts = append(w.puts, sealedPiece{key, val})
	w.bytes += len(val)
	if w.bytes >= streamTxBytes {
		return w.commit()
	}
	return nil
}

// buffer returns an empty buffer for a sealed piece.
func (w *pieceWriter) buffer() []byte {
	if n := len(w.free); n > 0 {
		b := w.free[n-1]
		w.free = w.free[:n-1]
		return b[:0]
	}
	return make([]byte, 0, pieceSize+seal.Overhead)
}

func (w *pieceWriter) commit() error {
	if len(w.puts) == 0 && len(w.marks) == 0 {
		return nil
	}
	err := w.v.update(actionStream, func(tx *bolt.Tx) error {
		big, err := bucket(tx, bucketBig)
		if err != nil {
			return err
		}
		open, err := bucket(tx, bucketBigOpen)
		if err != nil {
			return err
		}
		big.FillPercent = chunkFill // each file's pieces are written in key order
		for _, id := range w.marks {
			if err := open.Put(bytes.Clone(id[:]), []byte{}); err != nil {
				return err
			}
		}
		for _, p := range w.puts {
			if err := big.Put(p.key, p.val); err != nil {
				return err
			}
		}
		return nil
	})
	for _, p := range w.puts {
		w.free = append(w.free, p.val)
	}
	clear(w.puts)
	w.puts, w.marks, w.bytes = w.puts[:0], w.marks[:0], 0
	if err != nil {
		return fmt.Errorf("writing streamed file pieces: %w", err)
	}
	w.v.releaseMapped()
	return nil
}

// actionStream and actionSweep name the streaming and sweeping
// transactions for Vault.beforeCommit; they write no log entry.
const (
	actionStream = "files.stream"
	actionSweep  = "files.sweep"
)

// stream reads one file and writes it in pieces under a new id and key.
// A file that cannot be read is returned with err set (its pieces so far
// stay marked open, for dropping); the error returned is the vault's.
func (s *Session) stream(w *pieceWriter, open func() (io.ReadCloser, error), buf []byte) (*streamed, error) {
	st := &streamed{}
	if _, err := rand.Read(st.id[:]); err != nil {
		return nil, fmt.Errorf("making a file id: %w", err)
	}
	key, err := seal.NewKey()
	if err != nil {
		return nil, err
	}
	st.key = key
	s.v.track(st.id)
	w.marks = append(w.marks, st.id)
	r, err := open()
	if err != nil {
		st.err = err
		return st, nil
	}
	defer r.Close()
	h := sha256.New()
	for n := uint32(0); ; n++ {
		k, rerr := io.ReadFull(r, buf)
		if k > 0 || n == 0 { // an empty file is one empty piece
			pk := bigKey(st.id, n)
			val, err := seal.Seal(w.buffer(), st.key, s.ad(bucketBig, pk, 1), buf[:k])
			if err != nil {
				return st, err
			}
			h.Write(buf[:k])
			st.size += int64(k)
			if err := w.put(pk, val); err != nil {
				return st, err
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			st.err = rerr
			return st, nil
		}
		if n == 1<<32-1 {
			st.err = errors.New("the file has more pieces than a key can number")
			return st, nil
		}
	}
	st.sum = h.Sum(nil)
	return st, nil
}

// streamBatch streams, before b's transaction, the files of b's messages
// that b should not hold: bigger than streamThreshold, of unknown size,
// or beyond maxFileBuffered bytes of the batch's files. A message already
// in the vault, or repeated earlier in b, has its files skipped: it will
// be dropped as a duplicate.
func (in *Ingester) streamBatch(b *ingestBatch) (map[attAddr]*streamed, error) {
	type cand struct {
		pc  *convPending
		i   int
		att []int
	}
	var cands []cand
	var budget int64
	for _, convID := range b.order {
		pc := b.pending[convID]
		for i, m := range pc.msgs {
			var atts []int
			for ai, a := range m.Attachments {
				if a.Open == nil || ai > 255 {
					continue
				}
				if a.Size > 0 && a.Size <= streamThreshold && budget+a.Size <= maxFileBuffered {
					budget += a.Size
					continue
				}
				atts = append(atts, ai)
			}
			if atts != nil {
				cands = append(cands, cand{pc, i, atts})
			}
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}

	// Skip the duplicates.
	s := in.s
	firsts := map[*convPending]map[uint64]int{}
	err := s.v.view(func(tx *bolt.Tx) error {
		for ci, c := range cands {
			first := firsts[c.pc]
			if first == nil {
				first = make(map[uint64]int, len(c.pc.fps))
				for i, fp := range c.pc.fps {
					if _, ok := first[fp]; !ok {
						first[fp] = i
					}
				}
				firsts[c.pc] = first
			}
			fp := c.pc.fps[c.i]
			dup := first[fp] != c.i
			if !dup {
				held, err := s.holds(tx, c.pc.keys.ck, c.pc.msgs[c.i], fp)
				if err != nil {
					return err
				}
				dup = held
			}
			if dup {
				cands[ci].att = nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checking which files to stream: %w", err)
	}

	out := map[attAddr]*streamed{}
	w := &pieceWriter{v: s.v}
	buf := make([]byte, pieceSize)
	defer clear(buf)
	for _, c := range cands {
		m := c.pc.msgs[c.i]
		for _, ai := range c.att {
			st, err := s.stream(w, m.Attachments[ai].Open, buf)
			if st != nil {
				out[attAddr{m, ai}] = st
			}
			if err != nil {
				in.settle(out)
				return nil, err
			}
		}
	}
	if err := w.commit(); err != nil {
		in.settle(out)
		return nil, err
	}
	return out, nil
}

// settle ends a batch's streamed files: the ones no chunk took are
// dropped, and every key is destroyed. A file that cannot be dropped now
// stays marked open for the next import's sweep.
func (in *Ingester) settle(streams map[attAddr]*streamed) error {
	var errs []error
	for _, st := range streams {
		if !st.kept {
			if err := in.s.v.dropFile(st.id); err != nil {
				errs = append(errs, err)
			}
		}
		in.s.v.untrack(st.id)
		st.key.Destroy()
	}
	return errors.Join(errs...)
}

// dropFile deletes a streamed file's pieces and then its open mark, in
// transactions of at most sweepPieces pieces.
func (v *Vault) dropFile(id fileID) error {
	for done := false; !done; {
		err := v.update(actionSweep, func(tx *bolt.Tx) error {
			big, err := bucket(tx, bucketBig)
			if err != nil {
				return err
			}
			var keys [][]byte
			c := big.Cursor()
			for k, _ := c.Seek(id[:]); k != nil && bytes.HasPrefix(k, id[:]) && len(keys) < sweepPieces; k, _ = c.Next() {
				keys = append(keys, bytes.Clone(k))
			}
			for _, k := range keys {
				if err := big.Delete(k); err != nil {
					return err
				}
			}
			if len(keys) < sweepPieces {
				done = true
				open, err := bucket(tx, bucketBigOpen)
				if err != nil {
					return err
				}
				return open.Delete(id[:])
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("deleting the pieces of a file no message holds: %w", err)
		}
		v.releaseMapped()
	}
	return nil
}

// sweepOrphans drops every file marked open that this process is not
// streaming: files of an import that died before their batch committed.
// It returns how many it dropped.
func (v *Vault) sweepOrphans() (int, error) {
	var ids []fileID
	err := v.view(func(tx *bolt.Tx) error {
		open := tx.Bucket(bucketBigOpen)
		if open == nil {
			return nil
		}
		return open.ForEach(func(k, _ []byte) error {
			var id fileID
			if len(k) != fileIDSize {
				return fmt.Errorf("%w: an open file's id has %d bytes", ErrDamaged, len(k))
			}
			copy(id[:], k)
			if !v.tracked(id) {
				ids = append(ids, id)
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("listing the files an interrupted import left: %w", err)
	}
	for i, id := range ids {
		if err := v.dropFile(id); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}
