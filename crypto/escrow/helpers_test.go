package escrow

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"
)

// fixture is a dealt key with one scope of wrapped chunks and every
// officer's approval of it.
type fixture struct {
	pk     *PublicKey
	shares []*Share
	scope  *Scope
	deks   [][]byte
	parts  []*Partials // parts[i] is officer i+1's approval of scope
}

func mustDeal(tb testing.TB, k, n int) (*PublicKey, []*Share) {
	tb.Helper()
	pk, shares, err := Deal(k, n)
	if err != nil {
		tb.Fatalf("Deal(%d, %d): %v", k, n, err)
	}
	return pk, shares
}

func randomBytes(tb testing.TB, n int) []byte {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return b
}

// randomPerm returns a random permutation of 0..n-1 (Fisher–Yates over
// crypto/rand; the package keeps math/rand out even of its tests).
func randomPerm(tb testing.TB, n int) []int {
	tb.Helper()
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r := randomBytes(tb, n)
	for i := n - 1; i > 0; i-- {
		j := int(r[i]) % (i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// newScope wraps m fresh data keys for vault and returns the scope of
// request over them, chunk ids "chunk-0", "chunk-1", …
func newScope(tb testing.TB, pk *PublicKey, vault, request string, m int) (*Scope, [][]byte) {
	tb.Helper()
	sc := &Scope{VaultID: []byte(vault), RequestID: []byte(request)}
	deks := make([][]byte, m)
	for c := range m {
		id := []byte(fmt.Sprintf("chunk-%d", c))
		deks[c] = randomBytes(tb, DEKSize)
		w, err := Wrap(pk, deks[c], WrapContext{VaultID: sc.VaultID, ChunkID: id})
		if err != nil {
			tb.Fatalf("Wrap: %v", err)
		}
		sc.Chunks = append(sc.Chunks, ChunkRef{ID: id, Wrapped: w})
	}
	return sc, deks
}

// rescope returns a copy of sc with other vault and request ids and the
// same chunks.
func rescope(sc *Scope, vault, request string) *Scope {
	return &Scope{VaultID: []byte(vault), RequestID: []byte(request), Chunks: append([]ChunkRef(nil), sc.Chunks...)}
}

func approveAll(tb testing.TB, pk *PublicKey, shares []*Share, sc *Scope) []*Partials {
	tb.Helper()
	parts := make([]*Partials, len(shares))
	for i, s := range shares {
		p, err := s.Approve(pk, sc)
		if err != nil {
			tb.Fatalf("officer %d Approve: %v", s.ID(), err)
		}
		parts[i] = p
	}
	return parts
}

func newFixture(tb testing.TB, k, n, m int) *fixture {
	tb.Helper()
	f := &fixture{}
	f.pk, f.shares = mustDeal(tb, k, n)
	f.scope, f.deks = newScope(tb, f.pk, "vault-1", "request-A", m)
	f.parts = approveAll(tb, f.pk, f.shares, f.scope)
	return f
}

// pick returns the partial sets of the given officer ids (1-based).
func (f *fixture) pick(ids ...int) []*Partials {
	out := make([]*Partials, len(ids))
	for i, id := range ids {
		out[i] = f.parts[id-1]
	}
	return out
}

func equalKeys(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// combinations returns every k-subset of 1..n in lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	cur := make([]int, 0, k)
	var rec func(next int)
	rec = func(next int) {
		if len(cur) == k {
			out = append(out, append([]int(nil), cur...))
			return
		}
		for i := next; i <= n-(k-len(cur))+1; i++ {
			cur = append(cur, i)
			rec(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	rec(1)
	return out
}

// clonePartials deep-copies p through its encoding.
func clonePartials(tb testing.TB, p *Partials) *Partials {
	tb.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		tb.Fatal(err)
	}
	q, err := ParsePartials(b)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func mustMarshal(tb testing.TB, m interface{ MarshalBinary() ([]byte, error) }) []byte {
	tb.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
