package vault

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/mod/sumdb/tlog"
)

// A workstation remembers, per vault, the newest log head it has seen: the
// entry count and Merkle root. On open, a log that is shorter, or whose
// tree is not an extension of the remembered one (an RFC 6962 consistency
// proof fails), was cut back or rewritten: a restored backup, or a vault
// showing different logs to different people (T7).

// DefaultStateDir is $SEALROOM_STATE_DIR, or "sealroom" in the user's
// configuration folder.
func DefaultStateDir() string {
	if d := os.Getenv("SEALROOM_STATE_DIR"); d != "" {
		return d
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "sealroom")
	}
	return filepath.Join(os.TempDir(), "sealroom-state")
}

type seenHead struct {
	Size int64     `json:"size"`
	Root tlog.Hash `json:"root"`
	Seen time.Time `json:"seen"`
}

// HeadError reports a log older than, or diverging from, the one this
// workstation saw last.
type HeadError struct {
	Diverged     bool  // the log is not an extension of the remembered one
	Size, Seen   int64 // entries now, and in the remembered head
	SeenAt       time.Time
	Root, SeenRt tlog.Hash
}

func (e *HeadError) Error() string {
	if e.Diverged {
		return fmt.Sprintf("the access log diverges from the one this workstation saw (size %d, seen at %s): it was rewritten, or another copy of the vault is in use; now size %d",
			e.Seen, e.SeenAt.Format(time.RFC3339), e.Size)
	}
	return fmt.Sprintf("the access log is older than the last seen head (size %d, seen at %s): now size %d; the vault may have been restored from a backup",
		e.Seen, e.SeenAt.Format(time.RFC3339), e.Size)
}

func (v *Vault) headFile() string {
	dir := v.opt.StateDir
	if dir == "" {
		dir = DefaultStateDir()
	}
	return filepath.Join(dir, "heads", v.ID()+".json")
}

// viewFunc runs a read transaction: Vault.view, or a bolt.DB's View where
// the caller holds the shared vault's lock (acquire, release, Close).
type viewFunc func(func(*bolt.Tx) error) error

func (v *Vault) headVia(view viewFunc) (seenHead, error) {
	var h seenHead
	err := view(func(tx *bolt.Tx) error {
		lh, err := readLogHead(tx)
		if err != nil {
			return err
		}
		h.Size = int64(lh.Count)
		h.Root, err = tlog.TreeHash(h.Size, boltHashReader(tx.Bucket(bucketLogHash)))
		return err
	})
	return h, err
}

func (v *Vault) loadHead() (*seenHead, error) {
	b, err := os.ReadFile(v.headFile())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the remembered log head: %w", err)
	}
	var h seenHead
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("reading the remembered log head %s: %w", v.headFile(), err)
	}
	return &h, nil
}

func (v *Vault) saveHead(h seenHead) error {
	h.Seen = time.Now().UTC()
	b, _ := json.Marshal(h)
	f := v.headFile()
	if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
		return fmt.Errorf("remembering the log head: %w", err)
	}
	tmp := f + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("remembering the log head: %w", err)
	}
	return os.Rename(tmp, f)
}

// checkHead compares the vault's log with the remembered head.
func (v *Vault) checkHead() error { return v.checkHeadVia(v.view) }

func (v *Vault) checkHeadVia(view viewFunc) error {
	cur, err := v.headVia(view)
	if err != nil {
		return err
	}
	seen, err := v.loadHead()
	if err != nil {
		return err
	}
	if seen != nil && !v.opt.AcceptLogHead {
		if herr := v.compareHeadVia(view, cur, *seen); herr != nil {
			return herr
		}
	}
	if v.opt.ReadOnly && seen != nil && cur.Size == seen.Size {
		return nil
	}
	return v.saveHead(cur)
}

func (v *Vault) compareHeadVia(view viewFunc, cur, seen seenHead) *HeadError {
	herr := &HeadError{Size: cur.Size, Seen: seen.Size, SeenAt: seen.Seen, Root: cur.Root, SeenRt: seen.Root}
	switch {
	case cur.Size < seen.Size:
		return herr
	case cur.Size == seen.Size:
		if cur.Root != seen.Root {
			herr.Diverged = true
			return herr
		}
		return nil
	}
	var proof tlog.TreeProof
	err := view(func(tx *bolt.Tx) error {
		var err error
		proof, err = tlog.ProveTree(cur.Size, seen.Size, boltHashReader(tx.Bucket(bucketLogHash)))
		return err
	})
	if err != nil || tlog.CheckTree(proof, cur.Size, cur.Root, seen.Size, seen.Root) != nil {
		herr.Diverged = true
		return herr
	}
	return nil
}

// rememberHeadVia stores the current head if it extends the remembered one.
func (v *Vault) rememberHeadVia(view viewFunc) error {
	cur, err := v.headVia(view)
	if err != nil {
		return err
	}
	seen, err := v.loadHead()
	if err != nil {
		return err
	}
	if seen != nil && (cur.Size == seen.Size || v.compareHeadVia(view, cur, *seen) != nil) {
		return nil
	}
	return v.saveHead(cur)
}
