// Package app will hold the Fyne workbench (the GUI issue). It is the only
// package besides main that may import Fyne; `make check-imports` keeps
// capture, review, vault, crypto and cmd/sealctl free of it.
package app
