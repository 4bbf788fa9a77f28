package identity

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// GnuPG interoperability, each test in its own throw-away GNUPGHOME. The
// tests are skipped (with the reason printed) where gpg is not installed.

type gnupg struct {
	t    *testing.T
	home string
}

func newGnuPG(t *testing.T) *gnupg {
	t.Helper()
	if testing.Short() {
		t.Skip("GnuPG interop takes seconds; skipped with -short")
	}
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skipf("GnuPG interop not tested: gpg is not installed (%v)", err)
	}
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	// No passphrase caching, so that every passphrase given is checked.
	conf := "default-cache-ttl 0\nmax-cache-ttl 0\nallow-loopback-pinentry\n"
	if err := os.WriteFile(filepath.Join(home, "gpg-agent.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	g := &gnupg{t: t, home: home}
	t.Cleanup(func() {
		cmd := exec.Command("gpgconf", "--kill", "gpg-agent")
		cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
		cmd.Run()
	})
	return g
}

// run runs gpg non-interactively with passphrase pass and returns its
// standard output and its standard error (which carries the status lines).
func (g *gnupg) run(pass []byte, args ...string) (stdout, stderr []byte, err error) {
	base := []string{"--batch", "--yes", "--no-tty", "--status-fd", "2",
		"--pinentry-mode", "loopback", "--passphrase", string(pass), "--trust-model", "always"}
	cmd := exec.Command("gpg", append(base, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+g.home)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.Bytes(), errOut.Bytes(), err
}

// must runs gpg and fails the test if it fails.
func (g *gnupg) must(pass []byte, args ...string) []byte {
	g.t.Helper()
	out, stderr, err := g.run(pass, args...)
	if err != nil {
		g.t.Fatalf("gpg %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// file writes b to a new file in the test's directory and returns its path.
func (g *gnupg) file(name string, b []byte) string {
	g.t.Helper()
	p := filepath.Join(g.t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		g.t.Fatal(err)
	}
	return p
}

// keyAlgorithms returns the fingerprint of the key with user ID email and
// the public-key algorithm numbers of its primary key and subkeys.
func (g *gnupg) keyAlgorithms(email string) (fpr string, algos []string) {
	g.t.Helper()
	out := g.must(nil, "--with-colons", "--list-keys", email)
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(line, ":")
		switch {
		case len(f) > 9 && f[0] == "fpr" && fpr == "":
			fpr = f[9]
		case len(f) > 3 && (f[0] == "pub" || f[0] == "sub"):
			algos = append(algos, f[3])
		}
	}
	if fpr == "" {
		g.t.Fatalf("gpg lists no key for %s", email)
	}
	return fpr, algos
}

// gpgVerifies fails the test unless gpg reports a good signature by fpr.
func (g *gnupg) gpgVerifies(fpr string, msg, sig []byte) {
	g.t.Helper()
	_, stderr, err := g.run(nil, "--verify", g.file("msg.sig", sig), g.file("msg", msg))
	if err != nil || !bytes.Contains(stderr, []byte("[GNUPG:] VALIDSIG "+fpr)) {
		g.t.Fatalf("gpg --verify: %v\n%s", err, stderr)
	}
}

var interopMsg = []byte("audit entry 17: officer approved request r-4 for 24h\n")

// (a) A key made here works in GnuPG.
func TestGnuPGReadsOurKey(t *testing.T) {
	t.Parallel()
	g := newGnuPG(t)
	id, err := New("Go Member", "go-member@example.test", testPass)
	if err != nil {
		t.Fatal(err)
	}
	pub := id.Public()
	fpr := pub.Fingerprint()
	g.must(nil, "--import", g.file("pub.asc", pub.Armor()))

	sig, err := id.Sign(interopMsg)
	if err != nil {
		t.Fatal(err)
	}
	g.gpgVerifies(fpr, interopMsg, sig)
	if _, stderr, err := g.run(nil, "--verify", g.file("s", sig), g.file("m", append([]byte("x"), interopMsg...))); err == nil {
		t.Fatalf("gpg accepted our signature over another message:\n%s", stderr)
	}

	armored, err := id.ArmorSecret()
	if err != nil {
		t.Fatal(err)
	}
	listing := string(g.must(nil, "--list-packets", g.file("sec.asc", armored)))
	for _, want := range []string{"iter+salt S2K, algo: 9, SHA1 protection, hash: 8", "protect count: 65011712"} {
		if strings.Count(listing, want) != 2 {
			t.Errorf("gpg --list-packets of ArmorSecret: want %q for both keys in:\n%s", want, listing)
		}
	}
	g.must(testPass, "--import", g.file("sec.asc", armored))
	if _, stderr, err := g.run([]byte("wrong"), "--armor", "--export-secret-keys", fpr); err == nil {
		t.Fatalf("gpg exported the secret key with a wrong passphrase:\n%s", stderr)
	}
	exported := g.must(testPass, "--armor", "--export-secret-keys", fpr)
	back, err := ParseSecret(exported)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Unlock(testPass); err != nil {
		t.Fatalf("unlocking the key gpg exported: %v", err)
	}
	if !back.Public().Equal(pub) {
		t.Error("gpg's export of our key has another public key")
	}

	ct, err := pub.Encrypt(interopMsg)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.must(testPass, "--decrypt", g.file("msg.gpg", ct)); !bytes.Equal(got, interopMsg) {
		t.Fatalf("gpg --decrypt = %q", got)
	}

	in := g.file("plain", interopMsg)
	for name, args := range map[string][]string{
		"encrypt":      {"--encrypt", "--recipient", fpr},
		"sign+encrypt": {"--sign", "--local-user", fpr, "--encrypt", "--recipient", fpr},
	} {
		out := filepath.Join(t.TempDir(), "out.gpg")
		g.must(testPass, append(args, "--output", out, in)...)
		ct, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := id.Decrypt(ct); err != nil || !bytes.Equal(got, interopMsg) {
			t.Errorf("%s by gpg: Decrypt = %q, %v", name, got, err)
		}
	}

	sigFile := filepath.Join(t.TempDir(), "gpg.sig")
	g.must(testPass, "--local-user", fpr, "--detach-sign", "--output", sigFile, in)
	gpgSig, err := os.ReadFile(sigFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Verify(interopMsg, gpgSig); err != nil {
		t.Errorf("Verify of gpg's signature with our key: %v", err)
	}
}

// (b) Keys made by GnuPG work here.
func TestGnuPGKeys(t *testing.T) {
	t.Parallel()
	gpgPass := []byte("gpg side passphrase")
	for _, tc := range []struct {
		name  string
		algos string // expected primary and subkey algorithms; "" for any
		make  func(g *gnupg, uid string)
	}{
		{"ed25519", "22,18", func(g *gnupg, uid string) {
			g.must(gpgPass, "--quick-gen-key", uid, "ed25519", "sign", "0")
			fpr, _ := g.keyAlgorithms(uid)
			g.must(gpgPass, "--quick-add-key", fpr, "cv25519", "encr", "0")
		}},
		{"future-default", "22,18", func(g *gnupg, uid string) {
			g.must(gpgPass, "--quick-gen-key", uid, "future-default", "default", "0")
		}},
		// Plain --quick-gen-key: RSA-3072 in GnuPG 2.2, ed25519 in later
		// versions; either must work.
		{"default", "", func(g *gnupg, uid string) {
			g.must(gpgPass, "--quick-gen-key", uid)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := newGnuPG(t)
			uid := "Gpg Member <gpg-" + tc.name + "@example.test>"
			tc.make(g, uid)
			fpr, algos := g.keyAlgorithms(uid)
			if got := strings.Join(algos, ","); tc.algos != "" && got != tc.algos {
				t.Skipf("gpg's %s key has algorithms %s, not %s (ed25519/cv25519)", tc.name, got, tc.algos)
			}
			t.Logf("gpg key algorithms: %v", algos)
			pub, err := ParsePublic(g.must(nil, "--armor", "--export", fpr))
			if err != nil {
				t.Fatal(err)
			}
			if pub.Fingerprint() != fpr || pub.UserID() != uid {
				t.Fatalf("parsed %s %q, gpg says %s %q", pub.Fingerprint(), pub.UserID(), fpr, uid)
			}
			id, err := ParseSecret(g.must(gpgPass, "--armor", "--export-secret-keys", fpr))
			if err != nil {
				t.Fatal(err)
			}
			if !id.Locked() || !id.Public().Equal(pub) {
				t.Fatalf("secret key: locked %v, same public key %v", id.Locked(), id.Public().Equal(pub))
			}
			if err := id.Unlock([]byte("wrong")); !errors.Is(err, ErrWrongPassphrase) {
				t.Fatalf("Unlock(wrong) = %v", err)
			}
			if err := id.Unlock(gpgPass); err != nil {
				t.Fatal(err)
			}

			sig, err := id.Sign(interopMsg)
			if err != nil {
				t.Fatal(err)
			}
			g.gpgVerifies(fpr, interopMsg, sig)

			in := g.file("plain", interopMsg)
			sigFile := filepath.Join(t.TempDir(), "gpg.sig")
			g.must(gpgPass, "--local-user", fpr, "--detach-sign", "--output", sigFile, in)
			gpgSig, err := os.ReadFile(sigFile)
			if err != nil {
				t.Fatal(err)
			}
			if err := pub.Verify(interopMsg, gpgSig); err != nil {
				t.Errorf("Verify of gpg's signature: %v", err)
			}

			out := filepath.Join(t.TempDir(), "msg.gpg")
			g.must(nil, "--encrypt", "--recipient", fpr, "--output", out, in)
			ct, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := id.Decrypt(ct); err != nil || !bytes.Equal(got, interopMsg) {
				t.Errorf("Decrypt of gpg's message = %q, %v", got, err)
			}
			ours, err := pub.Encrypt(interopMsg)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.must(gpgPass, "--decrypt", g.file("ours.gpg", ours)); !bytes.Equal(got, interopMsg) {
				t.Errorf("gpg --decrypt of our message = %q", got)
			}
		})
	}
}

// A key GnuPG revoked, and a key that expired, as GnuPG records them.
func TestGnuPGRevokedAndExpired(t *testing.T) {
	t.Parallel()
	g := newGnuPG(t)
	pass := []byte("p")
	in := g.file("plain", interopMsg)
	detachSign := func(fpr string, extra ...string) []byte {
		out := filepath.Join(t.TempDir(), "s.sig")
		g.must(pass, append(extra, "--local-user", fpr, "--detach-sign", "--output", out, in)...)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// Revoked with the certificate gpg wrote at key generation (reason 0).
	uid := "Revoked <revoked@example.test>"
	g.must(pass, "--quick-gen-key", uid, "ed25519", "sign", "0")
	fpr, _ := g.keyAlgorithms(uid)
	g.must(pass, "--quick-add-key", fpr, "cv25519", "encr", "0")
	sig := detachSign(fpr)
	cert, err := os.ReadFile(filepath.Join(g.home, "openpgp-revocs.d", fpr+".rev"))
	if err != nil {
		t.Fatal(err)
	}
	cert = bytes.Replace(cert, []byte(":-----BEGIN"), []byte("-----BEGIN"), 1) // gpg's guard against accidental import
	g.must(nil, "--import", g.file("rev.asc", cert))
	pub, err := ParsePublic(g.must(nil, "--armor", "--export", fpr))
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Verify(interopMsg, sig); !errors.Is(err, ErrKeyRevoked) {
		t.Errorf("signature by a key gpg revoked: %v, want ErrKeyRevoked", err)
	}
	if _, err := pub.Encrypt(interopMsg); !errors.Is(err, ErrKeyRevoked) {
		t.Errorf("Encrypt to a key gpg revoked: %v, want ErrKeyRevoked", err)
	}

	// Made two days ago with a one-day lifetime; it signed while valid.
	past := time.Now().Add(-48 * time.Hour).Unix()
	faked := func(offset time.Duration) string {
		return fmt.Sprintf("--faked-system-time=%d", past+int64(offset/time.Second))
	}
	uid = "Expired <expired@example.test>"
	g.must(pass, faked(0), "--quick-gen-key", uid, "ed25519", "sign", "1d")
	fpr, _ = g.keyAlgorithms(uid)
	g.must(pass, faked(time.Minute), "--quick-add-key", fpr, "cv25519", "encr", "1d")
	sig = detachSign(fpr, faked(time.Hour), "--ignore-time-conflict")
	pub, err = ParsePublic(g.must(nil, "--armor", "--export", fpr))
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Verify(interopMsg, sig); err != nil {
		t.Errorf("signature made while the key was valid: %v", err)
	}
	if _, err := pub.Encrypt(interopMsg); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("Encrypt to an expired key: %v, want ErrKeyExpired", err)
	}
	id, err := ParseSecret(g.must(pass, "--armor", "--export-secret-keys", fpr))
	if err != nil {
		t.Fatal(err)
	}
	if err := id.Unlock(pass); err != nil {
		t.Fatal(err)
	}
	if _, err := id.Sign(interopMsg); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("Sign with an expired key: %v, want ErrKeyExpired", err)
	}
	late := craft(t, id, interopMsg, func(s *packet.Signature) { s.CreationTime = time.Now() })
	if err := pub.Verify(interopMsg, late); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("signature made after expiry: %v, want ErrKeyExpired", err)
	}
}
