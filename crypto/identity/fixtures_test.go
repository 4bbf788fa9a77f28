package identity

import (
	"bytes"
	"errors"
	"testing"
)

// The keys in testdata were made by GnuPG 2.2 (see testdata/README.md), so
// these tests check interoperability without running gpg.

func TestFixturePublicKeys(t *testing.T) {
	for _, tc := range []struct{ file, userID string }{
		{"ed25519.pub.asc", "Fixture Ed25519 <ed25519@example.test>"},
		{"default.pub.asc", "Fixture Default <default@example.test>"},
		{"expired.pub.asc", "Fixture Expired <expired@example.test>"},
		{"revoked.pub.asc", "Fixture Revoked <revoked@example.test>"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			pub, err := ParsePublic(fixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if pub.UserID() != tc.userID {
				t.Errorf("UserID = %q, want %q", pub.UserID(), tc.userID)
			}
			if !fingerprintRE.MatchString(pub.Fingerprint()) {
				t.Errorf("Fingerprint = %q", pub.Fingerprint())
			}
			again, err := ParsePublic(pub.Bytes())
			if err != nil || !again.Equal(pub) || !bytes.Equal(again.Armor(), pub.Armor()) {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}

func TestFixtureSignatures(t *testing.T) {
	msg := fixture(t, "message.txt")
	for _, tc := range []struct {
		key, sig string
		want     error
	}{
		{"ed25519.pub.asc", "ed25519.sig", nil},
		{"expired.pub.asc", "expired.sig", nil}, // made before the key expired
		{"revoked.pub.asc", "revoked.sig", ErrKeyRevoked},
		{"default.pub.asc", "ed25519.sig", ErrBadSignature}, // another key's
	} {
		t.Run(tc.key+"/"+tc.sig, func(t *testing.T) {
			t.Parallel()
			pub, err := ParsePublic(fixture(t, tc.key))
			if err != nil {
				t.Fatal(err)
			}
			err = pub.Verify(msg, fixture(t, tc.sig))
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestFixtureSecretKeys(t *testing.T) {
	msg := fixture(t, "message.txt")
	for _, name := range []string{"ed25519", "default"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pub, err := ParsePublic(fixture(t, name+".pub.asc"))
			if err != nil {
				t.Fatal(err)
			}
			id, err := ParseSecret(fixture(t, name+".sec.asc"))
			if err != nil {
				t.Fatal(err)
			}
			if !id.Locked() {
				t.Fatal("a protected GnuPG key parsed unlocked")
			}
			if !id.Public().Equal(pub) {
				t.Fatal("the secret key's public part differs from the exported public key")
			}
			if err := id.Unlock([]byte("wrong")); !errors.Is(err, ErrWrongPassphrase) {
				t.Fatalf("Unlock(wrong) = %v", err)
			}
			if err := id.Unlock(fixturePass); err != nil {
				t.Fatal(err)
			}
			sig, err := id.Sign(msg)
			if err != nil {
				t.Fatal(err)
			}
			if err := pub.Verify(msg, sig); err != nil {
				t.Fatal(err)
			}
			ct, err := pub.Encrypt(msg)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := id.Decrypt(ct); err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("Decrypt = %q, %v", got, err)
			}
			if name == "ed25519" { // gpg --encrypt output, compressed
				got, err := id.Decrypt(fixture(t, "ed25519.msg.gpg"))
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("Decrypt of GnuPG's message = %q, %v", got, err)
				}
			}
			// Re-export in this package's profile and read it back.
			armored, err := id.ArmorSecret()
			if err != nil {
				t.Fatal(err)
			}
			id2, err := ParseSecret(armored)
			if err != nil {
				t.Fatal(err)
			}
			if err := id2.Unlock(fixturePass); err != nil {
				t.Fatalf("unlocking the re-exported key: %v", err)
			}
			if !id2.Public().Equal(pub) {
				t.Fatal("re-export changed the public key")
			}
		})
	}
}
