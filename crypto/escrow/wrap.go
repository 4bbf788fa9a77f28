package escrow

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/bwesterb/go-ristretto"
	"github.com/cloudflare/circl/group"
)

// wrappedVersion is the first byte of an encoded Wrapped (type 3, version 1).
const wrappedVersion = 0x31

const wrappedSize = 1 + elementSize + sealedDEKSize

// WrapContext names what a data key belongs to. Both ids go into the
// key-derivation info, so a wrapped key opens only under the same ids.
type WrapContext struct{ VaultID, ChunkID []byte }

func (c WrapContext) check() error {
	if err := checkID("vault id", c.VaultID); err != nil {
		return err
	}
	return checkID("chunk id", c.ChunkID)
}

func checkID(what string, id []byte) error {
	if len(id) == 0 || len(id) > maxIDSize {
		return fmt.Errorf("escrow: %s of %d bytes, want 1..%d", what, len(id), maxIDSize)
	}
	return nil
}

// Wrapped is a data key wrapped to the escrow public key: the ephemeral
// point R = r·G and the DEK sealed under a key derived from r·X.
type Wrapped struct {
	rEnc   []byte
	sealed []byte

	// R as a group element, decoded from rEnc when first needed: a wrap
	// made at ingest is only ever encoded, and decoding costs a fifth of
	// Wrap.
	decode *sync.Once
	r      group.Element
}

// point returns R.
func (w *Wrapped) point() group.Element {
	w.decode.Do(func() {
		r, err := decodeElement(w.rEnc, "wrapped key R")
		if err != nil { // rEnc came from ParseWrapped's check or from Wrap's own encoding
			panic("escrow: internal error: " + err.Error())
		}
		w.r = r
	})
	return w.r
}

// MarshalBinary encodes w as version ‖ R ‖ sealed DEK (81 bytes).
func (w *Wrapped) MarshalBinary() ([]byte, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, wrappedSize)
	b = append(b, wrappedVersion)
	b = append(b, w.rEnc...)
	return append(b, w.sealed...), nil
}

// ParseWrapped decodes a wrapped key: the exact length, a canonical
// non-identity R.
func ParseWrapped(b []byte) (*Wrapped, error) {
	const field = "wrapped key"
	if len(b) < 1 {
		return nil, badEncoding(field, "empty")
	}
	if b[0] != wrappedVersion {
		return nil, badEncoding(field, fmt.Sprintf("unknown version byte 0x%02x", b[0]))
	}
	if len(b) != wrappedSize {
		return nil, badEncoding(field, fmt.Sprintf("length %d, want %d", len(b), wrappedSize))
	}
	r, err := decodeElement(b[1:1+elementSize], "wrapped key R")
	if err != nil {
		return nil, err
	}
	w := &Wrapped{
		rEnc:   append([]byte(nil), b[1:1+elementSize]...),
		sealed: append([]byte(nil), b[1+elementSize:]...),
		decode: new(sync.Once),
		r:      r,
	}
	w.decode.Do(func() {})
	return w, nil
}

var errZeroWrapped = errors.New("escrow: uninitialised wrapped key")

func (w *Wrapped) check() error {
	if w == nil || w.decode == nil || len(w.rEnc) != elementSize || len(w.sealed) != sealedDEKSize {
		return errZeroWrapped
	}
	return nil
}

// Wrap encrypts dek (DEKSize bytes) to the escrow public key for the chunk
// named by ctx. Only Open, with partial decryptions from a threshold of
// officers, recovers it; no single share does.
//
// r is fresh for every call, so every KEK is used once; see zeroNonce.
func Wrap(pk *PublicKey, dek []byte, ctx WrapContext) (*Wrapped, error) {
	e, err := Encapsulate(pk)
	if err != nil {
		return nil, err
	}
	return e.Wrap(dek, ctx)
}

// Encapsulation is the costly half of Wrap, made before the data key it
// will wrap exists: a fresh r, with R = r·G and S = r·X. An importer makes
// them ahead on otherwise idle cores. Each wraps exactly one key: two
// chunks sharing r would open together.
type Encapsulation struct {
	pk         *PublicKey
	rEnc, sEnc [elementSize]byte
	used       atomic.Bool
}

