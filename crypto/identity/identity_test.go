package identity

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	pgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

var fingerprintRE = regexp.MustCompile(`^[0-9A-F]{40}$`)

func TestRoundTrip(t *testing.T) {
	id, err := New("Carol Example", "carol@example.test", testPass)
	if err != nil {
		t.Fatal(err)
	}
	if id.Locked() {
		t.Fatal("New returned a locked identity")
	}
	pub := id.Public()
	if got, want := pub.UserID(), "Carol Example <carol@example.test>"; got != want {
		t.Errorf("UserID = %q, want %q", got, want)
	}
	if !fingerprintRE.MatchString(pub.Fingerprint()) {
		t.Errorf("Fingerprint = %q, want 40 upper-case hex digits", pub.Fingerprint())
	}
	if got := strings.ToUpper(hex.EncodeToString(pub.FingerprintBytes())); got != pub.Fingerprint() {
		t.Errorf("FingerprintBytes = %s, Fingerprint = %s", got, pub.Fingerprint())
	}

	armored, err := id.ArmorSecret()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(armored, []byte("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
		t.Fatalf("ArmorSecret does not start with a private key armor header:\n%.60s", armored)
	}
	if bytes.Contains(armored, testPass) {
		t.Fatal("ArmorSecret contains the passphrase")
	}
	again, err := id.ArmorSecret()
	if err != nil || !bytes.Equal(again, armored) {
		t.Errorf("second ArmorSecret differs (err %v)", err)
	}

	id2, err := ParseSecret(armored)
	if err != nil {
		t.Fatal(err)
	}
	if !id2.Locked() {
		t.Fatal("ParseSecret of a protected key returned it unlocked")
	}
	if !id2.Public().Equal(pub) {
		t.Fatal("the parsed secret key has another public key")
	}
	if _, err := id2.Sign([]byte("x")); !errors.Is(err, ErrLocked) {
		t.Fatalf("Sign while locked: %v, want ErrLocked", err)
	}
	if err := id2.Unlock([]byte("wrong passphrase")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Unlock with a wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	if !id2.Locked() {
		t.Fatal("a failed Unlock unlocked the key")
	}
	if err := id2.Unlock(testPass); err != nil {
		t.Fatal(err)
	}
	if id2.Locked() {
		t.Fatal("Unlock left the key locked")
	}

	msg := []byte("entry 1: reviewer asked to unlock event 42")
	for _, signer := range []*Identity{id, id2} {
		sig, err := signer.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		for _, verifier := range []*Public{pub, id2.Public()} {
			if err := verifier.Verify(msg, sig); err != nil {
				t.Errorf("Verify: %v", err)
			}
		}
		if err := bob().Public().Verify(msg, sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify by another key: %v, want ErrBadSignature", err)
		}
	}

	pt := []byte("share 3 of the escrow key")
	ct, err := pub.Encrypt(pt)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, pt) {
		t.Fatal("ciphertext contains the plaintext")
	}
	for _, reader := range []*Identity{id, id2} {
		got, err := reader.Decrypt(ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("Decrypt = %q, %v; want %q", got, err, pt)
		}
	}
	if _, err := bob().Decrypt(ct); !errors.Is(err, ErrNotForMe) {
		t.Errorf("Decrypt by another key: %v, want ErrNotForMe", err)
	}
}

func TestPublicEncodings(t *testing.T) {
	pub := alice().Public()
	b1, b2 := pub.Bytes(), pub.Bytes()
	if !bytes.Equal(b1, b2) {
		t.Fatal("Bytes differs between calls")
	}
	b1[0] ^= 0xff
	if bytes.Equal(b1, pub.Bytes()) {
		t.Fatal("Bytes returns the internal slice")
	}
	armored := pub.Armor()
	if !bytes.HasPrefix(armored, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
		t.Fatalf("Armor does not start with a public key armor header:\n%.60s", armored)
	}
	for name, in := range map[string][]byte{"armored": armored, "binary": pub.Bytes()} {
		p2, err := ParsePublic(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !p2.Equal(pub) || !pub.Equal(p2) {
			t.Errorf("%s: round trip is not Equal", name)
		}
		if p2.Fingerprint() != pub.Fingerprint() || p2.UserID() != pub.UserID() {
			t.Errorf("%s: round trip changed %s %q", name, p2.Fingerprint(), p2.UserID())
		}
		if !bytes.Equal(p2.Bytes(), pub.Bytes()) {
			t.Errorf("%s: Bytes not stable across a round trip", name)
		}
	}
	if pub.Equal(bob().Public()) || pub.Equal(nil) {
		t.Error("Equal is true for different keys")
	}
	var nilPub *Public
	if !nilPub.Equal(nil) {
		t.Error("nil.Equal(nil) is false")
	}
}

// The exported secret key uses this package's protection profile:
// iterated+salted S2K with SHA-256 and the largest count, AES-256, SHA-1
// check (usage 254), no AEAD.
func TestArmorSecretProfile(t *testing.T) {
	id, err := New("Dan Example", "dan@example.test", testPass)
	if err != nil {
		t.Fatal(err)
	}
	armored, err := id.ArmorSecret()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := dearmor(armored, secretKeyBlock)
	if err != nil {
		t.Fatal(err)
	}
	r := packet.NewOpaqueReader(bytes.NewReader(raw))
	secrets := 0
	for {
		op, err := r.Next()
		if err != nil {
			break
		}
		if op.Tag != 5 && op.Tag != 7 { // secret key, secret subkey
			continue
		}
		secrets++
		// usage 254, cipher 9 (AES-256), S2K 3 (iterated+salted), hash 8
		// (SHA-256), 8 bytes of salt, count 0xff (65011712).
		i := bytes.Index(op.Contents, []byte{254, 9, 3, 8})
		if i < 0 || len(op.Contents) < i+13 || op.Contents[i+12] != 0xff {
			t.Errorf("secret key packet (tag %d) is not protected with the expected S2K profile", op.Tag)
		}
	}
	if secrets != 2 {
		t.Errorf("%d secret key packets, want 2", secrets)
	}
}

func TestLockUnlock(t *testing.T) {
	pass := []byte("a passphrase the caller clears")
	id, err := New("Erin Example", "erin@example.test", pass)
	if err != nil {
		t.Fatal(err)
	}
	clear(pass) // New must have kept its own copy
	orig := []byte("a passphrase the caller clears")
	msg := []byte("m")

	if err := id.Unlock([]byte("wrong")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Unlock(wrong) on a new key: %v", err)
	}
	if err := id.Unlock(orig); err != nil {
		t.Fatalf("Unlock(right) on a new key: %v", err)
	}
	id.Lock()
	if !id.Locked() {
		t.Fatal("Lock left the key unlocked")
	}
	if id.state.passphrase != nil {
		t.Fatal("Lock kept the passphrase")
	}
	if _, err := id.Sign(msg); !errors.Is(err, ErrLocked) {
		t.Fatalf("Sign after Lock: %v", err)
	}
	ct, err := id.Public().Encrypt(msg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := id.Decrypt(ct); !errors.Is(err, ErrLocked) {
		t.Fatalf("Decrypt after Lock: %v", err)
	}
	armored, err := id.ArmorSecret() // sealed by Lock: works while locked
	if err != nil {
		t.Fatalf("ArmorSecret while locked after Lock: %v", err)
	}
	id.Lock() // twice is fine
	if err := id.Unlock([]byte("wrong")); !errors.Is(err, ErrWrongPassphrase) || !id.Locked() {
		t.Fatalf("Unlock(wrong) after Lock: %v (locked %v)", err, id.Locked())
	}
	if err := id.Unlock(orig); err != nil {
		t.Fatal(err)
	}
	sig, err := id.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if err := id.Public().Verify(msg, sig); err != nil {
		t.Fatal(err)
	}
	if got, err := id.Decrypt(ct); err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Decrypt after re-Unlock: %q, %v", got, err)
	}

	// A key read back from the export: ArmorSecret needs it unlocked (it
	// does not know the profile), then keeps working after Lock.
	id2, err := ParseSecret(armored)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := id2.ArmorSecret(); !errors.Is(err, ErrLocked) {
		t.Fatalf("ArmorSecret of a locked parsed key: %v, want ErrLocked", err)
	}
	if err := id2.Unlock(orig); err != nil {
		t.Fatal(err)
	}
	re, err := id2.ArmorSecret()
	if err != nil {
		t.Fatal(err)
	}
	if id2.state.passphrase != nil {
		t.Fatal("ArmorSecret kept the passphrase after sealing")
	}
	id2.Lock()
	if _, err := id2.ArmorSecret(); err != nil {
		t.Fatalf("ArmorSecret after sealing and Lock: %v", err)
	}
	id3, err := ParseSecret(re)
	if err != nil {
		t.Fatal(err)
	}
	if err := id3.Unlock(orig); err != nil {
		t.Fatalf("unlocking the re-exported key: %v", err)
	}
}

// A secret key stored without passphrase parses unlocked; ArmorSecret
// refuses until a passphrase is given through Unlock.
func TestUnprotectedSecretKey(t *testing.T) {
	id, _ := reparse(t, alice())
	if _, err := id.ArmorSecret(); err == nil || !strings.Contains(err.Error(), "no passphrase") {
		t.Fatalf("ArmorSecret of an unprotected key: %v", err)
	}
	if err := id.Unlock([]byte("new passphrase")); err != nil {
		t.Fatal(err)
	}
	armored, err := id.ArmorSecret()
	if err != nil {
		t.Fatal(err)
	}
	id2, err := ParseSecret(armored)
	if err != nil {
		t.Fatal(err)
	}
	if !id2.Locked() {
		t.Fatal("the exported key is not protected")
	}
	if err := id2.Unlock([]byte("new passphrase")); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejects(t *testing.T) {
	for _, tc := range []struct{ name, email, pass string }{
		{"", "a@example.test", "p"},
		{"   ", "a@example.test", "p"},
		{"A", "", "p"},
		{"A", "no-at-sign", "p"},
		{"A <x@y>", "a@example.test", "p"},
		{"A (comment)", "a@example.test", "p"},
		{"A\nB", "a@example.test", "p"},
		{"A\x00", "a@example.test", "p"},
		{"\xff", "a@example.test", "p"},
		{strings.Repeat("A", 300), "a@example.test", "p"},
		{"A", "a@example.test", ""},
	} {
		if _, err := New(tc.name, tc.email, []byte(tc.pass)); err == nil || !strings.HasPrefix(err.Error(), "identity: ") {
			t.Errorf("New(%q, %q, %q) = %v, want an identity: error", tc.name, tc.email, tc.pass, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	a, b := alice(), bob()
	secret, err := a.ArmorSecret()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := a.Sign([]byte("m"))
	if err != nil {
		t.Fatal(err)
	}
	armoredSig, err := armorBlock(pgp.SignatureType, sig)
	if err != nil {
		t.Fatal(err)
	}
	two := append(a.Public().Bytes(), b.Public().Bytes()...)
	twoSecret := append(fixture(t, "ed25519.sec.asc"), fixture(t, "default.sec.asc")...)
	rawSecret, err := dearmor(secret, secretKeyBlock)
	if err != nil {
		t.Fatal(err)
	}
	twoSecretBinary := append(bytes.Clone(rawSecret), rawSecret...)

	publicBad := map[string][]byte{
		"empty":           nil,
		"garbage":         []byte("not a key at all"),
		"secret armored":  secret,
		"secret binary":   rawSecret,
		"signature":       armoredSig,
		"two keys":        two,
		"trailing byte":   append(a.Public().Bytes(), 0xc2),
		"truncated":       a.Public().Bytes()[:40],
		"oversize":        bytes.Repeat([]byte{0x99}, maxKeySize+1),
		"armor bad body":  corruptArmor(a.Public().Armor()),
		"two armored":     append(a.Public().Armor(), b.Public().Armor()...),
		"header only":     []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----\n"),
		"no subkey":       primaryOnly(t, a),
		"message armored": mustArmor(t, pgp.MessageType, []byte{0xc3, 0x01}),
	}
	for name, in := range publicBad {
		if p, err := ParsePublic(in); err == nil || p != nil || !strings.HasPrefix(err.Error(), "identity: ") {
			t.Errorf("ParsePublic(%s) = %v, %v; want nil and an identity: error", name, p, err)
		}
	}
	secretBad := map[string][]byte{
		"empty":          nil,
		"public armored": a.Public().Armor(),
		"public binary":  a.Public().Bytes(),
		"two keys":       twoSecret,
		"two binary":     twoSecretBinary,
		"signature":      armoredSig,
		"truncated":      rawSecret[:60],
	}
	for name, in := range secretBad {
		if id, err := ParseSecret(in); err == nil || id != nil || !strings.HasPrefix(err.Error(), "identity: ") {
			t.Errorf("ParseSecret(%s) = %v, %v; want nil and an identity: error", name, id, err)
		}
	}
}

// corruptArmor changes one base64 character in the middle of the key
// material of an armored block.
func corruptArmor(a []byte) []byte {
	b := bytes.Clone(a)
	i := bytes.Index(b, []byte("\n\n")) + 2 + 60 // into the first key packet
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return b
}

func mustArmor(t *testing.T, typ string, b []byte) []byte {
	t.Helper()
	out, err := armorBlock(typ, b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// primaryOnly returns id's public key without its subkey.
func primaryOnly(t *testing.T, id *Identity) []byte {
	t.Helper()
	e, err := readEntity(id.Public().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	e.Subkeys = nil
	b, err := publicPart(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecryptFailures(t *testing.T) {
	a := alice()
	pt := []byte("the data key")
	ct, err := a.Public().Encrypt(pt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob().Decrypt(ct); !errors.Is(err, ErrNotForMe) {
		t.Errorf("another key: %v, want ErrNotForMe", err)
	}

	// An unencrypted literal message.
	var lit bytes.Buffer
	w, err := packet.SerializeLiteral(nopCloser{&lit}, true, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(pt)
	w.Close()
	if _, err := a.Decrypt(lit.Bytes()); !errors.Is(err, ErrNotForMe) {
		t.Errorf("plaintext message: %v, want ErrNotForMe", err)
	}

	for _, in := range [][]byte{nil, []byte("garbage"), ct[:len(ct)/2]} {
		if got, err := a.Decrypt(in); err == nil || got != nil {
			t.Errorf("Decrypt(%d bytes of junk) = %q, %v", len(in), got, err)
		}
	}
	// Flip every byte of the message once: nothing may decrypt to other
	// plaintext. (A few flips in the session-key packet, such as the MPI
	// bit count, leave the same session key and so the same plaintext.)
	same := 0
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x01
		got, err := a.Decrypt(bad)
		if err == nil && !bytes.Equal(got, pt) {
			t.Fatalf("flipped byte %d: decrypted to %q without error", i, got)
		}
		if err == nil {
			same++
		}
	}
	if same > 4 {
		t.Errorf("%d of %d single-byte flips still decrypt", same, len(ct))
	}
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// The message Encrypt writes: PKESK v3 + SEIPDv1 with AES-256, which is
// what GnuPG 2.2 reads.
func TestEncryptProfile(t *testing.T) {
	a := alice()
	ct, err := a.Public().Encrypt([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	r := packet.NewReader(bytes.NewReader(ct))
	p, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	ek, ok := p.(*packet.EncryptedKey)
	if !ok || ek.Version != 3 || ek.KeyId != a.Public().enc.KeyId {
		t.Fatalf("first packet %T %+v, want a v3 PKESK to the encryption subkey", p, p)
	}
	p, err = r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if se, ok := p.(*packet.SymmetricallyEncrypted); !ok || se.Version != 1 || !se.IntegrityProtected {
		t.Fatalf("second packet %T %+v, want SEIPDv1", p, p)
	}
	md, err := pgp.ReadMessage(bytes.NewReader(ct), pgp.EntityList{a.entity}, nil, config)
	if err != nil {
		t.Fatal(err)
	}
	if md.DecryptedWithAlgorithm != packet.CipherAES256 {
		t.Errorf("cipher %v, want AES-256", md.DecryptedWithAlgorithm)
	}
}

// Many goroutines share one Public and one Identity; run with -race.
func TestConcurrentUse(t *testing.T) {
	a := alice()
	pub := a.Public()
	msg := []byte("concurrent")
	sig, err := a.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := pub.Encrypt(msg)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 8 {
		wg.Go(func() {
			for range 10 {
				if err := pub.Verify(msg, sig); err != nil {
					errs <- err
				}
				s, err := a.Sign(msg)
				if err == nil {
					err = pub.Verify(msg, s)
				}
				if err != nil {
					errs <- err
				}
				c, err := pub.Encrypt(msg)
				if err == nil {
					_, err = a.Decrypt(c)
				}
				if err != nil {
					errs <- err
				}
				if _, err := a.Decrypt(ct); err != nil {
					errs <- err
				}
				_ = a.Locked()
				_ = pub.Bytes()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := dir + "/key.asc"
	big := dir + "/big.bin"
	if err := os.WriteFile(ok, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, make([]byte, maxKeySize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(ok); err != nil || len(b) != 37 {
		t.Fatalf("ReadFile(key) = %d bytes, %v", len(b), err)
	}
	if _, err := ReadFile(big); err == nil || !strings.Contains(err.Error(), big) {
		t.Fatalf("ReadFile(oversize) = %v, want an error naming the file", err)
	}
	if _, err := ReadFile(dir + "/missing.asc"); err == nil {
		t.Fatal("ReadFile of a missing file succeeded")
	}
}
