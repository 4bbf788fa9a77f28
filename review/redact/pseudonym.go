package redact

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
)

// Pseudonyms names participants for reviewers: the same person gets the
// same pseudonym in every event of a vault, and different vaults give
// unrelated ones. A pseudonym is "P-" and 8 characters of Crockford-style
// base32 (40 bits) of HMAC-SHA256(key, participant id), where the vault
// derives the key from its review key. Reviewers hold that key, so a
// pseudonym hides a name from someone who cannot guess it, not from a
// reviewer who tries candidate ids; that is what "pseudonymous" means here.
type Pseudonyms struct {
	key []byte
}

// pseudonymEncoding avoids I, L, O and U, which read as 1, 1, 0 and V.
var pseudonymEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// NewPseudonyms keys pseudonyms with key (at least 16 bytes; copied).
func NewPseudonyms(key []byte) (*Pseudonyms, error) {
	if len(key) < 16 {
		return nil, errors.New("redact: a pseudonym key needs at least 16 bytes")
	}
	return &Pseudonyms{key: append([]byte(nil), key...)}, nil
}

// Of returns the pseudonym of a participant id (a phone number, a user
// id). Ids are compared as given, after trimming spaces: the importers
// normalize them per channel.
func (p *Pseudonyms) Of(id string) string {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(strings.TrimSpace(id)))
	sum := m.Sum(nil)
	return "P-" + pseudonymEncoding.EncodeToString(sum[:5])
}

// Destroy clears the key.
func (p *Pseudonyms) Destroy() { clear(p.key) }
