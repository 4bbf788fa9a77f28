//go:build !purego

package sha256block

import "golang.org/x/sys/cpu"

// useSHANI says whether blockSHANI runs here: it needs the SHA extensions
// (CPUID leaf 7, EBX bit 29, which x/sys/cpu does not report) and, for
// its VEX-encoded moves, AVX with the operating system's support, besides
// SSSE3 and SSE4.1.
var useSHANI = func() bool {
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	return b&(1<<29) != 0 && cpu.X86.HasAVX && cpu.X86.HasSSSE3 && cpu.X86.HasSSE41
}()

// Blocks compresses the whole 64-byte blocks of p into h; a last partial
// block is ignored.
func Blocks(h *[8]uint32, p []byte) {
	if useSHANI {
		blockSHANI(h, p)
		return
	}
	blocksGeneric(h, p)
}

//go:noescape
func blockSHANI(h *[8]uint32, p []byte)

func cpuid(leaf, sub uint32) (a, b, c, d uint32)
