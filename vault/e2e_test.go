package vault

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/escrow"
	"sealroom/crypto/identity"
)

// gpgOfficer makes an officer key with real GnuPG (gpg --quick-gen-key in
// a temporary GNUPGHOME), exports it passphrase-protected and reads it back.
func gpgOfficer(t *testing.T) *identity.Identity {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpg is not installed; make test installs gnupg")
		}
		t.Skip("gpg is not installed (make test installs gnupg): the end-to-end test needs a GnuPG-made officer key")
	}
	home, err := os.MkdirTemp("", "sealroom-gpg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c := exec.Command("gpgconf", "--kill", "gpg-agent")
		c.Env = append(os.Environ(), "GNUPGHOME="+home)
		c.Run()
		os.RemoveAll(home)
	})
	pass := filepath.Join(home, "pass")
	os.WriteFile(pass, []byte("greta's gpg passphrase\n"), 0o600)
	gpg := func(args ...string) []byte {
		c := exec.Command("gpg", append([]string{"--batch", "--pinentry-mode", "loopback", "--passphrase-file", pass}, args...)...)
		c.Env = append(os.Environ(), "GNUPGHOME="+home)
		out, err := c.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v", args, err)
		}
		return out
	}
	gpg("--quick-gen-key", "Greta Gnupg <greta@vault.test>", "future-default", "default", "never")
	armored := gpg("--armor", "--export-secret-keys", "greta@vault.test")
	id, err := identity.ParseSecret(armored)
	if err != nil {
		t.Fatalf("reading the gpg-made key: %v", err)
	}
	if err := id.Unlock([]byte("greta's gpg passphrase")); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestEndToEnd is issue 2's acceptance scenario: three officers (one made
// by GnuPG), a reviewer, an auditor, a 2-of-3 vault, 1,000 messages in 32
// conversations.
func TestEndToEnd(t *testing.T) {
	p := testPeople(t)
	greta := gpgOfficer(t)
	f := newFixtureWith(t, 2, []*identity.Identity{p.officers[0], p.officers[1], greta})
	v := f.open()
	a := f.ingest(v, 1, 1000, 32)

	// Re-ingesting the same messages adds nothing.
	in, err := f.login(v, p.admin).Ingest(nil)
	must(t, err)
	must(t, a.Send(in))
	st, err := in.Close()
	must(t, err)
	if st.New != 0 || st.Duplicate != 1000 || st.Chunks != 0 {
		t.Fatalf("re-ingest: %+v", st)
	}

	rita := f.login(v, p.rita)
	cs, err := rita.Conversations()
	must(t, err)
	total := 0
	for _, c := range cs {
		total += c.Messages
		if strings.Contains(c.Title, "Desk chat") || strings.Contains(c.ID, "chat") {
			t.Fatalf("reviewer sees a real title or id: %+v", c)
		}
	}
	if len(cs) != 32 || total != 1000 {
		t.Fatalf("%d conversations, %d messages", len(cs), total)
	}

	conv := cs[0] // synth conversation 0: 32 messages
	req, err := rita.Request(Scope{Conversation: conv.ID, From: 3, To: 12}, "Alert 4471: possible front-running on the desk", time.Hour)
	must(t, err)
	wantRefused := func(what string, target error) {
		t.Helper()
		u, err := rita.Unlock(req)
		if !errors.Is(err, target) || u != nil {
			t.Fatalf("%s: unlock gave %v, want %v", what, err, target)
		}
	}
	wantRefused("0 approvals", ErrNotApproved)

	if err := rita.Approve(req); !errors.Is(err, ErrForbidden) {
		t.Fatalf("requester approving: %v", err)
	}
	oscar := f.login(v, p.officers[0])
	must(t, oscar.Approve(req))
	wantRefused("1 approval", ErrNotApproved)
	if err := oscar.Approve(req); !errors.Is(err, ErrAlreadyVoted) {
		t.Fatalf("second vote: %v", err)
	}
	wantRefused("1 approval and a repeated vote", ErrNotApproved)
	if rs, _ := rita.Requests(); rs[0].Approvals != 1 {
		t.Fatalf("approvals counted: %d", rs[0].Approvals)
	}

	must(t, f.login(v, greta).Approve(req))
	u, err := rita.Unlock(req)
	must(t, err)
	var want []capture.Message
	for _, m := range a.Messages {
		if m.Conversation == a.Conversations[0].ID && m.Seq >= 3 && m.Seq <= 12 {
			want = append(want, *m)
		}
	}
	var got []capture.Message
	for _, m := range u.Messages {
		got = append(got, m.Message)
	}
	if len(got) != 10 || !reflect.DeepEqual(got, want) {
		t.Fatalf("unlocked %d messages, want exactly messages 3-12:\n got %+v\nwant %+v", len(got), got, want)
	}
	if u.Header == nil || u.Header.ID != a.Conversations[0].ID || len(u.Damaged) != 0 {
		t.Fatalf("header %+v, damaged %v", u.Header, u.Damaged)
	}

	// Another member cannot use rita's grant.
	if _, err := oscar.Unlock(req); !errors.Is(err, ErrNotRequester) {
		t.Fatalf("officer unlocking rita's request: %v", err)
	}

	// A chunk outside the scope does not open with the same approvals'
	// material: neither by rewriting the request (rita holds K_rev and
	// her own key, so she can re-sign it) nor by feeding the partials to
	// the escrow for another chunk.
	t.Run("out of scope", func(t *testing.T) { outOfScope(t, f, v, rita, req, cs[1].ID) })

	// After expiry the grant is refused again, and the partials are gone.
	f.clock.Advance(time.Hour + time.Second)
	wantRefused("expired", ErrExpired)
	wantRefused("expired, again", ErrExpired)

	// The log holds every step, and verifies.
	aldo := f.login(v, p.aldo)
	rep, err := aldo.VerifyLog(LogOptions{})
	must(t, err)
	acts := strings.Join(logActions(t, aldo, 1), " ")
	for _, a := range []string{"vault.init member.add member.add ingest", "request refused refused approve refused", "approve grant unlock", "grant.expire refused"} {
		if !strings.Contains(acts, a) {
			t.Errorf("log lacks %q:\n%s", a, acts)
		}
	}
	t.Logf("log: %d entries, %s", rep.Entries, acts)
}

