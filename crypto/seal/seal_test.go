package seal

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var testAD = AD{Vault: []byte("vault-0123456789"), Bucket: "chunks", Key: []byte{0, 0, 0, 1}, Version: 1}

func TestRoundTrip(t *testing.T) {
	k := mustKey(t)
	for _, n := range []int{0, 1, 31, 32, 4096, 1 << 16} {
		pt := bytes.Repeat([]byte{'x'}, n)
		ct, err := Seal(nil, k, testAD, pt)
		if err != nil {
			t.Fatal(err)
		}
		if len(ct) != n+Overhead {
			t.Fatalf("len %d: sealed %d bytes, want %d", n, len(ct), n+Overhead)
		}
		got, err := Open(nil, k, testAD, ct)
		if err != nil {
			t.Fatalf("len %d: %v", n, err)
		}
		if !bytes.Equal(got, pt) {
			t.Fatalf("len %d: round trip changed the plaintext", n)
		}
	}
}

func TestSealAppendsToDst(t *testing.T) {
	k := mustKey(t)
	prefix := []byte("prefix")
	ct, err := Seal(bytes.Clone(prefix), k, testAD, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(ct, prefix) {
		t.Fatal("Seal did not keep dst")
	}
	if _, err := Open(nil, k, testAD, ct[len(prefix):]); err != nil {
		t.Fatal(err)
	}
}

// TestPlaceIsBound is T2: a record moved to another vault, bucket or key, or
// presented as another version, fails authentication.
func TestPlaceIsBound(t *testing.T) {
	k := mustKey(t)
	ct, err := Seal(nil, k, testAD, []byte("message body"))
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string]AD{
		"other vault":   {Vault: []byte("vault-0123456788"), Bucket: testAD.Bucket, Key: testAD.Key, Version: 1},
		"other bucket":  {Vault: testAD.Vault, Bucket: "convs", Key: testAD.Key, Version: 1},
		"other key":     {Vault: testAD.Vault, Bucket: testAD.Bucket, Key: []byte{0, 0, 0, 2}, Version: 1},
		"older version": {Vault: testAD.Vault, Bucket: testAD.Bucket, Key: testAD.Key, Version: 0},
		"newer version": {Vault: testAD.Vault, Bucket: testAD.Bucket, Key: testAD.Key, Version: 2},
		// Length prefixes keep field boundaries: moving a byte from the
		// bucket into the key must not give the same associated data.
		"shifted boundary": {Vault: testAD.Vault, Bucket: "chunk", Key: append([]byte("s"), testAD.Key...), Version: 1},
	}
	for name, ad := range moved {
		if _, err := Open(nil, k, ad, ct); !errors.Is(err, ErrAuth) {
			t.Errorf("%s: got %v, want ErrAuth", name, err)
		}
	}
	if _, err := Open(nil, mustKey(t), testAD, ct); !errors.Is(err, ErrAuth) {
		t.Errorf("other key: got %v, want ErrAuth", err)
	}
}

