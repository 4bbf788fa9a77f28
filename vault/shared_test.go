package vault

import (
	"errors"
	"os"
	"testing"

	"sealroom/crypto/identity"
)

// TestShared: a vault opened with Options.Shared leaves the file to other
// programs between actions, sees what they did, waits for them and then
// says ErrInUse, and still catches a rolled-back file.
func TestShared(t *testing.T) {
	f := newFixture(t, 2, 3)
	opts := f.opts()
	opts.Shared = true
	shared, err := Open(f.path, opts)
	must(t, err)
	defer shared.Close()
	s := f.login(shared, f.p.rita)
	before, err := shared.Members()
	must(t, err)

	// Between actions another program (the admin's sealctl) writes.
	old, err := os.ReadFile(f.path)
	must(t, err)
	other, err := Open(f.path, f.opts())
	if err != nil {
		t.Fatalf("another program cannot open a shared vault between actions: %v", err)
	}
	bea, err := identity.New("Bea", "bea@vault.test", []byte("x"))
	must(t, err)
	must(t, f.login(other, f.p.admin).AddMember(bea.Public(), []Role{RoleReviewer}))

	// While it holds the file, an action waits, then says so.
	if _, err := s.Requests(); !errors.Is(err, ErrInUse) {
		t.Fatalf("an action while another program holds the file: %v, want ErrInUse", err)
	}
	must(t, other.Close())

	after, err := shared.Members()
	must(t, err)
	if len(after) != len(before)+1 {
		t.Fatalf("members: %d, then %d after another program added one", len(before), len(after))
	}
	if _, err := s.Requests(); err != nil {
		t.Fatalf("an action after the other program closed: %v", err)
	}

	// A copy of the file from before the other program's action is a
	// rollback of the log this workstation has seen.
	must(t, os.WriteFile(f.path, old, 0o600))
	var herr *HeadError
	if _, err := s.Requests(); !errors.As(err, &herr) {
		t.Fatalf("an action on a rolled-back file: %v, want a HeadError", err)
	}

	must(t, shared.Close())
	if _, err := s.Requests(); err == nil {
		t.Fatal("an action after Close opened the file again")
	}
}
