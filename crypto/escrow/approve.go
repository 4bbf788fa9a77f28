package escrow

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/zk/dleq"
)

// partialsVersion is the first byte of encoded Partials (type 4, version 1).
const partialsVersion = 0x41

const partialsHeaderSize = 1 + 1 + 4 // version ‖ officer ‖ chunk count

// ChunkRef is one chunk of a scope: its id (the WrapContext.ChunkID it was
// wrapped under) and its wrapped data key.
type ChunkRef struct {
	ID      []byte
	Wrapped *Wrapped
}

// Scope is what an approval covers: the chunks of one request in one
// vault, in order. Officers must build it from the vault's own records for
// the request they approve, never from R values supplied by the requester;
// otherwise an officer's program becomes a decryption oracle for any R.
type Scope struct {
	VaultID, RequestID []byte
	Chunks             []ChunkRef
}

// checkScope validates a scope before any arithmetic.
func checkScope(sc *Scope) error {
	if sc == nil {
		return errors.New("escrow: nil scope")
	}
	if err := checkID("vault id", sc.VaultID); err != nil {
		return err
	}
	if err := checkID("request id", sc.RequestID); err != nil {
		return err
	}
	if len(sc.Chunks) == 0 || len(sc.Chunks) > maxChunks {
		return fmt.Errorf("escrow: scope of %d chunks, want 1..%d", len(sc.Chunks), maxChunks)
	}
	seen := make(map[string]struct{}, len(sc.Chunks))
	for i, c := range sc.Chunks {
		if err := checkID(fmt.Sprintf("scope chunk %d id", i), c.ID); err != nil {
			return err
		}
		if _, dup := seen[string(c.ID)]; dup {
			return fmt.Errorf("escrow: scope names chunk %x twice", c.ID)
		}
		seen[string(c.ID)] = struct{}{}
		if c.Wrapped.check() != nil {
			return fmt.Errorf("escrow: scope chunk %x has no wrapped key", c.ID)
		}
	}
	return nil
}

// Partials is one officer's approval of a scope: for every chunk c the
// partial decryption D_ic = x_i·R_c, and for every batch of up to 16
// chunks a DLEQ proof that log_G(X_i) = log_{R_c}(D_ic) for all c in the
// batch, bound to the vault, request, escrow key and chunk ids.
type Partials struct {
	officer int
	d       []group.Element
	proofs  []*dleq.Proof
}

// Officer returns the id of the officer whose share made the partials.
func (p *Partials) Officer() int { return p.officer }

var errZeroPartials = errors.New("escrow: uninitialised partials")

func (p *Partials) check() error {
	if p == nil || len(p.d) == 0 || len(p.proofs) != batches(len(p.d)) {
		return errZeroPartials
	}
	for _, d := range p.d {
		if d == nil {
			return errZeroPartials
		}
	}
	for _, pr := range p.proofs {
		if pr == nil {
			return errZeroPartials
		}
	}
	return nil
}

// MarshalBinary encodes p as version ‖ officer ‖ uint32 chunk count ‖
// D_1 … D_m ‖ one 64-byte proof per batch of 16 chunks.
func (p *Partials) MarshalBinary() ([]byte, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, partialsHeaderSize+len(p.d)*elementSize+len(p.proofs)*proofSize)
	b = append(b, partialsVersion, byte(p.officer))
	b = binary.BigEndian.AppendUint32(b, uint32(len(p.d))) // #nosec G115 -- len <= maxChunks
	for _, d := range p.d {
		b = append(b, encodeElement(d)...)
	}
	for _, pr := range p.proofs {
		pb, err := pr.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("escrow: encoding proof: %w", err)
		}
		b = append(b, pb...)
	}
	return b, nil
}

// ParsePartials decodes partials: officer in 1..32, 1..65536 chunks, exact
// length, canonical non-identity points, canonical proof scalars with a
// non-zero challenge and response.
func ParsePartials(b []byte) (*Partials, error) {
	const field = "partials"
	if len(b) < 1 {
		return nil, badEncoding(field, "empty")
	}
	if b[0] != partialsVersion {
		return nil, badEncoding(field, fmt.Sprintf("unknown version byte 0x%02x", b[0]))
	}
	if len(b) < partialsHeaderSize {
		return nil, badEncoding(field, "truncated header")
	}
	officer := int(b[1])
	if officer < 1 || officer > maxOfficers {
		return nil, badEncoding("partials officer", fmt.Sprintf("%d out of range 1..%d", officer, maxOfficers))
	}
	count := binary.BigEndian.Uint32(b[2:6])
	if count < 1 || count > maxChunks {
		return nil, badEncoding("partials chunk count", fmt.Sprintf("%d out of range 1..%d", count, maxChunks))
	}
	m := int(count)
	want := partialsHeaderSize + m*elementSize + batches(m)*proofSize
	if len(b) != want {
		return nil, badEncoding(field, fmt.Sprintf("length %d, want %d for %d chunks", len(b), want, m))
	}
	p := &Partials{officer: officer, d: make([]group.Element, m), proofs: make([]*dleq.Proof, batches(m))}
	rest := b[partialsHeaderSize:]
	for c := range p.d {
		d, err := decodeElement(rest[:elementSize], fmt.Sprintf("partials of officer %d: D for chunk %d", officer, c))
		if err != nil {
			return nil, err
		}
		p.d[c], rest = d, rest[elementSize:]
	}
	for i := range p.proofs {
		pb := rest[:proofSize]
		rest = rest[proofSize:]
		fieldName := fmt.Sprintf("partials of officer %d: proof %d", officer, i)
		// A zero challenge or response is canonical but degenerate; an
		// honest prover produces one with probability 2^-252.
		if isZero(pb[:scalarSize]) || isZero(pb[scalarSize:]) {
			return nil, badEncoding(fieldName, "zero challenge or response")
		}
		pr := new(dleq.Proof)
		if err := pr.UnmarshalBinary(g, pb); err != nil {
			return nil, badEncoding(fieldName, "not two canonical scalars")
		}
		p.proofs[i] = pr
	}
	return p, nil
}

