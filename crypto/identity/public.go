package identity

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Public is an OpenPGP public key: a primary key that signs and an
// encryption subkey. It is immutable once parsed and safe for concurrent use.
type Public struct {
	primary     *packet.PublicKey // signs; Verify checks against it
	enc         *packet.PublicKey // Encrypt encrypts to it
	fingerprint string            // of primary, 40 upper-case hex digits
	userID      string
	expires     time.Time // end of the primary key's lifetime; zero: never
	encExpires  time.Time // end of the encryption subkey's lifetime; zero: never
	revocations []revocation
	bytes       []byte // binary transferable public key, stable order
	armor       []byte
}

// revocation is a verified self-revocation of the primary key.
type revocation struct {
	at   time.Time
	hard bool // taints signatures made before it too (see hardRevocation)
}

// ParsePublic reads one OpenPGP public key, ASCII-armored or binary, such as
// the output of `gpg --export [--armor]` for one key. The key must be a v4
// key whose primary key can sign, with a self-signed user ID and a valid
// encryption subkey. A revoked or expired key is accepted: Verify then
// reports ErrKeyRevoked or ErrKeyExpired for signatures made too late.
func ParsePublic(b []byte) (*Public, error) {
	raw, err := dearmor(b, publicKeyBlock)
	if err != nil {
		return nil, fmt.Errorf("identity: parsing public key: %w", err)
	}
	e, err := readEntity(raw)
	if err != nil {
		return nil, fmt.Errorf("identity: parsing public key: %w", err)
	}
	if e.PrivateKey != nil {
		return nil, errors.New("identity: parsing public key: this is a secret key (use ParseSecret)")
	}
	p, err := inspect(e)
	if err != nil {
		return nil, fmt.Errorf("identity: parsing public key %X: %w", e.PrimaryKey.Fingerprint, err)
	}
	return p, nil
}

// Fingerprint returns the primary key's fingerprint as 40 upper-case hex
// digits.
func (p *Public) Fingerprint() string { return p.fingerprint }

// FingerprintBytes returns the primary key's 20-byte fingerprint.
func (p *Public) FingerprintBytes() []byte { return slices.Clone(p.primary.Fingerprint) }

// UserID returns the primary user ID, conventionally "Name <email>".
func (p *Public) UserID() string { return p.userID }

// Bytes returns the binary transferable public key. The same key always
// gives the same bytes, and ParsePublic(p.Bytes()) is Equal to p.
func (p *Public) Bytes() []byte { return slices.Clone(p.bytes) }

// Armor returns the key as an ASCII-armored public key block, which
// `gpg --import` accepts.
func (p *Public) Armor() []byte { return slices.Clone(p.armor) }

// Equal reports whether p and o are the same public key block.
func (p *Public) Equal(o *Public) bool {
	if p == nil || o == nil {
		return p == o
	}
	return bytes.Equal(p.bytes, o.bytes)
}

// Encrypt encrypts pt to the key's encryption subkey and returns a binary
// OpenPGP message (AES-256, SEIPDv1 with MDC, uncompressed, unsigned) that
// GnuPG 2.2 can decrypt. It fails with ErrKeyRevoked or ErrKeyExpired when
// the key may no longer be used.
func (p *Public) Encrypt(pt []byte) ([]byte, error) {
	now := time.Now()
	if err := p.usableAt(now); err != nil {
		return nil, fmt.Errorf("identity: encrypting to %s: %w", p.fingerprint, err)
	}
	if expired(p.encExpires, now) {
		return nil, fmt.Errorf("identity: encrypting to %s: %w: its encryption subkey expired at %s",
			p.fingerprint, ErrKeyExpired, p.encExpires.UTC().Format(time.RFC3339))
	}
	ct, err := encryptTo(p.enc, pt)
	if err != nil {
		return nil, fmt.Errorf("identity: encrypting to %s: %w", p.fingerprint, err)
	}
	return ct, nil
}

// Verify checks a binary detached signature over msg. The signature must be
// one v4 signature packet of type 0x00 (binary document), hashed with
// SHA-256 or stronger, issued by the primary key. The key must not have been
// revoked (ErrKeyRevoked) or expired (ErrKeyExpired) when the signature was
// made; a key revoked as compromised, or without a reason, invalidates all
// its signatures. Any other failure wraps ErrBadSignature.
//
// It does not go through openpgp.CheckDetachedSignature: it parses the one
// packet and checks it against the primary key directly, which costs one
// SHA-256 pass and one Ed25519 verification, and shares no mutable state.
func (p *Public) Verify(msg, sig []byte) error {
	made, sigExpires, err := verifyDetached(p.primary, sig, msg)
	if err != nil {
		return p.badSignature("%v", err)
	}
	return p.checkTimes(made, sigExpires)
}

// checkTimes applies Verify's rules about time to a signature made at made
// and expiring at sigExpires (zero: never).
func (p *Public) checkTimes(made, sigExpires time.Time) error {
	if made.Unix() < p.primary.CreationTime.Unix() {
		return p.badSignature("made at %s, before the key was created", made.UTC().Format(time.RFC3339))
	}
	if expired(sigExpires, time.Now()) {
		return p.badSignature("signature expired at %s", sigExpires.UTC().Format(time.RFC3339))
	}
	if err := p.usableAt(made); err != nil {
		return fmt.Errorf("identity: signature by %s made at %s: %w", p.fingerprint, made.UTC().Format(time.RFC3339), err)
	}
	return nil
}

// Usable reports, wrapping ErrKeyRevoked or ErrKeyExpired with the
// fingerprint, whether the key can sign at t: what a vault checks before it
// enrols a member.
func (p *Public) Usable(t time.Time) error {
	if err := p.usableAt(t); err != nil {
		return fmt.Errorf("identity: key %s: %w", p.fingerprint, err)
	}
	return nil
}

// usableAt reports ErrKeyRevoked or ErrKeyExpired (wrapped) if the primary
// key was revoked or expired at t.
func (p *Public) usableAt(t time.Time) error {
	for _, r := range p.revocations {
		if r.hard {
			return fmt.Errorf("%w (revoked as compromised or without reason at %s)", ErrKeyRevoked, r.at.UTC().Format(time.RFC3339))
		}
		if t.Unix() >= r.at.Unix() {
			return fmt.Errorf("%w (since %s)", ErrKeyRevoked, r.at.UTC().Format(time.RFC3339))
		}
	}
	if expired(p.expires, t) {
		return fmt.Errorf("%w (at %s)", ErrKeyExpired, p.expires.UTC().Format(time.RFC3339))
	}
	return nil
}

// expired reports whether a lifetime ending at end (zero: never) is over at
// t, to the second as OpenPGP counts.
func expired(end, t time.Time) bool {
	return !end.IsZero() && t.Unix() > end.Unix()
}

func (p *Public) badSignature(format string, args ...any) error {
	return fmt.Errorf("%w (key %s): %s", ErrBadSignature, p.fingerprint, fmt.Sprintf(format, args...))
}
