package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	gohash "hash"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// keyReplaced, in the meta bucket, marks a file that Compact replaced: a
// program that opened the path before the rename and waited for the lock
// holds the old file, and must not write there.
var keyReplaced = []byte("replaced")

// ErrReplaced is returned by Open for a file that Compact replaced while
// it waited for it: opening the path again reaches the new file.
var ErrReplaced = errors.New("the vault file was replaced by a compaction while this program waited for it: open it again")

// compactTxBytes bounds the data one transaction of the copy writes.
const compactTxBytes = 8 << 20

// Compact rewrites the vault file at path with full pages. A vault
// imported from many conversations is bigger than its records need: their
// keys are keyed hashes, so each import inserts at random places in the
// B-trees, and split pages stay partly empty (a folder of 4,358 chats
// made a file 1.71× its sealed chunks, one chat 1.30×). Compact copies
// every record, in key order, into a new file beside it with full pages,
// checks that the copy holds exactly the same records (bbolt's own check
// and a SHA-256 over every bucket, key and value, in order), and renames
// it over the old one. The log, the keys and every record are unchanged.
//
// It needs the file to itself: opt's Timeout applies to the lock, and the
// log head is checked as Open checks it. progress, if not nil, is told
// the records copied of all. It returns the file's size before and after.
func Compact(path string, opt *Options, progress func(done, total int)) (before, after int64, err error) {
	if opt == nil {
		opt = &Options{}
	}
	o := *opt
	o.ReadOnly, o.Shared = false, false
	v, err := Open(path, &o)
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if cerr := v.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	before = fi.Size()

	// A compaction that died left its copy: holding the vault's lock, no
	// other is running, so any such file is stale.
	pattern := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	stale, _ := filepath.Glob(pattern)
	for _, name := range stale {
		os.Remove(name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	if err != nil {
		return before, 0, fmt.Errorf("compacting %s: %w", path, err)
	}
	name := tmp.Name()
	tmp.Close()
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(name)
		}
	}()
	want, err := copyVault(v.db, name, progress)
	if err != nil {
		return before, 0, fmt.Errorf("compacting %s: %w", path, err)
	}
	if err := os.Chmod(name, fi.Mode().Perm()); err != nil {
		return before, 0, fmt.Errorf("compacting %s: %w", path, err)
	}
	if err := checkCopy(name, want); err != nil {
		return before, 0, fmt.Errorf("compacting %s: the copy does not match, the vault is left as it was: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return before, 0, fmt.Errorf("compacting %s: %w", path, err)
	}
	renamed = true
	if err := syncDir(filepath.Dir(path)); err != nil {
		return before, 0, fmt.Errorf("compacting %s: the new file is in place, but syncing its folder: %w", path, err)
	}
	// The old file, now nameless, stays reachable only to a program that
	// opened it before the rename; tell it so.
	if err := v.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyReplaced, []byte{1})
	}); err != nil {
		return before, 0, fmt.Errorf("compacting %s: the new file is in place, but marking the old one: %w", path, err)
	}
	if fi, err = os.Stat(path); err != nil {
		return before, 0, err
	}
	return before, fi.Size(), nil
}

// copyVault copies every bucket of src, in key order, into a new bbolt
// file at name with full pages, and returns the digest of what it copied.
func copyVault(src *bolt.DB, name string, progress func(done, total int)) ([]byte, error) {
	dst, err := bolt.Open(name, 0o600, &bolt.Options{NoSync: true, PageSize: src.Info().PageSize})
	if err != nil {
		return nil, err
	}
	dst.AllocSize = allocSize
	c := &copier{dst: dst, sum: sha256.New(), progress: progress}
	err = src.View(func(stx *bolt.Tx) error {
		if progress != nil {
			if err := stx.ForEach(func(_ []byte, b *bolt.Bucket) error {
				c.total += b.Stats().KeyN
				return nil
			}); err != nil {
				return err
			}
		}
		tx, err := dst.Begin(true)
		if err != nil {
			return err
		}
		c.tx = tx
		return stx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return c.bucket([][]byte{name}, b)
		})
	})
	if err == nil && progress != nil {
		progress(c.total, c.total)
	}
	if err == nil {
		err = c.tx.Commit()
	} else if c.tx != nil {
		c.tx.Rollback()
	}
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return c.sum.Sum(nil), nil
}

