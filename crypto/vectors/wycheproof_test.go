package vectors

import (
	"bytes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudflare/circl/dh/x25519"
	"github.com/cloudflare/circl/sign/ed25519"
	"golang.org/x/crypto/chacha20poly1305"
)

// Wycheproof harness (RELIABILITY.md T8). The vector files are unmodified
// copies from C2SP/wycheproof; see testdata/wycheproof/README.md.
//
// For each file: every "valid" case must be accepted with exactly the
// expected output, every "invalid" case must be rejected, and every
// "acceptable" case must match the decision its flags get from the file's
// decision table (see decision and expectation below).

// TestWycheproof runs each vector file as a parallel subtest, and each test
// group in it as a parallel subtest of that.
func TestWycheproof(t *testing.T) {
	t.Parallel()
	for _, f := range wycheproofFiles {
		t.Run(strings.TrimSuffix(f.name, "_test.json"), func(t *testing.T) {
			t.Parallel()
			f.run(t)
		})
	}
}

var wycheproofFiles = []struct {
	name string
	run  func(*testing.T)
}{
	{"xchacha20_poly1305_test.json", testXChaCha20Poly1305},
	{"chacha20_poly1305_test.json", testChaCha20Poly1305},
	{"hkdf_sha256_test.json", testHKDFSHA256},
	{"hmac_sha256_test.json", testHMACSHA256},
	{"ed25519_test.json", testEd25519},
	{"x25519_test.json", testX25519},
}

// --- AEAD: XChaCha20-Poly1305 and ChaCha20-Poly1305 ---

type aeadGroup struct {
	groupHeader
	KeySize int        `json:"keySize"` // bits
	IVSize  int        `json:"ivSize"`  // bits
	TagSize int        `json:"tagSize"` // bits
	Tests   []aeadCase `json:"tests"`
}

func (g aeadGroup) cases() []aeadCase { return g.Tests }

type aeadCase struct {
	testCase
	Key hexBytes `json:"key"`
	IV  hexBytes `json:"iv"`
	AAD hexBytes `json:"aad"`
	Msg hexBytes `json:"msg"`
	CT  hexBytes `json:"ct"`
	Tag hexBytes `json:"tag"`
}

// testXChaCha20Poly1305 checks chacha20poly1305.NewX, the AEAD that
// sealroom/crypto/seal seals every vault record with.
func testXChaCha20Poly1305(t *testing.T) {
	runWycheproof(t, fileSpec{
		file:      "xchacha20_poly1305_test.json",
		algorithm: "XCHACHA20-POLY1305",
		groupType: "AeadTest",
	}, aeadCheck(chacha20poly1305.NewX))
}

// testChaCha20Poly1305 checks chacha20poly1305.New, which wraps keys in the
// escrow KEM.
func testChaCha20Poly1305(t *testing.T) {
	runWycheproof(t, fileSpec{
		file:      "chacha20_poly1305_test.json",
		algorithm: "CHACHA20-POLY1305",
		groupType: "AeadTest",
	}, aeadCheck(chacha20poly1305.New))
}

// aeadCheck runs one AeadTest case in both directions. The implementation
// accepts the vector if Open returns the plaintext or Seal produces
// ct||tag. A valid case needs both, with exact outputs. An invalid case
// needs neither. x/crypto panics on a nonce of the wrong length, and that
// counts as a refusal: Sealroom's callers only ever pass NonceSize() bytes.
func aeadCheck(newAEAD func(key []byte) (cipher.AEAD, error)) func(*testing.T, aeadGroup, aeadCase) outcome {
	return func(t *testing.T, g aeadGroup, c aeadCase) outcome {
		if g.TagSize != 8*chacha20poly1305.Overhead {
			t.Errorf("tcId %d: group tagSize %d bits, the AEAD's tag is %d bits", c.TcID, g.TagSize, 8*chacha20poly1305.Overhead)
		}
		aead, err := newAEAD(c.Key)
		if err != nil {
			return outcome{accepted: false, detail: "New: " + err.Error()}
		}
		want := slices.Concat(c.CT, c.Tag)

		sealed, sealErr := noPanic(func() ([]byte, error) { return aead.Seal(nil, c.IV, c.Msg, c.AAD), nil })
		opened, openErr := noPanic(func() ([]byte, error) { return aead.Open(nil, c.IV, want, c.AAD) })

		if len(c.IV) != aead.NonceSize() && sealErr == nil {
			t.Errorf("tcId %d: Seal accepted a %d-byte nonce (want %d bytes)", c.TcID, len(c.IV), aead.NonceSize())
		}
		sealOK := sealErr == nil && bytes.Equal(sealed, want)
		openOK := openErr == nil
		o := outcome{accepted: sealOK || openOK}
		var problems []string
		switch {
		case sealErr != nil:
			problems = append(problems, "Seal: "+sealErr.Error())
		case !sealOK:
			problems = append(problems, fmt.Sprintf("Seal gave %x, want %x", sealed, want))
		}
		switch {
		case openErr != nil:
			problems = append(problems, "Open: "+openErr.Error())
		case !bytes.Equal(opened, c.Msg):
			problems = append(problems, fmt.Sprintf("Open gave %x, want %x", opened, c.Msg))
		}
		o.detail = strings.Join(problems, "; ")
		o.mismatch = o.accepted && o.detail != ""
		return o
	}
}

