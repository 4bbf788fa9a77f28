package escrow

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/zk/dleq"
)

func TestPartialsRoundTrip(t *testing.T) {
	for _, m := range []int{1, 15, 16, 17, 33} {
		f := newFixture(t, 2, 3, m)
		for _, p := range f.parts {
			enc := mustMarshal(t, p)
			if want := 6 + 32*m + 64*batches(m); len(enc) != want {
				t.Errorf("%d chunks: %d bytes, want %d", m, len(enc), want)
			}
			q, err := ParsePartials(enc)
			if err != nil {
				t.Fatal(err)
			}
			if q.Officer() != p.Officer() || !bytes.Equal(mustMarshal(t, q), enc) {
				t.Fatalf("%d chunks: partials do not round-trip", m)
			}
			if err := f.pk.VerifyPartials(f.scope, q); err != nil {
				t.Fatalf("%d chunks, officer %d: %v", m, q.Officer(), err)
			}
		}
		got, err := Open(f.pk, f.scope, f.pick(3, 1))
		if err != nil || !equalKeys(got, f.deks) {
			t.Fatalf("%d chunks: %v", m, err)
		}
	}
}

// wantPartialError checks that err is a *PartialError naming officer and
// exactly the chunk ids want (nil: no chunk list), and that its message
// names them.
func wantPartialError(t *testing.T, what string, err error, officer int, want [][]byte) {
	t.Helper()
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Errorf("%s: got %v, want a *PartialError", what, err)
		return
	}
	if pe.Officer != officer {
		t.Errorf("%s: names officer %d, want %d", what, pe.Officer, officer)
	}
	if len(pe.Chunks) != len(want) {
		t.Errorf("%s: names %d chunks, want %d: %v", what, len(pe.Chunks), len(want), err)
	}
	for i := range min(len(pe.Chunks), len(want)) {
		if !bytes.Equal(pe.Chunks[i], want[i]) {
			t.Errorf("%s: chunk %d is %q, want %q", what, i, pe.Chunks[i], want[i])
		}
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "escrow: ") || !strings.Contains(msg, fmt.Sprintf("officer %d", officer)) {
		t.Errorf("%s: message %q", what, msg)
	}
	for _, c := range want {
		if !strings.Contains(msg, hex.EncodeToString(c)) {
			t.Errorf("%s: message %q does not name chunk %x", what, msg, c)
		}
	}
	if pe.Unwrap() == nil {
		t.Errorf("%s: no cause", what)
	}
}

func chunkIDs(sc *Scope) [][]byte {
	ids := make([][]byte, len(sc.Chunks))
	for i, c := range sc.Chunks {
		ids[i] = c.ID
	}
	return ids
}

