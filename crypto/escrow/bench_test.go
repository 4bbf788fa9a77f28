package escrow

import (
	"testing"
)

// BenchmarkApprovePerChunk times one officer approving a 64-chunk scope
// (four batched proofs) and reports the cost per chunk; the goal is at most
// 1 ms per chunk.
func BenchmarkApprovePerChunk(b *testing.B) {
	const chunks = 64
	pk, shares := mustDeal(b, 2, 3)
	sc, _ := newScope(b, pk, "vault", "request", chunks)
	b.ResetTimer()
	for range b.N {
		if _, err := shares[0].Approve(pk, sc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chunks), "ns/chunk")
}

// BenchmarkUnlock3Chunks times the requester's side of an unlock of three
// chunks with two officers: VerifyPartials on each set as it arrives, then
// Open.
func BenchmarkUnlock3Chunks(b *testing.B) {
	f := newFixture(b, 2, 3, 3)
	parts := f.pick(1, 2)
	b.ResetTimer()
	for range b.N {
		for _, p := range parts {
			if err := f.pk.VerifyPartials(f.scope, p); err != nil {
				b.Fatal(err)
			}
		}
		deks, err := Open(f.pk, f.scope, parts)
		if err != nil {
			b.Fatal(err)
		}
		for _, k := range deks {
			clear(k)
		}
	}
}

func BenchmarkWrap(b *testing.B) {
	pk, _ := mustDeal(b, 2, 3)
	dek := randomBytes(b, DEKSize)
	ctx := WrapContext{VaultID: []byte("vault"), ChunkID: []byte("chunk")}
	b.ResetTimer()
	for range b.N {
		if _, err := Wrap(pk, dek, ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncapsulateN: per encapsulation, made 16 at a time as the
// vault's importer makes them ahead.
func BenchmarkEncapsulateN(b *testing.B) {
	pk, _ := mustDeal(b, 2, 3)
	b.ResetTimer()
	for range b.N {
		es, err := EncapsulateN(pk, 16)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range es {
			e.Destroy()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(16*b.N), "ns/encapsulation")
}

func BenchmarkDeal(b *testing.B) {
	for range b.N {
		if _, _, err := Deal(2, 5); err != nil {
			b.Fatal(err)
		}
	}
}
