package identity

import (
	"bytes"
	"testing"
)

// benchMsg is about the size of an audit-log entry.
var benchMsg = bytes.Repeat([]byte("audit entry "), 25)

func BenchmarkSign(b *testing.B) {
	a := alice()
	for b.Loop() {
		if _, err := a.Sign(benchMsg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	a := alice()
	pub := a.Public()
	sig, err := a.Sign(benchMsg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := pub.Verify(benchMsg, sig); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

func BenchmarkVerifyParallel(b *testing.B) {
	a := alice()
	pub := a.Public()
	sig, err := a.Sign(benchMsg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := pub.Verify(benchMsg, sig); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

func BenchmarkEncrypt(b *testing.B) {
	pub := alice().Public()
	for b.Loop() {
		if _, err := pub.Encrypt(benchMsg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	a := alice()
	ct, err := a.Public().Encrypt(benchMsg)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := a.Decrypt(ct); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnlock is dominated by the S2K derivation (SHA-256 over
// 65011712 bytes), which is the point of it.
func BenchmarkUnlock(b *testing.B) {
	armored, err := alice().ArmorSecret()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		id, err := ParseSecret(armored)
		if err != nil {
			b.Fatal(err)
		}
		if err := id.Unlock(testPass); err != nil {
			b.Fatal(err)
		}
	}
}
