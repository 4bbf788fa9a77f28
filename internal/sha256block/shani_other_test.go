//go:build !amd64 || purego

package sha256block

func setSHANI(bool) bool { return false }
