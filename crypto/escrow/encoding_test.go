package escrow

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
)

// parsers maps a type name to a function that parses b and re-marshals the
// result.
var parsers = map[string]func(b []byte) ([]byte, error){
	"public key": func(b []byte) ([]byte, error) {
		pk, err := ParsePublicKey(b)
		if err != nil {
			return nil, nilOr(pk == nil, err)
		}
		return pk.MarshalBinary()
	},
	"share": func(b []byte) ([]byte, error) {
		s, err := ParseShare(b)
		if err != nil {
			return nil, nilOr(s == nil, err)
		}
		return s.MarshalSecret(), nil
	},
	"wrapped": func(b []byte) ([]byte, error) {
		w, err := ParseWrapped(b)
		if err != nil {
			return nil, nilOr(w == nil, err)
		}
		return w.MarshalBinary()
	},
	"partials": func(b []byte) ([]byte, error) {
		p, err := ParsePartials(b)
		if err != nil {
			return nil, nilOr(p == nil, err)
		}
		return p.MarshalBinary()
	},
}

var errPartialObject = errors.New("parser returned an object with its error")

// nilOr returns err, or errPartialObject if the parser returned a value
// together with the error.
func nilOr(isNil bool, err error) error {
	if !isNil {
		return errPartialObject
	}
	return err
}

// Invalid ristretto255 encodings, one per category of RFC 9496 A.2.
var invalidPoints = []string{
	"00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // non-canonical field element
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p itself, a non-canonical 0
	"0100000000000000000000000000000000000000000000000000000000000000", // negative field element
	"26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371", // non-square x²
	"3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e", // negative xy
}

// The group order ℓ, little-endian: the smallest non-canonical scalar.
const groupOrderHex = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"

type encodingCase struct {
	name     string
	parser   string
	data     []byte
	field    string // must appear in the error
	identity bool   // must also match ErrIdentityElement
}

// validEncodings is one well-formed encoding of each type, made once.
var validEncodings = sync.OnceValue(func() map[string][]byte {
	pk, shares, err := Deal(3, 5)
	if err != nil {
		panic(err)
	}
	sc := &Scope{VaultID: []byte("v"), RequestID: []byte("r")}
	for _, id := range []string{"a", "b"} {
		w, err := Wrap(pk, make([]byte, DEKSize), WrapContext{VaultID: sc.VaultID, ChunkID: []byte(id)})
		if err != nil {
			panic(err)
		}
		sc.Chunks = append(sc.Chunks, ChunkRef{ID: []byte(id), Wrapped: w})
	}
	p, err := shares[1].Approve(pk, sc)
	if err != nil {
		panic(err)
	}
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	return map[string][]byte{
		"public key": must(pk.MarshalBinary()),
		"share":      shares[1].MarshalSecret(),
		"wrapped":    must(sc.Chunks[0].Wrapped.MarshalBinary()),
		"partials":   must(p.MarshalBinary()),
	}
})

