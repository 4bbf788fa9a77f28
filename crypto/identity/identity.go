package identity

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxUserIDPart caps the name and the e-mail address given to New.
const maxUserIDPart = 256

// Identity is an OpenPGP secret key: the member's own key pair. It is safe
// for concurrent use. It cannot be compared with == and prints only its
// fingerprint and whether it is locked, never key material.
//
// While unlocked it holds the decrypted secret keys in memory; Lock drops
// them. The passphrase is kept only while it is still needed to produce the
// export of ArmorSecret (see there), and dropped by ArmorSecret and Lock.
type Identity struct {
	_      [0]func() // not comparable
	*state           // behind a pointer, so even a copied Identity prints nothing secret
}

type state struct {
	mu  sync.RWMutex
	pub *Public // immutable

	// sealed is the binary secret key as stored: passphrase-protected,
	// except for a key file that had no passphrase. nil only between New and
	// the first ArmorSecret or Lock. Unlock always decrypts a fresh parse of
	// it, and Lock falls back to it.
	sealed []byte
	// ours reports that sealed uses this package's protection profile
	// (iterated S2K SHA-256, count s2kCount, AES-256), so ArmorSecret can
	// armor it as is. A key read from GnuPG uses GnuPG's (AES-128) until it
	// is re-sealed.
	ours bool

	entity     *entity // the decrypted key; nil while locked
	passphrase []byte  // kept only until sealed is ours (see ArmorSecret)
}

// New makes a new identity for "name <email>": a v4 EdDSA (Ed25519) primary
// key that signs and certifies and an ECDH (Curve25519) encryption subkey,
// the profile GnuPG 2.2 generates too. It is returned unlocked. passphrase
// (copied; the caller may clear it) protects the key that ArmorSecret
// exports.
func New(name, email string, passphrase []byte) (*Identity, error) {
	if err := checkUserIDPart("name", name); err != nil {
		return nil, err
	}
	if err := checkUserIDPart("email", email); err != nil {
		return nil, err
	}
	if !strings.Contains(email, "@") {
		return nil, fmt.Errorf("identity: new key: email %q has no @", email)
	}
	if len(passphrase) == 0 {
		return nil, errors.New("identity: new key: empty passphrase")
	}
	e, err := generate(name, email, config)
	if err != nil {
		return nil, fmt.Errorf("identity: new key: %w", err)
	}
	return newIdentity(e, nil, bytes.Clone(passphrase))
}

// newIdentity wraps e, which must hold its decrypted secret keys unless
// sealed is given, in which case it is the parse of sealed.
func newIdentity(e *entity, sealed, passphrase []byte) (*Identity, error) {
	pubBytes, err := publicPart(e)
	if err != nil {
		return nil, fmt.Errorf("identity: serializing the public key: %w", err)
	}
	pub, err := ParsePublic(pubBytes)
	if err != nil {
		return nil, err
	}
	return &Identity{state: &state{pub: pub, entity: e, sealed: sealed, passphrase: passphrase}}, nil
}

func checkUserIDPart(what, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("identity: new key: empty %s", what)
	case len(s) > maxUserIDPart:
		return fmt.Errorf("identity: new key: %s longer than %d bytes", what, maxUserIDPart)
	case !utf8.ValidString(s):
		return fmt.Errorf("identity: new key: %s is not valid UTF-8", what)
	case strings.ContainsAny(s, "()<>"):
		return fmt.Errorf("identity: new key: %s %q contains one of ( ) < >", what, s)
	case strings.ContainsFunc(s, unicode.IsControl):
		return fmt.Errorf("identity: new key: %s %q contains a control character", what, s)
	}
	return nil
}

