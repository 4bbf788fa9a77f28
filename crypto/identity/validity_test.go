package identity

import (
	"bytes"
	"crypto"
	_ "crypto/sha1" // registers SHA-1 so a SHA-1 signature can be made
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Every single-byte change to a signature or its message is refused: the
// unsigned parts of the packet (unhashed subpackets, hash tag, MPI bit
// counts) are held to one encoding too.
func TestVerifyTamper(t *testing.T) {
	a := alice()
	pub := a.Public()
	msg := []byte(`{"seq":7,"action":"approve","request":"r-19"}`)
	ours, err := a.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	gpgPub, err := ParsePublic(fixture(t, "ed25519.pub.asc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		pub  *Public
		msg  []byte
		sig  []byte
	}{
		{"ours", pub, msg, ours},
		{"gpg", gpgPub, fixture(t, "message.txt"), fixture(t, "ed25519.sig")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.pub.Verify(tc.msg, tc.sig); err != nil {
				t.Fatalf("the untouched signature: %v", err)
			}
			for i := range tc.sig {
				for _, mask := range []byte{0x01, 0x80, 0xff} {
					bad := bytes.Clone(tc.sig)
					bad[i] ^= mask
					if err := tc.pub.Verify(tc.msg, bad); !errors.Is(err, ErrBadSignature) {
						t.Errorf("signature byte %d ^ %#02x: %v, want ErrBadSignature", i, mask, err)
					}
				}
			}
			for i := range tc.msg {
				bad := bytes.Clone(tc.msg)
				bad[i] ^= 0x01
				if err := tc.pub.Verify(bad, tc.sig); !errors.Is(err, ErrBadSignature) {
					t.Errorf("message byte %d: %v, want ErrBadSignature", i, err)
				}
			}
			for name, bad := range map[string][]byte{
				"empty":      nil,
				"truncated":  tc.sig[:len(tc.sig)-1],
				"trailing":   append(bytes.Clone(tc.sig), 0),
				"doubled":    append(bytes.Clone(tc.sig), tc.sig...),
				"oversize":   bytes.Repeat(tc.sig, maxSigSize/len(tc.sig)+1),
				"public key": tc.pub.Bytes(),
			} {
				if err := tc.pub.Verify(tc.msg, bad); !errors.Is(err, ErrBadSignature) {
					t.Errorf("%s: %v, want ErrBadSignature", name, err)
				}
			}
			if err := tc.pub.Verify(append(bytes.Clone(tc.msg), 0), tc.sig); !errors.Is(err, ErrBadSignature) {
				t.Errorf("longer message: %v", err)
			}
		})
	}
}

func TestVerifyOtherKey(t *testing.T) {
	msg := []byte("m")
	sig, err := bob().Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	err = alice().Public().Verify(msg, sig)
	if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), bob().Public().Fingerprint()) {
		t.Fatalf("Verify of another key's signature: %v; want ErrBadSignature naming %s", err, bob().Public().Fingerprint())
	}
}

// Signatures that are valid OpenPGP but not what Verify accepts.
func TestVerifyRejectsCrafted(t *testing.T) {
	a := newAt(t, "Crafted Example", time.Now().Add(-3*time.Hour), 0)
	pub := a.Public()
	msg := []byte("m")
	if err := pub.Verify(msg, craft(t, a, msg, nil)); err != nil {
		t.Fatalf("the plain crafted signature: %v", err)
	}
	for _, tc := range []struct {
		name, want string
		edit       func(*packet.Signature)
	}{
		{"text type", "type 0x01", func(s *packet.Signature) { s.SigType = packet.SigTypeText }},
		{"SHA-1", "hash", func(s *packet.Signature) { s.Hash = crypto.SHA1 }},
		{"SHA-224", "hash", func(s *packet.Signature) { s.Hash = crypto.SHA224 }},
		{"critical notation", "critical notation", func(s *packet.Signature) {
			s.Notations = []*packet.Notation{{Name: "policy@example.test", Value: []byte("x"), IsCritical: true, IsHumanReadable: true}}
		}},
		{"expired signature", "expired", func(s *packet.Signature) {
			s.CreationTime = time.Now().Add(-2 * time.Hour)
			life := uint32(3600)
			s.SigLifetimeSecs = &life
		}},
		{"before the key", "before the key was created", func(s *packet.Signature) {
			s.CreationTime = a.Public().primary.CreationTime.Add(-time.Hour)
		}},
	} {
		err := pub.Verify(msg, craft(t, a, msg, tc.edit))
		if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want ErrBadSignature mentioning %q", tc.name, err, tc.want)
		}
	}
	// SHA-512 is stronger than SHA-256 and accepted.
	if err := pub.Verify(msg, craft(t, a, msg, func(s *packet.Signature) { s.Hash = crypto.SHA512 })); err != nil {
		t.Errorf("SHA-512: %v", err)
	}
}

