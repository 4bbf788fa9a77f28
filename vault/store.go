package vault

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"sealroom/crypto/escrow"
)

// Options tune Open and Create. The zero value is usable.
type Options struct {
	// ReadOnly opens the file with a shared lock: other readers may open it
	// too, no writer can, and every action that writes fails.
	ReadOnly bool

	// Timeout is how long Open waits for another program's lock before
	// returning ErrInUse. Zero means one second.
	Timeout time.Duration

	// StateDir is where this workstation remembers the newest log head it
	// has seen of each vault. Empty means DefaultStateDir().
	StateDir string

	// AcceptLogHead opens the vault even when its log is shorter than, or
	// diverges from, the head this workstation saw last, and remembers the
	// new head. Only an auditor's explicit acknowledgment should set it.
	AcceptLogHead bool

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Shared holds the file only while an action runs: between actions it
	// is closed, so an import or another workstation can use the vault
	// while a member keeps it open in the workbench. Each action opens the
	// file again (waiting up to Timeout for another program's lock, then
	// ErrInUse) and checks, as Open does, that the log has only grown
	// since this workstation last saw it.
	Shared bool
}

func (o *Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return time.Second
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// Config is a vault's fixed configuration, chosen at creation.
type Config struct {
	Threshold int           `json:"threshold"`  // approvals needed to unlock
	Officers  int           `json:"officers"`   // officers holding escrow shares
	MaxGrant  time.Duration `json:"max_grant"`  // longest duration a request may ask for
	Redaction string        `json:"redaction"`  // sealed, masked or redacted
	Created   time.Time     `json:"created"`    // when the vault was created
	MinReason int           `json:"min_reason"` // shortest justification, in characters

	// Internal names the firm: e-mail domains ("bank.com", "@bank.com")
	// and phone number prefixes ("+4420"). A risk event whose participants
	// all match is internal, one with any other participant external.
	Internal []string `json:"internal,omitempty"`
}

// Vault is an open vault file. Its methods are safe for concurrent use.
type Vault struct {
	db   *bolt.DB // nil between actions with Options.Shared
	path string
	opt  Options
	id   []byte
	cfg  Config
	pub  *escrow.PublicKey

	// streaming holds the ids of the files this process is streaming
	// and no chunk holds yet (streams.go): a sweep leaves them alone.
	streamMu  sync.Mutex
	streaming map[fileID]bool

	// beforeCommit, set by tests, runs inside every write transaction just
	// before it commits; an error aborts the transaction (T5, T15).
	beforeCommit func(action string) error

	// With Options.Shared: the actions running (db is open while any is).
	dbMu   sync.Mutex
	users  int
	closed bool // Close was called: no action opens the file again
}

// ID returns the vault id in hex.
func (v *Vault) ID() string { return hex.EncodeToString(v.id) }

// Config returns the vault's configuration.
func (v *Vault) Config() Config { return v.cfg }

// Path returns the vault file's path.
func (v *Vault) Path() string { return v.path }

// Open opens an existing vault file. A second writer gets ErrInUse within
// Options.Timeout. When the log is shorter than, or diverges from, the
// newest head this workstation saw, Open returns a *HeadError (and no
// vault) unless Options.AcceptLogHead is set.
func Open(path string, opt *Options) (*Vault, error) {
	if opt == nil {
		opt = &Options{}
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("opening vault: %w", err)
	}
	db, err := openBolt(path, opt)
	if err != nil {
		return nil, err
	}
	v := &Vault{db: db, path: path, opt: *opt}
	if err := v.load(); err != nil {
		db.Close()
		return nil, err
	}
	if err := v.checkHead(); err != nil {
		db.Close()
		return nil, err
	}
	if opt.Shared {
		v.db = nil
		if err := db.Close(); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// acquire returns the open file for one action, opening it again with
// Options.Shared; release ends the action.
func (v *Vault) acquire() (*bolt.DB, error) {
	if !v.opt.Shared {
		if v.db == nil {
			return nil, berrors.ErrDatabaseNotOpen
		}
		return v.db, nil
	}
	v.dbMu.Lock()
	defer v.dbMu.Unlock()
	if v.closed {
		return nil, berrors.ErrDatabaseNotOpen
	}
	if v.db == nil {
		db, err := openBolt(v.path, &v.opt)
		if err != nil {
			return nil, err
		}
		v.db = db
		// Between actions anything may have happened to the file: it must
		// still be this vault, of a schema this program reads, with a log
		// that only grew.
		if err := v.recheck(); err != nil {
			v.db = nil
			db.Close()
			return nil, err
		}
	}
	v.users++
	return v.db, nil
}

func (v *Vault) release() {
	if !v.opt.Shared {
		return
	}
	v.dbMu.Lock()
	defer v.dbMu.Unlock()
	if v.users--; v.users == 0 && v.db != nil {
		v.rememberHeadVia(guarded(v.db))
		v.db.Close()
		v.db = nil
	}
}

// recheck is what Open checks of a file, for a shared vault opened again:
// the same vault id, a schema this program reads, and the log head.
func (v *Vault) recheck() error {
	err := guarded(v.db)(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || !bytes.Equal(meta.Get(keyVault), v.id) {
			return fmt.Errorf("%w: %s is no longer the vault that was opened", ErrNotVault, v.path)
		}
		if meta.Get(keyReplaced) != nil {
			return ErrReplaced
		}
		if s := meta.Get(keySchema); len(s) != 4 || binary.BigEndian.Uint32(s) > schemaVersion {
			return fmt.Errorf("opening %s: %w", v.path, ErrNewerSchema)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return v.checkHeadVia(guarded(v.db))
}

func openBolt(path string, opt *Options) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: opening the file: %v", ErrDamaged, r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  opt.timeout(),
		ReadOnly: opt.ReadOnly,
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("opening %s: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("opening %s: %w: %v", path, ErrNotVault, err)
	case errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("opening %s: %w: %v", path, ErrDamaged, err)
	case err != nil:
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.AllocSize = allocSize
	return db, nil
}

// allocSize is how much bbolt grows the file by once it is bigger than
// that: the file's slack beyond its data. bbolt's default, 16 MiB, made a
// fresh 1M-message vault 1.45× its sealed chunks instead of 1.2×; each
// growth costs one truncate and fsync.
const allocSize = 4 << 20

// pageSize is a new vault's bbolt page size (it is fixed for the file's
// life). bbolt puts at least two records in a leaf page, so with 4 KiB
// pages two 2.4 KB chunk records spilled into an 8 KiB overflow: a
// 1M-message vault was 1.85× its sealed chunks. 16 KiB pages hold six.
const pageSize = 16 << 10

// load reads the meta bucket and runs pending migrations.
func (v *Vault) load() error {
	var schema uint32
	err := v.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return ErrNotVault
		}
		if meta.Get(keyReplaced) != nil {
			return ErrReplaced
		}
		s := meta.Get(keySchema)
		if len(s) != 4 {
			return fmt.Errorf("%w: schema version is missing", ErrDamaged)
		}
		schema = binary.BigEndian.Uint32(s)
		v.id = bytes.Clone(meta.Get(keyVault))
		if len(v.id) != vaultIDSize {
			return fmt.Errorf("%w: vault id is missing", ErrDamaged)
		}
		if err := json.Unmarshal(meta.Get(keyConfig), &v.cfg); err != nil {
			return fmt.Errorf("%w: config: %v", ErrDamaged, err)
		}
		pub, err := escrow.ParsePublicKey(meta.Get(keyEscrow))
		if err != nil {
			return fmt.Errorf("%w: escrow public key: %v", ErrDamaged, err)
		}
		v.pub = pub
		return nil
	})
	if err != nil {
		return fmt.Errorf("opening %s: %w", v.path, err)
	}
	if schema > schemaVersion {
		return fmt.Errorf("opening %s: %w (schema %d, this program knows %d)", v.path, ErrNewerSchema, schema, schemaVersion)
	}
	if schema < schemaVersion {
		if v.opt.ReadOnly {
			if readableFrom(schema) {
				return nil
			}
			return fmt.Errorf("opening %s: schema %d needs migrating: open it once for writing", v.path, schema)
		}
		return v.migrate(schema)
	}
	return nil
}

// Close closes the file, remembering the newest log head seen.
func (v *Vault) Close() error {
	v.dbMu.Lock()
	defer v.dbMu.Unlock()
	v.closed = true
	if v.db == nil { // shared, between actions: nothing is open
		return nil
	}
	err := v.rememberHeadVia(guarded(v.db))
	if cerr := v.db.Close(); err == nil {
		err = cerr
	}
	v.db = nil
	return err
}

// view runs fn in a read transaction. bbolt panics on some damaged pages,
// and a damaged page offset can make it read outside the mapped file: both
// are reported as ErrDamaged instead of crashing the program (T1).
// SetPanicOnFault turns such a memory fault into a recoverable panic.
func (v *Vault) view(fn func(*bolt.Tx) error) error {
	db, err := v.acquire()
	if err != nil {
		return err
	}
	defer v.release()
	return guarded(db)(fn)
}

// guarded is db's View, with faults and bbolt's panics as ErrDamaged.
func guarded(db *bolt.DB) viewFunc {
	return func(fn func(*bolt.Tx) error) (err error) {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%w: %v", ErrDamaged, r)
			}
		}()
		return db.View(fn)
	}
}

