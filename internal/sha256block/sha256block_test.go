package sha256block

import (
	"crypto/sha256"
	"encoding"
	"math/rand/v2"
	"testing"
)

// Finish gives crypto/sha256's digest for every length up to four blocks,
// from the start and resuming after one or two blocks, through whichever
// compression runs here and the generic one.
func TestFinish(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, generic := range []bool{false, true} {
		if generic && !setSHANI(false) {
			t.Log("no SHA-NI here: the generic compression ran the first pass")
			continue
		}
		for n := 0; n <= 256; n++ {
			msg := make([]byte, n)
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			want := sha256.Sum256(msg)
			for prefix := 0; prefix <= n && prefix <= 128; prefix += 64 {
				h := IV
				Blocks(&h, msg[:prefix])
				if got := Finish(h, uint64(prefix), msg[prefix:]); got != want {
					t.Fatalf("generic %v, %d bytes after a prefix of %d: %x, want %x", generic, n, prefix, got, want)
				}
			}
		}
		setSHANI(true)
	}
}

// The state Blocks leaves is crypto/sha256's after the same blocks.
func TestBlocksState(t *testing.T) {
	var key [64]byte
	for i := range key {
		key[i] = byte(i * 3)
	}
	d := sha256.New()
	d.Write(key[:])
	state, err := d.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	h := IV
	Blocks(&h, key[:])
	for i, v := range h { // the state's encoding: a 4-byte magic, then h big-endian
		got := uint32(state[4+4*i])<<24 | uint32(state[5+4*i])<<16 | uint32(state[6+4*i])<<8 | uint32(state[7+4*i])
		if got != v {
			t.Fatalf("word %d: %08x, crypto/sha256 has %08x", i, v, got)
		}
	}
}

func TestFinishPanicsOnPartialPrefix(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a prefix of 10 bytes")
		}
	}()
	Finish(IV, 10, nil)
}

func BenchmarkFinish(b *testing.B) {
	msg := make([]byte, 119) // a usual stable id's input: two blocks
	b.Run("Finish", func(b *testing.B) {
		for b.Loop() {
			Finish(IV, 0, msg)
		}
	})
	b.Run("sha256.Sum256", func(b *testing.B) {
		for b.Loop() {
			sha256.Sum256(msg)
		}
	})
}
