package escrow

import (
	"bytes"
	"errors"
	"testing"
)

// An encapsulation made ahead wraps a key that a threshold of officers
// opens, exactly once; a second use, or one after Destroy, is refused.
func TestEncapsulation(t *testing.T) {
	pk, shares := mustDeal(t, 2, 3)
	dek := randomBytes(t, DEKSize)
	vaultID := []byte("vault")
	e, err := Encapsulate(pk)
	if err != nil {
		t.Fatal(err)
	}
	e2, err := Encapsulate(pk)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(e.rEnc[:], e2.rEnc[:]) {
		t.Fatal("two encapsulations share R")
	}
	w, err := e.Wrap(dek, WrapContext{VaultID: vaultID, ChunkID: []byte("chunk-1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Wrap(dek, WrapContext{VaultID: vaultID, ChunkID: []byte("chunk-2")}); !errors.Is(err, errEncapsulationUsed) {
		t.Fatalf("second use: %v", err)
	}
	if e.sEnc != [elementSize]byte{} {
		t.Fatal("S left in memory after the wrap")
	}
	e2.Destroy()
	if _, err := e2.Wrap(dek, WrapContext{VaultID: vaultID, ChunkID: []byte("chunk-2")}); !errors.Is(err, errEncapsulationUsed) {
		t.Fatalf("use after Destroy: %v", err)
	}

	scope := &Scope{VaultID: vaultID, RequestID: []byte("request"), Chunks: []ChunkRef{{ID: []byte("chunk-1"), Wrapped: w}}}
	var parts []*Partials
	for _, s := range shares[:2] {
		p, err := s.Approve(pk, scope)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	got, err := Open(pk, scope, parts)
	if err != nil || !bytes.Equal(got[0], dek) {
		t.Fatalf("open: %v", err)
	}
}

// Encapsulations made in a batch are each their own: distinct R, and each
// wraps a key that a threshold of officers opens (S = r·X for its own r).
func TestEncapsulateN(t *testing.T) {
	pk, shares := mustDeal(t, 2, 3)
	es, err := EncapsulateN(pk, 9)
	if err != nil {
		t.Fatal(err)
	}
	vaultID := []byte("vault")
	scope := &Scope{VaultID: vaultID, RequestID: []byte("request")}
	var deks [][]byte
	seen := map[[elementSize]byte]bool{}
	for i, e := range es {
		if seen[e.rEnc] {
			t.Fatalf("encapsulation %d repeats an R", i)
		}
		seen[e.rEnc] = true
		dek := randomBytes(t, DEKSize)
		id := []byte{'c', byte('0' + i)}
		w, err := e.Wrap(dek, WrapContext{VaultID: vaultID, ChunkID: id})
		if err != nil {
			t.Fatal(err)
		}
		scope.Chunks = append(scope.Chunks, ChunkRef{ID: id, Wrapped: w})
		deks = append(deks, dek)
	}
	var parts []*Partials
	for _, s := range shares[1:] {
		p, err := s.Approve(pk, scope)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	got, err := Open(pk, scope, parts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range deks {
		if !bytes.Equal(got[i], deks[i]) {
			t.Fatalf("chunk %d opened to another key", i)
		}
	}
	if _, err := EncapsulateN(pk, 0); err == nil {
		t.Error("EncapsulateN(pk, 0) accepted")
	}
}
