// Package ascii holds the word-at-a-time byte tests that the importers
// and the review engine run on message text, most of which is ASCII.
package ascii

// Word reads s's first eight bytes as one little-endian word (the
// compiler makes it one load; s must hold eight bytes).
func Word(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// HighBits is the top bit of every byte of a word: set only in non-ASCII
// bytes.
const HighBits = 0x8080808080808080

// Is reports whether every byte of s is ASCII, eight bytes at a time (the
// last eight overlapping the ones before), stopping at the first eight that
// hold another.
func Is(s string) bool {
	if len(s) < 8 {
		var or byte
		for i := 0; i < len(s); i++ {
			or |= s[i]
		}
		return or < 0x80
	}
	for i := 0; i+8 <= len(s); i += 8 {
		if Word(s[i:])&HighBits != 0 {
			return false
		}
	}
	return Word(s[len(s)-8:])&HighBits == 0
}
