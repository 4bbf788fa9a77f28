package identity

// Reading, writing, protecting and unlocking keys with go-crypto.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp/ecdh"
	"github.com/ProtonMail/go-crypto/openpgp/ed25519"
	"github.com/ProtonMail/go-crypto/openpgp/ed448"
	"github.com/ProtonMail/go-crypto/openpgp/eddsa"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	pgp "github.com/ProtonMail/go-crypto/openpgp/v2"
	"github.com/ProtonMail/go-crypto/openpgp/x25519"
	"github.com/ProtonMail/go-crypto/openpgp/x448"
)

// generate makes a fresh v4 entity with the profile of newConfig.
func generate(name, email string, cfg *packet.Config) (*pgp.Entity, error) {
	return pgp.NewEntity(name, "", email, cfg)
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
//
// Each part costs one S2K derivation (about 50 ms): go-crypto v1.5.2's
// s2k.Cache, meant to share one derivation between keys protected alike,
// stores the empty slot instead of the derived key and so never hits, and
// GnuPG salts each key separately anyway. The parts are decrypted in
// parallel, so that unlocking takes one derivation's time on two cores.
func unlockEntity(e *entity, passphrase []byte) error {
	var keys []*packet.PrivateKey
	for _, k := range append([]*packet.PrivateKey{e.PrivateKey}, subkeySecrets(e)...) {
		if k != nil && !k.Dummy() && k.Encrypted {
			keys = append(keys, k)
		}
	}
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() { errs[i] = k.Decrypt(passphrase) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func subkeySecrets(e *entity) []*packet.PrivateKey {
	var keys []*packet.PrivateKey
	for _, sk := range e.Subkeys {
		keys = append(keys, sk.PrivateKey)
	}
	return keys
}

// seal returns the binary secret key of e with every secret part encrypted
// under passphrase (one S2K derivation, see s2kCount), leaving e unlocked.
// It works on a copy re-parsed from e's plaintext serialization, which is
// wiped afterwards.
func seal(e *pgp.Entity, passphrase []byte) ([]byte, error) {
	var plain bytes.Buffer
	plain.Grow(16 << 10) // room for a usual key at once: clear then reaches the only copy
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
	// A config of its own: s2k.Generate writes its S2KMode (a data race
	// under -race when two keys are sealed at once with the shared one).
	if err := c.EncryptPrivateKeys(passphrase, newConfig(nil)); err != nil {
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
