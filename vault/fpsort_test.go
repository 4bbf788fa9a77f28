package vault

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedFingerprints sorts as slices.Sort does: random batches of many
// sizes, repeats, and skewed values that crowd one bucket.
func TestSortFingerprints(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 255, 256, 257, 1000, 4096, 16384, 40000} {
		for _, gen := range []func() uint64{
			rng.Uint64,
			func() uint64 { return rng.Uint64() % 7 },          // repeats, all in bucket 0
			func() uint64 { return rng.Uint64() >> 40 },        // one crowded bucket
			func() uint64 { return rng.Uint64() | 0xfff<<52 },  // the last bucket
			func() uint64 { return uint64(rng.IntN(3)) << 62 }, // few distinct, far apart
		} {
			a := make([]uint64, n)
			for i := range a {
				a[i] = gen()
			}
			in := slices.Clone(a)
			want := slices.Clone(a)
			slices.Sort(want)
			if got := sortedFingerprints(a); !slices.Equal(got, want) {
				t.Fatalf("%d values: not sorted as slices.Sort sorts them", n)
			}
			if !slices.Equal(a, in) {
				t.Fatalf("%d values: the input was changed", n)
			}
		}
	}
}

func BenchmarkSortFingerprints(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]uint64, batchMessages)
	for i := range src {
		src[i] = rng.Uint64()
	}
	var a []uint64
	b.Run("buckets", func(b *testing.B) {
		for b.Loop() {
			sortedFingerprints(src)
		}
	})
	b.Run("slices.Sort", func(b *testing.B) {
		for b.Loop() { // with the copy the vault made before
			a = slices.Clone(src)
			slices.Sort(a)
		}
	})
}