func isZero(b []byte) bool {
	var acc byte
	for _, x := range b {
		acc |= x
	}
	return acc == 0
}

// Approve computes the officer's partial decryptions of every chunk in
// scope with their share, and proves each batch of them correct. It first
// checks the share against pk, so a share of another vault fails with
// ErrBadShare instead of producing partials that would be rejected later.
// The partials reveal x_i·R_c for the approved chunks only; x_i stays
// secret (the DLEQ proofs are zero-knowledge).
func (s *Share) Approve(pk *PublicKey, scope *Scope) (*Partials, error) {
	xi, err := pk.verifyShare(s)
	if err != nil {
		return nil, err
	}
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	m := len(scope.Chunks)
	rs := make([]group.Element, m)
	p := &Partials{officer: s.id, d: make([]group.Element, m), proofs: make([]*dleq.Proof, batches(m))}
	for c, ch := range scope.Chunks {
		rs[c] = ch.Wrapped.point()
		p.d[c] = g.NewElement().Mul(rs[c], s.value)
	}
	digest := scopeDigest(pk.x, scope)
	for b := range p.proofs {
		lo, hi := batchRange(b, m)
		prover := dleq.Prover{Params: dleqParams(&digest, b)}
		// The reader is ignored for ristretto255: circl draws the proof
		// nonce from crypto/rand.
		pr, err := prover.ProveBatch(s.value, g.Generator(), xi, rs[lo:hi], p.d[lo:hi], rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("escrow: proving partials: %w", err)
		}
		p.proofs[b] = pr
	}
	return p, nil
}

// VerifyPartials checks that p holds correct partial decryptions of every
// chunk of scope by the officer p names. Any failure is a *PartialError
// naming the officer and, for failed proofs, the chunks of every failed
// batch.
func (pk *PublicKey) VerifyPartials(scope *Scope, p *Partials) error {
	if err := pk.check(); err != nil {
		return err
	}
	if err := checkScope(scope); err != nil {
		return err
	}
	return pk.newVerification(scope).verify(p)
}

// verification holds what checking partials against one scope needs, so
// that Open computes it once for all officers.
type verification struct {
	pk     *PublicKey
	scope  *Scope
	digest [32]byte
	rs     []group.Element
}

// newVerification prepares the checks of partials for a validated scope.
func (pk *PublicKey) newVerification(scope *Scope) *verification {
	v := &verification{pk: pk, scope: scope, digest: scopeDigest(pk.x, scope), rs: make([]group.Element, len(scope.Chunks))}
	for c, ch := range scope.Chunks {
		v.rs[c] = ch.Wrapped.point()
	}
	return v
}

// checkShape checks everything about p but the proofs: that it is well
// formed, names one of the n officers and covers every chunk of the scope.
func (v *verification) checkShape(p *Partials) error {
	if err := p.check(); err != nil {
		return err
	}
	if _, err := v.pk.officerKey(p.officer); err != nil {
		return &PartialError{Officer: p.officer, Err: err}
	}
	if m := len(v.scope.Chunks); len(p.d) != m {
		return &PartialError{Officer: p.officer, Err: fmt.Errorf("%w: %d partials for a scope of %d chunks", ErrBadProof, len(p.d), m)}
	}
	return nil
}

// verify checks p completely.
func (v *verification) verify(p *Partials) error {
	if err := v.checkShape(p); err != nil {
		return err
	}
	xi, err := v.pk.officerKey(p.officer)
	if err != nil {
		return &PartialError{Officer: p.officer, Err: err}
	}
	m := len(v.scope.Chunks)
	var failed [][]byte
	for b, pr := range p.proofs {
		lo, hi := batchRange(b, m)
		verifier := dleq.Verifier{Params: dleqParams(&v.digest, b)}
		if !verifier.VerifyBatch(g.Generator(), xi, v.rs[lo:hi], p.d[lo:hi], pr) {
			for _, ch := range v.scope.Chunks[lo:hi] {
				failed = append(failed, ch.ID)
			}
		}
	}
	if failed != nil {
		return &PartialError{Officer: p.officer, Chunks: failed, Err: ErrBadProof}
	}
	return nil
}
