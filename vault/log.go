package vault

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/mod/sumdb/tlog"

	"sealroom/crypto/identity"
	"sealroom/vault/auditlog"
)

// logHead is the meta record of the log: entry count and last entry hash.
type logHead struct {
	Count uint64
	Hash  string
}

func readLogHead(tx *bolt.Tx) (logHead, error) {
	raw := tx.Bucket(bucketMeta).Get(keyLogHead)
	if raw == nil {
		return logHead{Hash: auditlog.ZeroHash}, nil
	}
	if len(raw) != 8+32 {
		return logHead{}, fmt.Errorf("%w: log head record", ErrDamaged)
	}
	return logHead{Count: binary.BigEndian.Uint64(raw), Hash: hex.EncodeToString(raw[8:])}, nil
}

// appendLog fills in the chain fields of e, signs it with the session's
// identity, seals it, and stores it with its Merkle tree hashes, all in
// the caller's transaction: the entry commits with the action or not at
// all. The entry's time never runs backwards: it is the later of the
// clock and the last entry's time.
func (s *Session) appendLog(tx *bolt.Tx, e *auditlog.Entry) error {
	head, err := readLogHead(tx)
	if err != nil {
		return err
	}
	logB := tx.Bucket(bucketLog)
	now := s.now()
	if head.Count > 0 {
		last, err := s.readEntry(logB, head.Count)
		if err != nil {
			return fmt.Errorf("reading the last log entry: %w", err)
		}
		if auditlog.Hash(last.Body) != head.Hash {
			return fmt.Errorf("%w: the last log entry does not match the log head", ErrDamaged)
		}
		if p, _ := auditlog.Parse(last.Body); p != nil && p.When().After(now) {
			now = p.When()
		}
	}
	e.V = auditlog.Version
	e.Vault = s.v.ID()
	e.Seq = head.Count + 1
	e.Prev = head.Hash
	e.Time = auditlog.FormatTime(now)
	e.Actor = s.m.Fingerprint
	body, err := e.Marshal()
	if err != nil {
		return err
	}
	if err := s.putSigned(logB, bucketLog, u64(e.Seq), s.log, body); err != nil {
		return fmt.Errorf("appending to the access log: %w", err)
	}
	hb := tx.Bucket(bucketLogHash)
	hashes, err := tlog.StoredHashes(int64(head.Count), body, boltHashReader(hb))
	if err != nil {
		return fmt.Errorf("appending to the access log: %w", err)
	}
	first := tlog.StoredHashIndex(0, int64(head.Count))
	for i, h := range hashes {
		if err := hb.Put(u64(uint64(first)+uint64(i)), h[:]); err != nil {
			return err
		}
	}
	h, _ := hex.DecodeString(auditlog.Hash(body))
	return tx.Bucket(bucketMeta).Put(keyLogHead, append(u64(e.Seq), h...))
}

// boltHashReader reads stored tree hashes from the loghash bucket.
func boltHashReader(b *bolt.Bucket) tlog.HashReaderFunc {
	return func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			v := b.Get(u64(uint64(x)))
			if len(v) != tlog.HashSize {
				return nil, fmt.Errorf("%w: log tree hash %d is missing", ErrDamaged, x)
			}
			copy(out[i][:], v)
		}
		return out, nil
	}
}

func (s *Session) readEntry(logB *bolt.Bucket, seq uint64) (auditlog.Signed, error) {
	val := logB.Get(u64(seq))
	if val == nil {
		return auditlog.Signed{}, &auditlog.Error{Index: seq, Class: auditlog.ClassMissing, Err: errors.New("entry is missing")}
	}
	body, sig, err := s.openSigned(bucketLog, u64(seq), s.log, val)
	if err != nil {
		return auditlog.Signed{}, &auditlog.Error{Index: seq, Class: auditlog.ClassBody, Err: err}
	}
	return auditlog.Signed{Body: body, Sig: sig}, nil
}

// readLog returns every entry in order, and the keys of all members.
func (s *Session) readLog() ([]auditlog.Signed, map[string]*identity.Public, logHead, error) {
	var entries []auditlog.Signed
	keys := map[string]*identity.Public{}
	var head logHead
	err := s.v.view(func(tx *bolt.Tx) error {
		var err error
		if head, err = readLogHead(tx); err != nil {
			return err
		}
		ms, err := readMembers(tx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			keys[m.Fingerprint] = m.pub
		}
		logB := tx.Bucket(bucketLog)
		c := logB.Cursor()
		want := uint64(1)
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) != 8 || binary.BigEndian.Uint64(k) != want {
				return &auditlog.Error{Index: want, Class: auditlog.ClassMissing, Err: fmt.Errorf("entry %d is missing", want)}
			}
			e, err := s.readEntry(logB, want)
			if err != nil {
				return err
			}
			entries = append(entries, e)
			want++
		}
		return nil
	})
	return entries, keys, head, err
}

