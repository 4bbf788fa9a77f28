package escrow

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudflare/circl/secretsharing"
)

var dealShapes = []struct{ k, n int }{{2, 2}, {2, 3}, {3, 5}, {5, 9}, {9, 9}, {2, 32}, {32, 32}}

func TestDealRoundTrip(t *testing.T) {
	for _, sh := range dealShapes {
		t.Run(fmt.Sprintf("%dof%d", sh.k, sh.n), func(t *testing.T) {
			pk, shares := mustDeal(t, sh.k, sh.n)
			if pk.Threshold() != sh.k || pk.Officers() != sh.n || len(shares) != sh.n {
				t.Fatalf("got %d of %d with %d shares", pk.Threshold(), pk.Officers(), len(shares))
			}
			enc := mustMarshal(t, pk)
			if len(enc) != 3+32*sh.k {
				t.Errorf("public key encoding is %d bytes", len(enc))
			}
			pk2, err := ParsePublicKey(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !pk.Equal(pk2) || !bytes.Equal(mustMarshal(t, pk2), enc) {
				t.Error("public key does not round-trip")
			}
			com := pk.com
			for i, s := range shares {
				if s.ID() != i+1 {
					t.Errorf("shares[%d].ID() = %d", i, s.ID())
				}
				if err := pk.VerifyShare(s); err != nil {
					t.Errorf("officer %d: %v", s.ID(), err)
				}
				// Cross-check the Feldman relation with circl's own
				// implementation (t = k-1 in circl's convention).
				ok := secretsharing.Verify(uint(sh.k-1), secretsharing.Share{ID: scalarFromID(s.id), Value: s.value}, com)
				if !ok {
					t.Errorf("officer %d: circl's Feldman check fails", s.ID())
				}
				sb := s.MarshalSecret()
				s2, err := ParseShare(sb)
				if err != nil {
					t.Fatalf("officer %d: %v", s.ID(), err)
				}
				if !s.Equal(s2) || !bytes.Equal(s2.MarshalSecret(), sb) || len(sb) != 34 {
					t.Errorf("officer %d: share does not round-trip", s.ID())
				}
			}
			// Every coefficient is non-zero: no commitment is the identity.
			for j, c := range com {
				if c.IsIdentity() {
					t.Errorf("commitment %d is the identity", j)
				}
			}
		})
	}
}

func TestDealRejectsBadShapes(t *testing.T) {
	for _, sh := range []struct{ k, n int }{{0, 0}, {1, 1}, {1, 3}, {2, 1}, {4, 3}, {2, 33}, {33, 33}, {-1, 5}} {
		if _, _, err := Deal(sh.k, sh.n); err == nil {
			t.Errorf("Deal(%d, %d) succeeded", sh.k, sh.n)
		}
	}
}

func TestDealIsFresh(t *testing.T) {
	a, _ := mustDeal(t, 2, 3)
	b, _ := mustDeal(t, 2, 3)
	if a.Equal(b) {
		t.Fatal("two deals gave the same key")
	}
}

// TestOpenEverySubset is the round trip of the whole scheme: for n = 2..7,
// every threshold and every k-subset of officers opens the scope and gives
// back the wrapped key (RELIABILITY T10); every third subset is also tried
// in reverse order.
func TestOpenEverySubset(t *testing.T) {
	for n := 2; n <= 7; n++ {
		for k := 2; k <= n; k++ {
			t.Run(fmt.Sprintf("%dof%d", k, n), func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, k, n, 1)
				for i, set := range combinations(n, k) {
					got, err := Open(f.pk, f.scope, f.pick(set...))
					if err != nil {
						t.Fatalf("officers %v: %v", set, err)
					}
					if !equalKeys(got, f.deks) {
						t.Fatalf("officers %v: wrong keys", set)
					}
					if i%3 != 0 {
						continue // the reversed order of every third subset suffices
					}
					rev := append([]int(nil), set...)
					for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
						rev[i], rev[j] = rev[j], rev[i]
					}
					if got, err := Open(f.pk, f.scope, f.pick(rev...)); err != nil || !equalKeys(got, f.deks) {
						t.Fatalf("officers %v: %v", rev, err)
					}
				}
			})
		}
	}
}

