package identity

import (
	"bytes"
	"crypto"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// testPass protects the keys the tests make; fixturePass protects the
// GnuPG-made keys in testdata (see testdata/README.md).
var (
	testPass    = []byte("correct horse battery staple")
	fixturePass = []byte("sealroom-fixture")
)

// shared returns identities made once per test binary, for tests that do
// not change them (keygen is cheap, but each ArmorSecret costs an S2K run).
var shared = sync.OnceValue(func() [2]*Identity {
	var ids [2]*Identity
	for i, name := range []string{"Alice Example", "Bob Example"} {
		id, err := New(name, "tester"+string(rune('a'+i))+"@example.test", testPass)
		if err != nil {
			panic(err)
		}
		ids[i] = id
	}
	return ids
})

func alice() *Identity { return shared()[0] }
func bob() *Identity   { return shared()[1] }

// fixture reads testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return b
}

// newAt makes an identity as if generated at created, with the given key
// lifetime (0: none).
func newAt(t testing.TB, name string, created time.Time, lifetime time.Duration) *Identity {
	t.Helper()
	cfg := newConfig(func() time.Time { return created })
	cfg.KeyLifetimeSecs = uint32(lifetime / time.Second)
	e, err := generate(name, "dated@example.test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	id, err := newIdentity(e, nil, bytes.Clone(testPass))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// craft signs msg with id's primary key like Sign, letting edit change the
// signature packet first; it bypasses the revocation and expiry checks of
// Sign, to make signatures a careful signer would not.
func craft(t testing.TB, id *Identity, msg []byte, edit func(*packet.Signature)) []byte {
	t.Helper()
	priv := id.entity.PrivateKey
	keyID := priv.KeyId
	sig := &packet.Signature{
		Version:           4,
		SigType:           packet.SigTypeBinary,
		PubKeyAlgo:        priv.PubKeyAlgo,
		Hash:              crypto.SHA256,
		CreationTime:      time.Now(),
		IssuerKeyId:       &keyID,
		IssuerKeyVersion:  4,
		IssuerFingerprint: priv.Fingerprint,
	}
	if edit != nil {
		edit(sig)
	}
	// No salt notation: go-crypto has no salt size for SHA-1 and SHA-224.
	cfg := newConfig(nil)
	cfg.NonDeterministicSignaturesViaNotation = new(bool)
	h, err := sig.PrepareSign(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(msg)
	if err := sig.Sign(h, priv, cfg); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sig.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reparse returns id's key (public and secret parts, with its current
// revocations) as a new Identity, unlocked, and its Public.
func reparse(t testing.TB, id *Identity) (*Identity, *Public) {
	t.Helper()
	var buf bytes.Buffer
	if err := serializeEntity(&buf, id.entity, true); err != nil {
		t.Fatal(err)
	}
	id2, err := ParseSecret(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if id2.Locked() {
		t.Fatal("an unprotected secret key parsed as locked")
	}
	return id2, id2.Public()
}
