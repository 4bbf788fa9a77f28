package escrow

import (
	"testing"

	"github.com/bwesterb/go-ristretto"
	ed "github.com/bwesterb/go-ristretto/edwards25519"
)

// combScalars are scalars whose digits reach the ends of −8…8 and the
// carries between them, and random ones.
func combScalars(random int) []ristretto.Scalar {
	var ss []ristretto.Scalar
	for _, v := range []uint64{0, 1, 2, 7, 8, 9, 15, 16, 0x88, 0x8888888888888888, 0xffffffffffffffff} {
		var s ristretto.Scalar
		s.SetUint64(v)
		ss = append(ss, s)
	}
	var minusOne ristretto.Scalar // ℓ − 1
	minusOne.SetUint64(1)
	minusOne.Neg(&minusOne)
	ss = append(ss, minusOne)
	for _, b := range []byte{0x08, 0x80, 0x88, 0xf8, 0x77} {
		var buf [32]byte
		for i := range buf {
			buf[i] = b
		}
		buf[31] &= 0x0f // below 2^252, canonical
		var s ristretto.Scalar
		s.SetBytes(&buf)
		ss = append(ss, s)
	}
	for range random {
		var s ristretto.Scalar
		s.Rand()
		ss = append(ss, s)
	}
	return ss
}

// The comb gives the library's point, coordinate for coordinate (the same
// representative, not only the same group element: doubleEncode's
// batched encoding is tested on the library's), for G and for an X.
func TestCombMatchesLibrary(t *testing.T) {
	var xs ristretto.Scalar
	xs.Rand()
	var x ristretto.Point
	x.ScalarMultBase(&xs)
	var xt ristretto.ScalarMultTable
	xt.Compute(&x)
	xc := newComb((*ed.ScalarMultTable)(&xt))

	for i, s := range combScalars(2000) {
		var want, got ristretto.Point
		want.ScalarMultBase(&s)
		baseComb().mult(&got, &s)
		if got != want {
			t.Fatalf("scalar %d (%x): comb of G gives %v, want %v", i, s.Bytes(), got, want)
		}
		want.ScalarMultTable(&xt, &s)
		xc.mult(&got, &s)
		if got != want {
			t.Fatalf("scalar %d (%x): comb of X gives %v, want %v", i, s.Bytes(), got, want)
		}
		var vb ristretto.Point // variable base, a different algorithm
		if vb.ScalarMult(&x, &s); !vb.Equals(&got) {
			t.Fatalf("scalar %d (%x): comb of X differs from s·X", i, s.Bytes())
		}
	}
}

// A public key's comb is made once and is that of its X.
func TestXComb(t *testing.T) {
	pk, _ := mustDeal(t, 2, 3)
	c := pk.xComb()
	if pk.xComb() != c {
		t.Error("the comb was made again")
	}
	var x ristretto.Point
	var b [32]byte
	copy(b[:], pk.x)
	if !x.SetBytes(&b) {
		t.Fatal("X does not decode")
	}
	var s ristretto.Scalar
	s.Rand()
	var got, want ristretto.Point
	c.mult(&got, &s)
	if want.ScalarMult(&x, &s); !want.Equals(&got) {
		t.Error("comb of the key's X differs from s·X")
	}
}

func BenchmarkComb(b *testing.B) {
	var s ristretto.Scalar
	s.Rand()
	var p ristretto.Point
	b.Run("comb", func(b *testing.B) {
		for b.Loop() {
			baseComb().mult(&p, &s)
		}
	})
	b.Run("library", func(b *testing.B) {
		for b.Loop() {
			p.ScalarMultBase(&s)
		}
	})
}

// lookupRow picks the multiple asked for, or zeros, whichever way it runs.
func TestLookupRow(t *testing.T) {
	var row [8][16]uint64
	for v := range row {
		for j := range 15 {
			row[v][j] = uint64(v+1)<<56 | uint64(j)<<48 | 0x5a5a5a5a5a5a
		}
	}
	for abs := range uint64(9) {
		var want [16]uint64
		if abs > 0 {
			want = row[abs-1]
		}
		var got, gen [16]uint64
		lookupRow(&got, &row, abs)
		lookupRowGeneric(&gen, &row, abs)
		if got != want || gen != want {
			t.Errorf("multiple %d: lookupRow gives %x, lookupRowGeneric %x, want %x", abs, got, gen, want)
		}
	}
}