// TestOpenRandomSubsets covers the larger committees with random subsets in
// random order.
func TestOpenRandomSubsets(t *testing.T) {
	for _, sh := range []struct{ k, n int }{{5, 9}, {9, 9}, {3, 12}} {
		t.Run(fmt.Sprintf("%dof%d", sh.k, sh.n), func(t *testing.T) {
			f := newFixture(t, sh.k, sh.n, 2)
			for range 8 {
				perm := randomPerm(t, sh.n)
				set := make([]int, sh.k)
				for i := range set {
					set[i] = perm[i] + 1
				}
				got, err := Open(f.pk, f.scope, f.pick(set...))
				if err != nil || !equalKeys(got, f.deks) {
					t.Fatalf("officers %v: %v", set, err)
				}
			}
		})
	}
}

// TestOpenMoreThanThreshold passes every officer's set: all are verified,
// the first k are combined.
func TestOpenMoreThanThreshold(t *testing.T) {
	f := newFixture(t, 2, 4, 2)
	got, err := Open(f.pk, f.scope, f.parts)
	if err != nil || !equalKeys(got, f.deks) {
		t.Fatalf("Open with all sets: %v", err)
	}
	// A bad set beyond the first k is still reported.
	bad := clonePartials(t, f.parts[3])
	bad.d[0] = bad.d[1]
	_, err = Open(f.pk, f.scope, append(f.pick(1, 2, 3), bad))
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Officer != 4 {
		t.Fatalf("bad fourth set: %v", err)
	}
}

func TestOpenNotEnough(t *testing.T) {
	for _, sh := range []struct{ k, n int }{{2, 3}, {3, 5}, {5, 9}} {
		f := newFixture(t, sh.k, sh.n, 1)
		for have := 0; have < sh.k; have++ {
			_, err := Open(f.pk, f.scope, f.parts[:have])
			if !errors.Is(err, ErrNotEnough) {
				t.Errorf("%d of %d sets: %v", have, sh.k, err)
			}
		}
	}
}

func TestOpenDuplicateOfficer(t *testing.T) {
	f := newFixture(t, 3, 4, 1)
	for _, set := range [][]int{{1, 1, 2}, {2, 3, 2}, {1, 2, 3, 3}, {4, 4, 4}} {
		_, err := Open(f.pk, f.scope, f.pick(set...))
		if !errors.Is(err, ErrDuplicateOfficer) {
			t.Errorf("officers %v: %v", set, err)
		}
	}
	// A re-encoded copy of the same approval is still the same officer.
	_, err := Open(f.pk, f.scope, []*Partials{f.parts[0], clonePartials(t, f.parts[0]), f.parts[1]})
	if !errors.Is(err, ErrDuplicateOfficer) {
		t.Errorf("copied set: %v", err)
	}
}

// TestOpenBadOfficerID checks that ids outside 1..n are refused before any
// arithmetic, naming the id.
func TestOpenBadOfficerID(t *testing.T) {
	f := newFixture(t, 2, 3, 1)
	for _, id := range []int{0, 4, 32, 255, -1} {
		p := clonePartials(t, f.parts[1])
		p.officer = id
		_, err := Open(f.pk, f.scope, []*Partials{f.parts[0], p})
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Officer != id || len(pe.Chunks) != 0 {
			t.Errorf("officer id %d: %v", id, err)
		}
		if err := f.pk.VerifyPartials(f.scope, p); !errors.As(err, &pe) || pe.Officer != id {
			t.Errorf("VerifyPartials, officer id %d: %v", id, err)
		}
	}
	if _, err := Open(f.pk, f.scope, []*Partials{f.parts[0], nil}); err == nil {
		t.Error("nil partials accepted")
	}
}

