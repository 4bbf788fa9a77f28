package escrow

import (
	"crypto/rand"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/math/polynomial"
	"github.com/cloudflare/circl/secretsharing"
)

// The functions in this file rebuild the escrow key x. They are test
// oracles: the package itself never does.

// oracleRecover rebuilds x from shares with circl's secretsharing.Recover,
// an implementation independent of the package's combiner.
func oracleRecover(t *testing.T, shares []*Share) group.Scalar {
	t.Helper()
	ss := make([]secretsharing.Share, len(shares))
	for i, s := range shares {
		ss[i] = secretsharing.Share{ID: scalarFromID(s.id), Value: s.value}
	}
	x, err := secretsharing.Recover(uint(len(shares)-1), ss)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestOracleReconstruction: every k-subset of shares rebuilds the same x,
// x·G is the public X, and x·R_c unwraps every chunk (RELIABILITY T10:
// all (t+1)-subsets agree).
func TestOracleReconstruction(t *testing.T) {
	for _, sh := range []struct{ k, n int }{{2, 2}, {2, 3}, {3, 5}, {4, 7}, {5, 9}, {9, 9}} {
		t.Run(fmt.Sprintf("%dof%d", sh.k, sh.n), func(t *testing.T) {
			pk, shares := mustDeal(t, sh.k, sh.n)
			sc, deks := newScope(t, pk, "vault", "request", 2)
			var first group.Scalar
			for _, set := range combinations(sh.n, sh.k) {
				sub := make([]*Share, len(set))
				for i, id := range set {
					sub[i] = shares[id-1]
				}
				x := oracleRecover(t, sub)
				if first == nil {
					first = x
				} else if !x.IsEqual(first) {
					t.Fatalf("officers %v rebuild another x", set)
				}
			}
			if !g.NewElement().MulGen(first).IsEqual(pk.com[0]) {
				t.Fatal("x·G != X")
			}
			for c, ch := range sc.Chunks {
				s := g.NewElement().Mul(ch.Wrapped.point(), first)
				dek, err := ch.Wrapped.unwrap(pk, s, WrapContext{VaultID: sc.VaultID, ChunkID: ch.ID})
				if err != nil || string(dek) != string(deks[c]) {
					t.Fatalf("chunk %d: oracle x does not unwrap: %v", c, err)
				}
			}
		})
	}
}

// TestOracleBelowThreshold: k-1 shares determine nothing about x. Treating
// them as a complete sharing rebuilds a wrong secret, and for any candidate
// secret x' there is a polynomial of degree k-1 through (0, x') and the k-1
// shares, so every x' is equally consistent with them.
func TestOracleBelowThreshold(t *testing.T) {
	for _, sh := range []struct{ k, n int }{{2, 3}, {3, 5}, {5, 9}} {
		pk, shares := mustDeal(t, sh.k, sh.n)
		for _, set := range combinations(sh.n, sh.k-1)[:3] {
			sub := make([]*Share, len(set))
			for i, id := range set {
				sub[i] = shares[id-1]
			}
			if sh.k > 2 {
				wrong := oracleRecover(t, sub)
				if g.NewElement().MulGen(wrong).IsEqual(pk.com[0]) {
					t.Fatalf("%d shares rebuild x", len(sub))
				}
			}
			candidate := g.RandomScalar(rand.Reader)
			xs := []group.Scalar{g.NewScalar()}
			ys := []group.Scalar{candidate}
			for _, s := range sub {
				xs = append(xs, scalarFromID(s.id))
				ys = append(ys, s.value)
			}
			f := polynomial.NewLagrangePolynomial(xs, ys)
			if !f.Evaluate(g.NewScalar()).IsEqual(candidate) {
				t.Fatal("interpolated polynomial misses the candidate secret")
			}
			for _, s := range sub {
				if !f.Evaluate(scalarFromID(s.id)).IsEqual(s.value) {
					t.Fatalf("polynomial through x' misses share %d", s.id)
				}
			}
		}
	}
}

// TestLagrangeAtZero checks the combiner's coefficients against values
// worked out by hand and against interpolation of a random polynomial, and
// shows why Open checks for repeated ids first.
func TestLagrangeAtZero(t *testing.T) {
	half := g.NewScalar().Inv(scalarFromID(2))
	neg := func(s group.Scalar) group.Scalar { return g.NewScalar().Neg(s) }
	cases := []struct {
		ids  []int
		want []group.Scalar
	}{
		{[]int{1, 2}, []group.Scalar{scalarFromID(2), neg(scalarFromID(1))}},
		{[]int{2, 1}, []group.Scalar{neg(scalarFromID(1)), scalarFromID(2)}},
		// λ_1 = 3/2, λ_3 = -1/2
		{[]int{1, 3}, []group.Scalar{g.NewScalar().Mul(scalarFromID(3), half), neg(half)}},
		// λ_1 = 3, λ_2 = -3, λ_3 = 1
		{[]int{1, 2, 3}, []group.Scalar{scalarFromID(3), neg(scalarFromID(3)), scalarFromID(1)}},
	}
	for _, c := range cases {
		got := lagrangeAtZero(c.ids)
		for i := range got {
			if !got[i].IsEqual(c.want[i]) {
				t.Errorf("ids %v: λ[%d] wrong", c.ids, i)
			}
		}
	}
	coef := []group.Scalar{g.RandomScalar(rand.Reader), g.RandomScalar(rand.Reader), g.RandomScalar(rand.Reader), g.RandomScalar(rand.Reader)}
	ids := []int{3, 9, 17, 32}
	lambda := lagrangeAtZero(ids)
	sum := g.NewScalar()
	for i, id := range ids {
		sum.Add(sum, g.NewScalar().Mul(lambda[i], evaluate(coef, scalarFromID(id))))
	}
	if !sum.IsEqual(coef[0]) {
		t.Error("Σ λ_i·f(i) != f(0)")
	}
	// The pitfall: with a repeated id, circl's Inv(0) = 0 makes the
	// coefficient 0 instead of failing. Open rejects duplicates first.
	for _, l := range lagrangeAtZero([]int{2, 2}) {
		if !l.IsZero() {
			t.Error("repeated ids no longer give zero coefficients; revisit the comment on lagrangeAtZero")
		}
	}
}

// TestNoBigOrMathRand keeps shares and scalars away from math/big and the
// package away from math/rand (RELIABILITY baseline import check).
func TestNoBigOrMathRand(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no source files: %v", err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "math/big" || strings.HasPrefix(path, "math/rand") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}

// TestDealInvariants guards the invariant that no dealt share
// is zero and no public share the identity.
func TestDealInvariants(t *testing.T) {
	pk, shares := mustDeal(t, 3, 9)
	for _, s := range shares {
		if s.value.IsZero() {
			t.Fatalf("officer %d: zero share", s.id)
		}
		xi, err := pk.officerKey(s.id)
		if err != nil || xi.IsIdentity() {
			t.Fatalf("officer %d: %v", s.id, err)
		}
	}
	if _, err := pk.officerKey(0); err == nil {
		t.Error("officer 0 has a public share")
	}
	if _, err := pk.officerKey(10); err == nil {
		t.Error("officer n+1 has a public share")
	}
}

func TestMulSmall(t *testing.T) {
	p := g.RandomElement(rand.Reader)
	for m := 1; m <= maxOfficers; m++ {
		e := p.Copy()
		mulSmall(e, m)
		if !e.IsEqual(g.NewElement().Mul(p, scalarFromID(m))) {
			t.Fatalf("mulSmall(P, %d) != %d·P", m, m)
		}
	}
}

// TestIdentityPublicShare crafts commitments C_1 = -C_0, so that
// X_1 = C_0 + C_1 is the identity although no commitment is: the parser
// names officer 1's public share (RELIABILITY T9).
func TestIdentityPublicShare(t *testing.T) {
	c0 := g.RandomElement(rand.Reader)
	c1 := g.NewElement().Neg(c0)
	b := append([]byte{publicKeyVersion, 2, 3}, encodeElement(c0)...)
	b = append(b, encodeElement(c1)...)
	_, err := ParsePublicKey(b)
	if !errors.Is(err, ErrBadEncoding) || !errors.Is(err, ErrIdentityElement) || !strings.Contains(err.Error(), "officer 1") {
		t.Fatalf("got %v", err)
	}
	// With C_1 = -C_0/2 it is officer 2's share that vanishes.
	c1 = g.NewElement().Mul(c0, g.NewScalar().Neg(g.NewScalar().Inv(scalarFromID(2))))
	b = append(b[:3+32], encodeElement(c1)...)
	if _, err := ParsePublicKey(b); !errors.Is(err, ErrIdentityElement) || !strings.Contains(err.Error(), "officer 2") {
		t.Fatalf("got %v", err)
	}
}

// TestCombineRejectsIdentity feeds the combiner partials (unverified, as
// only a bug upstream could) whose combination is the identity:
// λ = (2, -1) for officers 1, 2, so D_1 = P, D_2 = 2P gives 2P - 2P.
func TestCombineRejectsIdentity(t *testing.T) {
	f := newFixture(t, 2, 2, 1)
	p := g.RandomElement(rand.Reader)
	d1 := &Partials{officer: 1, d: []group.Element{p}, proofs: f.parts[0].proofs}
	d2 := &Partials{officer: 2, d: []group.Element{g.NewElement().Add(p, p)}, proofs: f.parts[1].proofs}
	if deks, errs := combine(f.pk, f.scope, []*Partials{d1, d2}); !errors.Is(errs[0], ErrIdentityElement) || deks[0] != nil {
		t.Fatalf("got %v", errs[0])
	}
	// Through Open the same sets never get that far: the proofs fail.
	_, err := Open(f.pk, f.scope, []*Partials{d1, d2})
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Officer != 1 {
		t.Fatalf("Open: %v", err)
	}
}