func outOfScope(t *testing.T, f *fixture, v *Vault, rita *Session, req, otherConv string) {
	id, _ := ParseRequestID(req)
	var r *request
	var st *requestStatus
	var other chunkRef
	must(t, v.view(func(tx *bolt.Tx) (err error) {
		if r, err = rita.readRequest(tx, id); err != nil {
			return err
		}
		if st, err = rita.status(tx, r); err != nil {
			return err
		}
		ck, err := findConv(tx, otherConv)
		if err != nil {
			return err
		}
		refs, err := chunksFor(tx, ck, 1, 1, 1)
		other = refs[0]
		return err
	}))

	// 1. The escrow refuses the partials for another chunk, naming the officer.
	var parts []*escrow.Partials
	for _, vt := range st.votes {
		raw, err := f.p.rita.Decrypt(vt.Partials)
		must(t, err)
		pp, err := escrow.ParsePartials(raw)
		must(t, err)
		parts = append(parts, pp)
	}
	sc, err := r.escrowScope(v.id)
	must(t, err)
	key, _ := hex.DecodeString(other.Key)
	w, err := escrow.ParseWrapped(other.Wrapped)
	must(t, err)
	sc.Chunks = []escrow.ChunkRef{{ID: key, Wrapped: w}}
	var pe *escrow.PartialError
	if deks, err := escrow.Open(v.pub, sc, parts); !errors.As(err, &pe) || deks != nil {
		t.Fatalf("escrow opened an out-of-scope chunk: %v", err)
	}

	// 2. A request rewritten to name the other chunk, re-signed by rita.
	r.Chunks = []chunkRef{other}
	body, _ := json.Marshal(r.requestBody)
	must(t, v.update("test", func(tx *bolt.Tx) error {
		return rita.putSigned(tx.Bucket(bucketRequests), bucketRequests, u64(id), rita.review, body)
	}))
	if u, err := rita.Unlock(req); err == nil || u != nil {
		t.Fatal("a rewritten request unlocked another conversation's chunk")
	} else {
		t.Logf("rewritten request refused: %v", err)
	}
	// Put the original back for the rest of the test.
	must(t, v.update("test", func(tx *bolt.Tx) error {
		return rita.putSigned(tx.Bucket(bucketRequests), bucketRequests, u64(id), rita.review, r.raw)
	}))
}
