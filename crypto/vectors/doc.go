// Package vectors holds no code, only tests. They run third-party test
// vectors against exactly the primitive implementations Sealroom calls, so a
// dependency upgrade that breaks one of them makes these tests fail.
//
// The vectors come from projects independent of the code under test:
// Wycheproof (testdata/wycheproof) for XChaCha20-Poly1305, ChaCha20-Poly1305,
// HKDF-SHA256, HMAC-SHA256, Ed25519 and X25519, and RFC 9496
// (testdata/ristretto255.txt) for ristretto255. Each test names the
// implementation it exercises: the one Sealroom's code calls, or the one
// github.com/ProtonMail/go-crypto calls on Sealroom's behalf. That is not
// always the obvious package. For example, go-crypto's Ed25519 and X25519 use
// github.com/cloudflare/circl, not the standard library.
//
// Every Wycheproof "acceptable" case is governed by a decision table in the
// test file. A flag missing from the table, an entry in the table that no
// case uses, or a file that yields no cases fails the test, so the corpus
// cannot rot unnoticed (RELIABILITY.md T8, STYLE.md item 12).
package vectors
