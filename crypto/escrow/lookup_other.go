//go:build !amd64 || purego

package escrow

import ed "github.com/bwesterb/go-ristretto/edwards25519"

const useAVX2 = false

func lookupNiels(np *ed.NielsPoint, row *[8][32]uint64, abs, neg uint64) {
	lookupNielsGeneric(np, row, abs, neg)
}