// TestTamperedPartials forges officer 2's partials every way RELIABILITY
// T10/T11 lists and checks that VerifyPartials and Open reject each one
// with a *PartialError naming the officer and the chunks, while officer 1's
// honest set stays valid.
func TestTamperedPartials(t *testing.T) {
	f := newFixture(t, 2, 3, 3)
	all := chunkIDs(f.scope)
	honest := f.parts[1]
	x2 := f.shares[1].value

	// Approvals of related but different scopes, by the same officer.
	otherRequest := rescope(f.scope, "vault-1", "request-B")
	otherVault := rescope(f.scope, "vault-2", "request-A")
	otherChunks := rescope(f.scope, "vault-1", "request-A")
	otherChunks.Chunks[2].ID = []byte("chunk-x")
	swappedOrder := rescope(f.scope, "vault-1", "request-A")
	swappedOrder.Chunks[0], swappedOrder.Chunks[1] = swappedOrder.Chunks[1], swappedOrder.Chunks[0]
	otherR, _ := newScope(t, f.pk, "vault-1", "request-A", 3) // same ids, other wrapped keys
	fewer := rescope(f.scope, "vault-1", "request-A")
	fewer.Chunks = fewer.Chunks[:2]
	pkB, sharesB := mustDeal(t, 2, 3)
	approve := func(s *Share, pk *PublicKey, sc *Scope) *Partials {
		p, err := s.Approve(pk, sc)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	cases := []struct {
		name    string
		mutate  func(p *Partials) *Partials
		officer int
		chunks  [][]byte
	}{
		{"D + G", func(p *Partials) *Partials {
			p.d[1] = g.NewElement().Add(p.d[1], g.Generator())
			return p
		}, 2, all},
		{"random D", func(p *Partials) *Partials { p.d[0] = g.RandomElement(rand.Reader); return p }, 2, all},
		{"D with a wrong x_i", func(p *Partials) *Partials {
			wrong := g.NewScalar().Add(x2, scalarFromID(1))
			p.d[2] = g.NewElement().Mul(f.scope.Chunks[2].Wrapped.point(), wrong)
			return p
		}, 2, all},
		{"D of another chunk", func(p *Partials) *Partials { p.d[0], p.d[1] = p.d[1], p.d[0]; return p }, 2, all},
		{"D of officer 1", func(p *Partials) *Partials { p.d[0] = f.parts[0].d[0]; return p }, 2, all},
		{"proof of officer 1", func(p *Partials) *Partials { p.proofs[0] = f.parts[0].proofs[0]; return p }, 2, all},
		{"proof challenge changed", func(p *Partials) *Partials { return flipProof(t, p, 0, 0) }, 2, all},
		{"proof response changed", func(p *Partials) *Partials { return flipProof(t, p, 0, scalarSize) }, 2, all},
		{"zero proof", func(p *Partials) *Partials {
			p.proofs[0] = zeroProof(t)
			return p
		}, 2, all},
		{"officer id 2 → 3", func(p *Partials) *Partials { p.officer = 3; return p }, 3, all},
		{"officer id 2 → 1 (duplicate of an honest set)", func(p *Partials) *Partials { p.officer = 1; return p }, 1, all},
		{"another request's partials", func(*Partials) *Partials { return approve(f.shares[1], f.pk, otherRequest) }, 2, all},
		{"another vault's partials", func(*Partials) *Partials { return approve(f.shares[1], f.pk, otherVault) }, 2, all},
		{"partials for another chunk list", func(*Partials) *Partials { return approve(f.shares[1], f.pk, otherChunks) }, 2, all},
		{"partials for the chunks in another order", func(*Partials) *Partials { return approve(f.shares[1], f.pk, swappedOrder) }, 2, all},
		{"partials for other R_c", func(*Partials) *Partials { return approve(f.shares[1], f.pk, otherR) }, 2, all},
		{"partials under another escrow key", func(*Partials) *Partials { return approve(sharesB[1], pkB, rescope(f.scope, "vault-1", "request-A")) }, 2, all},
		{"partials for fewer chunks", func(*Partials) *Partials { return approve(f.shares[1], f.pk, fewer) }, 2, nil},
		{"proof over another base", func(p *Partials) *Partials {
			// A valid DLEQ for log_A(x_2·A) = log_R(D) with A ≠ G: the
			// verifier fixes the base to G, so it must not pass.
			a := g.RandomElement(rand.Reader)
			rs := []group.Element{f.scope.Chunks[0].Wrapped.point(), f.scope.Chunks[1].Wrapped.point(), f.scope.Chunks[2].Wrapped.point()}
			digest := scopeDigest(f.pk.x, f.scope)
			pr, err := dleq.Prover{Params: dleqParams(&digest, 0)}.ProveBatch(x2, a, g.NewElement().Mul(a, x2), rs, p.d, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			p.proofs[0] = pr
			return p
		}, 2, all},
	}
	for _, c := range cases {
		bad := c.mutate(clonePartials(t, honest))
		wantPartialError(t, c.name+": VerifyPartials", f.pk.VerifyPartials(f.scope, bad), c.officer, c.chunks)
		if c.officer == 1 {
			// Officer 1 twice is refused as a duplicate before the proofs
			// are looked at; alone with officer 3 it is a bad proof.
			_, err := Open(f.pk, f.scope, []*Partials{f.parts[0], bad})
			if !errors.Is(err, ErrDuplicateOfficer) {
				t.Errorf("%s: Open: %v", c.name, err)
			}
			_, err = Open(f.pk, f.scope, []*Partials{f.parts[2], bad})
			wantPartialError(t, c.name+": Open", err, 1, c.chunks)
			continue
		}
		_, err := Open(f.pk, f.scope, []*Partials{f.parts[0], bad})
		wantPartialError(t, c.name+": Open", err, c.officer, c.chunks)
		// Order does not change which officer is blamed.
		_, err = Open(f.pk, f.scope, []*Partials{bad, f.parts[0]})
		wantPartialError(t, c.name+": Open, bad set first", err, c.officer, c.chunks)
	}
	// The honest sets are untouched and still open.
	if got, err := Open(f.pk, f.scope, f.pick(1, 2)); err != nil || !equalKeys(got, f.deks) {
		t.Fatalf("honest sets after tampering: %v", err)
	}
}

// flipProof changes one low-order bit of the challenge (off 0) or response
// (off 32) of proof 0; the scalar stays canonical.
func flipProof(t *testing.T, p *Partials, i, off int) *Partials {
	t.Helper()
	b, err := p.proofs[i].MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 1
	pr := new(dleq.Proof)
	if err := pr.UnmarshalBinary(g, b); err != nil {
		t.Fatal(err)
	}
	p.proofs[i] = pr
	return p
}

func zeroProof(t *testing.T) *dleq.Proof {
	t.Helper()
	pr := new(dleq.Proof)
	if err := pr.UnmarshalBinary(g, make([]byte, proofSize)); err != nil {
		t.Fatal(err)
	}
	return pr
}

// TestReplacementApproval: after officer 2's forged set is rejected, the
// honest set of officer 1 combines with a replacement from officer 3
// (RELIABILITY T11).
func TestReplacementApproval(t *testing.T) {
	f := newFixture(t, 2, 3, 2)
	bad := clonePartials(t, f.parts[1])
	bad.d[1] = g.RandomElement(rand.Reader)
	_, err := Open(f.pk, f.scope, []*Partials{f.parts[0], bad})
	wantPartialError(t, "forged set", err, 2, chunkIDs(f.scope))
	got, err := Open(f.pk, f.scope, []*Partials{f.parts[0], f.parts[2]})
	if err != nil || !equalKeys(got, f.deks) {
		t.Fatalf("replacement approval: %v", err)
	}
}

// TestProofForRequestANeverVerifiesForB runs request A's approvals against
// request B (same vault, same chunks) for scopes of one and several
// batches: every batch fails, for every officer.
func TestProofForRequestANeverVerifiesForB(t *testing.T) {
	for _, m := range []int{1, 16, 17, 40} {
		f := newFixture(t, 2, 3, m)
		b := rescope(f.scope, "vault-1", "request-B")
		for _, p := range f.parts {
			wantPartialError(t, fmt.Sprintf("%d chunks, officer %d", m, p.officer), f.pk.VerifyPartials(b, p), p.officer, chunkIDs(b))
		}
		if _, err := Open(f.pk, b, f.parts); err == nil {
			t.Fatalf("%d chunks: request A's approvals open request B", m)
		}
		// And B's own approvals verify, so the failure is the binding.
		for _, p := range approveAll(t, f.pk, f.shares, b) {
			if err := f.pk.VerifyPartials(b, p); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestPartialErrorNamesTheBatch: with 40 chunks in batches of 16, 16 and 8,
// a forged D in chunk 20 blames exactly the chunks of the second batch.
func TestPartialErrorNamesTheBatch(t *testing.T) {
	f := newFixture(t, 2, 2, 40)
	ids := chunkIDs(f.scope)
	bad := clonePartials(t, f.parts[1])
	bad.d[20] = g.RandomElement(rand.Reader)
	wantPartialError(t, "chunk 20", f.pk.VerifyPartials(f.scope, bad), 2, ids[16:32])
	bad.d[39] = g.RandomElement(rand.Reader)
	wantPartialError(t, "chunks 20 and 39", f.pk.VerifyPartials(f.scope, bad), 2, ids[16:40])
	if !errors.Is(f.pk.VerifyPartials(f.scope, bad), ErrBadProof) {
		t.Error("not ErrBadProof")
	}
}

// TestTranscriptBindsEveryInput shows that the proof's challenge covers G,
// X_i, R_c, D_ic, the vault id, the request id and the chunk id: changing
// any one of them alone breaks an honest proof (RELIABILITY T11).
func TestTranscriptBindsEveryInput(t *testing.T) {
	f := newFixture(t, 2, 3, 2)
	p := f.parts[1]
	xi, err := f.pk.officerKey(2)
	if err != nil {
		t.Fatal(err)
	}
	rs := []group.Element{f.scope.Chunks[0].Wrapped.point(), f.scope.Chunks[1].Wrapped.point()}
	verify := func(sc *Scope, base, xi group.Element, rs, ds []group.Element) bool {
		digest := scopeDigest(f.pk.x, sc)
		return dleq.Verifier{Params: dleqParams(&digest, 0)}.VerifyBatch(base, xi, rs, ds, p.proofs[0])
	}
	if !verify(f.scope, g.Generator(), xi, rs, p.d) {
		t.Fatal("honest proof does not verify")
	}
	xOther, _ := f.pk.officerKey(3)
	otherChunk := rescope(f.scope, "vault-1", "request-A")
	otherChunk.Chunks[1].ID = []byte("chunk-9")
	changes := map[string]bool{
		"G":          verify(f.scope, g.RandomElement(rand.Reader), xi, rs, p.d),
		"X_i":        verify(f.scope, g.Generator(), xOther, rs, p.d),
		"R_c":        verify(f.scope, g.Generator(), xi, []group.Element{rs[0], g.RandomElement(rand.Reader)}, p.d),
		"D_ic":       verify(f.scope, g.Generator(), xi, rs, []group.Element{p.d[0], g.RandomElement(rand.Reader)}),
		"vault id":   verify(rescope(f.scope, "vault-2", "request-A"), g.Generator(), xi, rs, p.d),
		"request id": verify(rescope(f.scope, "vault-1", "request-B"), g.Generator(), xi, rs, p.d),
		"chunk id":   verify(otherChunk, g.Generator(), xi, rs, p.d),
	}
	for what, ok := range changes {
		if ok {
			t.Errorf("changing %s alone leaves the proof valid", what)
		}
	}
	// The batch index is bound too: batch 0's proof is not batch 1's.
	digest := scopeDigest(f.pk.x, f.scope)
	if (dleq.Verifier{Params: dleqParams(&digest, 1)}).VerifyBatch(g.Generator(), xi, rs, p.d, p.proofs[0]) {
		t.Error("proof verifies under another batch index")
	}
}

// TestByteFlipPartials flips the lowest and the highest bit of every byte
// of an encoded approval: each flip
// is either a parse error (ErrBadEncoding) or a *PartialError, never an
// accepted set, and nothing panics.
func TestByteFlipPartials(t *testing.T) {
	f := newFixture(t, 2, 3, 2)
	enc := mustMarshal(t, f.parts[1])
	for i := range enc {
		for _, mask := range []byte{0x01, 0x80} {
			b := bytes.Clone(enc)
			b[i] ^= mask
			p, err := ParsePartials(b)
			if err != nil {
				if !errors.Is(err, ErrBadEncoding) || p != nil {
					t.Fatalf("byte %d ^ %#x: %v", i, mask, err)
				}
				continue
			}
			var pe *PartialError
			if err := f.pk.VerifyPartials(f.scope, p); !errors.As(err, &pe) || pe.Officer != p.Officer() {
				t.Fatalf("byte %d ^ %#x: accepted or misattributed: %v", i, mask, err)
			}
		}
	}
}
