package importers_test

import (
	"testing"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// testVault is a 2-of-3 vault on a real file, with an admin, a reviewer
// and three officers, for the tests that import into one.
type testVault struct {
	t           *testing.T
	v           *vault.Vault
	admin, rita *identity.Identity
	officers    []*identity.Identity
}

func newTestVault(t *testing.T, path string) *testVault {
	t.Helper()
	mk := func(name string) *identity.Identity {
		id, err := identity.New(name, name+"@importers.test", []byte("pw"))
		must(t, err)
		return id
	}
	tv := &testVault{t: t, admin: mk("ada"), rita: mk("rita"), officers: []*identity.Identity{mk("o1"), mk("o2"), mk("o3")}}
	var pubs []*identity.Public
	for _, o := range tv.officers {
		pubs = append(pubs, o.Public())
	}
	opt := &vault.Options{StateDir: path + ".state"}
	must(t, vault.Create(path, tv.admin, pubs, vault.Config{Threshold: 2}, opt))
	var err error
	tv.v, err = vault.Open(path, opt)
	must(t, err)
	t.Cleanup(func() { tv.v.Close() })
	must(t, tv.as(tv.admin).AddMember(tv.rita.Public(), []vault.Role{vault.RoleReviewer}))
	return tv
}

// as logs in.
func (tv *testVault) as(id *identity.Identity) *vault.Session {
	tv.t.Helper()
	s, err := tv.v.Login(id)
	must(tv.t, err)
	return s
}
