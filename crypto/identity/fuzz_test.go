package identity

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var fuzzMsg = []byte("fuzzed message")

// FuzzParse feeds arbitrary bytes to every parser: ParsePublic,
// ParseSecret, Verify (as the signature) and Decrypt (as the message). None
// may panic; each either fails with an identity error or returns something
// that behaves.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	seeds := 0
	for _, name := range files {
		if strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".sh") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		seeds++
	}
	if seeds < 10 { // the fixtures are missing: the fuzzer would start blind
		f.Fatalf("found %d fixture files in testdata, want at least 10", seeds)
	}
	a := alice()
	secret, err := a.ArmorSecret()
	if err != nil {
		f.Fatal(err)
	}
	sig, err := a.Sign(fuzzMsg)
	if err != nil {
		f.Fatal(err)
	}
	ct, err := a.Public().Encrypt(fuzzMsg)
	if err != nil {
		f.Fatal(err)
	}
	raw, err := dearmor(secret, secretKeyBlock)
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range [][]byte{a.Public().Armor(), a.Public().Bytes(), secret, raw, sig, ct} {
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := ParsePublic(b); err == nil {
			again, err := ParsePublic(p.Bytes())
			if err != nil || !again.Equal(p) {
				t.Fatalf("a parsed public key does not round-trip: %v", err)
			}
			_ = p.Verify(fuzzMsg, b)
		} else if p != nil || !strings.HasPrefix(err.Error(), "identity: ") {
			t.Fatalf("ParsePublic failed with %v but returned %v", err, p)
		}

		if id, err := ParseSecret(b); err == nil {
			if !id.Locked() {
				s, err := id.Sign(fuzzMsg)
				if err == nil {
					if err := id.Public().Verify(fuzzMsg, s); err != nil {
						t.Fatalf("a parsed secret key's signature does not verify: %v", err)
					}
				}
			}
		} else if id != nil || !strings.HasPrefix(err.Error(), "identity: ") {
			t.Fatalf("ParseSecret failed with %v but returned %v", err, id)
		}

		if err := a.Public().Verify(fuzzMsg, b); err != nil && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("Verify of junk: %v, want ErrBadSignature", err)
		}
		if pt, err := a.Decrypt(b); err != nil && pt != nil {
			t.Fatal("Decrypt returned plaintext with an error")
		}
	})
}
