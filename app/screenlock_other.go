//go:build !linux

package app

// watchScreenLock is Linux-only for now (D-Bus); elsewhere the idle lock
// stands alone.
func (wb *Workbench) watchScreenLock() {}