// update runs fn in a write transaction and commits it durably. The hook
// lets tests fail a commit after all writes were made.
func (v *Vault) update(action string, fn func(*bolt.Tx) error) (err error) {
	if v.opt.ReadOnly {
		return ErrReadOnly
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrDamaged, r)
		}
	}()
	db, err := v.acquire()
	if err != nil {
		return err
	}
	defer v.release()
	return db.Update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if v.beforeCommit != nil {
			return v.beforeCommit(action)
		}
		return nil
	})
}

// Check runs bbolt's consistency check over the whole file and returns
// every problem it finds (T1, T3: shown to the admin).
func (v *Vault) Check() []error {
	var errs []error
	err := v.view(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			errs = append(errs, e)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errs
}

// BucketUsage is one top-level bucket's share of the file.
type BucketUsage struct {
	Name    string
	Records int   // keys, in the bucket and the buckets inside it
	Bytes   int64 // their keys' and values' bytes
	Pages   int64 // bytes of the pages bbolt allocated for them
}

// Usage reports how the file's space is spent, bucket by bucket, and the
// file's size: what `sealctl vault check` prints, and what the ingest
// benchmark compares with the sealed payload.
func (v *Vault) Usage() (buckets []BucketUsage, fileSize int64, err error) {
	fi, err := os.Stat(v.path)
	if err != nil {
		return nil, 0, err
	}
	fileSize = fi.Size()
	err = v.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			u := BucketUsage{Name: string(name)}
			var walk func(b *bolt.Bucket) error
			walk = func(b *bolt.Bucket) error {
				return b.ForEach(func(k, val []byte) error {
					if val == nil {
						return walk(b.Bucket(k))
					}
					u.Records++
					u.Bytes += int64(len(k) + len(val))
					return nil
				})
			}
			if err := walk(b); err != nil {
				return err
			}
			st := b.Stats()
			u.Pages = int64(st.BranchAlloc + st.LeafAlloc)
			buckets = append(buckets, u)
			return nil
		})
	})
	return buckets, fileSize, err
}