// ParseSecret reads one OpenPGP secret key, ASCII-armored or binary, such as
// ArmorSecret's output or `gpg --export-secret-keys [--armor]` for one key.
// It needs the secret primary key and the secret encryption subkey (not the
// stubs of `gpg --export-secret-subkeys`). A passphrase-protected key is
// returned locked; a key without protection is returned unlocked.
func ParseSecret(b []byte) (*Identity, error) {
	raw, err := dearmor(b, secretKeyBlock)
	if err != nil {
		return nil, fmt.Errorf("identity: parsing secret key: %w", err)
	}
	e, err := readEntity(raw)
	if err != nil {
		return nil, fmt.Errorf("identity: parsing secret key: %w", err)
	}
	if e.PrivateKey == nil {
		return nil, fmt.Errorf("identity: parsing secret key %X: this is a public key", e.PrimaryKey.Fingerprint)
	}
	id, err := newIdentity(e, bytes.Clone(raw), nil)
	if err != nil {
		return nil, err
	}
	complete, encrypted := secretParts(e, id.pub.enc)
	if !complete {
		return nil, fmt.Errorf("identity: parsing secret key %s: the secret primary key or encryption subkey is missing", id.pub.fingerprint)
	}
	if encrypted {
		wipe(privateKeys(e))
		id.entity = nil
	}
	return id, nil
}

// Unlock decrypts the secret keys with passphrase; a wrong one gives
// ErrWrongPassphrase and leaves the identity as it was. Unlocking an
// unlocked identity checks the passphrase again. For a key file that had no
// passphrase, any passphrase unlocks it and becomes the one ArmorSecret uses.
func (id *Identity) Unlock(passphrase []byte) error {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.sealed == nil { // made by New and never sealed: compare
		if subtle.ConstantTimeCompare(passphrase, id.passphrase) != 1 {
			return fmt.Errorf("%w for key %s", ErrWrongPassphrase, id.pub.fingerprint)
		}
		return nil
	}
	e, err := readEntity(id.sealed)
	if err != nil { // it parsed before; only memory corruption gets here
		return fmt.Errorf("identity: unlocking %s: %w", id.pub.fingerprint, err)
	}
	if err := unlockEntity(e, passphrase); err != nil {
		wipe(privateKeys(e))
		return fmt.Errorf("%w for key %s", ErrWrongPassphrase, id.pub.fingerprint)
	}
	id.dropSecrets()
	id.entity = e
	if !id.ours && len(passphrase) > 0 {
		id.passphrase = bytes.Clone(passphrase)
	}
	return nil
}

// Locked reports whether the secret keys are unavailable until Unlock.
func (id *Identity) Locked() bool {
	id.mu.RLock()
	defer id.mu.RUnlock()
	return id.entity == nil
}

// Lock drops the decrypted secret keys (overwriting what it can reach) and
// the passphrase. An identity made by New is first sealed with its
// passphrase, so that Unlock can restore it; should that fail, the identity
// stays unlocked, which Locked reports.
func (id *Identity) Lock() {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.entity == nil {
		return
	}
	if id.sealed == nil {
		if err := id.sealLocked(); err != nil {
			return
		}
	}
	id.dropSecrets()
}

// dropSecrets forgets the decrypted key and the passphrase; id.mu is held.
func (id *Identity) dropSecrets() {
	if id.entity != nil {
		wipe(privateKeys(id.entity))
		id.entity = nil
	}
	clear(id.passphrase)
	id.passphrase = nil
}

// sealLocked re-encrypts the unlocked key with the kept passphrase in this
// package's profile and forgets the passphrase; id.mu is held.
func (id *Identity) sealLocked() error {
	sealed, err := seal(id.entity, id.passphrase)
	if err != nil {
		return fmt.Errorf("identity: protecting secret key %s: %w", id.pub.fingerprint, err)
	}
	id.sealed, id.ours = sealed, true
	clear(id.passphrase)
	id.passphrase = nil
	return nil
}

// Public returns the identity's public key.
func (id *Identity) Public() *Public { return id.pub }