// TestBelowThresholdFailsToDecrypt combines k-1 honest, verified sets
// directly (Open refuses them earlier): the result is not x·R and the data
// key does not unwrap (RELIABILITY T10, "any t-subset fails to decrypt").
func TestBelowThresholdFailsToDecrypt(t *testing.T) {
	for _, sh := range []struct{ k, n int }{{2, 3}, {3, 5}, {4, 6}} {
		f := newFixture(t, sh.k, sh.n, 2)
		for _, set := range combinations(sh.n, sh.k-1) {
			deks, errs := combine(f.pk, f.scope, f.pick(set...))
			for c, err := range errs {
				if !errors.Is(err, ErrUnwrap) || deks[c] != nil {
					t.Fatalf("%d of %d, officers %v, chunk %d: %v", sh.k, sh.n, set, c, err)
				}
				if !strings.Contains(err.Error(), hex.EncodeToString(f.scope.Chunks[c].ID)) {
					t.Errorf("error does not name the chunk: %v", err)
				}
			}
		}
	}
}

func TestWrapValidatesInput(t *testing.T) {
	pk, _ := mustDeal(t, 2, 2)
	dek := make([]byte, DEKSize)
	ok := WrapContext{VaultID: []byte("v"), ChunkID: []byte("c")}
	cases := []struct {
		name string
		pk   *PublicKey
		dek  []byte
		ctx  WrapContext
	}{
		{"nil key", nil, dek, ok},
		{"zero key", &PublicKey{}, dek, ok},
		{"short dek", pk, dek[:31], ok},
		{"long dek", pk, append(dek, 0), ok},
		{"no vault id", pk, dek, WrapContext{ChunkID: []byte("c")}},
		{"no chunk id", pk, dek, WrapContext{VaultID: []byte("v")}},
		{"huge chunk id", pk, dek, WrapContext{VaultID: []byte("v"), ChunkID: make([]byte, maxIDSize+1)}},
	}
	for _, c := range cases {
		if _, err := Wrap(c.pk, c.dek, c.ctx); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
	a, _ := Wrap(pk, dek, ok)
	b, _ := Wrap(pk, dek, ok)
	if bytes.Equal(mustMarshal(t, a), mustMarshal(t, b)) {
		t.Error("two wraps of the same key are identical")
	}
}

// TestWrapBindsContext moves a wrapped key to another chunk id or vault id.
// The officers approve the moved scope honestly, and the unwrap still
// fails, naming the chunk: the KDF info binds both ids.
func TestWrapBindsContext(t *testing.T) {
	f := newFixture(t, 2, 2, 1)
	w := f.scope.Chunks[0].Wrapped
	for _, sc := range []*Scope{
		{VaultID: f.scope.VaultID, RequestID: []byte("r"), Chunks: []ChunkRef{{ID: []byte("elsewhere"), Wrapped: w}}},
		{VaultID: []byte("vault-2"), RequestID: []byte("r"), Chunks: []ChunkRef{{ID: f.scope.Chunks[0].ID, Wrapped: w}}},
	} {
		parts := approveAll(t, f.pk, f.shares, sc)
		_, err := Open(f.pk, sc, parts)
		if !errors.Is(err, ErrUnwrap) || !strings.Contains(err.Error(), hex.EncodeToString(sc.Chunks[0].ID)) {
			t.Errorf("moved to vault %q chunk %q: %v", sc.VaultID, sc.Chunks[0].ID, err)
		}
	}
	// The same key under another escrow key: the partials verify (they are
	// honest) but S is not r·X', so the unwrap fails.
	pk2, shares2 := mustDeal(t, 2, 2)
	sc := rescope(f.scope, "vault-1", "r")
	if _, err := Open(pk2, sc, approveAll(t, pk2, shares2, sc)); !errors.Is(err, ErrUnwrap) {
		t.Errorf("other escrow key: %v", err)
	}
}

func TestScopeValidation(t *testing.T) {
	f := newFixture(t, 2, 2, 2)
	w := f.scope.Chunks[0].Wrapped
	bad := []*Scope{
		nil,
		{RequestID: []byte("r"), Chunks: f.scope.Chunks},
		{VaultID: []byte("v"), Chunks: f.scope.Chunks},
		{VaultID: []byte("v"), RequestID: []byte("r")},
		{VaultID: []byte("v"), RequestID: []byte("r"), Chunks: []ChunkRef{{ID: nil, Wrapped: w}}},
		{VaultID: []byte("v"), RequestID: []byte("r"), Chunks: []ChunkRef{{ID: []byte("c")}}},
		{VaultID: []byte("v"), RequestID: []byte("r"), Chunks: []ChunkRef{{ID: []byte("c"), Wrapped: &Wrapped{}}}},
		{VaultID: []byte("v"), RequestID: []byte("r"), Chunks: []ChunkRef{{ID: []byte("c"), Wrapped: w}, {ID: []byte("c"), Wrapped: w}}},
	}
	for i, sc := range bad {
		if _, err := f.shares[0].Approve(f.pk, sc); err == nil {
			t.Errorf("scope %d: Approve accepted it", i)
		}
		if err := f.pk.VerifyPartials(sc, f.parts[0]); err == nil {
			t.Errorf("scope %d: VerifyPartials accepted it", i)
		}
		if _, err := Open(f.pk, sc, f.parts); err == nil {
			t.Errorf("scope %d: Open accepted it", i)
		}
	}
}

func TestZeroValuesAreRefused(t *testing.T) {
	f := newFixture(t, 2, 2, 1)
	if _, err := (&PublicKey{}).MarshalBinary(); err == nil {
		t.Error("zero PublicKey marshals")
	}
	if _, err := (&Wrapped{}).MarshalBinary(); err == nil {
		t.Error("zero Wrapped marshals")
	}
	if _, err := (&Partials{}).MarshalBinary(); err == nil {
		t.Error("zero Partials marshals")
	}
	if err := f.pk.VerifyPartials(f.scope, &Partials{officer: 1}); err == nil {
		t.Error("zero Partials verifies")
	}
	if _, err := (&Share{}).Approve(f.pk, f.scope); err == nil {
		t.Error("zero Share approves")
	}
	if err := (&PublicKey{}).VerifyShare(f.shares[0]); err == nil {
		t.Error("zero PublicKey verifies a share")
	}
	if (&PublicKey{}).Equal(f.pk) || !(*PublicKey)(nil).Equal(nil) || f.pk.Equal(nil) {
		t.Error("PublicKey.Equal on zero or nil keys")
	}
}

func ExampleOpen() {
	pk, shares, _ := Deal(2, 3)
	dek := bytes.Repeat([]byte{7}, DEKSize)
	w, _ := Wrap(pk, dek, WrapContext{VaultID: []byte("vault"), ChunkID: []byte("chunk")})

	scope := &Scope{VaultID: []byte("vault"), RequestID: []byte("request"), Chunks: []ChunkRef{{ID: []byte("chunk"), Wrapped: w}}}
	p1, _ := shares[0].Approve(pk, scope) // on officer 1's workstation
	p3, _ := shares[2].Approve(pk, scope) // on officer 3's workstation

	_, err := Open(pk, scope, []*Partials{p1})
	fmt.Println(err)
	deks, _ := Open(pk, scope, []*Partials{p1, p3})
	fmt.Println(bytes.Equal(deks[0], dek))
	// Output:
	// escrow: not enough approvals: 1 of 2
	// true
}

// OpenEach refuses one chunk whose wrapped key was swapped and still opens
// the others; Open fails the whole scope on it.
func TestOpenEachNamesBadChunk(t *testing.T) {
	f := newFixture(t, 2, 3, 3)
	sc := *f.scope
	sc.Chunks = append([]ChunkRef(nil), f.scope.Chunks...)
	// Swap the wrapped keys of chunks 0 and 1 before the officers approve,
	// as a swapped chunk record would be when the request is made.
	sc.Chunks[0].Wrapped, sc.Chunks[1].Wrapped = sc.Chunks[1].Wrapped, sc.Chunks[0].Wrapped
	var parts []*Partials
	for _, s := range f.shares[:2] {
		p, err := s.Approve(f.pk, &sc)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	deks, errs, err := OpenEach(f.pk, &sc, parts)
	if err != nil {
		t.Fatal(err)
	}
	for c := range 2 {
		if !errors.Is(errs[c], ErrUnwrap) || deks[c] != nil {
			t.Fatalf("swapped chunk %d: %v", c, errs[c])
		}
	}
	if errs[2] != nil || !bytes.Equal(deks[2], f.deks[2]) {
		t.Fatalf("intact chunk 2: %v", errs[2])
	}
	if deks, err := Open(f.pk, &sc, parts); !errors.Is(err, ErrUnwrap) || deks != nil {
		t.Fatalf("Open: %v", err)
	}
}
