//go:build !purego

package sha256block

var shaniHere = useSHANI

// setSHANI turns the SHA-NI compression off or back on, and reports
// whether this machine has it (and so whether the setting means anything).
func setSHANI(on bool) bool {
	useSHANI = on && shaniHere
	return shaniHere
}
