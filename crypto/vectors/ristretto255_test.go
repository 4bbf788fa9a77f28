package vectors

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudflare/circl/group"
)

// ristrettoVectors is testdata/ristretto255.txt, parsed.
type ristrettoVectors struct {
	header    map[string]string
	multiples []ristrettoMultiple // in file order
	invalid   []ristrettoInvalid
}

type ristrettoMultiple struct {
	i   uint64
	enc []byte
}

type ristrettoInvalid struct {
	category string
	enc      []byte
}

// ristrettoHeaderKeys are the header keys the file may use. An unknown key
// fails the test, so a changed file is reviewed rather than half-read.
var ristrettoHeaderKeys = map[string]bool{
	"spec": true, "sections": true, "url": true, "transcribed-from": true,
	"multiples": true, "invalid": true,
}

func loadRistrettoVectors(t *testing.T) *ristrettoVectors {
	t.Helper()
	name := filepath.Join("testdata", "ristretto255.txt")
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	v := &ristrettoVectors{header: map[string]string{}}
	inHeader := true
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if inHeader {
			if line == "" {
				if len(v.header) > 0 {
					inHeader = false
				}
				continue
			}
			key, value, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("%s:%d: header line %q is not \"key: value\"", name, n, line)
			}
			if !ristrettoHeaderKeys[key] {
				t.Fatalf("%s:%d: unknown header key %q", name, n, key)
			}
			if _, dup := v.header[key]; dup {
				t.Fatalf("%s:%d: duplicate header key %q", name, n, key)
			}
			v.header[key] = value
			continue
		}
		if line == "" {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			t.Fatalf("%s:%d: want \"<kind> <label> <hex>\", got %q", name, n, line)
		}
		enc, err := hex.DecodeString(fields[2])
		if err != nil || len(enc) != 32 {
			t.Fatalf("%s:%d: %q is not 32 bytes of hex", name, n, fields[2])
		}
		switch fields[0] {
		case "multiple":
			i, err := strconv.ParseUint(fields[1], 10, 64)
			if err != nil {
				t.Fatalf("%s:%d: multiple index %q: %v", name, n, fields[1], err)
			}
			v.multiples = append(v.multiples, ristrettoMultiple{i, enc})
		case "invalid":
			v.invalid = append(v.invalid, ristrettoInvalid{fields[1], enc})
		default:
			t.Fatalf("%s:%d: unknown line kind %q", name, n, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	if v.header["spec"] != "RFC 9496" {
		t.Fatalf("%s: spec %q, want \"RFC 9496\"", name, v.header["spec"])
	}
	for _, c := range []struct {
		key  string
		have int
	}{{"multiples", len(v.multiples)}, {"invalid", len(v.invalid)}} {
		want, err := strconv.Atoi(v.header[c.key])
		if err != nil {
			t.Fatalf("%s: header %s: %v", name, c.key, err)
		}
		if c.have == 0 || c.have != want {
			t.Fatalf("%s: %d %s vectors, header says %d", name, c.have, c.key, want)
		}
	}
	return v
}

// TestRistretto255RFC9496 checks RFC 9496 Appendix A.1 and A.2 against
// github.com/cloudflare/circl/group.Ristretto255, the group implementation
// the escrow scheme uses (circl delegates to github.com/bwesterb/go-ristretto).
//
// A.1: i·B, computed both by repeated addition and by scalar multiplication,
// encodes to the listed bytes, and those bytes decode to the same element.
// A.2: every listed encoding is rejected by UnmarshalBinary.
func TestRistretto255RFC9496(t *testing.T) {
	t.Parallel()
	v := loadRistrettoVectors(t)
	g := group.Ristretto255
	t.Logf("ristretto255.txt: %d multiples of the generator, %d invalid encodings", len(v.multiples), len(v.invalid))

	for k, m := range v.multiples {
		if m.i != uint64(k) {
			t.Fatalf("multiple #%d has index %d; the file must list 0, 1, 2, … in order", k, m.i)
		}
		t.Run(fmt.Sprintf("multiple/%02d", m.i), func(t *testing.T) {
			t.Parallel()
			byAdd := g.Identity()
			for range m.i {
				byAdd.Add(byAdd, g.Generator())
			}
			byMul := g.NewElement().MulGen(g.NewScalar().SetUint64(m.i))
			for _, e := range []struct {
				how string
				el  group.Element
			}{{"repeated addition", byAdd}, {"MulGen", byMul}} {
				enc, err := e.el.MarshalBinary()
				if err != nil {
					t.Fatalf("%d·B by %s: MarshalBinary: %v", m.i, e.how, err)
				}
				if !bytes.Equal(enc, m.enc) {
					t.Errorf("%d·B by %s encodes to %x, RFC 9496 A.1 says %x", m.i, e.how, enc, m.enc)
				}
			}
			dec := g.NewElement()
			if err := dec.UnmarshalBinary(m.enc); err != nil {
				t.Fatalf("UnmarshalBinary(%x) = %v, want the element %d·B", m.enc, err, m.i)
			}
			if !dec.IsEqual(byMul) {
				t.Errorf("UnmarshalBinary(%x) is not %d·B", m.enc, m.i)
			}
			if dec.IsIdentity() != (m.i == 0) {
				t.Errorf("UnmarshalBinary(%x).IsIdentity() = %v", m.enc, dec.IsIdentity())
			}
		})
	}

	for k, inv := range v.invalid {
		t.Run(fmt.Sprintf("invalid/%02d-%s", k, inv.category), func(t *testing.T) {
			t.Parallel()
			e := g.NewElement()
			if err := e.UnmarshalBinary(inv.enc); err == nil {
				reenc, _ := e.MarshalBinary()
				t.Errorf("UnmarshalBinary(%x) accepted an encoding RFC 9496 A.2 lists as invalid (%s); it decoded to the element encoded %x",
					inv.enc, inv.category, reenc)
			}
		})
	}
}
