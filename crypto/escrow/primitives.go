package escrow

import (
	"crypto"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/math/polynomial"
	"github.com/cloudflare/circl/zk/dleq"
	"golang.org/x/crypto/chacha20poly1305"
)

// Every call into circl, every KDF and AEAD parameter and every
// domain-separation string of the package lives in this file.

// g is the prime-order group of the scheme. ristretto255 has no cofactor to
// clear and a canonical 32-byte encoding for every element, which is what
// lets the parsers reject anything but the one encoding of a point.
var g = group.Ristretto255

const (
	// DEKSize is the size in bytes of a data key that Wrap accepts and Open
	// returns.
	DEKSize = 32

	elementSize = 32 // ristretto255 element encoding
	scalarSize  = 32 // little-endian scalar mod ℓ, canonical
	proofSize   = 2 * scalarSize

	// maxOfficers bounds n. Officer ids travel as one byte, and deriving
	// X_i costs one scalar multiplication per commitment, so a larger
	// committee would buy nothing the product needs and cost parsing time.
	maxOfficers = 32

	// maxIDSize bounds vault, request and chunk ids. They are length-prefixed
	// with two bytes in the KDF info and the proof context; ids in sealroom
	// are hashes or short keys, so 1 KiB leaves ample room.
	maxIDSize = 1024

	// maxChunks bounds one scope. An unlock covers the chunks around one
	// event (a handful); 65,536 chunks of 32 messages is two million
	// messages, beyond any request an officer should sign in one go, and
	// the cap bounds the work a hostile Partials or Scope can ask for.
	maxChunks = 1 << 16

	// batchSize is the number of chunks covered by one batched DLEQ proof.
	// Batching amortises the proof (one challenge, four fixed
	// multiplications) over the batch; keeping batches small keeps a failure
	// attributable to at most 16 chunks.
	batchSize = 16
)

// Domain-separation labels. Changing any of them is a format change.
const (
	wrapInfoLabel   = "sealroom escrow wrap v1"
	dleqDSTLabel    = "sealroom escrow dleq v1:"
	scopeHashLabel  = "sealroom escrow scope v1"
	batchHashLabel  = "sealroom escrow batch v1"
	dleqHash        = crypto.SHA512
	kekSize         = chacha20poly1305.KeySize
	sealedDEKSize   = DEKSize + chacha20poly1305.Overhead
	uint16FieldSize = 2
)

// appendLP appends b with a two-byte big-endian length prefix. Callers have
// checked len(b) <= maxIDSize.
func appendLP(dst, b []byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(b))) // #nosec G115 -- len(b) <= maxIDSize, checked by every caller
	return append(dst, b...)
}

// kek derives the single-use key-encryption key of one wrapped DEK from the
// shared point S = r·X = x·R. The ikm carries R and X as well as S so that
// the KEK is bound to the exact ciphertext and key (the usual hashed
// ElGamal/ECIES hygiene); the info binds the vault and chunk, so a wrapped
// key moved to another chunk or vault fails to open.
func kek(s, r, x []byte, ctx WrapContext) ([]byte, error) {
	ikm := make([]byte, 0, 3*elementSize)
	ikm = append(append(append(ikm, s...), r...), x...)
	info := make([]byte, 0, len(wrapInfoLabel)+2*uint16FieldSize+len(ctx.VaultID)+len(ctx.ChunkID))
	info = append(info, wrapInfoLabel...)
	info = appendLP(info, ctx.VaultID)
	info = appendLP(info, ctx.ChunkID)
	k, err := hkdf.Key(sha256.New, ikm, nil, string(info), kekSize)
	clear(ikm)
	if err != nil {
		return nil, fmt.Errorf("escrow: deriving key-encryption key: %w", err)
	}
	return k, nil
}

// zeroNonce is the ChaCha20-Poly1305 nonce of every wrap. Reusing it is
// safe because every KEK comes from a fresh r and so seals exactly one DEK;
// a random nonce would add 12 bytes per chunk and protect nothing.
var zeroNonce [chacha20poly1305.NonceSize]byte

// sealDEK encrypts dek under kek with the encoded R as associated data.
func sealDEK(key, dek, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, fmt.Errorf("escrow: %w", err)
	}
	return aead.Seal(nil, zeroNonce[:], dek, ad), nil
}

// openDEK reverses sealDEK.
func openDEK(key, sealed, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, fmt.Errorf("escrow: %w", err)
	}
	return aead.Open(nil, zeroNonce[:], sealed, ad)
}