// Encapsulate draws r and computes R and S for pk.
func Encapsulate(pk *PublicKey) (*Encapsulation, error) {
	es, err := EncapsulateN(pk, 1)
	if err != nil {
		return nil, err
	}
	return es[0], nil
}

// scalarHalf is 1/2 mod ℓ.
var scalarHalf = func() (h ristretto.Scalar) {
	h.SetUint64(2)
	h.Inverse(&h)
	return h
}()

// EncapsulateN makes n encapsulations for pk, each with its own r; making
// them together shares the field inversion of their encodings.
func EncapsulateN(pk *PublicKey, n int) ([]*Encapsulation, error) {
	if err := pk.check(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("escrow: %d encapsulations asked for", n)
	}
	// R = r·G and S = r·X on go-ristretto's points (the library circl's
	// ristretto255 runs on), with a precomputed comb for X as for G
	// (fixedbase.go): 7.6 µs where circl's variable-base multiplication
	// takes 43, and these two multiplications bound ingest speed. They are computed as 2·(r/2)·G and 2·(r/2)·X, whose
	// encodings doubleEncode makes with one inversion for the batch instead
	// of an inverse square root each.
	g, x := baseComb(), pk.xComb()
	pts := make([]ristretto.Point, 2*n)
	ptrs := make([]*ristretto.Point, 2*n)
	for i := range n {
		var r ristretto.Scalar
		for r.Rand().IsNonZeroI() == 0 { // 64 bytes from crypto/rand, reduced: uniform
		}
		r.Mul(&r, &scalarHalf)
		g.mult(&pts[2*i], &r)
		x.mult(&pts[2*i+1], &r)
		r.SetZero()
		ptrs[2*i], ptrs[2*i+1] = &pts[2*i], &pts[2*i+1]
	}
	enc := make([][elementSize]byte, 2*n)
	if !doubleEncode(ptrs, enc) { // only for the identity, which r ≠ 0 never gives
		for i := range pts {
			var d ristretto.Point
			d.Double(&pts[i])
			d.BytesInto(&enc[i])
		}
	}
	clear(pts) // (r/2)·X is half of S
	es := make([]*Encapsulation, n)
	for i := range es {
		es[i] = &Encapsulation{pk: pk, rEnc: enc[2*i], sEnc: enc[2*i+1]}
	}
	clear(enc)
	return es, nil
}

var errEncapsulationUsed = errors.New("escrow: an encapsulation wraps one key only")

// Wrap wraps dek for the chunk named by ctx. A second call fails.
func (e *Encapsulation) Wrap(dek []byte, ctx WrapContext) (*Wrapped, error) {
	if e.used.Swap(true) {
		return nil, errEncapsulationUsed
	}
	defer e.Destroy()
	if len(dek) != DEKSize {
		return nil, fmt.Errorf("escrow: data key of %d bytes, want %d", len(dek), DEKSize)
	}
	if err := ctx.check(); err != nil {
		return nil, err
	}
	rEnc := append([]byte(nil), e.rEnc[:]...)
	key, err := kek(e.sEnc[:], rEnc, e.pk.x, ctx)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	sealed, err := sealDEK(key, dek, rEnc)
	if err != nil {
		return nil, err
	}
	return &Wrapped{rEnc: rEnc, sealed: sealed, decode: new(sync.Once)}, nil
}

// Destroy clears S and makes e unusable; for encapsulations made but not
// used.
func (e *Encapsulation) Destroy() {
	e.used.Store(true)
	clear(e.sEnc[:])
}

// unwrap opens w with the combined point S = x·R.
func (w *Wrapped) unwrap(pk *PublicKey, s group.Element, ctx WrapContext) ([]byte, error) {
	sEnc := encodeElement(s)
	defer clear(sEnc)
	key, err := kek(sEnc, w.rEnc, pk.x, ctx)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	dek, err := openDEK(key, w.sealed, w.rEnc)
	if err != nil {
		return nil, fmt.Errorf("%w: chunk %x", ErrUnwrap, ctx.ChunkID)
	}
	return dek, nil
}
