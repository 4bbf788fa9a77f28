package identity

// What a parsed key is good for, decided once when it is parsed.

import (
	"errors"
	"fmt"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	pgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

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

	// The encryption subkey: among the validly bound, unrevoked subkeys
	// marked for encryption, the newest one that has not expired yet, else
	// the newest. Its expiry is checked again when encrypting.
	var best *pgp.Subkey
	var bestSig *packet.Signature
	bestLive := false
	now := time.Now()
	for i := range e.Subkeys {
		sk := &e.Subkeys[i]
		sig, err := sk.LatestValidBindingSignature(zero, config)
		if err != nil || !sig.FlagsValid || !(sig.FlagEncryptCommunications || sig.FlagEncryptStorage) {
			continue
		}
		if encryptionAlgorithmOK(sk.PublicKey) != nil || sk.Revoked(sig, zero) {
			continue
		}
		live := !expired(lifetimeEnd(sk.PublicKey, sig), now)
		if best == nil || live && !bestLive || live == bestLive && sig.CreationTime.After(bestSig.CreationTime) {
			best, bestSig, bestLive = sk, sig, live
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
