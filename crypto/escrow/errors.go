package escrow

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Functions wrap them with detail; test with errors.Is.
var (
	// ErrNotEnough is returned by Open when fewer partial sets than the
	// threshold are given.
	ErrNotEnough = errors.New("escrow: not enough approvals")

	// ErrDuplicateOfficer is returned by Open when two partial sets carry
	// the same officer id: one officer's approval counts once.
	ErrDuplicateOfficer = errors.New("escrow: duplicate officer")

	// ErrBadShare is returned when a share does not lie on the polynomial
	// committed to by the public key (a corrupted share, or a share of
	// another vault). The message names the officer.
	ErrBadShare = errors.New("escrow: share does not match the escrow public key")

	// ErrBadEncoding is returned by every Parse function for malformed
	// input: wrong version byte, wrong length, trailing bytes, non-canonical
	// scalars or points, identity points, ids out of range. The message
	// names the field.
	ErrBadEncoding = errors.New("escrow: malformed encoding")

	// ErrIdentityElement is returned when the identity element appears where
	// a secret-dependent point must be (an X, X_i, commitment, R, D or the
	// combined S). Parse errors for an identity point match both this and
	// ErrBadEncoding.
	ErrIdentityElement = errors.New("escrow: identity element")

	// ErrUnwrap is returned by Open when a combined key fails to decrypt a
	// wrapped data key. The message names the chunk id in hex.
	ErrUnwrap = errors.New("escrow: cannot unwrap data key")

	// ErrBadProof is the Err of a PartialError whose DLEQ proof does not
	// verify: the partial was not computed with the officer's share for
	// this vault, request and chunk list.
	ErrBadProof = errors.New("escrow: partial decryption proof does not verify")
)

// PartialError reports an officer's partial decryptions that were rejected.
// Chunks lists the ids of the chunks whose proofs failed (a batched proof
// covers up to 16 chunks, so a failure names every chunk of its batch); it
// is empty when the whole set was rejected (wrong officer id, wrong number
// of chunks).
type PartialError struct {
	Officer int
	Chunks  [][]byte
	Err     error
}

func (e *PartialError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "escrow: partial decryptions of officer %d rejected", e.Officer)
	if len(e.Chunks) > 0 {
		b.WriteString(" for chunks ")
		for i, c := range e.Chunks {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(hex.EncodeToString(c))
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "escrow: "))
	}
	return b.String()
}

func (e *PartialError) Unwrap() error { return e.Err }

// encodingError is a parse failure: it names the field and matches
// ErrBadEncoding (and ErrIdentityElement for an identity point).
type encodingError struct {
	field, reason string
	also          error
}

func badEncoding(field, reason string, also ...error) error {
	e := &encodingError{field: field, reason: reason}
	if len(also) > 0 {
		e.also = also[0]
	}
	return e
}

func (e *encodingError) Error() string {
	return "escrow: malformed encoding: " + e.field + ": " + e.reason
}

func (e *encodingError) Unwrap() []error {
	if e.also != nil {
		return []error{ErrBadEncoding, e.also}
	}
	return []error{ErrBadEncoding}
}
