//go:build !amd64

package escrow

const useAVX2 = false

func lookupRow(e *[16]uint64, row *[8][16]uint64, abs uint64) { lookupRowGeneric(e, row, abs) }
