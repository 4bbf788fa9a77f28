package escrow

import (
	"fmt"
)

// Open recovers the data keys of every chunk of scope, in scope order, from
// the partial decryptions of at least Threshold distinct officers. It
// checks, before any arithmetic, that there are enough sets
// (ErrNotEnough), that their officer ids are in 1..n and distinct
// (ErrDuplicateOfficer), and that each covers the scope; then it verifies
// every set, reporting the first bad one as a *PartialError. It combines
// the first Threshold sets: S_c = Σ λ_i·D_ic = x·R_c by Lagrange
// interpolation at 0, so x itself is never formed. A combined identity
// element is ErrIdentityElement; a key that does not decrypt is ErrUnwrap
// naming the chunk.
//
// The caller owns the returned keys and should clear them after use.
func Open(pk *PublicKey, scope *Scope, parts []*Partials) ([][]byte, error) {
	deks, errs, err := OpenEach(pk, scope, parts)
	if err != nil {
		return nil, err
	}
	for _, e := range errs {
		if e != nil {
			for _, k := range deks {
				clear(k)
			}
			return nil, e
		}
	}
	return deks, nil
}

// OpenEach is Open for callers that show what they can: after the same
// checks of every partial set, a chunk whose key does not unwrap (a
// damaged or swapped chunk record) is reported in errs at its index, with
// a nil key, and the other chunks still open. err reports what concerns
// the whole scope: too few, duplicate or unverifiable partials.
func OpenEach(pk *PublicKey, scope *Scope, parts []*Partials) (deks [][]byte, errs []error, err error) {
	if err := pk.check(); err != nil {
		return nil, nil, err
	}
	if err := checkScope(scope); err != nil {
		return nil, nil, err
	}
	if len(parts) < pk.k {
		return nil, nil, fmt.Errorf("%w: %d of %d", ErrNotEnough, len(parts), pk.k)
	}
	v := pk.newVerification(scope)
	seen := make(map[int]bool, len(parts))
	for _, p := range parts {
		if err := v.checkShape(p); err != nil {
			return nil, nil, err
		}
		if seen[p.officer] {
			return nil, nil, fmt.Errorf("%w: officer %d", ErrDuplicateOfficer, p.officer)
		}
		seen[p.officer] = true
	}
	for _, p := range parts {
		if err := v.verify(p); err != nil {
			return nil, nil, err
		}
	}
	deks, errs = combine(pk, scope, parts[:pk.k])
	return deks, errs, nil
}

// combine interpolates x·R_c from the partials of distinct, verified
// officers and unwraps each chunk's data key. With fewer than k sets the
// result is not x·R_c and the unwrap fails (see the tests).
func combine(pk *PublicKey, scope *Scope, parts []*Partials) ([][]byte, []error) {
	ids := make([]int, len(parts))
	for i, p := range parts {
		ids[i] = p.officer
	}
	lambda := lagrangeAtZero(ids)
	deks := make([][]byte, len(scope.Chunks))
	errs := make([]error, len(scope.Chunks))
	t := g.NewElement()
	for c, ch := range scope.Chunks {
		s := g.Identity()
		for i, p := range parts {
			s.Add(s, t.Mul(p.d[c], lambda[i]))
		}
		if s.IsIdentity() {
			errs[c] = fmt.Errorf("%w: combined key of chunk %x", ErrIdentityElement, ch.ID)
			continue
		}
		deks[c], errs[c] = ch.Wrapped.unwrap(pk, s, WrapContext{VaultID: scope.VaultID, ChunkID: ch.ID})
	}
	return deks, errs
}