// --- HKDF-SHA256 ---

type hkdfGroup struct {
	groupHeader
	Tests []hkdfCase `json:"tests"`
}

func (g hkdfGroup) cases() []hkdfCase { return g.Tests }

type hkdfCase struct {
	testCase
	IKM  hexBytes `json:"ikm"`
	Salt hexBytes `json:"salt"`
	Info hexBytes `json:"info"`
	Size int      `json:"size"` // bytes
	OKM  hexBytes `json:"okm"`
}

// testHKDFSHA256 checks the standard library's crypto/hkdf.Key with
// sha256.New, which derives Sealroom's record keys. The file's invalid cases
// ask for more than 255·HashLen bytes of output (flag SizeTooLarge), and
// hkdf.Key must return an error for them.
func testHKDFSHA256(t *testing.T) {
	runWycheproof(t, fileSpec{
		file:      "hkdf_sha256_test.json",
		algorithm: "HKDF-SHA-256",
		groupType: "HkdfTest",
	}, func(t *testing.T, g hkdfGroup, c hkdfCase) outcome {
		okm, err := hkdf.Key(sha256.New, c.IKM, c.Salt, string(c.Info), c.Size)
		if err != nil {
			return outcome{accepted: false, detail: err.Error()}
		}
		if !bytes.Equal(okm, c.OKM) {
			return outcome{accepted: true, mismatch: true, detail: fmt.Sprintf("okm %x, want %x", okm, c.OKM)}
		}
		return outcome{accepted: true}
	})
}

// --- HMAC-SHA256 ---

type macGroup struct {
	groupHeader
	KeySize int       `json:"keySize"` // bits
	TagSize int       `json:"tagSize"` // bits; tags may be truncated
	Tests   []macCase `json:"tests"`
}

func (g macGroup) cases() []macCase { return g.Tests }

type macCase struct {
	testCase
	Key hexBytes `json:"key"`
	Msg hexBytes `json:"msg"`
	Tag hexBytes `json:"tag"`
}

// testHMACSHA256 checks the standard library's crypto/hmac with sha256.New,
// which derives vault index ids and pseudonyms. Some groups truncate the tag
// to tagSize bits. The MAC is compared only over that prefix, the way a
// truncated MAC would be verified. The invalid cases (flag ModifiedTag) must
// fail that comparison.
func testHMACSHA256(t *testing.T) {
	runWycheproof(t, fileSpec{
		file:      "hmac_sha256_test.json",
		algorithm: "HMACSHA256",
		groupType: "MacTest",
	}, func(t *testing.T, g macGroup, c macCase) outcome {
		if g.TagSize%8 != 0 || g.TagSize <= 0 || g.TagSize > 8*sha256.Size {
			t.Fatalf("group tagSize %d bits is not a whole number of bytes in (0, 256]", g.TagSize)
		}
		m := hmac.New(sha256.New, c.Key)
		m.Write(c.Msg)
		tag := m.Sum(nil)[:g.TagSize/8]
		if !hmac.Equal(tag, c.Tag) {
			return outcome{accepted: false, detail: fmt.Sprintf("computed tag %x, vector tag %x", tag, c.Tag)}
		}
		return outcome{accepted: true}
	})
}

// --- Ed25519 ---

type eddsaGroup struct {
	groupHeader
	PublicKey struct {
		Curve string   `json:"curve"`
		PK    hexBytes `json:"pk"`
	} `json:"publicKey"`
	Tests []eddsaCase `json:"tests"`
}

