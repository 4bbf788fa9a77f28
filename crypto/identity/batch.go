package identity

import (
	"crypto/rand"
	"crypto/sha512"
	"errors"
	"fmt"

	"filippo.io/edwards25519"
	"github.com/ProtonMail/go-crypto/openpgp/eddsa"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Batch verifies many detached signatures at once: for the access log,
// where an auditor checks thousands of entries, about four times faster
// per signature than Verify.
//
// Add does every check Verify does except the Ed25519 equation
// [S]B = R + [k]A, which Check tests for all added signatures together, as
// one random linear combination (Bernstein et al., "High-speed
// high-security signatures", §4): if any signature is bad, Check reports
// false except with probability about 2⁻¹²⁸. It does not say which; verify
// the batch's signatures one by one with Verify to find out.
//
// Check uses the cofactored equation ([8]·…), which RFC 8032 allows and
// which batching needs; Verify, GnuPG and go-crypto use the cofactorless
// one. The two agree on every signature an honest signer can make. A
// signer who deliberately puts a small-order component in their own
// signature's R could make one that Check accepts and Verify rejects; no
// one can make one for a key they do not hold. Signatures by keys other
// than Ed25519 are verified at once in Add.
//
// A Batch is not safe for concurrent use; use one per goroutine.
type Batch struct {
	keys  map[*Public]*batchKey
	items []batchItem
}

type batchKey struct {
	a   []byte              // the encoded public point
	pt  *edwards25519.Point // decoded
	sum *edwards25519.Scalar
}

type batchItem struct {
	key  *batchKey
	r    [32]byte
	s, k *edwards25519.Scalar
}

// Len returns the number of signatures waiting for Check.
func (b *Batch) Len() int { return len(b.items) }

// Add checks sig over msg by p as Verify does, deferring the Ed25519
// equation to Check. An error here is final, as from Verify.
func (b *Batch) Add(p *Public, msg, sig []byte) error {
	key, err := b.key(p)
	if err != nil {
		return err
	}
	if key == nil { // not an Ed25519 key: no batching
		return p.Verify(msg, sig)
	}
	s, digest, err := digestDetached(p.primary, sig, msg)
	if err != nil {
		return p.badSignature("%v", err)
	}
	it, err := newBatchItem(key, s, digest)
	if err != nil {
		return p.badSignature("%v", err)
	}
	made, expires := sigTimes(s)
	if err := p.checkTimes(made, expires); err != nil {
		return err
	}
	b.items = append(b.items, it)
	return nil
}

func (b *Batch) key(p *Public) (*batchKey, error) {
	if k, ok := b.keys[p]; ok {
		return k, nil
	}
	if b.keys == nil {
		b.keys = map[*Public]*batchKey{}
	}
	var k *batchKey
	if ed, ok := p.primary.PublicKey.(*eddsa.PublicKey); ok && p.primary.PubKeyAlgo == packet.PubKeyAlgoEdDSA &&
		ed.GetCurve().GetCurveName() == "ed25519" && len(ed.X) == 32 {
		pt, err := new(edwards25519.Point).SetBytes(ed.X)
		if err != nil || !canonicalPoint(pt, ed.X) {
			return nil, fmt.Errorf("%w (key %s): the Ed25519 public key is not a canonical point", ErrBadSignature, p.fingerprint)
		}
		k = &batchKey{a: ed.X, pt: pt}
	}
	b.keys[p] = k
	return k, nil
}

func newBatchItem(key *batchKey, sig *packet.Signature, digest []byte) (batchItem, error) {
	it := batchItem{key: key}
	if sig.EdDSASigR == nil || sig.EdDSASigS == nil {
		return it, errors.New("not an EdDSA signature")
	}
	r, s := sig.EdDSASigR.Bytes(), sig.EdDSASigS.Bytes()
	if len(r) > 32 || len(s) > 32 {
		return it, errors.New("EdDSA signature values are too long")
	}
	copy(it.r[32-len(r):], r) // MPIs drop leading zeros
	var sb [32]byte
	copy(sb[32-len(s):], s)
	var err error
	if it.s, err = edwards25519.NewScalar().SetCanonicalBytes(sb[:]); err != nil {
		return it, errors.New("EdDSA signature S is not reduced")
	}
	h := sha512.New()
	h.Write(it.r[:])
	h.Write(key.a)
	h.Write(digest)
	it.k, _ = edwards25519.NewScalar().SetUniformBytes(h.Sum(nil)) // 64 bytes: cannot fail
	return it, nil
}

// canonicalPoint reports whether enc is the one canonical encoding of p
// (SetBytes also accepts some non-canonical ones).
func canonicalPoint(p *edwards25519.Point, enc []byte) bool {
	return string(p.Bytes()) == string(enc)
}

// Check reports whether every signature added since the last Check
// satisfies its Ed25519 equation, and empties the batch.
func (b *Batch) Check() bool {
	items := b.items
	b.items = nil
	if len(items) == 0 {
		return true
	}
	scalars := make([]*edwards25519.Scalar, 0, len(items)+len(b.keys)+1)
	points := make([]*edwards25519.Point, 0, len(items)+len(b.keys)+1)
	sumS := edwards25519.NewScalar()
	for _, k := range b.keys {
		if k != nil {
			k.sum = edwards25519.NewScalar()
		}
	}
	var zb [32]byte
	for _, it := range items {
		R, err := new(edwards25519.Point).SetBytes(it.r[:])
		if err != nil || !canonicalPoint(R, it.r[:]) {
			return false
		}
		// z: a random 128-bit multiplier, independent of the signatures.
		if _, err := rand.Read(zb[:16]); err != nil {
			panic("identity: crypto/rand failed: " + err.Error())
		}
		z, _ := edwards25519.NewScalar().SetCanonicalBytes(zb[:]) // < 2^128 < l: cannot fail
		scalars = append(scalars, z)
		points = append(points, R)
		sumS.MultiplyAdd(z, it.s, sumS)
		it.key.sum.MultiplyAdd(z, it.k, it.key.sum)
	}
	// Σ z·R + Σ (Σ z·k)·A − (Σ z·S)·B must be the identity (times 8).
	for _, k := range b.keys {
		if k != nil && k.sum != nil {
			scalars = append(scalars, k.sum)
			points = append(points, k.pt)
		}
	}
	scalars = append(scalars, sumS.Negate(sumS))
	points = append(points, edwards25519.NewGeneratorPoint())
	res := new(edwards25519.Point).VarTimeMultiScalarMult(scalars, points)
	res.MultByCofactor(res)
	return res.Equal(edwards25519.NewIdentityPoint()) == 1
}
