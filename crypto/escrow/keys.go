package escrow

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/group"
)

// publicKeyVersion is the first byte of an encoded PublicKey. The high
// nibble names the type (1 public key, 2 share, 3 wrapped key, 4 partials)
// and the low nibble the version, so no encoding parses as another type.
const publicKeyVersion = 0x11

// PublicKey is the escrow public key X = x·G together with the Feldman
// commitments C_0 = X, C_1 … C_{k-1} to the sharing polynomial. Anyone can
// derive an officer's public share X_i = Σ C_j·i^j from it.
type PublicKey struct {
	k, n int
	com  []group.Element // k commitments, none the identity
	x    []byte          // encoding of com[0] = X
	xi   []group.Element // xi[i-1] = X_i, none the identity; never mutated
}

// Threshold returns k, the number of officer approvals that open a chunk.
func (pk *PublicKey) Threshold() int { return pk.k }

// Officers returns n, the number of officers holding a share.
func (pk *PublicKey) Officers() int { return pk.n }

// MarshalBinary encodes pk as version ‖ k ‖ n ‖ C_0 ‖ … ‖ C_{k-1}.
func (pk *PublicKey) MarshalBinary() ([]byte, error) {
	if err := pk.check(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 3+len(pk.com)*elementSize)
	b = append(b, publicKeyVersion, byte(pk.k), byte(pk.n))
	for _, c := range pk.com {
		b = append(b, encodeElement(c)...)
	}
	return b, nil
}

// ParsePublicKey decodes a public key, rejecting any encoding but the one
// MarshalBinary produces: 2 <= k <= n <= 32, canonical non-identity points,
// no trailing bytes.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	const field = "public key"
	if len(b) < 3 {
		return nil, badEncoding(field, "truncated")
	}
	if b[0] != publicKeyVersion {
		return nil, badEncoding(field, fmt.Sprintf("unknown version byte 0x%02x", b[0]))
	}
	k, n := int(b[1]), int(b[2])
	if k < 2 || n < k || n > maxOfficers {
		return nil, badEncoding(field, fmt.Sprintf("threshold %d of %d officers out of range", k, n))
	}
	if len(b) != 3+k*elementSize {
		return nil, badEncoding(field, fmt.Sprintf("length %d, want %d", len(b), 3+k*elementSize))
	}
	com := make([]group.Element, k)
	for j := range com {
		off := 3 + j*elementSize
		c, err := decodeElement(b[off:off+elementSize], fmt.Sprintf("public key commitment %d", j))
		if err != nil {
			return nil, err
		}
		com[j] = c
	}
	pk, id := newPublicKey(k, n, com)
	if pk == nil {
		return nil, badEncoding(field, fmt.Sprintf("public share of officer %d is the identity element", id), ErrIdentityElement)
	}
	return pk, nil
}

// newPublicKey builds a public key from its commitments and derives every
// officer's public share X_i = Σ_j C_j·i^j by Horner's rule (the same
// evaluation as circl's secretsharing.Verify). If some X_i is the identity
// (a dealer chose f(i) = 0), it returns nil and i.
func newPublicKey(k, n int, com []group.Element) (*PublicKey, int) {
	pk := &PublicKey{k: k, n: n, com: com, x: encodeElement(com[0]), xi: make([]group.Element, n)}
	for i := range pk.xi {
		id := i + 1
		xi := com[k-1].Copy()
		for j := k - 2; j >= 0; j-- {
			mulSmall(xi, id)
			xi.Add(xi, com[j])
		}
		if xi.IsIdentity() {
			return nil, id
		}
		pk.xi[i] = xi
	}
	return pk, 0
}

// mulSmall sets e = m·e for 1 <= m <= maxOfficers by double-and-add. All
// inputs are public, so variable time is fine, and a few point additions
// are much cheaper than a full scalar multiplication: deriving all X_i of a
// 32-of-32 key takes about a thousand of these.
func mulSmall(e group.Element, m int) {
	acc := e.Copy()
	top := 0
	for m>>(top+1) != 0 {
		top++
	}
	for b := top - 1; b >= 0; b-- {
		acc.Dbl(acc)
		if m>>b&1 == 1 {
			acc.Add(acc, e)
		}
	}
	e.Set(acc)
}

