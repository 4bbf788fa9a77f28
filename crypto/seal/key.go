package seal

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
)

// KeySize is the size of a record key in bytes.
const KeySize = chacha20poly1305KeySize

const chacha20poly1305KeySize = 32

// noCompare makes a struct incomparable with ==, so that a secret is never
// compared in variable time by accident (tailscale types/key).
type noCompare [0]func()

// Key is a 32-byte record key. It prints as "seal.Key{…}" whatever the
// verb, and cannot be compared with ==; use Equal. The zero Key is
// unusable.
type Key struct {
	_   noCompare
	k   [KeySize]byte
	set bool
}

// NewKey returns a fresh random key.
func NewKey() (*Key, error) {
	k := &Key{set: true}
	if _, err := rand.Read(k.k[:]); err != nil {
		return nil, fmt.Errorf("seal: reading random key: %w", err)
	}
	return k, nil
}

// KeyFromBytes copies a 32-byte key. It refuses other lengths and the
// all-zero key, which would mean an uninitialised buffer upstream.
func KeyFromBytes(b []byte) (*Key, error) {
	if len(b) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrKey, len(b), KeySize)
	}
	var zero [KeySize]byte
	if subtle.ConstantTimeCompare(b, zero[:]) == 1 {
		return nil, fmt.Errorf("%w: all-zero key", ErrKey)
	}
	k := &Key{set: true}
	copy(k.k[:], b)
	return k, nil
}

// MarshalSecret returns a copy of the key bytes. The name says what it does
// so that no one exports a key by accident.
func (k *Key) MarshalSecret() []byte {
	out := make([]byte, KeySize)
	copy(out, k.k[:])
	return out
}

// Equal reports in constant time whether k and o hold the same key.
func (k *Key) Equal(o *Key) bool {
	if k == nil || o == nil {
		return k == o
	}
	return k.set == o.set && subtle.ConstantTimeCompare(k.k[:], o.k[:]) == 1
}

// Derive returns a subkey for one purpose, HKDF-SHA256(k, info = label ||
// context). Distinct labels give independent keys: the vault derives its
// index, review and log keys from the one review key this way.
func (k *Key) Derive(label string, context []byte) (*Key, error) {
	if err := k.usable(); err != nil {
		return nil, err
	}
	info := make([]byte, 0, len(label)+1+len(context))
	info = append(append(append(info, label...), 0), context...)
	b, err := hkdf.Key(sha256.New, k.k[:], nil, string(info), KeySize)
	if err != nil {
		return nil, fmt.Errorf("seal: deriving %q key: %w", label, err)
	}
	return KeyFromBytes(b)
}

// Destroy overwrites the key. It is best effort: Go may have copied the
// bytes elsewhere (RELIABILITY.md T24 measures what is left).
func (k *Key) Destroy() {
	if k == nil {
		return
	}
	clear(k.k[:])
	k.set = false
}

func (k *Key) usable() error {
	if k == nil || !k.set {
		return fmt.Errorf("%w: key is nil or destroyed", ErrKey)
	}
	return nil
}

// Format prints no key material, with any verb, for a Key or a *Key.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, "seal.Key{…}") }

// String prints no key material.
func (k Key) String() string { return "seal.Key{…}" }

// GoString prints no key material.
func (k Key) GoString() string { return "seal.Key{…}" }
