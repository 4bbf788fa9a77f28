package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// testAdmin is what the import tests need to create a vault and run
// `sealctl ingest`: an admin's key file and passphrase file, and three
// officers' public keys.
type testAdmin struct {
	id        *identity.Identity
	key, pass string
	officers  []*identity.Public
}

const testPassphrase = "import test passphrase"

func newTestAdmin(t *testing.T, dir string) *testAdmin {
	t.Helper()
	a := &testAdmin{key: filepath.Join(dir, "ada.asc"), pass: filepath.Join(dir, "pass")}
	must(t, os.WriteFile(a.pass, []byte(testPassphrase+"\n"), 0o600))
	var err error
	a.id, err = identity.New("Ada", "ada@import.test", []byte(testPassphrase))
	must(t, err)
	armored, err := a.id.ArmorSecret()
	must(t, err)
	must(t, os.WriteFile(a.key, armored, 0o600))
	for i := range 3 {
		o, err := identity.New(fmt.Sprintf("Officer %d", i), fmt.Sprintf("o%d@import.test", i), []byte("x"))
		must(t, err)
		a.officers = append(a.officers, o.Public())
	}
	return a
}

// createVault makes a 2-of-3 vault at path, its workstation state in state.
func (a *testAdmin) createVault(t *testing.T, path, state string) {
	t.Helper()
	must(t, vault.Create(path, a.id, a.officers, vault.Config{}, &vault.Options{StateDir: state}))
}