// copier writes one transaction of the copy at a time.
type copier struct {
	dst     *bolt.DB
	tx      *bolt.Tx
	written int
	sum     gohash.Hash

	progress    func(done, total int)
	done, total int // records copied, of all (with nested buckets')
}

// bucket copies the bucket at path (its name, and its parents' before it).
func (c *copier) bucket(path [][]byte, b *bolt.Bucket) error {
	digest(c.sum, 'b', path[len(path)-1], nil)
	db, err := c.dstBucket(path)
	if err != nil {
		return err
	}
	seq := b.Sequence()
	cur := b.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v == nil { // a nested bucket, which may commit
			if err := c.bucket(append(path[:len(path):len(path)], k), b.Bucket(k)); err != nil {
				return err
			}
			db = nil
			continue
		}
		digest(c.sum, 'k', k, v)
		if c.written >= compactTxBytes {
			if c.progress != nil {
				c.progress(c.done, c.total)
			}
			if err := c.tx.Commit(); err != nil {
				return err
			}
			if c.tx, err = c.dst.Begin(true); err != nil {
				return err
			}
			c.written, db = 0, nil
		}
		if db == nil { // the bucket again, in this transaction
			if db, err = c.dstBucket(path); err != nil {
				return err
			}
		}
		if err := db.Put(k, v); err != nil {
			return err
		}
		c.written += len(k) + len(v)
		c.done++
	}
	if db == nil {
		if db, err = c.dstBucket(path); err != nil {
			return err
		}
	}
	digest(c.sum, 'e', binary.BigEndian.AppendUint64(nil, seq), nil)
	return db.SetSequence(seq)
}

// dstBucket returns the copy's bucket at path in the current
// transaction, made if need be, filled full: records arrive in key order.
func (c *copier) dstBucket(path [][]byte) (*bolt.Bucket, error) {
	b, err := c.tx.CreateBucketIfNotExists(path[0])
	for _, name := range path[1:] {
		if err != nil {
			return nil, err
		}
		b, err = b.CreateBucketIfNotExists(name)
	}
	if err != nil {
		return nil, err
	}
	b.FillPercent = 1.0
	return b, nil
}

// digest adds a tagged, length-prefixed record to h.
func digest(h gohash.Hash, tag byte, k, v []byte) {
	var n [9]byte
	n[0] = tag
	for _, p := range [][]byte{k, v} {
		l := len(p)
		for i := 1; i < 9; i++ {
			n[i] = byte(l >> (8 * (i - 1)))
		}
		h.Write(n[:])
		h.Write(p)
		n[0] = 0
	}
}

// checkCopy opens the copy read-only, runs bbolt's consistency check and
// compares the digest of its contents with want.
func checkCopy(name string, want []byte) error {
	db, err := bolt.Open(name, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		h := sha256.New()
		var walk func(path [][]byte, b *bolt.Bucket)
		walk = func(path [][]byte, b *bolt.Bucket) {
			digest(h, 'b', path[len(path)-1], nil)
			cur := b.Cursor()
			for k, v := cur.First(); k != nil; k, v = cur.Next() {
				if v == nil {
					walk(append(path[:len(path):len(path)], k), b.Bucket(k))
					continue
				}
				digest(h, 'k', k, v)
			}
			digest(h, 'e', binary.BigEndian.AppendUint64(nil, b.Sequence()), nil)
		}
		if err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			walk([][]byte{name}, b)
			return nil
		}); err != nil {
			return err
		}
		if !bytes.Equal(h.Sum(nil), want) {
			return errors.New("its records differ from the vault's")
		}
		return nil
	})
}
