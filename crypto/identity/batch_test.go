package identity

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

type signed struct {
	pub      *Public
	msg, sig []byte
}

func batchOf(t testing.TB, n int) []signed {
	t.Helper()
	var out []signed
	for i := range n {
		id := alice()
		if i%3 == 0 {
			id = bob()
		}
		msg := []byte(fmt.Sprintf(`{"seq":%d,"action":"approve"}`, i))
		sig, err := id.Sign(msg)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, signed{id.Public(), msg, sig})
	}
	return out
}

func runBatch(t *testing.T, items []signed) (bool, error) {
	t.Helper()
	var b Batch
	for _, it := range items {
		if err := b.Add(it.pub, it.msg, it.sig); err != nil {
			return false, err
		}
	}
	return b.Check(), nil
}

func TestBatchAccepts(t *testing.T) {
	items := batchOf(t, 40)
	// A key GnuPG made joins the batch too.
	pub, err := ParsePublic(fixture(t, "ed25519.pub.asc"))
	if err != nil {
		t.Fatal(err)
	}
	items = append(items, signed{pub, fixture(t, "message.txt"), fixture(t, "ed25519.sig")})
	if err := pub.Verify(items[40].msg, items[40].sig); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	ok, err := runBatch(t, items)
	if err != nil || !ok {
		t.Fatalf("valid batch: %v %v", ok, err)
	}
	var b Batch
	if !b.Check() || b.Len() != 0 {
		t.Fatal("empty batch")
	}
}

// Every single-byte change of one signature in a batch is caught, by Add
// or by Check, exactly when Verify rejects it.
func TestBatchRejects(t *testing.T) {
	items := batchOf(t, 8)
	orig := items[5].sig
	for i := range orig {
		for _, mask := range []byte{0x01, 0x80} {
			items[5].sig = bytes.Clone(orig)
			items[5].sig[i] ^= mask
			verr := items[5].pub.Verify(items[5].msg, items[5].sig)
			ok, err := runBatch(t, items)
			batchOK := err == nil && ok
			if batchOK != (verr == nil) {
				t.Fatalf("byte %d ^%#x: batch ok=%v (%v), Verify %v", i, mask, batchOK, err, verr)
			}
		}
	}
	items[5].sig = orig
	// The right signature over another message, or under another key.
	items[2].msg = []byte("something else")
	if ok, err := runBatch(t, items); ok && err == nil {
		t.Fatal("changed message accepted")
	}
	items = batchOf(t, 8)
	items[1].sig, items[2].sig = items[2].sig, items[1].sig
	ok, err := runBatch(t, items)
	if ok && err == nil {
		t.Fatal("swapped signatures accepted")
	}
	items = batchOf(t, 8)
	items[4].pub = bob().Public() // alice signed it
	if _, err := runBatch(t, items); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("wrong key: %v", err)
	}
}

func BenchmarkBatchVerify(b *testing.B) {
	items := batchOf(b, 256)
	for b.Loop() {
		var bt Batch
		for _, it := range items {
			if err := bt.Add(it.pub, it.msg, it.sig); err != nil {
				b.Fatal(err)
			}
		}
		if !bt.Check() {
			b.Fatal("rejected")
		}
	}
	b.ReportMetric(float64(len(items)*b.N)/b.Elapsed().Seconds(), "sigs/s")
}
