package escrow

import (
	"testing"

	"github.com/bwesterb/go-ristretto"
)

// The constants are those of RFC 9496 (section 4.1), by value: SQRT_M1 =
// 19681161376707505956807079304988542015446066515923890162744021073123829784752,
// INVSQRT_A_MINUS_D =
// 54469307008909316920995813868745141605393597292927456921205312896311721017578,
// D = 37095705934669439343138083508754565189542113879843219016388785533085940283555.
func TestDoubleEncodeConstants(t *testing.T) {
	for _, c := range []struct {
		name string
		fe   [32]byte
		want string // little-endian hex of the RFC's decimal value
	}{
		{"SQRT_M1", feSqrtM1.Bytes(), "b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b"},
		{"INVSQRT_A_MINUS_D", feInvSqrtAMinusD.Bytes(), "ea405d80aafdc899be72415a17162f9d40d801fe917bc216a2fcafcf05896c78"},
		{"D", feD.Bytes(), "a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352"},
	} {
		if got := hexOf(c.fe[:]); got != c.want {
			t.Errorf("%s = %s, want %s", c.name, got, c.want)
		}
	}
}

// doubleEncode gives the library's encoding of every doubled point, in
// batches of every size up to 33.
func TestDoubleEncode(t *testing.T) {
	for n := 1; n <= 33; n++ {
		for range 60 {
			ps := make([]*ristretto.Point, n)
			want := make([][32]byte, n)
			for i := range ps {
				var s ristretto.Scalar
				s.Rand()
				ps[i] = new(ristretto.Point)
				ps[i].ScalarMultBase(&s)
				var d ristretto.Point
				d.Double(ps[i])
				d.BytesInto(&want[i])
			}
			got := make([][32]byte, n)
			if !doubleEncode(ps, got) {
				t.Fatalf("batch of %d refused", n)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("batch of %d, point %d: %x, want %x", n, i, got[i], want[i])
				}
			}
		}
	}
	var id ristretto.Point
	id.SetZero()
	if doubleEncode([]*ristretto.Point{&id}, make([][32]byte, 1)) {
		t.Error("the identity was encoded by the batch formulas")
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// Points made by the library with a table for X, with variable base, and by addition,
// encode as the library encodes their doubles too.
func TestDoubleEncodeRepresentatives(t *testing.T) {
	var xs ristretto.Scalar
	xs.Rand()
	var x ristretto.Point
	x.ScalarMultBase(&xs)
	var table ristretto.ScalarMultTable
	table.Compute(&x)
	ps := make([]*ristretto.Point, 0, 300)
	for range 100 {
		var s ristretto.Scalar
		s.Rand()
		a, b, c := new(ristretto.Point), new(ristretto.Point), new(ristretto.Point)
		a.ScalarMultTable(&table, &s)
		b.ScalarMult(&x, &s)
		c.Add(a, &x)
		ps = append(ps, a, b, c)
	}
	got := make([][32]byte, len(ps))
	if !doubleEncode(ps, got) {
		t.Fatal("refused")
	}
	for i, p := range ps {
		var d ristretto.Point
		var want [32]byte
		d.Double(p).BytesInto(&want)
		if got[i] != want {
			t.Fatalf("point %d: %x, want %x", i, got[i], want)
		}
	}
}