// scopeDigest hashes everything an approval is about: the escrow public
// key, the vault, the request and the ordered list of chunk ids. Every
// batch proof of an approval is bound to it, so a proof made for one
// request, vault, key or chunk list never verifies for another.
func scopeDigest(x []byte, sc *Scope) [sha256.Size]byte {
	h := sha256.New()
	b := make([]byte, 0, 64+len(sc.VaultID)+len(sc.RequestID))
	b = append(b, scopeHashLabel...)
	b = append(b, x...)
	b = appendLP(b, sc.VaultID)
	b = appendLP(b, sc.RequestID)
	b = binary.BigEndian.AppendUint32(b, uint32(len(sc.Chunks))) // #nosec G115 -- len <= maxChunks, checked by checkScope
	h.Write(b)
	for _, c := range sc.Chunks {
		h.Write(appendLP(b[:0], c.ID))
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

// dleqParams returns the DLEQ parameters of batch number batch of a scope.
// The DST is the label followed by a hash of the scope digest and the batch
// index: a fixed 56 bytes, below the 255 bytes at which expand_message_xmd
// would hash it again on every call. circl's transcript already carries
// the base G, X_i, every R_c and every D_ic (circl #663 put the base in).
func dleqParams(digest *[sha256.Size]byte, batch int) dleq.Params {
	h := sha256.New()
	h.Write([]byte(batchHashLabel))
	h.Write(digest[:])
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(batch))) // #nosec G115 -- batch < maxChunks
	dst := make([]byte, 0, len(dleqDSTLabel)+sha256.Size)
	dst = h.Sum(append(dst, dleqDSTLabel...))
	return dleq.Params{G: g, H: dleqHash, DST: dst}
}

// batches returns the number of batched proofs covering m chunks.
func batches(m int) int { return (m + batchSize - 1) / batchSize }

// batchRange returns the chunk index range [lo, hi) of batch b of m chunks.
func batchRange(b, m int) (lo, hi int) {
	return b * batchSize, min((b+1)*batchSize, m)
}

// encodeElement returns the canonical 32-byte encoding of e.
func encodeElement(e group.Element) []byte {
	b, err := e.MarshalBinary()
	if err != nil || len(b) != elementSize {
		panic("escrow: internal error: encoding a ristretto255 element")
	}
	return b
}

// decodeElement parses a canonical, non-identity element. field names what
// is being parsed, for the error.
func decodeElement(b []byte, field string) (group.Element, error) {
	if len(b) != elementSize {
		return nil, badEncoding(field, "wrong length")
	}
	e := g.NewElement()
	if err := e.UnmarshalBinary(b); err != nil {
		return nil, badEncoding(field, "not a canonical ristretto255 element")
	}
	if e.IsIdentity() {
		return nil, badEncoding(field, "identity element", ErrIdentityElement)
	}
	// go-ristretto rejects non-canonical encodings; re-encoding makes that
	// a property of this package rather than an assumption about it.
	if string(encodeElement(e)) != string(b) {
		return nil, badEncoding(field, "not a canonical ristretto255 element")
	}
	return e, nil
}

// decodeScalar parses a canonical scalar (strictly below the group order).
func decodeScalar(b []byte, field string) (group.Scalar, error) {
	if len(b) != scalarSize {
		return nil, badEncoding(field, "wrong length")
	}
	s := g.NewScalar()
	if err := s.UnmarshalBinary(b); err != nil {
		return nil, badEncoding(field, "not a canonical scalar")
	}
	return s, nil
}

// scalarFromID returns the officer id as a scalar.
func scalarFromID(id int) group.Scalar {
	return g.NewScalar().SetUint64(uint64(id)) // #nosec G115 -- 1 <= id <= maxOfficers
}

// lagrangeAtZero returns λ_j = Π_{m≠j} id_m / (id_m − id_j) for every j,
// the coefficients that interpolate a polynomial at 0 from its values at
// ids. Callers have checked that the ids are distinct and in 1..n: with a
// repeated id the denominator is 0, circl's Inv(0) returns 0, and the
// combination would silently be the identity element.
func lagrangeAtZero(ids []int) []group.Scalar {
	xs := make([]group.Scalar, len(ids))
	for i, id := range ids {
		xs[i] = scalarFromID(id)
	}
	zero := g.NewScalar()
	out := make([]group.Scalar, len(ids))
	for j := range ids {
		out[j] = polynomial.LagrangeBase(uint(j), xs, zero) // #nosec G115 -- 0 <= j < len(ids)
	}
	return out
}