func (g eddsaGroup) cases() []eddsaCase { return g.Tests }

type eddsaCase struct {
	testCase
	Msg hexBytes `json:"msg"`
	Sig hexBytes `json:"sig"`
}

// testEd25519 checks github.com/cloudflare/circl/sign/ed25519.Verify. Sealroom
// verifies Ed25519 only through github.com/ProtonMail/go-crypto v1.5.2, and
// that calls circl in both places, not crypto/ed25519 or
// golang.org/x/crypto/ed25519:
//   - the v4 "EdDSA legacy" path: openpgp/eddsa.Verify calls
//     ecc.(*ed25519).Verify in openpgp/internal/ecc/ed25519.go, which calls
//     ed25519lib.Verify, with ed25519lib = circl/sign/ed25519;
//   - the v6 Ed25519 path: openpgp/ed25519.Verify, which also calls circl
//     sign/ed25519.
//
// go-crypto left-pads the MPIs R and S back to 32 bytes before the call, so
// the 64-byte signatures here are exactly what circl receives.
func testEd25519(t *testing.T) {
	runWycheproof(t, fileSpec{
		file:      "ed25519_test.json",
		algorithm: "EDDSA",
		groupType: "EddsaVerify",
	}, func(t *testing.T, g eddsaGroup, c eddsaCase) outcome {
		if g.PublicKey.Curve != "edwards25519" {
			t.Fatalf("group public key curve %q, want edwards25519", g.PublicKey.Curve)
		}
		if ed25519.Verify(ed25519.PublicKey(g.PublicKey.PK), c.Msg, c.Sig) {
			return outcome{accepted: true}
		}
		return outcome{accepted: false, detail: "Verify returned false"}
	})
}

// --- X25519 ---

type xdhGroup struct {
	groupHeader
	Curve string    `json:"curve"`
	Tests []xdhCase `json:"tests"`
}

func (g xdhGroup) cases() []xdhCase { return g.Tests }

type xdhCase struct {
	testCase
	Public  hexBytes `json:"public"`
	Private hexBytes `json:"private"`
	Shared  hexBytes `json:"shared"`
}

// x25519Acceptable decides the file's "acceptable" cases. Each case carries
// several flags. A case must be rejected if any of its flags says reject.
// Otherwise the case must be accepted with exactly the listed shared secret.
//
// "Reject" means what go-crypto does: circl's x25519.Shared returns false,
// and ecc.(*curve25519).Encaps/Decaps turn that into
// errors.KeyInvalidError("ecc: the public key is a low order point").
var x25519Acceptable = map[string]decision{
	"LowOrderPublic": {reject, "a point of order 1, 2, 4 or 8 makes the shared secret a known " +
		"constant independent of our private key. Encrypting to it or decrypting from it would " +
		"be insecure, and go-crypto refuses both (circl checks the reduced u against its low-order list)"},
	"ZeroSharedSecret": {reject, "the RFC 7748 §6.1 all-zero check. The only inputs that give an " +
		"all-zero X25519 output are the low-order points, which we reject (LowOrderPublic)"},
	"SmallPublicKey": {reject, "u = 0 or u = 1, in canonical or non-canonical form. Both are " +
		"low-order points (every such case here also has LowOrderPublic)"},
	"Twist": {accept, "RFC 7748 §5 defines X25519 on the twist as well as the curve. circl computes " +
		"it and go-crypto uses the result. The value must be exact, since a wrong result on " +
		"the twist is what an invalid-curve attack exploits"},
	"NonCanonicalPublic": {accept, "RFC 7748 §5 masks bit 255 and reduces u ≥ p modulo p, and §7 " +
		"recommends accepting such keys. circl does both, and the result must be the RFC's value"},
	"SpecialPublicKey":       {accept, "arithmetic edge case in u: the exact shared secret is required"},
	"EdgeCaseMultiplication": {accept, "arithmetic edge case in the ladder: the exact shared secret is required"},
	"EdgeCaseShared":         {accept, "arithmetic edge case in the output: the exact shared secret is required"},
	"Ktv":                    {accept, "known test vector (RFC 7748) on the twist: the exact shared secret is required"},
}