// LogOptions tune VerifyLog.
type LogOptions struct {
	Workers  int                   // signature-checking goroutines; 0: one per CPU
	Progress func(done, total int) // may be nil
}

// VerifyLog checks the whole access log (auditlog.Verify), then the
// vault's own records against it: the entry count and head, the stored
// Merkle tree, and the config and escrow key the first entry committed to.
// It returns an *auditlog.Error naming the first failing entry.
func (s *Session) VerifyLog(opt LogOptions) (*auditlog.Report, error) {
	entries, keys, head, err := s.readLog()
	if err != nil {
		return nil, err
	}
	rep, err := auditlog.Verify(entries, func(f string) *identity.Public { return keys[f] },
		auditlog.Options{Vault: s.v.ID(), Workers: opt.Workers, Progress: opt.Progress})
	if err != nil {
		return nil, err
	}
	if head.Count != uint64(rep.Entries) || head.Hash != rep.Head {
		return nil, &auditlog.Error{Class: auditlog.ClassCount,
			Err: fmt.Errorf("the vault records %d entries ending %.16s…, the log has %d ending %.16s…", head.Count, head.Hash, rep.Entries, rep.Head)}
	}
	var stored tlog.Hash
	var cfg, esc []byte
	err = s.v.view(func(tx *bolt.Tx) error {
		var err error
		stored, err = tlog.TreeHash(int64(head.Count), boltHashReader(tx.Bucket(bucketLogHash)))
		cfg = bytes.Clone(tx.Bucket(bucketMeta).Get(keyConfig))
		esc = bytes.Clone(tx.Bucket(bucketMeta).Get(keyEscrow))
		return err
	})
	if err != nil || stored != rep.Root {
		return nil, &auditlog.Error{Class: auditlog.ClassTree, Err: fmt.Errorf("stored Merkle tree does not match the entries (%v)", err)}
	}
	first, _ := auditlog.Parse(entries[0].Body)
	if first.Detail["config"] != hash(cfg) || first.Detail["escrow"] != hash(esc) {
		return nil, &auditlog.Error{Index: 1, Class: auditlog.ClassTree, Err: errors.New("the vault's config or escrow key differs from what its first entry committed to")}
	}
	if err := s.checkVersions(entries); err != nil {
		return nil, err
	}
	return rep, nil
}

// LogEntries returns the decoded entries from seq from (1-based) on; the
// auditor's and admin's view of the log.
func (s *Session) LogEntries(from uint64) ([]*auditlog.Entry, error) {
	if !s.m.has(RoleAuditor) && !s.m.has(RoleAdmin) {
		return nil, fmt.Errorf("%w: reading the log needs the auditor or admin role", ErrForbidden)
	}
	entries, _, _, err := s.readLog()
	if err != nil {
		return nil, err
	}
	var out []*auditlog.Entry
	for i := int(max(from, 1)) - 1; i < len(entries); i++ {
		e, err := auditlog.Parse(entries[i].Body)
		if err != nil {
			return nil, &auditlog.Error{Index: uint64(i + 1), Class: auditlog.ClassBody, Err: err}
		}
		out = append(out, e)
	}
	return out, nil
}

// ExportLog writes the log, the members' keys, a signed checkpoint and
// inclusion proofs to dir (auditlog.WriteExport), after verifying it, and
// logs the export.
func (s *Session) ExportLog(dir string) (*auditlog.Report, error) {
	if !s.m.has(RoleAuditor) && !s.m.has(RoleAdmin) {
		return nil, fmt.Errorf("%w: exporting the log needs the auditor or admin role", ErrForbidden)
	}
	if _, err := s.VerifyLog(LogOptions{}); err != nil {
		return nil, fmt.Errorf("refusing to export a log that fails verification: %w", err)
	}
	// The export entry is appended first, so the export contains itself.
	err := s.v.update(auditlog.ActionLogExport, func(tx *bolt.Tx) error {
		return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionLogExport, Role: string(s.roleFor(RoleAuditor, RoleAdmin))})
	})
	if err != nil {
		return nil, err
	}
	entries, keys, _, err := s.readLog()
	if err != nil {
		return nil, err
	}
	if err := auditlog.WriteExport(dir, s.v.ID(), entries, keys, s.id); err != nil {
		return nil, err
	}
	return auditlog.Verify(entries, func(f string) *identity.Public { return keys[f] }, auditlog.Options{Vault: s.v.ID()})
}

// roleFor returns the first of roles the member holds, for the log's role field.
func (s *Session) roleFor(roles ...Role) Role {
	for _, r := range roles {
		if s.m.has(r) {
			return r
		}
	}
	return ""
}