func TestKeyExpired(t *testing.T) {
	now := time.Now()
	id := newAt(t, "Expired Example", now.Add(-2*time.Hour), time.Hour)
	pub := id.Public()
	p2, err := ParsePublic(pub.Armor())
	if err != nil {
		t.Fatalf("ParsePublic of an expired key: %v", err)
	}
	msg := []byte("m")
	if _, err := id.Sign(msg); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("Sign with an expired key: %v, want ErrKeyExpired", err)
	}
	if _, err := pub.Encrypt(msg); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("Encrypt to an expired key: %v, want ErrKeyExpired", err)
	}
	early := craft(t, id, msg, func(s *packet.Signature) { s.CreationTime = now.Add(-90 * time.Minute) })
	late := craft(t, id, msg, func(s *packet.Signature) { s.CreationTime = now.Add(-30 * time.Minute) })
	for _, p := range []*Public{pub, p2} {
		if err := p.Verify(msg, early); err != nil {
			t.Errorf("signature made while the key was valid: %v", err)
		}
		if err := p.Verify(msg, late); !errors.Is(err, ErrKeyExpired) {
			t.Errorf("signature made after expiry: %v, want ErrKeyExpired", err)
		}
	}
	// Decrypting old messages still works.
	ct, err := encryptTo(pub.enc, msg)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := id.Decrypt(ct); err != nil || !bytes.Equal(got, msg) {
		t.Errorf("Decrypt with an expired key: %q, %v", got, err)
	}
}

func TestKeyRevoked(t *testing.T) {
	now := time.Now()
	msg := []byte("m")
	for _, tc := range []struct {
		reason packet.ReasonForRevocation
		hard   bool
	}{
		{packet.KeyRetired, false},
		{packet.KeySuperseded, false},
		{packet.KeyCompromised, true},
		{packet.NoReason, true},
	} {
		id := newAt(t, "Revoked Example", now.Add(-3*time.Hour), 0)
		before := craft(t, id, msg, func(s *packet.Signature) { s.CreationTime = now.Add(-2 * time.Hour) })
		after := craft(t, id, msg, func(s *packet.Signature) { s.CreationTime = now.Add(-30 * time.Minute) })
		cfg := newConfig(func() time.Time { return now.Add(-time.Hour) })
		if err := id.entity.Revoke(tc.reason, "test", cfg); err != nil {
			t.Fatal(err)
		}
		rid, pub := reparse(t, id)
		if err := pub.Verify(msg, after); !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d: signature after the revocation: %v, want ErrKeyRevoked", tc.reason, err)
		}
		err := pub.Verify(msg, before)
		if tc.hard && !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d: signature before a compromise revocation: %v, want ErrKeyRevoked", tc.reason, err)
		}
		if !tc.hard && err != nil {
			t.Errorf("reason %d: signature before a retirement: %v, want nil", tc.reason, err)
		}
		if _, err := rid.Sign(msg); !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d: Sign: %v, want ErrKeyRevoked", tc.reason, err)
		}
		if _, err := pub.Encrypt(msg); !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d: Encrypt: %v, want ErrKeyRevoked", tc.reason, err)
		}
		p2, err := ParsePublic(pub.Armor())
		if err != nil || !p2.Equal(pub) {
			t.Fatalf("round trip of a revoked key: %v", err)
		}
		if err := p2.Verify(msg, after); !errors.Is(err, ErrKeyRevoked) {
			t.Errorf("reason %d, after a round trip: %v", tc.reason, err)
		}
	}
}

// A revocation signed by another key is not honoured.
func TestThirdPartyRevocationIgnored(t *testing.T) {
	id := newAt(t, "Victim Example", time.Now().Add(-time.Hour), 0)
	msg := []byte("m")
	sig, err := id.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	reason := packet.KeyCompromised
	rev := &packet.Signature{
		Version: 4, SigType: packet.SigTypeKeyRevocation, PubKeyAlgo: packet.PubKeyAlgoEdDSA,
		Hash: crypto.SHA256, CreationTime: time.Now(), RevocationReason: &reason,
	}
	if err := rev.RevokeKey(id.entity.PrimaryKey, bob().entity.PrivateKey, config); err != nil {
		t.Fatal(err)
	}
	id.entity.Revocations = append(id.entity.Revocations, packet.NewVerifiableSig(rev))
	_, pub := reparse(t, id)
	if err := pub.Verify(msg, sig); err != nil {
		t.Fatalf("a revocation by another key took effect: %v", err)
	}
}
