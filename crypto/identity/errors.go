package identity

import "errors"

// Errors returned by this package. Callers test for them with errors.Is: the
// returned errors usually wrap one of these with detail (which key, which
// time, what failed).
var (
	// ErrWrongPassphrase is returned by Unlock when the passphrase does not
	// decrypt the secret key.
	ErrWrongPassphrase = errors.New("identity: wrong passphrase")

	// ErrLocked is returned by Sign and Decrypt (and by ArmorSecret for a
	// locked key read from someone else's file) while the secret key is
	// locked. Call Unlock first.
	ErrLocked = errors.New("identity: secret key is locked")

	// ErrNotForMe is returned by Decrypt when the message is not encrypted
	// to this key (or is not an encrypted message at all).
	ErrNotForMe = errors.New("identity: message is not encrypted to this key")

	// ErrKeyRevoked is returned by Verify when the key had been revoked when
	// the signature was made (or was revoked as compromised, which taints
	// every signature), and by Sign and Encrypt when the key is revoked now.
	ErrKeyRevoked = errors.New("identity: key is revoked")

	// ErrKeyExpired is returned by Verify when the key had expired when the
	// signature was made, and by Sign and Encrypt when it has expired now.
	ErrKeyExpired = errors.New("identity: key is expired")

	// ErrBadSignature is returned by Verify when the signature is malformed,
	// is not a binary-document signature with an accepted hash, was not
	// issued by this key, or does not verify over the message.
	ErrBadSignature = errors.New("identity: bad signature")
)
