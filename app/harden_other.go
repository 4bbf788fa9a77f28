//go:build !linux

package app

// Harden does nothing outside Linux yet (T23 names the Linux part).
func Harden() error { return nil }
