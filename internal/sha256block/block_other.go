//go:build !amd64 || purego

package sha256block

const useSHANI = false

// Blocks compresses the whole 64-byte blocks of p into h; a last partial
// block is ignored.
func Blocks(h *[8]uint32, p []byte) { blocksGeneric(h, p) }
