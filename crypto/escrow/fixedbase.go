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
// memory: a sixth of an ingest's CPU. Here a row is read at once, by
// masked ORs of four 32-byte registers per multiple with AVX2 (lookupRow,
// in assembly) or of five limbs at a time elsewhere: a multiplication takes
// 9.1 µs instead of 12.0 (BenchmarkComb), 10.6 with the generic reading.
//
// A row of the table holds the eight multiples, each as its y+x, y−x and
// 2dxy in Niels form, limb by limb, and a zero limb that rounds it to 128
// bytes. FieldElement is go-ristretto's radix-2^51 [5]uint64, which every
// build without its forcegeneric tag uses.
type comb [32][8][16]uint64

// newComb rearranges a go-ristretto table.
func newComb(t *ed.ScalarMultTable) *comb {
	c := new(comb)
	for i := range t {
		for v := range t[i] {
			n, e := &t[i][v], &c[i][v]
			copy(e[0:5], n.YPlusX[:])
			copy(e[5:10], n.YMinusX[:])
			copy(e[10:15], n.XY2D[:])
		}
	}
	return c
}

// baseComb is the comb of the ristretto255 generator.
var baseComb = sync.OnceValue(func() *comb { return newComb(&ed.BaseScalarMultTable) })

// xCombs caches the comb of each escrow key X Wrap has seen (30 KiB each;
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
	var e [16]uint64
	lookupRow(&e, &c[row], abs)
	one := ((abs - 1) >> 63) // 1 when d = 0: the identity (1, 1, 0)
	np.YPlusX = ed.FieldElement{e[0] | one, e[1], e[2], e[3], e[4]}
	np.YMinusX = ed.FieldElement{e[5] | one, e[6], e[7], e[8], e[9]}
	np.XY2D = ed.FieldElement{e[10], e[11], e[12], e[13], e[14]}

	// −(y+x, y−x, 2dxy) = (y−x, y+x, −2dxy)
	for j := range 5 {
		t := neg & (np.YPlusX[j] ^ np.YMinusX[j])
		np.YPlusX[j] ^= t
		np.YMinusX[j] ^= t
	}
	var n ed.FieldElement
	n.Neg(&np.XY2D)
	for j := range 5 {
		np.XY2D[j] ^= neg & (np.XY2D[j] ^ n[j])
	}
}

// lookupRowGeneric sets e to the multiple abs of row (1…8), or to zeros
// for 0: five limbs at a time, each in a register.
func lookupRowGeneric(e *[16]uint64, row *[8][16]uint64, abs uint64) {
	var m [8]uint64 // m[v] is all ones when abs = v+1
	for v := range m {
		m[v] = -(((abs ^ uint64(v+1)) - 1) >> 63)
	}
	for k := 0; k < 15; k += 5 {
		var a0, a1, a2, a3, a4 uint64
		for v := range row {
			l, x := m[v], (*[5]uint64)(row[v][k:k+5])
			a0 |= x[0] & l
			a1 |= x[1] & l
			a2 |= x[2] & l
			a3 |= x[3] & l
			a4 |= x[4] & l
		}
		e[k], e[k+1], e[k+2], e[k+3], e[k+4] = a0, a1, a2, a3, a4
	}
}