// malformedCases lists hostile encodings of every type. The table test and
// the fuzz seeds share it; append cases found by fuzzing at the end.
func malformedCases() []encodingCase {
	v := validEncodings()
	with := func(b []byte, off int, patch []byte) []byte {
		b = bytes.Clone(b)
		copy(b[off:], patch)
		return b
	}
	hexb := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			panic(err)
		}
		return b
	}
	zero32 := make([]byte, 32)
	var cs []encodingCase
	for name, b := range v {
		cs = append(cs,
			encodingCase{name + ": empty", name, nil, name, false},
			encodingCase{name + ": version only", name, b[:1], name, false},
			encodingCase{name + ": truncated", name, b[:len(b)-1], name, false},
			encodingCase{name + ": trailing byte", name, append(bytes.Clone(b), 0), name, false},
			encodingCase{name + ": doubled", name, append(bytes.Clone(b), b...), name, false},
			encodingCase{name + ": version 0", name, with(b, 0, []byte{0}), "version", false},
			encodingCase{name + ": next version", name, with(b, 0, []byte{b[0] + 1}), "version", false},
		)
		// Each type's encoding is refused by every other parser.
		for other := range v {
			if other != name {
				cs = append(cs, encodingCase{name + " parsed as " + other, other, b, "version", false})
			}
		}
	}
	pk, share, wrapped, parts := v["public key"], v["share"], v["wrapped"], v["partials"]
	cs = append(cs,
		encodingCase{"public key: threshold 1", "public key", with(pk[:3+32], 1, []byte{1}), "threshold", false},
		encodingCase{"public key: threshold 0", "public key", with(pk[:3], 1, []byte{0}), "threshold", false},
		encodingCase{"public key: k > n", "public key", with(pk, 2, []byte{2}), "threshold", false},
		encodingCase{"public key: n = 33", "public key", with(pk, 2, []byte{33}), "threshold", false},
		encodingCase{"public key: X is the identity", "public key", with(pk, 3, zero32), "commitment 0", true},
		encodingCase{"public key: C_2 is the identity", "public key", with(pk, 3+64, zero32), "commitment 2", true},
		encodingCase{"share: id 0", "share", with(share, 1, []byte{0}), "share id", false},
		encodingCase{"share: id 33", "share", with(share, 1, []byte{33}), "share id", false},
		encodingCase{"share: zero value", "share", with(share, 2, zero32), "share value", false},
		encodingCase{"share: value = group order", "share", with(share, 2, hexb(groupOrderHex)), "share value", false},
		encodingCase{"share: value all ones", "share", with(share, 2, bytes.Repeat([]byte{0xff}, 32)), "share value", false},
		encodingCase{"wrapped: R is the identity", "wrapped", with(wrapped, 1, zero32), "wrapped key R", true},
		encodingCase{"partials: officer 0", "partials", with(parts, 1, []byte{0}), "officer", false},
		encodingCase{"partials: officer 33", "partials", with(parts, 1, []byte{33}), "officer", false},
		encodingCase{"partials: no chunks", "partials", with(parts[:6], 2, binary.BigEndian.AppendUint32(nil, 0)), "chunk count", false},
		encodingCase{"partials: 2^32-1 chunks", "partials", with(parts, 2, binary.BigEndian.AppendUint32(nil, 0xffffffff)), "chunk count", false},
		encodingCase{"partials: count says 3", "partials", with(parts, 2, binary.BigEndian.AppendUint32(nil, 3)), "length", false},
		encodingCase{"partials: count says 1", "partials", with(parts, 2, binary.BigEndian.AppendUint32(nil, 1)), "length", false},
		encodingCase{"partials: D_0 is the identity", "partials", with(parts, 6, zero32), "D for chunk 0", true},
		encodingCase{"partials: D_1 is the identity", "partials", with(parts, 6+32, zero32), "D for chunk 1", true},
		encodingCase{"partials: zero challenge", "partials", with(parts, 6+64, zero32), "zero challenge", false},
		encodingCase{"partials: zero response", "partials", with(parts, 6+96, zero32), "zero challenge or response", false},
		encodingCase{"partials: challenge = group order", "partials", with(parts, 6+64, hexb(groupOrderHex)), "proof 0", false},
		encodingCase{"partials: response all ones", "partials", with(parts, 6+96, bytes.Repeat([]byte{0xff}, 32)), "proof 0", false},
	)
	for _, p := range invalidPoints {
		pt := hexb(p)
		cs = append(cs,
			encodingCase{"public key: X = " + p[:8], "public key", with(pk, 3, pt), "commitment 0", false},
			encodingCase{"public key: C_1 = " + p[:8], "public key", with(pk, 3+32, pt), "commitment 1", false},
			encodingCase{"wrapped: R = " + p[:8], "wrapped", with(wrapped, 1, pt), "wrapped key R", false},
			encodingCase{"partials: D_1 = " + p[:8], "partials", with(parts, 6+32, pt), "D for chunk 1", false},
		)
	}
	// Cases found by fuzzing:
	return cs
}

// TestMalformedEncodings: every hostile encoding is ErrBadEncoding naming
// the field (RELIABILITY T9, T13), identity points also
// ErrIdentityElement, and no parser returns an object with its error.
func TestMalformedEncodings(t *testing.T) {
	cases := malformedCases()
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		_, err := parsers[c.parser](c.data)
		if errors.Is(err, errPartialObject) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !errors.Is(err, ErrBadEncoding) {
			t.Errorf("%s: got %v, want ErrBadEncoding", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.field) || !strings.HasPrefix(err.Error(), "escrow: ") {
			t.Errorf("%s: %q does not name %q", c.name, err, c.field)
		}
		if c.identity != errors.Is(err, ErrIdentityElement) {
			t.Errorf("%s: ErrIdentityElement = %v, want %v (%v)", c.name, !c.identity, c.identity, err)
		}
	}
}

// TestEncodingPrefixes: every strict prefix of a valid encoding is
// rejected, and valid encodings round-trip byte for byte.
func TestEncodingPrefixes(t *testing.T) {
	for name, b := range validEncodings() {
		out, err := parsers[name](b)
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("%s: valid encoding does not round-trip: %v", name, err)
		}
		for n := range len(b) {
			if _, err := parsers[name](b[:n]); !errors.Is(err, ErrBadEncoding) {
				t.Fatalf("%s: %d-byte prefix: %v", name, n, err)
			}
		}
	}
}

// FuzzParse feeds every parser the same bytes. A parser must not panic,
// must fail with ErrBadEncoding and no object, or must return an object
// that marshals back to exactly the input (no malleability).
func FuzzParse(f *testing.F) {
	for _, b := range validEncodings() {
		f.Add(b)
		for _, i := range []int{0, 1, 2, len(b) / 2, len(b) - 1} {
			c := bytes.Clone(b)
			c[i] ^= 0x01
			f.Add(c)
		}
		f.Add(b[:len(b)-1])
	}
	for _, c := range malformedCases() {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, parse := range parsers {
			out, err := parse(data)
			if err != nil {
				if !errors.Is(err, ErrBadEncoding) {
					t.Fatalf("%s: %v", name, err)
				}
				continue
			}
			if !bytes.Equal(out, data) {
				t.Fatalf("%s: parse then marshal changed %x to %x", name, data, out)
			}
		}
	})
}
