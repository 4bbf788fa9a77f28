package escrow

import (
	"sync"

	"github.com/bwesterb/go-ristretto"
	ed "github.com/bwesterb/go-ristretto/edwards25519"
)

// Fixed-base scalar multiplication for R = r·G and S = r·X, the two
// multiplications every encapsulation makes. It is go-ristretto's own
// algorithm (ref10's: signed 4-bit digits, 32 rows of the multiples
// 1·P … 8·P of 16^(2i)·P, 64 additions and 4 doublings) on the library's
// own point arithmetic; only the constant-time reading of the table
// differs. The library reads a row with 24 calls of
// FieldElement.ConditionalSet, each a read-modify-write of five limbs in
// memory, then negates: a sixth of an ingest's CPU. Here a row is read at
// once by masked ORs, and negated by masked swaps, with AVX2 (lookupNiels,
// in assembly) or in Go elsewhere: a multiplication takes 7.9 µs instead
// of 12.0 (BenchmarkComb), 10.6 with the Go reading.
//
// A row of the table holds the eight multiples, each as its y+x, y−x,
// 2dxy and −2dxy in Niels form (the library's own limbs, and its negation
// of 2dxy), each coordinate padded to eight limbs so that the assembly
// finds it in two 32-byte registers. FieldElement is go-ristretto's
// radix-2^51 [5]uint64, which every build without its forcegeneric tag
// uses.
type comb [32][8][32]uint64

// Where each coordinate of a multiple starts in its 32 limbs.
const (
	combYPlusX  = 0
	combYMinusX = 8
	combXY2D    = 16
	combNegXY2D = 24
)

// newComb rearranges a go-ristretto table.
func newComb(t *ed.ScalarMultTable) *comb {
	c := new(comb)
	for i := range t {
		for v := range t[i] {
			n, e := &t[i][v], &c[i][v]
			var neg ed.FieldElement
			neg.Neg(&n.XY2D)
			copy(e[combYPlusX:], n.YPlusX[:])
			copy(e[combYMinusX:], n.YMinusX[:])
			copy(e[combXY2D:], n.XY2D[:])
			copy(e[combNegXY2D:], neg[:])
		}
	}
	return c
}

// baseComb is the comb of the ristretto255 generator.
var baseComb = sync.OnceValue(func() *comb { return newComb(&ed.BaseScalarMultTable) })

// xCombs caches the comb of each escrow key X Wrap has seen (64 KiB each;
// a process sees one or two).
var xCombs sync.Map // string(encoding of X) → *comb

func (pk *PublicKey) xComb() *comb {
	if c, ok := xCombs.Load(string(pk.x)); ok {
		return c.(*comb)
	}
	var x ristretto.Point
	var b [elementSize]byte
	copy(b[:], pk.x)
	if !x.SetBytes(&b) {
		panic("escrow: a checked public key does not decode") // pk.check and ParsePublicKey validated it
	}
	t := new(ed.ScalarMultTable)
	t.Compute((*ed.ExtendedPoint)(&x))
	c := newComb(t)
	xCombs.Store(string(pk.x), c)
	return c
}

// mult sets p to s·P, where c is P's comb; constant time in s.
func (c *comb) mult(p *ristretto.Point, s *ristretto.Scalar) {
	var buf [32]byte
	s.BytesInto(&buf)
	var w [64]int8
	window4(&buf, &w)
	clear(buf[:])

	e := (*ed.ExtendedPoint)(p)
	e.SetZero()
	var np ed.NielsPoint
	var cp ed.CompletedPoint
	var pp ed.ProjectivePoint
	for i := range 32 {
		c.lookup(&np, i, w[2*i+1])
		cp.AddExtendedNiels(e, &np)
		e.SetCompleted(&cp)
	}
	cp.DoubleExtended(e)
	pp.SetCompleted(&cp)
	cp.DoubleProjective(&pp)
	pp.SetCompleted(&cp)
	cp.DoubleProjective(&pp)
	pp.SetCompleted(&cp)
	cp.DoubleProjective(&pp)
	e.SetCompleted(&cp)
	for i := range 32 {
		c.lookup(&np, i, w[2*i])
		cp.AddExtendedNiels(e, &np)
		e.SetCompleted(&cp)
	}
	clear(w[:])
}

// window4 writes s as 64 signed digits in −8…8, least significant first
// (go-ristretto's computeScalarWindow4, which it does not export).
func window4(s *[32]byte, w *[64]int8) {
	for i := range 32 {
		w[2*i] = int8(s[i] & 15)
		w[2*i+1] = int8(s[i] >> 4)
	}
	carry := int8(0)
	for i := range 63 {
		w[i] += carry
		carry = (w[i] + 8) >> 4
		w[i] -= carry << 4
	}
	w[63] += carry
}

// lookup sets np to d·16^(2·row)·P for a digit d in −8…8, reading every
// multiple of the row whatever d is.
func (c *comb) lookup(np *ed.NielsPoint, row int, d int8) {
	neg := uint64(int64(d) >> 63) // all ones when d < 0
	abs := (uint64(int64(d)) ^ neg) - neg
	lookupNiels(np, &c[row], abs, neg)
}

// lookupNielsGeneric is lookupNiels in Go: it sets np to the multiple abs
// of row (1…8), or to the identity (1, 1, 0) for 0, negated when neg is
// all ones (−(y+x, y−x, 2dxy) = (y−x, y+x, −2dxy)).
func lookupNielsGeneric(np *ed.NielsPoint, row *[8][32]uint64, abs, neg uint64) {
	var m [8]uint64 // m[v] is all ones when abs = v+1
	for v := range m {
		m[v] = -(((abs ^ uint64(v+1)) - 1) >> 63)
	}
	var a [4]ed.FieldElement // y+x, y−x, 2dxy, −2dxy
	for k := range a {
		var a0, a1, a2, a3, a4 uint64
		for v := range row {
			l, x := m[v], (*[5]uint64)(row[v][8*k:])
			a0 |= x[0] & l
			a1 |= x[1] & l
			a2 |= x[2] & l
			a3 |= x[3] & l
			a4 |= x[4] & l
		}
		a[k] = ed.FieldElement{a0, a1, a2, a3, a4}
	}
	one := (abs - 1) >> 63 // 1 when abs = 0
	a[0][0] |= one
	a[1][0] |= one
	for j := range 5 {
		t := neg & (a[0][j] ^ a[1][j])
		np.YPlusX[j] = a[0][j] ^ t
		np.YMinusX[j] = a[1][j] ^ t
		np.XY2D[j] = a[2][j] ^ (neg & (a[2][j] ^ a[3][j]))
	}
}
