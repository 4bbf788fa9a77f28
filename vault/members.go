package vault

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	bolt "go.etcd.io/bbolt"

	"sealroom/crypto/identity"
	"sealroom/vault/auditlog"
)

// Role is what a member may do.
type Role string

// The roles of DESIGN.md. A member may hold several.
const (
	RoleAdmin    Role = "admin"    // enrols members
	RoleIngest   Role = "ingest"   // imports messages; can never unlock
	RoleReviewer Role = "reviewer" // works the queue, requests unlocks
	RoleOfficer  Role = "officer"  // approves or denies unlocks with an escrow share
	RoleAuditor  Role = "auditor"  // reads, verifies and exports the access log
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleIngest, RoleReviewer, RoleOfficer, RoleAuditor:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: want admin, ingest, reviewer, officer or auditor", s)
}

// Member is a member as callers see it.
type Member struct {
	Fingerprint string
	UserID      string
	Roles       []Role
	Share       int // escrow share id for officers, 0 otherwise
	Public      *identity.Public
}

// Has reports whether the member holds role r.
func (m *Member) Has(r Role) bool { return slices.Contains(m.Roles, r) }

// member is the stored record.
type member struct {
	Fingerprint string `json:"fingerprint"`
	UserID      string `json:"user_id"`
	Roles       []Role `json:"roles"`
	Share       int    `json:"share,omitempty"`
	Key         []byte `json:"key"`

	pub *identity.Public
}

func (m *member) export() Member {
	return Member{Fingerprint: m.Fingerprint, UserID: m.UserID, Roles: slices.Clone(m.Roles), Share: m.Share, Public: m.pub}
}

func (m *member) has(r Role) bool { return slices.Contains(m.Roles, r) }

func roleStrings(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func readMember(tx *bolt.Tx, fpr string) (*member, error) {
	b, err := bucket(tx, bucketMembers)
	if err != nil {
		return nil, err
	}
	raw := b.Get([]byte(fpr))
	if raw == nil {
		return nil, nil
	}
	var m member
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: member %s: %v", ErrDamaged, fpr, err)
	}
	if m.pub, err = identity.ParsePublic(m.Key); err != nil {
		return nil, fmt.Errorf("%w: member %s key: %v", ErrDamaged, fpr, err)
	}
	if m.pub.Fingerprint() != fpr {
		return nil, fmt.Errorf("%w: member %s holds the key of %s", ErrDamaged, fpr, m.pub.Fingerprint())
	}
	return &m, nil
}

func readMembers(tx *bolt.Tx) ([]*member, error) {
	b, err := bucket(tx, bucketMembers)
	if err != nil {
		return nil, err
	}
	var out []*member
	err = b.ForEach(func(k, _ []byte) error {
		m, err := readMember(tx, string(k))
		if err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// Members lists the vault's members, sorted by user id. The list is
// plaintext in the file (doc.go); no login is needed.
func (v *Vault) Members() ([]Member, error) {
	var out []Member
	err := v.view(func(tx *bolt.Tx) error {
		ms, err := readMembers(tx)
		for _, m := range ms {
			out = append(out, m.export())
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, err
}

// AddMember enrols a new member with the given roles. Only an admin may; the
// officer role cannot be added after creation, because escrow shares are
// dealt once, when the vault is made (DESIGN.md).
func (s *Session) AddMember(pub *identity.Public, roles []Role) error {
	if err := s.require(RoleAdmin); err != nil {
		return err
	}
	if len(roles) == 0 {
		return fmt.Errorf("adding member %s: %w: no roles given", pub.Fingerprint(), ErrForbidden)
	}
	if slices.Contains(roles, RoleOfficer) {
		return fmt.Errorf("adding member %s: officers are fixed when the vault is created", pub.Fingerprint())
	}
	if err := pub.Usable(s.now()); err != nil {
		return fmt.Errorf("adding member: %w", err)
	}
	m := &member{Fingerprint: pub.Fingerprint(), UserID: pub.UserID(), Roles: roles, Key: pub.Bytes(), pub: pub}
	return s.v.update(auditlog.ActionMemberAdd, func(tx *bolt.Tx) error {
		old, err := readMember(tx, m.Fingerprint)
		if err != nil {
			return err
		}
		if old != nil {
			return fmt.Errorf("adding member %s: already a member", m.Fingerprint)
		}
		if err := putMember(tx, m, s.rev); err != nil {
			return err
		}
		return s.appendLog(tx, &auditlog.Entry{
			Action: auditlog.ActionMemberAdd, Role: string(RoleAdmin), Target: m.Fingerprint,
			Detail: map[string]string{"member": auditlog.MemberDetail(roleStrings(roles), pub), "user_id": m.UserID},
		})
	})
}