// Equal reports whether pk and o are the same key (public data, so the
// comparison need not be constant-time).
func (pk *PublicKey) Equal(o *PublicKey) bool {
	if pk == nil || o == nil {
		return pk == o
	}
	if pk.k != o.k || pk.n != o.n || len(pk.com) != len(o.com) {
		return false
	}
	for j := range pk.com {
		if !pk.com[j].IsEqual(o.com[j]) {
			return false
		}
	}
	return true
}

var errZeroPublicKey = errors.New("escrow: uninitialised public key")

// check refuses a nil or zero-valued PublicKey.
func (pk *PublicKey) check() error {
	if pk == nil || len(pk.com) < 2 || len(pk.com) != pk.k || pk.x == nil || len(pk.xi) != pk.n {
		return errZeroPublicKey
	}
	return nil
}

// officerKey returns X_i = x_i·G, officer i's public share. The caller
// must not modify it.
func (pk *PublicKey) officerKey(id int) (group.Element, error) {
	if id < 1 || id > pk.n {
		return nil, fmt.Errorf("escrow: officer %d is not one of the %d officers", id, pk.n)
	}
	return pk.xi[id-1], nil
}

// Deal creates a fresh escrow key and splits it among officers so that any
// threshold of them can open a chunk: it returns the public key and one
// share per officer, shares[i].ID() == i+1. The key x exists only inside
// Deal, which zeroes the polynomial before returning.
//
// Shares are dealt from a polynomial f of degree threshold-1 with
// f(0) = x; every coefficient is non-zero, so the last commitment is never
// the identity and the threshold is exactly what the public key says.
func Deal(threshold, officers int) (*PublicKey, []*Share, error) {
	if officers < 2 || officers > maxOfficers {
		return nil, nil, fmt.Errorf("escrow: %d officers, want 2..%d", officers, maxOfficers)
	}
	if threshold < 2 || threshold > officers {
		return nil, nil, fmt.Errorf("escrow: threshold %d, want 2..%d", threshold, officers)
	}
	for {
		pk, shares, ok := deal(threshold, officers)
		if ok {
			return pk, shares, nil
		}
		// A share equal to 0 (probability about n/2^252): deal again
		// rather than hand out a share whose public key is the identity.
	}
}

func deal(k, n int) (*PublicKey, []*Share, bool) {
	// circl's secretsharing.New would do, but it keeps the coefficients in
	// unexported fields that cannot be zeroed, and it allows a zero leading
	// coefficient. The polynomial is small enough to own here.
	coef := make([]group.Scalar, k)
	for j := range coef {
		// For ristretto255, circl ignores the reader and always draws from
		// crypto/rand; passing it states the intent.
		coef[j] = g.RandomNonZeroScalar(rand.Reader)
	}
	defer func() {
		for _, c := range coef {
			c.SetUint64(0)
		}
	}()
	com := make([]group.Element, k)
	for j, c := range coef {
		com[j] = g.NewElement().MulGen(c)
	}
	shares := make([]*Share, n)
	for i := range shares {
		id := i + 1
		v := evaluate(coef, scalarFromID(id))
		if v.IsZero() {
			return nil, nil, false
		}
		shares[i] = &Share{id: id, value: v}
	}
	pk, _ := newPublicKey(k, n, com)
	if pk == nil {
		return nil, nil, false // cannot happen with every share non-zero
	}
	return pk, shares, true
}

// evaluate returns f(at) for f = Σ coef[j]·at^j.
func evaluate(coef []group.Scalar, at group.Scalar) group.Scalar {
	v := coef[len(coef)-1].Copy()
	for j := len(coef) - 2; j >= 0; j-- {
		v.Mul(v, at)
		v.Add(v, coef[j])
	}
	return v
}

// VerifyShare checks s against the Feldman commitments: x_i·G must equal
// X_i. An officer runs it on enrolment; a failure is ErrBadShare naming the
// officer.
func (pk *PublicKey) VerifyShare(s *Share) error {
	_, err := pk.verifyShare(s)
	return err
}

// verifyShare is VerifyShare, returning X_i.
func (pk *PublicKey) verifyShare(s *Share) (group.Element, error) {
	if err := pk.check(); err != nil {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	if s.id > pk.n {
		return nil, fmt.Errorf("%w: officer %d is not one of the %d officers", ErrBadShare, s.id, pk.n)
	}
	xi, err := pk.officerKey(s.id)
	if err != nil {
		return nil, err
	}
	if !g.NewElement().MulGen(s.value).IsEqual(xi) {
		return nil, fmt.Errorf("%w: officer %d", ErrBadShare, s.id)
	}
	return xi, nil
}
