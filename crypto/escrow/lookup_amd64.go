//go:build !purego

package escrow

import (
	ed "github.com/bwesterb/go-ristretto/edwards25519"
	"golang.org/x/sys/cpu"
)

var useAVX2 = cpu.X86.HasAVX2

// lookupNiels is lookupNielsGeneric, with AVX2 when the processor has it.
func lookupNiels(np *ed.NielsPoint, row *[8][32]uint64, abs, neg uint64) {
	if useAVX2 {
		lookupNielsAVX2(np, row, abs, neg)
		return
	}
	lookupNielsGeneric(np, row, abs, neg)
}

//go:noescape
func lookupNielsAVX2(np *ed.NielsPoint, row *[8][32]uint64, abs, neg uint64)