// testX25519 checks github.com/cloudflare/circl/dh/x25519.Shared, which
// go-crypto v1.5.2 calls for OpenPGP ECDH over Curve25519 (cv25519, used by
// v4 keys) in openpgp/internal/ecc/curve25519.go (Encaps and Decaps), and
// also for v6 X25519 keys in openpgp/x25519. Neither crypto/ecdh nor
// golang.org/x/crypto/curve25519 is on that path.
func testX25519(t *testing.T) {
	runWycheproof(t, fileSpec{
		file:       "x25519_test.json",
		algorithm:  "XDH",
		groupType:  "XdhComp",
		acceptable: x25519Acceptable,
	}, func(t *testing.T, g xdhGroup, c xdhCase) outcome {
		if g.Curve != "curve25519" {
			t.Fatalf("group curve %q, want curve25519", g.Curve)
		}
		// go-crypto rejects points of any other length before the
		// call (ecc.(*curve25519).UnmarshalBytePoint returns nil).
		if len(c.Public) != x25519.Size || len(c.Private) != x25519.Size {
			return outcome{accepted: false, detail: fmt.Sprintf("key sizes %d/%d bytes", len(c.Public), len(c.Private))}
		}
		var shared, priv, pub x25519.Key
		copy(priv[:], c.Private)
		copy(pub[:], c.Public)
		if !x25519.Shared(&shared, &priv, &pub) {
			return outcome{accepted: false, detail: "Shared returned false (low-order public key)"}
		}
		if !bytes.Equal(shared[:], c.Shared) {
			return outcome{accepted: true, mismatch: true, detail: fmt.Sprintf("shared %x, want %x", shared, c.Shared)}
		}
		return outcome{accepted: true}
	})
}

// --- Generic harness ---

// hexBytes is a JSON string of hex digits, decoded when unmarshalled.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	if err != nil {
		return err
	}
	*h = d
	return nil
}

