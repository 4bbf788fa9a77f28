package identity

// Every call into ProtonMail/go-crypto, and every cost and size parameter,
// lives in this file, so that the OpenPGP surface of the program can be
// reviewed in one place.

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/bits"
	"slices"
	"sort"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/ecdh"
	"github.com/ProtonMail/go-crypto/openpgp/ed25519"
	"github.com/ProtonMail/go-crypto/openpgp/ed448"
	"github.com/ProtonMail/go-crypto/openpgp/eddsa"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
	pgp "github.com/ProtonMail/go-crypto/openpgp/v2"
	"github.com/ProtonMail/go-crypto/openpgp/x25519"
	"github.com/ProtonMail/go-crypto/openpgp/x448"
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

// config is shared by all goroutines; go-crypto only reads it.
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

// generate makes a fresh v4 entity with the profile of newConfig.
func generate(name, email string, cfg *packet.Config) (*pgp.Entity, error) {
	return pgp.NewEntity(name, "", email, cfg)
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

// readEntity parses exactly one v4 transferable key from its binary form.
// go-crypto has panicked on malformed input before; a panic is turned into
// an error so that a hostile key file cannot crash the program.
func readEntity(raw []byte) (e *pgp.Entity, err error) {
	defer func() {
		if r := recover(); r != nil {
			e, err = nil, errors.New("malformed key (the OpenPGP parser failed)")
		}
	}()
	packets := packet.NewReader(bytes.NewReader(raw))
	e, err = pgp.ReadEntity(packets)
	if err == io.EOF {
		return nil, errors.New("no key found")
	}
	if err != nil {
		return nil, err
	}
	if _, err := packets.Next(); err != io.EOF {
		return nil, errors.New("more than one key, or data after the key")
	}
	if e.PrimaryKey.Version != 4 {
		return nil, fmt.Errorf("version %d key; only version 4 keys are supported", e.PrimaryKey.Version)
	}
	return e, nil
}

// inspect checks that e is usable and records what Verify and Encrypt need,
// so that neither ever has to call into go-crypto's entity code again (that
// code caches verification results in the entity, which is not safe for
// concurrent use). The validity checks here ignore the clock (zero date):
// whether the key was revoked or expired is decided per use, against the
// time that matters for that use.
func inspect(e *pgp.Entity) (*Public, error) {
	var zero time.Time
	pk := e.PrimaryKey
	if err := signingAlgorithmOK(pk); err != nil {
		return nil, err
	}
	selfSig, uid := e.PrimaryIdentity(zero, config)
	if selfSig == nil || uid == nil {
		return nil, errors.New("no user ID with a valid self-signature")
	}
	if selfSig.FlagsValid && !selfSig.FlagSign {
		return nil, errors.New("primary key is not marked for signing")
	}
	p := &Public{
		primary:     pk,
		fingerprint: fmt.Sprintf("%X", pk.Fingerprint),
		userID:      uid.Name,
		expires:     lifetimeEnd(pk, selfSig),
	}
	if direct, _ := e.LatestValidDirectSignature(zero, config); direct != nil {
		p.expires = earliest(p.expires, lifetimeEnd(pk, direct))
	}
	for _, rev := range e.Revocations {
		if pk.VerifyRevocationSignature(rev.Packet) != nil {
			continue // not made by this key: third-party revocations are not honoured
		}
		p.revocations = append(p.revocations, revocation{
			at:   rev.Packet.CreationTime,
			hard: hardRevocation(rev.Packet.RevocationReason),
		})
	}

	// The encryption subkey: the newest valid, unrevoked one marked for
	// encryption. Its expiry is checked when encrypting.
	var best *pgp.Subkey
	var bestSig *packet.Signature
	for i := range e.Subkeys {
		sk := &e.Subkeys[i]
		sig, err := sk.LatestValidBindingSignature(zero, config)
		if err != nil || !sig.FlagsValid || !(sig.FlagEncryptCommunications || sig.FlagEncryptStorage) {
			continue
		}
		if encryptionAlgorithmOK(sk.PublicKey) != nil || sk.Revoked(sig, zero) {
			continue
		}
		if best == nil || sig.CreationTime.After(bestSig.CreationTime) {
			best, bestSig = sk, sig
		}
	}
	if best == nil {
		return nil, errors.New("no valid encryption subkey")
	}
	p.enc = best.PublicKey
	p.encExpires = lifetimeEnd(best.PublicKey, bestSig)

	b, err := publicPart(e)
	if err != nil {
		return nil, fmt.Errorf("serializing the public key: %w", err)
	}
	p.bytes = b
	armored, err := armorBlock(publicKeyBlock, p.bytes)
	if err != nil {
		return nil, err
	}
	p.armor = armored
	return p, nil
}

// lifetimeEnd is the expiry time a self-signature gives key pk (zero: never).
func lifetimeEnd(pk *packet.PublicKey, sig *packet.Signature) time.Time {
	if sig.KeyLifetimeSecs == nil || *sig.KeyLifetimeSecs == 0 {
		return time.Time{}
	}
	return pk.CreationTime.Add(time.Duration(*sig.KeyLifetimeSecs) * time.Second)
}

func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

// hardRevocation reports whether a key revocation taints every signature,
// including those made before it: a compromised key, or one revoked without
// a (known) reason, as RFC 9580 section 5.2.3.31 advises. A key that was
// superseded or retired keeps the signatures it made before the revocation.
func hardRevocation(reason *packet.ReasonForRevocation) bool {
	if reason == nil {
		return true
	}
	switch *reason {
	case packet.KeySuperseded, packet.KeyRetired, packet.UserIDNotValid:
		return false
	}
	return true
}

func signingAlgorithmOK(pk *packet.PublicKey) error {
	switch pk.PubKeyAlgo {
	case packet.PubKeyAlgoEdDSA, packet.PubKeyAlgoEd25519, packet.PubKeyAlgoEd448, packet.PubKeyAlgoECDSA:
		return nil
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly:
		return rsaSizeOK(pk)
	}
	return fmt.Errorf("primary key algorithm %d cannot sign or is not accepted", pk.PubKeyAlgo)
}

func encryptionAlgorithmOK(pk *packet.PublicKey) error {
	switch pk.PubKeyAlgo {
	case packet.PubKeyAlgoECDH, packet.PubKeyAlgoX25519, packet.PubKeyAlgoX448:
		return nil
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSAEncryptOnly:
		return rsaSizeOK(pk)
	}
	return fmt.Errorf("subkey algorithm %d cannot encrypt or is not accepted", pk.PubKeyAlgo)
}

func rsaSizeOK(pk *packet.PublicKey) error {
	bits, err := pk.BitLength()
	if err != nil || int(bits) < minRSABits {
		return fmt.Errorf("RSA key of %d bits; at least %d are required", bits, minRSABits)
	}
	return nil
}

// serializeEntity writes e like Entity.Serialize (or, with secret,
// SerializePrivateWithoutSigning) but in a stable order: go-crypto keeps user
// IDs in a map, so its own output order changes from call to call. No
// self-signature is re-made.
func serializeEntity(w io.Writer, e *pgp.Entity, secret bool) error {
	var err error
	if secret {
		err = e.PrivateKey.Serialize(w)
	} else {
		err = e.PrimaryKey.Serialize(w)
	}
	if err != nil {
		return err
	}
	for _, sig := range slices.Concat(e.Revocations, e.DirectSignatures) {
		if err := sig.Packet.Serialize(w); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(e.Identities))
	for name := range e.Identities {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := e.Identities[name].Serialize(w); err != nil {
			return err
		}
	}
	for _, sk := range e.Subkeys {
		if secret && sk.PrivateKey != nil {
			err = sk.PrivateKey.Serialize(w)
		} else {
			err = sk.PublicKey.Serialize(w)
		}
		if err != nil {
			return err
		}
		for _, sig := range slices.Concat(sk.Revocations, sk.Bindings) {
			if err := sig.Packet.Serialize(w); err != nil {
				return err
			}
		}
	}
	return nil
}

// publicPart returns the binary transferable public key of e.
func publicPart(e *pgp.Entity) ([]byte, error) {
	var buf bytes.Buffer
	if err := serializeEntity(&buf, e, false); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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

// secretParts reports whether e carries the secret primary key and the
// secret part of the encryption subkey enc (not GnuPG "dummy" stubs), and
// whether any of them is passphrase-protected.
func secretParts(e *pgp.Entity, enc *packet.PublicKey) (ok, encrypted bool) {
	if e.PrivateKey == nil || e.PrivateKey.Dummy() {
		return false, false
	}
	encrypted = e.PrivateKey.Encrypted
	found := false
	for _, sk := range e.Subkeys {
		if sk.PrivateKey == nil || sk.PrivateKey.Dummy() {
			continue
		}
		encrypted = encrypted || sk.PrivateKey.Encrypted
		if bytes.Equal(sk.PublicKey.Fingerprint, enc.Fingerprint) {
			found = true
		}
	}
	return found, encrypted
}

// unlockEntity decrypts every secret part of e with passphrase.
func unlockEntity(e *pgp.Entity, passphrase []byte) error {
	return e.DecryptPrivateKeys(passphrase)
}

// seal returns the binary secret key of e with every secret part encrypted
// under passphrase (one S2K derivation, see s2kCount), leaving e unlocked.
// It works on a copy re-parsed from e's plaintext serialization, which is
// wiped afterwards.
func seal(e *pgp.Entity, passphrase []byte) ([]byte, error) {
	var plain bytes.Buffer
	plain.Grow(8 << 10) // one allocation, so that clear reaches every copy
	if err := serializeEntity(&plain, e, true); err != nil {
		return nil, err
	}
	defer clear(plain.Bytes())
	c, err := readEntity(plain.Bytes())
	if err != nil {
		return nil, err
	}
	secrets := privateKeys(c)
	defer wipe(secrets)
	if err := c.EncryptPrivateKeys(passphrase, config); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := serializeEntity(&out, c, true); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// privateKeys lists the decrypted secret key values held by e.
func privateKeys(e *pgp.Entity) []any {
	var keys []any
	if e.PrivateKey != nil && e.PrivateKey.PrivateKey != nil {
		keys = append(keys, e.PrivateKey.PrivateKey)
	}
	for _, sk := range e.Subkeys {
		if sk.PrivateKey != nil && sk.PrivateKey.PrivateKey != nil {
			keys = append(keys, sk.PrivateKey.PrivateKey)
		}
	}
	return keys
}

// wipe overwrites secret scalars in place. go-crypto offers no way to do
// it, and Go may already have copied them (the Ed25519 signer appends the
// public key to the seed on every call), so this narrows the exposure
// rather than closing it. RSA and ECDSA keys (math/big) are only dropped.
func wipe(keys []any) {
	for _, k := range keys {
		switch k := k.(type) {
		case *eddsa.PrivateKey:
			clear(k.D)
		case *ecdh.PrivateKey:
			clear(k.D)
		case *ed25519.PrivateKey:
			clear(k.Key)
		case *x25519.PrivateKey:
			clear(k.Secret)
		case *ed448.PrivateKey:
			clear(k.Key)
		case *x448.PrivateKey:
			clear(k.Secret)
		}
	}
}

// signDetached makes a binary-document (0x00) detached signature over msg
// with priv, SHA-256, created at now.
func signDetached(priv *packet.PrivateKey, msg []byte, now time.Time) ([]byte, error) {
	pub := &priv.PublicKey
	keyID := pub.KeyId
	sig := &packet.Signature{
		Version:           pub.Version,
		SigType:           packet.SigTypeBinary,
		PubKeyAlgo:        pub.PubKeyAlgo,
		Hash:              crypto.SHA256,
		CreationTime:      now,
		IssuerKeyId:       &keyID,
		IssuerKeyVersion:  uint8(pub.Version),
		IssuerFingerprint: pub.Fingerprint,
	}
	h, err := sig.PrepareSign(config)
	if err != nil {
		return nil, err
	}
	h.Write(msg)
	if err := sig.Sign(h, priv, config); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := sig.Serialize(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parseSignature reads exactly one signature packet and nothing else, so a
// signature has one encoding (no trailing bytes, no second packet).
func parseSignature(b []byte) (sig *packet.Signature, err error) {
	defer func() {
		if r := recover(); r != nil {
			sig, err = nil, errors.New("malformed signature (the OpenPGP parser failed)")
		}
	}()
	if len(b) == 0 || len(b) > maxSigSize {
		return nil, fmt.Errorf("signature of %d bytes (want 1 to %d)", len(b), maxSigSize)
	}
	r := bytes.NewReader(b)
	p, err := packet.Read(r)
	if err != nil {
		return nil, fmt.Errorf("malformed signature: %v", err)
	}
	sig, ok := p.(*packet.Signature)
	if !ok {
		return nil, fmt.Errorf("not a signature packet (%T)", p)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%d bytes after the signature packet", r.Len())
	}
	return sig, nil
}

// verifyDetached checks a binary detached signature sigBytes over msg by
// pub and returns when it was made and when it expires (zero: never).
//
// It accepts one v4 signature packet of type 0x00 (binary document), hashed
// with one of signatureHashes, issued by pub, with no critical notation. It
// hashes msg and the signature trailer and runs the public-key operation;
// no entity code is involved, so it is safe for concurrent use on a shared
// pub.
//
// OpenPGP leaves parts of a signature outside what is signed: the unhashed
// subpackets, the two-byte hash tag, the bit counts of the MPIs. Changing
// them would give another valid encoding of the same signature, so they are
// held to their only sensible values (see canonical). What remains is the
// packet framing (old or new header format), which GnuPG and go-crypto
// write differently.
func verifyDetached(pub *packet.PublicKey, sigBytes, msg []byte) (made, expires time.Time, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("the OpenPGP verifier failed on this signature")
		}
	}()
	sig, err := parseSignature(sigBytes)
	if err != nil {
		return made, expires, err
	}
	switch {
	case sig.Version != 4:
		return made, expires, fmt.Errorf("version %d signature; only version 4 is accepted", sig.Version)
	case sig.SigType != packet.SigTypeBinary:
		return made, expires, fmt.Errorf("signature type 0x%02x, want 0x00 (binary document)", uint8(sig.SigType))
	case !signatureHashes[sig.Hash]:
		return made, expires, fmt.Errorf("hash %v is not accepted (SHA-256 or stronger required)", sig.Hash)
	case sig.IssuerKeyId == nil && len(sig.IssuerFingerprint) == 0:
		return made, expires, errors.New("signature names no issuer")
	case !sig.CheckKeyIdOrFingerprint(pub) || (sig.IssuerKeyId != nil && *sig.IssuerKeyId != pub.KeyId):
		return made, expires, fmt.Errorf("made by key %s", issuer(sig))
	}
	for _, n := range sig.Notations {
		if n.IsCritical {
			return made, expires, fmt.Errorf("unknown critical notation %q", n.Name)
		}
	}
	if err := canonical(sigBytes, sig, pub.KeyId); err != nil {
		return made, expires, err
	}
	h, err := sig.PrepareVerify()
	if err != nil {
		return made, expires, err
	}
	h.Write(msg)
	th := &tagHash{Hash: h}
	if err := pub.VerifySignature(th, sig); err != nil {
		return made, expires, fmt.Errorf("does not verify: %v", err)
	}
	// go-crypto checks the hash tag only for v5 and later signatures.
	if len(th.sum) < 2 || th.sum[0] != sig.HashTag[0] || th.sum[1] != sig.HashTag[1] {
		return made, expires, errors.New("hash tag does not match")
	}
	if sig.SigLifetimeSecs != nil && *sig.SigLifetimeSecs != 0 {
		expires = sig.CreationTime.Add(time.Duration(*sig.SigLifetimeSecs) * time.Second)
	}
	return sig.CreationTime, expires, nil
}

// tagHash records the digest VerifySignature computes, to compare its first
// two bytes with the signature's hash tag.
type tagHash struct {
	hash.Hash
	sum []byte
}

func (t *tagHash) Sum(b []byte) []byte {
	out := t.Hash.Sum(b)
	t.sum = out[len(b):]
	return out
}

// canonical holds the unsigned parts of a v4 signature packet to one
// encoding: the unhashed subpacket area is empty or holds exactly the issuer
// key ID subpacket naming keyID (as GnuPG writes it), and every MPI has
// no leading zero byte and its exact bit count.
func canonical(b []byte, sig *packet.Signature, keyID uint64) error {
	body, err := packetBody(b)
	if err != nil {
		return err
	}
	// v4 body: version, type, algorithm, hash, 2-byte hashed length, hashed
	// area, 2-byte unhashed length, unhashed area, hash tag, MPIs.
	if len(body) < 6 {
		return errors.New("truncated signature")
	}
	h := int(body[4])<<8 | int(body[5])
	if len(body) < 8+h {
		return errors.New("truncated signature")
	}
	u := int(body[6+h])<<8 | int(body[7+h])
	if len(body) < 8+h+u {
		return errors.New("truncated signature")
	}
	unhashed := body[8+h : 8+h+u]
	var want [10]byte
	want[0], want[1] = 9, 16 // length 9 (type + 8), type 16: issuer key ID
	binary.BigEndian.PutUint64(want[2:], keyID)
	if u != 0 && !bytes.Equal(unhashed, want[:]) {
		return errors.New("unhashed subpackets other than the issuer key ID")
	}
	type mpi interface {
		Bytes() []byte
		BitLength() uint16
	}
	var mpis []mpi
	switch sig.PubKeyAlgo {
	case packet.PubKeyAlgoEdDSA:
		mpis = []mpi{sig.EdDSASigR, sig.EdDSASigS}
	case packet.PubKeyAlgoECDSA:
		mpis = []mpi{sig.ECDSASigR, sig.ECDSASigS}
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly:
		mpis = []mpi{sig.RSASignature}
	}
	for _, m := range mpis {
		if m == nil {
			return errors.New("missing signature value")
		}
		v := m.Bytes()
		if len(v) == 0 || v[0] == 0 || int(m.BitLength()) != 8*(len(v)-1)+bits.Len8(v[0]) {
			return errors.New("signature value is not minimally encoded")
		}
	}
	return nil
}

// packetBody returns the body of the one packet b holds, after its header
// (old or new format, definite length).
func packetBody(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0]&0x80 == 0 {
		return nil, errors.New("not an OpenPGP packet")
	}
	var hdr int
	if b[0]&0x40 == 0 { // old format: the length type is in the tag byte
		switch b[0] & 3 {
		case 0:
			hdr = 2
		case 1:
			hdr = 3
		case 2:
			hdr = 5
		default:
			return nil, errors.New("signature packet of indeterminate length")
		}
	} else {
		switch {
		case b[1] < 192:
			hdr = 2
		case b[1] < 224:
			hdr = 3
		case b[1] == 255:
			hdr = 6
		default:
			return nil, errors.New("signature packet with partial body lengths")
		}
	}
	if len(b) < hdr {
		return nil, errors.New("truncated packet header")
	}
	return b[hdr:], nil
}

// issuer names the key a signature claims to be from.
func issuer(sig *packet.Signature) string {
	if len(sig.IssuerFingerprint) > 0 {
		return fmt.Sprintf("%X", sig.IssuerFingerprint)
	}
	return fmt.Sprintf("ID %016X", *sig.IssuerKeyId)
}

// encryptTo builds a binary OpenPGP message to pub: a v3 public-key
// encrypted session key, then SEIPDv1 (CFB + MDC) with AES-256 around an
// uncompressed literal packet. This is what GnuPG 2.2 reads; SEIPDv2 (AEAD)
// is deliberately not used. The packets are assembled directly, rather than
// through openpgp.Encrypt, because that walks the recipient entity (which is
// not safe for concurrent use) and picks the cipher from its preferences.
func encryptTo(pub *packet.PublicKey, pt []byte) ([]byte, error) {
	cipher := packet.CipherAES256
	sessionKey := make([]byte, cipher.KeySize())
	defer clear(sessionKey)
	if _, err := io.ReadFull(rand.Reader, sessionKey); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(pt) + 256)
	if err := packet.SerializeEncryptedKeyAEAD(&buf, pub, cipher, false, sessionKey, config); err != nil {
		return nil, err
	}
	body, err := packet.SerializeSymmetricallyEncrypted(&buf, cipher, false, packet.CipherSuite{}, sessionKey, config)
	if err != nil {
		return nil, err
	}
	lit, err := packet.SerializeLiteral(body, true, "", 0)
	if err != nil {
		return nil, err
	}
	if _, err := lit.Write(pt); err != nil {
		return nil, err
	}
	if err := lit.Close(); err != nil { // also closes body
		return nil, err
	}
	return buf.Bytes(), nil
}

// errDamaged marks a message that names this key but cannot be decrypted.
var errDamaged = errors.New("message is encrypted to this key but does not decrypt (damaged or forged)")

// decryptWith decrypts a message with the unlocked entity e, whose
// encryption subkey has key ID encID. Signatures inside the message are not
// checked. The caller must hold e exclusively (go-crypto caches in it).
func decryptWith(e *pgp.Entity, encID uint64, ct []byte) (pt []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			pt, err = nil, errors.New("malformed message (the OpenPGP parser failed)")
		}
	}()
	md, err := pgp.ReadMessage(bytes.NewReader(ct), pgp.EntityList{e}, nil, config)
	if errors.Is(err, pgperrors.ErrKeyIncorrect) {
		if slices.Contains(recipients(ct), encID) {
			return nil, errDamaged
		}
		return nil, ErrNotForMe
	}
	if err != nil {
		return nil, fmt.Errorf("malformed message: %v", err)
	}
	if !md.IsEncrypted || md.DecryptedWith.Entity == nil {
		return nil, fmt.Errorf("%w: not a public-key encrypted message", ErrNotForMe)
	}
	pt, err = io.ReadAll(io.LimitReader(md.UnverifiedBody, maxMessageSize+1))
	if err != nil {
		clear(pt)
		return nil, fmt.Errorf("message fails its integrity check: %v", err)
	}
	if len(pt) > maxMessageSize {
		clear(pt)
		return nil, fmt.Errorf("message larger than %d bytes", maxMessageSize)
	}
	return pt, nil
}

// recipients lists the key IDs a message's session-key packets name (0 for
// an anonymous recipient). It reads only the leading key packets.
func recipients(ct []byte) []uint64 {
	var ids []uint64
	packets := packet.NewReader(bytes.NewReader(ct))
	for {
		p, err := packets.Next()
		if err != nil {
			return ids
		}
		switch p := p.(type) {
		case *packet.EncryptedKey:
			ids = append(ids, p.KeyId)
		case *packet.SymmetricKeyEncrypted:
		default:
			return ids
		}
	}
}
