package identity

// Encrypted messages.

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	pgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

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