// wycheproofFile is the top level of a testvectors_v1 file.
type wycheproofFile[G any] struct {
	Algorithm     string `json:"algorithm"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []G    `json:"testGroups"`
}

type groupHeader struct {
	Type string `json:"type"`
}

func (h groupHeader) header() groupHeader { return h }

// testCase holds the fields every Wycheproof test case has.
type testCase struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Result  string   `json:"result"` // "valid", "invalid" or "acceptable"
	Flags   []string `json:"flags"`
}

func (c testCase) base() testCase { return c }

type vectorCase interface{ base() testCase }

type vectorGroup[C vectorCase] interface {
	header() groupHeader
	cases() []C
}

// fileSpec describes one vector file and what the harness checks about it.
type fileSpec struct {
	file      string
	algorithm string // the file's "algorithm" field
	groupType string // every group's "type" field

	// acceptable maps each flag that marks an "acceptable" case in this
	// file to the decision for it. A nil map means that the file must
	// contain no acceptable cases.
	acceptable map[string]decision
}

type verdict bool

const (
	accept verdict = true
	reject verdict = false
)

func (v verdict) String() string {
	if v == accept {
		return "accept"
	}
	return "reject"
}

// decision is what the tests require of the implementation for an
// "acceptable" case carrying a flag, and why.
type decision struct {
	verdict verdict
	why     string
}

// outcome is what the implementation did with one case.
type outcome struct {
	accepted bool   // it accepted the input (Open/Verify succeeded, Key returned no error…)
	mismatch bool   // it accepted, but an output differs from the vector's
	detail   string // what happened, for the failure message
}

// runWycheproof loads spec.file, checks its header, and runs each test group
// as a parallel subtest, calling check on every case. When all groups are
// done it logs how many valid, invalid and acceptable cases ran, and it fails
// if the file yielded no cases, if the count differs from numberOfTests, or
// if a decision in spec.acceptable was never used.
func runWycheproof[G vectorGroup[C], C vectorCase](t *testing.T, spec fileSpec, check func(*testing.T, G, C) outcome) {
	data, err := os.ReadFile(filepath.Join("testdata", "wycheproof", spec.file))
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofFile[G]
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", spec.file, err)
	}
	if f.Algorithm != spec.algorithm {
		t.Fatalf("%s: algorithm %q, want %q", spec.file, f.Algorithm, spec.algorithm)
	}
	total := 0
	for i, g := range f.TestGroups {
		if typ := g.header().Type; typ != spec.groupType {
			t.Fatalf("%s: group %d has type %q, want %q", spec.file, i, typ, spec.groupType)
		}
		total += len(g.cases())
	}
	if total == 0 {
		t.Fatalf("%s: no test cases", spec.file)
	}
	if total != f.NumberOfTests {
		t.Fatalf("%s: %d test cases, but numberOfTests is %d", spec.file, total, f.NumberOfTests)
	}

	var tally tally
	t.Run("groups", func(t *testing.T) {
		for i, g := range f.TestGroups {
			t.Run(fmt.Sprintf("group%02d", i), func(t *testing.T) {
				t.Parallel()
				for _, c := range g.cases() {
					tc := c.base()
					want, ok := expectation(t, spec, tc)
					if !ok {
						continue
					}
					got := check(t, g, c)
					tally.add(tc, want, spec.acceptable)
					label := fmt.Sprintf("tcId %d (%s, flags %v, %q)", tc.TcID, tc.Result, tc.Flags, tc.Comment)
					switch {
					case want == accept && !got.accepted:
						t.Errorf("%s: want accepted, was rejected: %s", label, got.detail)
					case want == accept && got.mismatch:
						t.Errorf("%s: accepted with the wrong output: %s", label, got.detail)
					case want == reject && got.accepted:
						t.Errorf("%s: want rejected, was accepted (%s)", label, got.detail)
					}
				}
			})
		}
	})

	tally.mu.Lock()
	defer tally.mu.Unlock()
	t.Logf("%s: %d cases: %d valid, %d invalid, %d acceptable (%d required accepted, %d required rejected)",
		spec.file, total, tally.valid, tally.invalid, tally.acceptable, tally.acceptableAccepted, tally.acceptableRejected)
	for _, flag := range slices.Sorted(maps.Keys(spec.acceptable)) {
		if tally.flagUses[flag] == 0 {
			t.Errorf("%s: decision table entry %q is used by no acceptable case; remove it or check the file", spec.file, flag)
			continue
		}
		rule := "reject"
		if spec.acceptable[flag].verdict == accept {
			rule = "accept with the exact output, unless another flag on the case says reject"
		}
		t.Logf("  acceptable flag %-22s on %3d cases: %s", flag, tally.flagUses[flag], rule)
	}
}

// expectation returns what the implementation must do with tc. For an
// acceptable case, every flag must have an entry in spec.acceptable, and the
// case must be rejected if any entry says reject. ok is false (and the test
// has failed) if the case cannot be decided.
func expectation(t *testing.T, spec fileSpec, tc testCase) (want verdict, ok bool) {
	t.Helper()
	switch tc.Result {
	case "valid":
		return accept, true
	case "invalid":
		return reject, true
	case "acceptable":
		if spec.acceptable == nil {
			t.Errorf("%s: tcId %d is acceptable (flags %v), but this file has no decision table", spec.file, tc.TcID, tc.Flags)
			return false, false
		}
		if len(tc.Flags) == 0 {
			t.Errorf("%s: tcId %d is acceptable with no flags, so no decision applies", spec.file, tc.TcID)
			return false, false
		}
		want, ok = accept, true
		for _, flag := range tc.Flags {
			d, found := spec.acceptable[flag]
			if !found {
				t.Errorf("%s: tcId %d is acceptable with flag %q, which the decision table does not document", spec.file, tc.TcID, flag)
				ok = false
				continue
			}
			if d.verdict == reject {
				want = reject
			}
		}
		return want, ok
	default:
		t.Errorf("%s: tcId %d has unknown result %q", spec.file, tc.TcID, tc.Result)
		return false, false
	}
}

// tally counts the cases run in one file; groups add to it concurrently.
type tally struct {
	mu                                     sync.Mutex
	valid, invalid, acceptable             int
	acceptableAccepted, acceptableRejected int
	flagUses                               map[string]int // acceptable cases per flag
}

func (ta *tally) add(tc testCase, want verdict, table map[string]decision) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	switch tc.Result {
	case "valid":
		ta.valid++
	case "invalid":
		ta.invalid++
	case "acceptable":
		ta.acceptable++
		if want == accept {
			ta.acceptableAccepted++
		} else {
			ta.acceptableRejected++
		}
		if ta.flagUses == nil {
			ta.flagUses = make(map[string]int)
		}
		for _, flag := range tc.Flags {
			if _, ok := table[flag]; ok {
				ta.flagUses[flag]++
			}
		}
	}
}

// noPanic calls f and turns a panic into an error, for primitives that panic
// on malformed arguments (x/crypto's AEADs on a wrong-sized nonce).
func noPanic(f func() ([]byte, error)) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}
