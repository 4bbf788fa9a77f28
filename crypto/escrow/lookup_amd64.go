package escrow

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2

// lookupRow is lookupRowGeneric, with AVX2 when the processor has it.
func lookupRow(e *[16]uint64, row *[8][16]uint64, abs uint64) {
	if useAVX2 {
		lookupRowAVX2(e, row, abs)
		return
	}
	lookupRowGeneric(e, row, abs)
}

//go:noescape
func lookupRowAVX2(e *[16]uint64, row *[8][16]uint64, abs uint64)
