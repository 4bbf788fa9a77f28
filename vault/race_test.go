//go:build race

package vault

// raceEnabled is true under -race, which also turns on checkptr: bbolt's
// unsafe.Slice over a page whose element count was flipped then aborts
// the process (a throw, not a recoverable panic) before any bounds check.
const raceEnabled = true
