//go:build !purego

package escrow

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// The comb tests again without AVX2, as on a processor that lacks it.
func TestCombWithoutAVX2(t *testing.T) {
	if !useAVX2 {
		t.Log("this processor has no AVX2: the other tests ran without it")
		return
	}
	useAVX2 = false
	defer func() { useAVX2 = cpu.X86.HasAVX2 }()
	t.Run("matches library", TestCombMatchesLibrary)
	t.Run("x comb", TestXComb)
}

func BenchmarkCombWithoutAVX2(b *testing.B) {
	useAVX2 = false
	defer func() { useAVX2 = cpu.X86.HasAVX2 }()
	BenchmarkComb(b)
}
