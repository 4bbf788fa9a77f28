package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	berrors "go.etcd.io/bbolt/errors"

	"sealroom/crypto/identity"
	"sealroom/internal/synth"
)

// people are the test identities, made once: New does no passphrase KDF.
type people struct {
	admin, rita, aldo *identity.Identity
	officers          []*identity.Identity
}

var (
	peopleOnce sync.Once
	cast       people
)

func testPeople(t testing.TB) people {
	t.Helper()
	peopleOnce.Do(func() {
		mk := func(name string) *identity.Identity {
			id, err := identity.New(name, name+"@vault.test", []byte("pw-"+name))
			if err != nil {
				panic(err)
			}
			return id
		}
		cast = people{admin: mk("ada"), rita: mk("rita"), aldo: mk("aldo")}
		for _, n := range []string{"oscar", "olivia", "otto", "ora", "omar"} {
			cast.officers = append(cast.officers, mk(n))
		}
	})
	return cast
}

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture is a vault on a real file in a temporary folder, with its own
// workstation state folder and clock.
type fixture struct {
	t        testing.TB
	p        people
	officers []*identity.Identity
	dir      string
	path     string
	clock    *clock
}

// newFixture creates a vault with n officers (the first n of the cast),
// threshold k, a reviewer (rita) and an auditor (aldo).
func newFixture(t testing.TB, k, n int) *fixture {
	t.Helper()
	return newFixtureWith(t, k, testPeople(t).officers[:n])
}

// newFixtureWith creates a vault with the given officers.
func newFixtureWith(t testing.TB, k int, officers []*identity.Identity) *fixture {
	t.Helper()
	return newFixtureConfig(t, officers, Config{Threshold: k})
}

// newFixtureConfig creates a vault with the given officers and config.
func newFixtureConfig(t testing.TB, officers []*identity.Identity, cfg Config) *fixture {
	t.Helper()
	p := testPeople(t)
	dir := t.TempDir()
	f := &fixture{t: t, p: p, officers: officers, dir: dir, path: filepath.Join(dir, "test.vault"),
		clock: &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}}
	var pubs []*identity.Public
	for _, o := range officers {
		pubs = append(pubs, o.Public())
	}
	if err := Create(f.path, p.admin, pubs, cfg, f.opts()); err != nil {
		t.Fatal(err)
	}
	v := f.open()
	s := f.login(v, p.admin)
	must(t, s.AddMember(p.rita.Public(), []Role{RoleReviewer}))
	must(t, s.AddMember(p.aldo.Public(), []Role{RoleAuditor}))
	must(t, v.Close())
	return f
}

func (f *fixture) opts() *Options {
	return &Options{StateDir: filepath.Join(f.dir, "state"), Now: f.clock.Now, Timeout: 200 * time.Millisecond}
}

// open opens the vault and closes it when the test ends, after checking
// the bbolt file's consistency.
func (f *fixture) open() *Vault {
	f.t.Helper()
	v, err := Open(f.path, f.opts())
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() {
		if v.db == nil {
			return
		}
		if errs := v.Check(); len(errs) > 0 && !errors.Is(errs[0], berrors.ErrDatabaseNotOpen) {
			f.t.Errorf("bbolt check: %v", errs)
		}
		v.Close()
	})
	return v
}

func (f *fixture) login(v *Vault, id *identity.Identity) *Session {
	f.t.Helper()
	s, err := v.Login(id)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// ingest stores a synthetic archive of n messages in convs conversations.
func (f *fixture) ingest(v *Vault, seed uint64, n, convs int) *synth.Archive {
	f.t.Helper()
	a := synth.Generate(seed, n, convs)
	in, err := f.login(v, f.p.admin).Ingest(nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := a.Send(in); err != nil {
		f.t.Fatal(err)
	}
	st, err := in.Close()
	if err != nil {
		f.t.Fatal(err)
	}
	if st.New+st.Duplicate != n {
		f.t.Fatalf("ingest: %+v", st)
	}
	return a
}

// convID returns the vault's pseudonymous id for the archive's
// conversation c (conversations are listed oldest first, synth makes
// conversation c start c hours after conversation 0).
func (f *fixture) convID(s *Session, c int) ConversationInfo {
	f.t.Helper()
	cs, err := s.Conversations()
	if err != nil {
		f.t.Fatal(err)
	}
	return cs[c]
}

// approved makes rita's request for conv:from-to and has officers approve.
func (f *fixture) approved(v *Vault, conv string, from, to int, dur time.Duration, officers ...int) string {
	f.t.Helper()
	req, err := f.login(v, f.p.rita).Request(Scope{Conversation: conv, From: from, To: to}, "Alert 4471: possible front-running on the desk", dur)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, o := range officers {
		if err := f.login(v, f.officers[o]).Approve(req); err != nil {
			f.t.Fatal(err)
		}
	}
	return req
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// logActions returns the actions of the log entries from seq from on.
func logActions(t testing.TB, s *Session, from uint64) []string {
	t.Helper()
	es, err := s.LogEntries(from)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

// TestMain lets a test re-run this binary as a second program holding a
// vault open (T5) or creating one to be killed (T6).
func TestMain(m *testing.M) {
	switch os.Getenv("SEALROOM_TEST_CHILD") {
	case "hold":
		v, err := Open(os.Getenv("SEALROOM_TEST_VAULT"), &Options{StateDir: os.Getenv("SEALROOM_TEST_STATE")})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("holding")
		var b [1]byte
		os.Stdin.Read(b[:]) // until the parent closes the pipe
		v.Close()
		os.Exit(0)
	case "create":
		childCreate()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
