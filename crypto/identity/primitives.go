package identity

// The OpenPGP surface of the program: every call into ProtonMail/go-crypto,
// and every cost and size parameter, is in this file and the pgp_*.go files
// (keys, inspection, signatures, messages), so that it can be reviewed in
// one place. public.go and identity.go only apply policy.

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
	pgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

const (
	// maxKeySize caps a key block, armored or binary. An Ed25519 key with a
	// few user IDs is under 2 KiB; keys carrying many third-party
	// certifications can reach hundreds of KiB. Anything larger is refused
	// before parsing, so a hostile file cannot make the parser allocate much.
	maxKeySize = 1 << 20

	// maxSigSize caps a detached signature. An Ed25519 signature is about
	// 120 bytes, an RSA-4096 one about 550; the rest is room for notations.
	maxSigSize = 8 << 10

	// maxMessageSize caps what Decrypt returns, including what a compressed
	// packet expands to (a "zip bomb" of a few KiB could otherwise claim
	// gigabytes). Identities only carry keys, shares and partials.
	maxMessageSize = 64 << 20

	// s2kCount is the iteration count of the iterated+salted S2K (SHA-256)
	// that protects exported secret keys: 65011712 is the largest count the
	// one-byte encoding can express, and what GnuPG 2.2 itself uses. It costs
	// about 50 ms per derivation here. Argon2 would be stronger, but GnuPG 2.2
	// cannot read Argon2-protected keys (it needs AEAD protection).
	s2kCount = 65011712

	// minRSABits is the smallest RSA modulus accepted in a foreign key.
	minRSABits = 2048
)

// newConfig returns the go-crypto configuration used for every operation.
// It is never nil (go-crypto panics on some paths with a nil config) and it
// pins the profile GnuPG 2.2 reads: v4 keys, EdDSA(Ed25519) primary plus
// ECDH(Curve25519) subkey, SHA-256, AES-256, no AEAD (a key that advertises
// AEAD makes senders use SEIPDv2, which GnuPG 2.2 rejects), iterated S2K.
// now replaces the clock for key generation in tests; nil means time.Now.
func newConfig(now func() time.Time) *packet.Config {
	limit := int64(maxMessageSize)
	return &packet.Config{
		Algorithm:     packet.PubKeyAlgoEdDSA,
		Curve:         packet.Curve25519,
		DefaultHash:   crypto.SHA256,
		DefaultCipher: packet.CipherAES256,
		S2KConfig: &s2k.Config{
			S2KMode:  s2k.IteratedSaltedS2K,
			Hash:     crypto.SHA256,
			S2KCount: s2kCount,
		},
		Time:                       now,
		MaxDecompressedMessageSize: &limit,
	}
}

// config is shared by all goroutines for the calls in which go-crypto only
// reads it; EncryptPrivateKeys writes its S2K config, so seal makes its own.
var config = newConfig(nil)

// entity is go-crypto's parsed key, named here so that the other files need
// not import go-crypto.
type entity = pgp.Entity

// The armor types of key blocks.
var (
	publicKeyBlock = pgp.PublicKeyType  // "PGP PUBLIC KEY BLOCK"
	secretKeyBlock = pgp.PrivateKeyType // "PGP PRIVATE KEY BLOCK"
)

// signatureHashes are the message digests Verify accepts: SHA-256 or
// stronger. SHA-1, MD5 and RIPEMD-160 signatures are refused.
var signatureHashes = map[crypto.Hash]bool{
	crypto.SHA256:   true,
	crypto.SHA384:   true,
	crypto.SHA512:   true,
	crypto.SHA3_256: true,
	crypto.SHA3_512: true,
}

// dearmor returns the binary form of a key block: b itself when it is
// binary, the decoded body when it is ASCII-armored. An armored block must be
// of type blockType.
func dearmor(b []byte, blockType string) ([]byte, error) {
	if len(b) > maxKeySize {
		return nil, fmt.Errorf("key block larger than %d bytes", maxKeySize)
	}
	if len(b) == 0 {
		return nil, errors.New("empty key block")
	}
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN ")) {
		return b, nil
	}
	if bytes.Count(trimmed, []byte("-----BEGIN ")) != 1 {
		return nil, errors.New("more than one armored block")
	}
	block, err := armor.Decode(bytes.NewReader(trimmed))
	if err != nil {
		return nil, fmt.Errorf("bad ASCII armor: %w", err)
	}
	if block.Type != blockType {
		return nil, fmt.Errorf("armored block is a %q, want a %q", block.Type, blockType)
	}
	raw, err := io.ReadAll(io.LimitReader(block.Body, maxKeySize+1))
	if err != nil {
		return nil, fmt.Errorf("bad ASCII armor: %w", err)
	}
	if len(raw) > maxKeySize {
		return nil, fmt.Errorf("key block larger than %d bytes", maxKeySize)
	}
	return raw, nil
}

// armorBlock ASCII-armors b as a block of the given type (with CRC-24, which
// GnuPG 2.2 expects, and no headers).
func armorBlock(blockType string, b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, blockType, nil)
	if err != nil {
		return nil, fmt.Errorf("armoring: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return nil, fmt.Errorf("armoring: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("armoring: %w", err)
	}
	return buf.Bytes(), nil
}
