package vault

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	gohash "hash"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/crypto/identity"
	"sealroom/crypto/seal"
)

// Session is a member logged in to a vault: their unlocked identity and
// the review-layer keys derived from the review key they unwrapped.
type Session struct {
	v      *Vault
	id     *identity.Identity
	m      *member
	rev    *seal.Key // K_rev, kept to wrap it to new members
	review *seal.Key // seals conversation summaries, requests, votes, grants
	log    *seal.Key // seals log entry bodies
	index  *seal.Key // keys HMAC ids of conversations and messages
	macs   sync.Pool // of hmac.New(sha256.New, index)
}

// Key derivation labels: one key per purpose from K_rev.
const (
	labelReview = "sealroom/v1/review"
	labelLog    = "sealroom/v1/log"
	labelIndex  = "sealroom/v1/index"
)

// Login opens a session for an unlocked identity: it must be a member, and
// its copy of the review key must decrypt.
func (v *Vault) Login(id *identity.Identity) (*Session, error) {
	if id.Locked() {
		return nil, fmt.Errorf("logging in: the identity is locked")
	}
	fpr := id.Public().Fingerprint()
	var m *member
	var wrapped []byte
	err := v.view(func(tx *bolt.Tx) error {
		var err error
		if m, err = readMember(tx, fpr); err != nil || m == nil {
			return err
		}
		b, err := bucket(tx, bucketKeys, bucketRev)
		if err != nil {
			return err
		}
		wrapped = b.Get([]byte(fpr))
		wrapped = append([]byte(nil), wrapped...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("logging in: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("logging in as %s: %w", fpr, ErrNotMember)
	}
	raw, err := id.Decrypt(wrapped)
	if err != nil {
		return nil, fmt.Errorf("logging in as %s: decrypting the review key: %w", fpr, err)
	}
	rev, err := seal.KeyFromBytes(raw)
	clear(raw)
	if err != nil {
		return nil, fmt.Errorf("logging in as %s: %w: review key: %v", fpr, ErrDamaged, err)
	}
	return v.newSession(id, m, rev)
}

func (v *Vault) newSession(id *identity.Identity, m *member, rev *seal.Key) (*Session, error) {
	s := &Session{v: v, id: id, m: m, rev: rev}
	var err error
	if s.review, err = rev.Derive(labelReview, v.id); err != nil {
		return nil, err
	}
	if s.log, err = rev.Derive(labelLog, v.id); err != nil {
		return nil, err
	}
	if s.index, err = rev.Derive(labelIndex, v.id); err != nil {
		return nil, err
	}
	// Keyed HMACs to reuse: one per concurrent caller.
	s.macs.New = func() any { k := s.index.MarshalSecret(); defer clear(k); return hmac.New(sha256.New, k) }
	return s, nil
}

// Member returns the logged-in member.
func (s *Session) Member() Member { return s.m.export() }

// Vault returns the session's vault.
func (s *Session) Vault() *Vault { return s.v }

// Logout forgets the session's keys.
func (s *Session) Logout() {
	for _, k := range []*seal.Key{s.rev, s.review, s.log, s.index} {
		k.Destroy()
	}
}

func (s *Session) require(r Role) error {
	if !s.m.has(r) {
		return fmt.Errorf("%w: %s does not hold the %s role", ErrForbidden, s.m.Fingerprint, r)
	}
	return nil
}

// mac returns HMAC-SHA256(K_index, parts…)[:16], each part length-prefixed.
func (s *Session) mac(parts ...[]byte) []byte {
	h := s.macs.Get().(gohash.Hash)
	defer s.macs.Put(h)
	h.Reset()
	var l [4]byte
	for _, p := range parts {
		binary.BigEndian.PutUint32(l[:], uint32(len(p)))
		h.Write(l[:])
		h.Write(p)
	}
	return h.Sum(nil)[:16]
}

func (s *Session) now() time.Time { return s.v.opt.now() }

// ad is the associated data of a sealed record in this vault.
func (s *Session) ad(bucket []byte, key []byte, version uint64) seal.AD {
	return seal.AD{Vault: s.v.id, Bucket: string(bucket), Key: key, Version: version}
}

// putSigned stores a signed record: signature length, signature, sealed body.
func (s *Session) putSigned(b *bolt.Bucket, name, key []byte, k *seal.Key, body []byte) error {
	sig, err := s.id.Sign(body)
	if err != nil {
		return fmt.Errorf("signing: %w", err)
	}
	val := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(sig)+len(body)+seal.Overhead), uint16(len(sig)))
	val = append(val, sig...)
	val, err = seal.Seal(val, k, s.ad(name, key, 1), body)
	if err != nil {
		return err
	}
	return b.Put(key, val)
}

// openSigned reverses putSigned; it does not check the signature.
func (s *Session) openSigned(name, key []byte, k *seal.Key, val []byte) (body, sig []byte, err error) {
	if len(val) < 2 || len(val) < 2+int(binary.BigEndian.Uint16(val)) {
		return nil, nil, fmt.Errorf("%w: %s record %x is truncated", ErrDamaged, name, key)
	}
	n := int(binary.BigEndian.Uint16(val))
	sig = append([]byte(nil), val[2:2+n]...)
	body, err = seal.Open(nil, k, s.ad(name, key, 1), val[2+n:])
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s record %x: %v", ErrDamaged, name, key, err)
	}
	return body, sig, nil
}

// putSealed stores version ‖ sealed(body) under key.
func (s *Session) putSealed(b *bolt.Bucket, name, key []byte, version uint64, body []byte) error {
	val, err := seal.Seal(u64(version), s.review, s.ad(name, key, version), body)
	if err != nil {
		return err
	}
	return b.Put(key, val)
}

// openSealed reverses putSealed, returning the body and its version.
func (s *Session) openSealed(name, key, val []byte) ([]byte, uint64, error) {
	if len(val) < 8 {
		return nil, 0, fmt.Errorf("%w: %s record %x is truncated", ErrDamaged, name, key)
	}
	version := binary.BigEndian.Uint64(val)
	body, err := seal.Open(nil, s.review, s.ad(name, key, version), val[8:])
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %s record %x: %v", ErrDamaged, name, key, err)
	}
	return body, version, nil
}