// TestEveryByteIsAuthenticated flips each byte of a sealed record in turn
// (T1 at the record level).
func TestEveryByteIsAuthenticated(t *testing.T) {
	k := mustKey(t)
	ct, err := Seal(nil, k, testAD, []byte("a short chunk of messages"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ct {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x01
		if _, err := Open(nil, k, testAD, bad); err == nil {
			t.Fatalf("flip at byte %d accepted", i)
		}
	}
	for n := 0; n < len(ct); n++ {
		if _, err := Open(nil, k, testAD, ct[:n]); err == nil {
			t.Fatalf("truncation to %d bytes accepted", n)
		}
	}
}

func TestUnknownFormatByte(t *testing.T) {
	k := mustKey(t)
	ct, _ := Seal(nil, k, testAD, []byte("x"))
	ct[0] = 0x02
	if _, err := Open(nil, k, testAD, ct); !errors.Is(err, ErrFormat) {
		t.Fatalf("got %v, want ErrFormat", err)
	}
}

// TestNoRepeatedNonce is T8's uniqueness check: the same plaintext sealed
// many times under one key never repeats a nonce or a ciphertext.
func TestNoRepeatedNonce(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 50_000
	}
	k := mustKey(t)
	seen := make(map[[nonceSize]byte]struct{}, n)
	pt := []byte("same plaintext")
	buf := make([]byte, 0, len(pt)+Overhead)
	for i := 0; i < n; i++ {
		ct, err := Seal(buf[:0], k, testAD, pt)
		if err != nil {
			t.Fatal(err)
		}
		var nonce [nonceSize]byte
		copy(nonce[:], ct[1:])
		if _, dup := seen[nonce]; dup {
			t.Fatalf("nonce repeated after %d seals", i)
		}
		seen[nonce] = struct{}{}
	}
}

func TestKeyChecks(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := KeyFromBytes(make([]byte, n)); !errors.Is(err, ErrKey) {
			t.Errorf("%d-byte key: got %v, want ErrKey", n, err)
		}
	}
	if _, err := KeyFromBytes(make([]byte, KeySize)); !errors.Is(err, ErrKey) {
		t.Error("all-zero key accepted")
	}
	var zero Key
	if _, err := Seal(nil, &zero, testAD, nil); !errors.Is(err, ErrKey) {
		t.Errorf("zero Key: got %v, want ErrKey", err)
	}
	if _, err := Seal(nil, nil, testAD, nil); !errors.Is(err, ErrKey) {
		t.Errorf("nil Key: got %v, want ErrKey", err)
	}
	k := mustKey(t)
	k.Destroy()
	if _, err := Open(nil, k, testAD, make([]byte, Overhead)); !errors.Is(err, ErrKey) {
		t.Errorf("destroyed Key: got %v, want ErrKey", err)
	}
}

func TestKeyEqualAndExport(t *testing.T) {
	a := mustKey(t)
	b, err := KeyFromBytes(a.MarshalSecret())
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) || a.Equal(mustKey(t)) {
		t.Fatal("Equal is wrong")
	}
}

func TestDeriveIsDomainSeparated(t *testing.T) {
	k := mustKey(t)
	a, _ := k.Derive("index", nil)
	b, _ := k.Derive("review", nil)
	c, _ := k.Derive("index", []byte("x"))
	a2, _ := k.Derive("index", nil)
	if a.Equal(b) || a.Equal(c) || !a.Equal(a2) {
		t.Fatal("derived keys are not separated by label and context")
	}
	// "ab"+"" must differ from "a"+"b": the label is terminated.
	d, _ := k.Derive("ab", nil)
	e, _ := k.Derive("a", []byte("b"))
	if d.Equal(e) {
		t.Fatal("label and context are not separated")
	}
}

// TestKeyDoesNotPrint checks that formatting a key shows nothing of it.
func benchmarkSeal(b *testing.B, size int) {
	k := mustKey(b)
	pt := make([]byte, size)
	dst := make([]byte, 0, size+Overhead)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Seal(dst[:0], k, testAD, pt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeal2KiB(b *testing.B)  { benchmarkSeal(b, 2048) }
func BenchmarkSeal64KiB(b *testing.B) { benchmarkSeal(b, 64<<10) }

func BenchmarkOpen2KiB(b *testing.B) {
	k := mustKey(b)
	ct, _ := Seal(nil, k, testAD, make([]byte, 2048))
	dst := make([]byte, 0, 2048)
	b.SetBytes(2048)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(dst[:0], k, testAD, ct); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKeyDoesNotPrint(t *testing.T) {
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	raw := k.MarshalSecret()
	hexKey := fmt.Sprintf("%x", raw)
	type holder struct {
		K *Key
		V Key
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		for _, v := range []any{k, *k, holder{k, *k}, []*Key{k}} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, hexKey) || strings.Contains(out, fmt.Sprint(raw)) || strings.Contains(out, string(raw)) {
				t.Fatalf("%s printed key material: %s", verb, out)
			}
		}
	}
}
