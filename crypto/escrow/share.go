package escrow

import (
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/group"
)

// shareVersion is the first byte of an encoded Share (type 2, version 1).
const shareVersion = 0x21

const shareSize = 1 + 1 + scalarSize

// noCompare makes a struct incomparable with ==, so that a secret is never
// compared in variable time by accident (tailscale types/key).
type noCompare [0]func()

// Share is one officer's share x_i = f(i) of the escrow key. It cannot be
// compared with == (use Equal) and prints only its id under every fmt verb;
// the secret leaves it only through MarshalSecret.
type Share struct {
	_     noCompare
	id    int
	value group.Scalar
}

// ID returns the officer slot of the share, 1..n.
func (s *Share) ID() int { return s.id }

// The printing methods have value receivers so that a Share value, not
// only a *Share, prints safely: without them fmt would reach the scalar,
// whose String method prints it in hex.

// String returns "escrow.Share{id N}".
func (s Share) String() string { return fmt.Sprintf("escrow.Share{id %d}", s.id) }

// GoString returns the same as String.
func (s Share) GoString() string { return s.String() }

// Format prints the same as String for every verb, including %x and %#v.
func (s Share) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

var errDestroyed = errors.New("escrow: share is uninitialised or destroyed")

// check refuses a nil, zero-valued or destroyed share.
func (s *Share) check() error {
	if s == nil || s.value == nil || s.value.IsZero() || s.id < 1 || s.id > maxOfficers {
		return errDestroyed
	}
	return nil
}

// MarshalSecret encodes the share as version ‖ id ‖ x_i (34 bytes). The
// result is secret: encrypt it to the officer and clear it after use. It
// returns nil for a destroyed share.
func (s *Share) MarshalSecret() []byte {
	if s.check() != nil {
		return nil
	}
	v, err := s.value.MarshalBinary()
	if err != nil || len(v) != scalarSize {
		panic("escrow: internal error: encoding a scalar")
	}
	b := make([]byte, 0, shareSize)
	b = append(b, shareVersion, byte(s.id))
	b = append(b, v...)
	clear(v)
	return b
}

// ParseShare decodes a share, rejecting any encoding but the one
// MarshalSecret produces: id in 1..32, a canonical non-zero scalar, no
// trailing bytes. It does not know n; VerifyShare checks the share against
// the public key.
func ParseShare(b []byte) (*Share, error) {
	const field = "share"
	if len(b) < 1 {
		return nil, badEncoding(field, "empty")
	}
	if b[0] != shareVersion {
		return nil, badEncoding(field, fmt.Sprintf("unknown version byte 0x%02x", b[0]))
	}
	if len(b) != shareSize {
		return nil, badEncoding(field, fmt.Sprintf("length %d, want %d", len(b), shareSize))
	}
	id := int(b[1])
	if id < 1 || id > maxOfficers {
		return nil, badEncoding("share id", fmt.Sprintf("%d out of range 1..%d", id, maxOfficers))
	}
	v, err := decodeScalar(b[2:], "share value")
	if err != nil {
		return nil, err
	}
	if v.IsZero() {
		return nil, badEncoding("share value", "zero")
	}
	return &Share{id: id, value: v}, nil
}

// Equal reports whether s and o are the same share, in time independent of
// the secret values.
func (s *Share) Equal(o *Share) bool {
	if s == nil || o == nil {
		return s == o
	}
	if s.value == nil || o.value == nil {
		return s.value == nil && o.value == nil && s.id == o.id
	}
	a, errA := s.value.MarshalBinary()
	b, errB := o.value.MarshalBinary()
	defer clear(a)
	defer clear(b)
	if errA != nil || errB != nil {
		return false
	}
	return subtle.ConstantTimeEq(int32(s.id), int32(o.id))& // #nosec G115 -- ids are 0..maxOfficers
		subtle.ConstantTimeCompare(a, b) == 1
}

// Destroy overwrites the secret scalar with zero. The share is unusable
// afterwards. Copies made by MarshalSecret are the caller's to clear.
func (s *Share) Destroy() {
	if s != nil && s.value != nil {
		s.value.SetUint64(0)
	}
}
