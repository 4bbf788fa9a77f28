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

// lookupNiels picks the multiple asked for, negated or not, or the
// identity, whichever way it runs.
func TestLookupNiels(t *testing.T) {
	var x ristretto.Point
	x.Rand()
	var tab ed.ScalarMultTable
	tab.Compute((*ed.ExtendedPoint)(&x))
	c := newComb(&tab)
	for row := range c {
		for d := -8; d <= 8; d++ {
			var want ed.NielsPoint
			switch {
			case d == 0:
				want.SetZero()
			case d > 0:
				want = tab[row][d-1]
			default:
				want.Neg(&tab[row][-d-1])
			}
			var got, gen ed.NielsPoint
			c.lookup(&got, row, int8(d))
			neg := uint64(0)
			if d < 0 {
				neg = ^neg
			}
			lookupNielsGeneric(&gen, &c[row], uint64(max(d, -d)), neg)
			if got != want || gen != want {
				t.Fatalf("row %d, digit %d: lookup gives %v, lookupNielsGeneric %v, want %v", row, d, got, gen, want)
			}
		}
	}
}
