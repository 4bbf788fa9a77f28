package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/crypto/escrow"
	"sealroom/crypto/identity"
	"sealroom/crypto/seal"
	"sealroom/vault/auditlog"
)

const vaultIDSize = 16

// Defaults for a new vault's Config.
const (
	DefaultMaxGrant  = 24 * time.Hour
	DefaultRedaction = "masked"
	DefaultMinReason = 20
	maxOfficers      = 255
)

// createHook, set by tests, runs at named steps of Create; an error
// simulates a crash there (T6).
var createHook func(step string) error

func hook(step string) error {
	if createHook != nil {
		return createHook(step)
	}
	return nil
}

// Create makes a new vault at path. admin (unlocked) becomes its first
// member and signs the first log entry; each officer receives an escrow
// share, encrypted to their key; threshold officers must approve every
// unlock. The file is built under a temporary name in the same folder,
// synced, and linked to path only when complete, so a crash leaves either
// no vault or a whole one (T6). Create never replaces an existing file.
func Create(path string, admin *identity.Identity, officers []*identity.Public, cfg Config, opt *Options) error {
	if opt == nil {
		opt = &Options{}
	}
	cfg, err := checkConfig(cfg, admin, officers, opt)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("creating %s: %w", path, ErrExists)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".creating-*")
	if err != nil {
		return fmt.Errorf("creating vault: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	if err := initFile(tmpName, admin, officers, cfg, opt); err != nil {
		return fmt.Errorf("creating vault: %w", err)
	}
	if err := hook("before-link"); err != nil {
		return err
	}
	// Link, not rename: link fails if path appeared meanwhile, so an
	// existing vault is never replaced.
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("creating %s: %w", path, ErrExists)
		}
		return fmt.Errorf("creating vault: %w", err)
	}
	done = true
	os.Remove(tmpName)
	if err := hook("before-dir-sync"); err != nil {
		return err
	}
	return syncDir(dir)
}

func checkConfig(cfg Config, admin *identity.Identity, officers []*identity.Public, opt *Options) (Config, error) {
	if admin == nil || admin.Locked() {
		return cfg, errors.New("creating vault: the admin identity must be unlocked")
	}
	if err := admin.Public().Usable(opt.now()); err != nil {
		return cfg, fmt.Errorf("creating vault: admin: %w", err)
	}
	n := len(officers)
	if n < 2 || n > maxOfficers {
		return cfg, fmt.Errorf("creating vault: %d officers; a vault needs 2 to %d", n, maxOfficers)
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = 2
	}
	if cfg.Threshold < 2 || cfg.Threshold > n {
		return cfg, fmt.Errorf("creating vault: threshold %d with %d officers; it must be 2 to %d", cfg.Threshold, n, n)
	}
	seen := map[string]bool{}
	for _, o := range officers {
		if seen[o.Fingerprint()] {
			return cfg, fmt.Errorf("creating vault: officer %s named twice", o.Fingerprint())
		}
		seen[o.Fingerprint()] = true
		if err := o.Usable(opt.now()); err != nil {
			return cfg, fmt.Errorf("creating vault: officer: %w", err)
		}
	}
	if cfg.MaxGrant <= 0 {
		cfg.MaxGrant = DefaultMaxGrant
	}
	switch cfg.Redaction {
	case "":
		cfg.Redaction = DefaultRedaction
	case "sealed", "masked", "redacted":
	default:
		return cfg, fmt.Errorf("creating vault: redaction level %q; want sealed, masked or redacted", cfg.Redaction)
	}
	if cfg.MinReason <= 0 {
		cfg.MinReason = DefaultMinReason
	}
	cfg.Officers = n
	cfg.Created = opt.now()
	return cfg, nil
}

// initFile writes the whole initial state in one transaction.
func initFile(path string, admin *identity.Identity, officers []*identity.Public, cfg Config, opt *Options) error {
	pub, shares, err := escrow.Deal(cfg.Threshold, len(officers))
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range shares {
			s.Destroy()
		}
	}()
	rev, err := seal.NewKey()
	if err != nil {
		return err
	}
	defer rev.Destroy()
	id := make([]byte, vaultIDSize)
	if _, err := rand.Read(id); err != nil {
		return err
	}

	// Members: the admin, then the officers (the admin may be one of them).
	members := []*member{{Fingerprint: admin.Public().Fingerprint(), UserID: admin.Public().UserID(), Roles: []Role{RoleAdmin}, pub: admin.Public()}}
	for i, o := range officers {
		if o.Fingerprint() == members[0].Fingerprint {
			members[0].Roles = append(members[0].Roles, RoleOfficer)
			members[0].Share = i + 1
			continue
		}
		members = append(members, &member{Fingerprint: o.Fingerprint(), UserID: o.UserID(), Roles: []Role{RoleOfficer}, Share: i + 1, pub: o})
	}
	for _, m := range members {
		m.Key = m.pub.Bytes()
	}

	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.timeout(), PageSize: pageSize})
	if err != nil {
		return err
	}
	db.AllocSize = allocSize
	defer db.Close()
	v := &Vault{db: db, path: path, opt: *opt, id: id, cfg: cfg, pub: pub}
	cfgBytes, _ := json.Marshal(cfg)
	pubBytes, _ := pub.MarshalBinary()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range topBuckets {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		keys := tx.Bucket(bucketKeys)
		for _, name := range [][]byte{bucketRev, bucketShare} {
			if _, err := keys.CreateBucket(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		for k, val := range map[string][]byte{
			string(keySchema): binary.BigEndian.AppendUint32(nil, schemaVersion),
			string(keyVault):  id,
			string(keyConfig): cfgBytes,
			string(keyEscrow): pubBytes,
		} {
			if err := meta.Put([]byte(k), val); err != nil {
				return err
			}
		}
		detail := map[string]string{
			"config":    hash(cfgBytes),
			"escrow":    hash(pubBytes),
			"threshold": strconv.Itoa(cfg.Threshold),
			"officers":  strconv.Itoa(len(officers)),
		}
		for _, m := range members {
			if err := putMember(tx, m, rev); err != nil {
				return err
			}
			if m.Share > 0 {
				sealedShare, err := m.pub.Encrypt(shares[m.Share-1].MarshalSecret())
				if err != nil {
					return fmt.Errorf("encrypting share to officer %s: %w", m.Fingerprint, err)
				}
				if err := keys.Bucket(bucketShare).Put([]byte(m.Fingerprint), sealedShare); err != nil {
					return err
				}
			}
			detail[auditlog.MemberPrefix+m.Fingerprint] = auditlog.MemberDetail(roleStrings(m.Roles), m.pub)
		}
		if err := hook("before-commit"); err != nil {
			return err
		}
		s, err := v.newSession(admin, members[0], rev)
		if err != nil {
			return err
		}
		return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionInit, Role: string(RoleAdmin), Detail: detail})
	})
	if err != nil {
		return err
	}
	if err := hook("after-commit"); err != nil {
		return err
	}
	return db.Sync()
}

// putMember stores the member record and the review key encrypted to it.
func putMember(tx *bolt.Tx, m *member, rev *seal.Key) error {
	rec, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketMembers).Put([]byte(m.Fingerprint), rec); err != nil {
		return err
	}
	wrapped, err := m.pub.Encrypt(rev.MarshalSecret())
	if err != nil {
		return fmt.Errorf("encrypting review key to %s: %w", m.Fingerprint, err)
	}
	return tx.Bucket(bucketKeys).Bucket(bucketRev).Put([]byte(m.Fingerprint), wrapped)
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
