package escrow

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestSharePrinting prints a share every way fmt allows, as a pointer, as a
// value and inside other values, and looks for the scalar in hex, upper
// hex, base64 and raw bytes.
func TestSharePrinting(t *testing.T) {
	_, shares := mustDeal(t, 2, 3)
	s := shares[1]
	secret := s.MarshalSecret()[2:]
	forbidden := []string{
		hex.EncodeToString(secret),
		strings.ToUpper(hex.EncodeToString(secret)),
		hex.EncodeToString(secret[:8]),
		base64.StdEncoding.EncodeToString(secret),
		string(secret),
		fmt.Sprint(secret[:8]), // "[a b c …" decimal bytes
		fmt.Sprint(s.value),    // circl's own rendering of the scalar
	}
	type holder struct {
		S *Share
		V Share
	}
	// fmt does not call methods on unexported fields; it must still not
	// reach the scalar's bytes (it prints the pointer inside the interface).
	type hidden struct {
		s *Share
		v Share
	}
	values := map[string]any{
		"pointer":   s,
		"value":     *s,
		"struct":    holder{S: s, V: *s},
		"slice":     []*Share{s},
		"map":       map[int]Share{1: *s},
		"interface": any(s),
		"hidden":    hidden{s: s, v: *s},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%8v", "%100v", "%-v", "% x"}
	for name, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			for _, f := range forbidden {
				if f != "" && strings.Contains(out, f) {
					t.Fatalf("%s printed with %s shows the secret: %q", name, verb, out)
				}
			}
			if name != "hidden" && !strings.Contains(out, "escrow.Share{id 2}") {
				t.Errorf("%s printed with %s: %q", name, verb, out)
			}
		}
	}
	if got := s.String(); got != "escrow.Share{id 2}" {
		t.Errorf("String() = %q", got)
	}
	if got := s.GoString(); got != "escrow.Share{id 2}" {
		t.Errorf("GoString() = %q", got)
	}
	if err := fmt.Errorf("bad %v", s); strings.Contains(err.Error(), forbidden[0]) {
		t.Error("an error wrapping the share shows the secret")
	}
}

// TestShareIncomparable checks that == on shares does not compile, as far
// as reflection can tell.
func TestShareIncomparable(t *testing.T) {
	if reflect.TypeFor[Share]().Comparable() {
		t.Fatal("Share is comparable with ==")
	}
}

func TestShareEqual(t *testing.T) {
	_, shares := mustDeal(t, 2, 3)
	_, other := mustDeal(t, 2, 3)
	a := shares[0]
	b, err := ParseShare(a.MarshalSecret())
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) || !b.Equal(a) || !a.Equal(a) {
		t.Error("equal shares compare unequal")
	}
	// Same value, other id.
	c := &Share{id: 2, value: a.value.Copy()}
	for name, o := range map[string]*Share{"other id": c, "other officer": shares[1], "other deal": other[0], "nil": nil, "zero": {}} {
		if a.Equal(o) {
			t.Errorf("%s compares equal", name)
		}
	}
	if !(*Share)(nil).Equal(nil) {
		t.Error("nil != nil")
	}
}

func TestShareDestroy(t *testing.T) {
	f := newFixture(t, 2, 3, 1)
	s := f.shares[0]
	before := s.MarshalSecret()
	s.Destroy()
	if !s.value.IsZero() {
		t.Fatal("Destroy left the scalar")
	}
	if got := s.MarshalSecret(); got != nil {
		t.Errorf("MarshalSecret after Destroy = %x", got)
	}
	if _, err := s.Approve(f.pk, f.scope); err == nil {
		t.Error("destroyed share approves")
	}
	if err := f.pk.VerifyShare(s); err == nil {
		t.Error("destroyed share verifies")
	}
	restored, err := ParseShare(before)
	if err != nil || s.Equal(restored) {
		t.Errorf("destroyed share still equals its old value (%v)", err)
	}
	s.Destroy() // idempotent
	(*Share)(nil).Destroy()
	(&Share{}).Destroy()
}

// TestVerifyShareRejectsMutated: a corrupted share, a share under another
// officer's id, a share of another vault and an id beyond n are each
// rejected with ErrBadShare naming the officer (RELIABILITY T10).
func TestVerifyShareRejectsMutated(t *testing.T) {
	pk, shares := mustDeal(t, 3, 5)
	_, other := mustDeal(t, 3, 5)
	one := scalarFromID(1)
	for _, s := range shares {
		cases := map[string]*Share{
			"value+1":      {id: s.id, value: s.value.Copy().Add(s.value, one)},
			"negated":      {id: s.id, value: s.value.Copy().Neg(s.value)},
			"other vault":  {id: s.id, value: other[s.id-1].value},
			"shifted id":   {id: s.id%5 + 1, value: s.value},
			"id beyond n":  {id: 6, value: s.value},
			"id at maxima": {id: maxOfficers, value: s.value},
		}
		for name, bad := range cases {
			err := pk.VerifyShare(bad)
			if !errors.Is(err, ErrBadShare) {
				t.Fatalf("officer %d, %s: %v", s.id, name, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("officer %d", bad.id)) {
				t.Errorf("officer %d, %s: error does not name the officer: %v", s.id, name, err)
			}
			if _, err := bad.Approve(pk, &Scope{}); !errors.Is(err, ErrBadShare) {
				t.Errorf("officer %d, %s: Approve: %v", s.id, name, err)
			}
		}
	}
}
