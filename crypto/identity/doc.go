// Package identity holds the members' OpenPGP keys: Public for someone's
// public key (verify their signatures, encrypt to them) and Identity for
// one's own secret key (sign, decrypt, export).
//
// The key profile is the one GnuPG 2.2 generates and reads: a v4 EdDSA
// (Ed25519) primary key that signs, an ECDH (Curve25519) encryption subkey,
// SHA-256 signatures, AES-256 messages without AEAD (SEIPDv1 with MDC), and
// secret keys protected with iterated+salted S2K (SHA-256, count 65011712)
// and AES-256. Keys made by GnuPG (`gpg --quick-gen-key NAME ed25519 sign`
// plus a cv25519 encryption subkey, or the default future-default keys) are
// read as well, so members can keep their keys in GnuPG and auditors can
// check signatures and messages with gpg alone.
//
// Signatures are binary detached signatures (type 0x00) made by the primary
// key. Public.Verify is the hot path of audit-log verification: it parses
// the one signature packet, checks the issuer, and verifies with the
// primary key directly (one SHA-256 pass, one Ed25519 verification), using
// only state fixed when the key was parsed, so one Public serves any number
// of goroutines. Whether the key was revoked or expired is judged at the
// time the signature was made.
//
// Every call into ProtonMail/go-crypto is in primitives.go and the pgp_*.go
// files; public.go and identity.go apply policy on top.
package identity