// ArmorSecret returns the secret key as an ASCII-armored block, encrypted
// with the passphrase given to New (or to Unlock) using iterated+salted S2K
// (SHA-256, count 65011712) and AES-256 with a SHA-1 integrity check (no
// AEAD), which GnuPG 2.2 imports. The self-signatures are copied, not re-made.
//
// The first call after New, or after unlocking a key protected some other
// way (GnuPG uses AES-128), encrypts the key (about 50 ms) and forgets the
// passphrase; later calls return the same protected key and also work
// while locked. A key protected some other way must be unlocked first
// (ErrLocked).
func (id *Identity) ArmorSecret() ([]byte, error) {
	id.mu.Lock()
	defer id.mu.Unlock()
	if !id.ours {
		switch {
		case id.entity == nil:
			return nil, fmt.Errorf("identity: exporting secret key %s: %w (it must be re-encrypted for export)", id.pub.fingerprint, ErrLocked)
		case len(id.passphrase) == 0:
			return nil, fmt.Errorf("identity: exporting secret key %s: it has no passphrase (Unlock it with one first)", id.pub.fingerprint)
		}
		if err := id.sealLocked(); err != nil {
			return nil, err
		}
	}
	armored, err := armorBlock(secretKeyBlock, id.sealed)
	if err != nil {
		return nil, fmt.Errorf("identity: exporting secret key %s: %w", id.pub.fingerprint, err)
	}
	return armored, nil
}

// Sign returns a binary detached signature over msg: type 0x00 (binary
// document), SHA-256, by the primary key, which `gpg --verify SIG FILE`
// accepts. It fails with ErrLocked while locked, and with ErrKeyRevoked or
// ErrKeyExpired when the key may no longer be used.
func (id *Identity) Sign(msg []byte) ([]byte, error) {
	id.mu.RLock()
	defer id.mu.RUnlock()
	return id.signAt(msg, time.Now())
}

// signAt signs as if at time now; id.mu is held (for reading at least).
func (id *Identity) signAt(msg []byte, now time.Time) ([]byte, error) {
	if id.entity == nil {
		return nil, fmt.Errorf("identity: signing with %s: %w", id.pub.fingerprint, ErrLocked)
	}
	if err := id.pub.usableAt(now); err != nil {
		return nil, fmt.Errorf("identity: signing with %s: %w", id.pub.fingerprint, err)
	}
	sig, err := signDetached(id.entity.PrivateKey, msg, now)
	if err != nil {
		return nil, fmt.Errorf("identity: signing with %s: %w", id.pub.fingerprint, err)
	}
	return sig, nil
}

// Decrypt decrypts a binary OpenPGP message encrypted to this identity
// (by Public.Encrypt, GnuPG or another OpenPGP program). Signatures inside
// the message are ignored. It fails with ErrLocked while locked and with
// ErrNotForMe when the message is not encrypted to this key. At most 64 MiB
// of plaintext is returned.
func (id *Identity) Decrypt(ct []byte) ([]byte, error) {
	// Exclusive: go-crypto caches signature checks inside the entity.
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.entity == nil {
		return nil, fmt.Errorf("identity: decrypting for %s: %w", id.pub.fingerprint, ErrLocked)
	}
	pt, err := decryptWith(id.entity, id.pub.enc.KeyId, ct)
	if errors.Is(err, ErrNotForMe) {
		return nil, fmt.Errorf("%w (key %s)", err, id.pub.fingerprint)
	}
	if err != nil {
		return nil, fmt.Errorf("identity: decrypting for %s: %w", id.pub.fingerprint, err)
	}
	return pt, nil
}

// String returns "identity.Identity{FINGERPRINT locked|unlocked}".
func (id Identity) String() string {
	if id.state == nil {
		return "identity.Identity{<nil>}"
	}
	lock := "unlocked"
	if id.Locked() {
		lock = "locked"
	}
	return "identity.Identity{" + id.pub.fingerprint + " " + lock + "}"
}

// GoString is String, so %#v prints no key material either.
func (id Identity) GoString() string { return id.String() }

// Format prints String for every verb and flag (%v, %+v, %#v, %s, %q, %x …),
// so no formatting path reaches the fields.
func (id Identity) Format(f fmt.State, _ rune) { io.WriteString(f, id.String()) }
