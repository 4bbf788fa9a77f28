// Package escrow implements sealroom's dual-approval escrow: a threshold
// key encapsulation over ristretto255 in which k of n privacy officers must
// cooperate to recover a chunk's data key, and in which no code path ever
// rebuilds the escrow private key.
//
// # Keys
//
// Deal picks a random polynomial f of degree k-1 and hands officer i the
// share x_i = f(i), i = 1..n. The escrow key is x = f(0); it exists only
// inside Deal. The public key holds the Feldman commitments C_j = a_j·G to
// the coefficients of f, so X = C_0 = x·G, and anyone can compute officer
// i's public share X_i = x_i·G = Σ_j C_j·i^j. VerifyShare checks a share
// against it (Feldman verifiable secret sharing).
//
// # Wrapping a data key
//
// Wrap needs only the public key. For a data key DEK of chunk c it draws r,
// sends R = r·G, computes S = r·X and seals DEK with ChaCha20-Poly1305 under
//
//	KEK = HKDF-SHA256(ikm  = S ‖ R ‖ X,
//	                  info = "sealroom escrow wrap v1" ‖ lp(vault id) ‖ lp(chunk id))
//
// with R as associated data (lp is a two-byte big-endian length prefix).
// Since S = x·R as well, whoever can compute x·R can unwrap.
//
// # Approving and opening
//
// An officer approves a Scope (vault id, request id, ordered chunk list) by
// computing, for every chunk, the partial decryption D_i = x_i·R and a DLEQ
// proof (Chaum–Pedersen, via circl's zk/dleq with SHA-512) that
// log_G(X_i) = log_R(D_i). One batched proof covers up to 16 chunks. Each
// proof's domain-separation tag is derived from a hash of the escrow key X,
// the vault id, the request id, the ordered chunk ids and the batch index,
// so a proof made for one request, vault or chunk list never verifies for
// another; circl's transcript adds G, X_i, every R and every D.
//
// Open verifies every officer's proofs, then for each chunk combines
// S = Σ λ_i·D_i = x·R, with λ_i the Lagrange coefficients at 0 of the
// first k officers' ids, and unwraps the data key. The secret x is never
// formed; only the per-chunk point x·R is. A bad proof is reported as a
// *PartialError naming the officer and the chunks concerned.
//
// The guarantee is that fewer than k shares reveal nothing about x, and
// that an approval opens exactly the chunks it names. It is a code
// discipline, not a boundary, when several officers' shares are unlocked
// in one process; see the design notes.
//
// # Encodings
//
// Every encoding starts with a byte whose high nibble names the type and
// whose low nibble is the version, so that no encoding parses as another
// type. Points are canonical ristretto255 encodings and never the identity;
// scalars are canonical little-endian encodings. Parsers reject every other
// byte string, including trailing bytes, with ErrBadEncoding.
//
//	PublicKey  0x11 ‖ k ‖ n ‖ C_0 … C_{k-1}                  3 + 32k bytes
//	Share      0x21 ‖ id ‖ x_i                               34 bytes (secret)
//	Wrapped    0x31 ‖ R ‖ ChaCha20-Poly1305(KEK, DEK)        81 bytes
//	Partials   0x41 ‖ officer ‖ uint32 m ‖ D_1 … D_m ‖ proof per 16 chunks (c ‖ s, 64 bytes)
package escrow
