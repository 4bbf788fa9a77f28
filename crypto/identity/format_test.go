package identity

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/ecdh"
	"github.com/ProtonMail/go-crypto/openpgp/eddsa"
)

// Printing an Identity, by any verb or route, shows its fingerprint and
// lock state only: no key material, no passphrase.
func TestIdentityPrintsNoSecrets(t *testing.T) {
	pass := []byte("print-me-not passphrase")
	id, err := New("Printed Example", "printed@example.test", pass)
	if err != nil {
		t.Fatal(err)
	}
	var secrets [][]byte
	secrets = append(secrets, pass, id.entity.PrivateKey.PrivateKey.(*eddsa.PrivateKey).D)
	for _, sk := range id.entity.Subkeys {
		secrets = append(secrets, sk.PrivateKey.PrivateKey.(*ecdh.PrivateKey).D)
	}
	want := "identity.Identity{" + id.Public().Fingerprint() + " unlocked}"

	check := func(state, got string) {
		t.Helper()
		if !strings.Contains(got, id.Public().Fingerprint()) {
			t.Errorf("%s: %q does not name the key", state, got)
		}
		for _, s := range secrets {
			for _, form := range []string{string(s), hex.EncodeToString(s), strings.ToUpper(hex.EncodeToString(s)),
				base64.StdEncoding.EncodeToString(s), fmt.Sprint(s), fmt.Sprintf("%v", s[:8])} {
				if strings.Contains(got, form) {
					t.Fatalf("%s: printed form %q contains secret material", state, got)
				}
			}
		}
	}
	for state := range 2 {
		name := "unlocked"
		if state == 1 {
			id.Lock()
			name = "locked"
			want = "identity.Identity{" + id.Public().Fingerprint() + " locked}"
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%-+#v"} {
			got := fmt.Sprintf(verb, id)
			if got != want {
				t.Errorf("%s: Sprintf(%q) = %q, want %q", name, verb, got, want)
			}
			check(name, got)
			check(name, fmt.Sprintf(verb, *id)) // a copy prints the same
		}
		for _, got := range []string{
			fmt.Sprint(id), fmt.Sprintln(id), fmt.Sprint(*id), id.String(), id.GoString(),
			fmt.Sprintf("%+v", []*Identity{id}), fmt.Sprintf("%#v", map[string]*Identity{"k": id}),
			fmt.Sprintf("%+v", struct{ ID *Identity }{id}), fmt.Sprintf("%#v", struct{ ID Identity }{*id}),
		} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q does not contain %q", name, got, want)
			}
			check(name, got)
		}
	}
	if got := fmt.Sprint(Identity{}); got != "identity.Identity{<nil>}" {
		t.Errorf("zero Identity prints %q", got)
	}
}

// The `_ [0]func()` field makes Identity values incomparable, so that
// `*a == *b` does not compile.
func TestIdentityNotComparable(t *testing.T) {
	if reflect.TypeFor[Identity]().Comparable() {
		t.Fatal("Identity is comparable")
	}
}
