package capture

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func sample() (*Conversation, *Message) {
	c := &Conversation{ID: "whatsapp:Team", Channel: "whatsapp", Title: "Team 团队",
		Participants: []Participant{{ID: "+44 7700 900123", Name: "Ann"}, {ID: "bob"}}}
	m := &Message{Conversation: c.ID, ID: "m1", Seq: 7, Time: time.Date(2026, 3, 1, 9, 30, 0, 123, time.UTC),
		Zone: "+05:30", Sender: "bob", Text: "line one\n\nline three 🙂", Kind: KindMessage, ReplyTo: "m0",
		Forwarded: true, Edited: time.Date(2026, 3, 1, 9, 31, 0, 0, time.UTC),
		Attachments: []Attachment{{Name: "IMG-1.jpg", Type: "image/jpeg", Size: 1234,
			SHA256: strings.Repeat("ab", 32)}, {Name: "missing.opus"}}}
	return c, m
}

func TestCodecRoundTrip(t *testing.T) {
	c, m := sample()
	sys := &Message{Conversation: c.ID, ID: "s1", Time: time.Unix(0, 0).UTC(), Kind: KindSystem, Text: "Ann joined"}
	b := AppendConversation(nil, c)
	b = AppendMessage(b, m)
	b = AppendMessage(b, sys)
	gc, rest, err := DecodeConversation(b)
	if err != nil || !reflect.DeepEqual(gc, *c) {
		t.Fatalf("conversation: %v\n got %+v\nwant %+v", err, gc, *c)
	}
	for _, want := range []*Message{m, sys} {
		var got Message
		if got, rest, err = DecodeMessage(rest); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, *want) {
			t.Fatalf("message:\n got %+v\nwant %+v", got, *want)
		}
		if err := got.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if len(rest) != 0 {
		t.Fatalf("%d bytes left", len(rest))
	}
}

// Every truncation and every single-byte change of an encoded message
// either decodes to something or fails with ErrCodec; none panics.
func TestCodecDamage(t *testing.T) {
	_, m := sample()
	b := AppendMessage(nil, m)
	for i := range b {
		if _, _, err := DecodeMessage(b[:i]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", i)
		}
		for _, x := range []byte{0x01, 0x80, 0xff} {
			d := bytes.Clone(b)
			d[i] ^= x
			DecodeMessage(d)
		}
	}
	if _, _, err := DecodeMessage([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}); err == nil {
		t.Fatal("huge attachment count accepted")
	}
}

func FuzzDecode(f *testing.F) {
	c, m := sample()
	f.Add(AppendMessage(nil, m))
	f.Add(AppendConversation(nil, c))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, rest, err := DecodeMessage(b); err == nil {
			// What decodes re-encodes to the same bytes.
			if enc := AppendMessage(nil, &got); !bytes.Equal(enc, b[:len(b)-len(rest)]) && canonical(b[:len(b)-len(rest)]) {
				t.Fatalf("re-encoding differs")
			}
		}
		DecodeConversation(b)
	})
}

// canonical reports whether b uses minimal varints; the fuzzer can write
// non-minimal ones, which decode fine but re-encode shorter.
func canonical(b []byte) bool {
	m, _, err := DecodeMessage(b)
	return err == nil && len(AppendMessage(nil, &m)) == len(b)
}

func TestValidate(t *testing.T) {
	_, good := sample()
	for name, mut := range map[string]func(m *Message){
		"no conversation": func(m *Message) { m.Conversation = "" },
		"no id":           func(m *Message) { m.ID = "" },
		"no time":         func(m *Message) { m.Time = time.Time{} },
		"not UTC":         func(m *Message) { m.Time = m.Time.In(time.FixedZone("x", 3600)) },
		"kind":            func(m *Message) { m.Kind = "sticker" },
		"no sender":       func(m *Message) { m.Sender = "" },
		"bad utf8":        func(m *Message) { m.Text = "a\xffb" },
		"long text":       func(m *Message) { m.Text = strings.Repeat("x", MaxText+1) },
		"sha256":          func(m *Message) { m.Attachments[0].SHA256 = "ABCD" },
		"size":            func(m *Message) { m.Attachments[0].Size = -1 },
	} {
		m := *good
		m.Attachments = append([]Attachment(nil), good.Attachments...)
		mut(&m)
		if m.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestStableID(t *testing.T) {
	tm := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a := StableID("c", tm, "ann", "hi", 1)
	if a != StableID("c", tm, "ann", "hi", 1) || !strings.HasPrefix(a, "h:") || len(a) != 34 {
		t.Fatalf("unstable or malformed: %s", a)
	}
	for _, b := range []string{StableID("c", tm, "ann", "hi", 2), StableID("c", tm, "an", "nhi", 1),
		StableID("c", tm.Add(time.Second), "ann", "hi", 1), StableID("d", tm, "ann", "hi", 1)} {
		if a == b {
			t.Fatal("different messages share an id")
		}
	}
	// Known answers: vaults dedupe re-imports by these ids, so they must
	// never change. (Computed by the first implementation.)
	tm = time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	for _, c := range []struct {
		conv, sender, text string
		seq                int64
		want               string
	}{
		{"whatsapp:Desk", "Ann Lee", "see you at 9", 1, "h:2d3db8ab78f746f9314213cfae178052"},
		{"c", "", strings.Repeat("é", 400), 7, "h:623f1bfda834d5e5ef3158a8879b48c4"}, // beyond the stack buffer
	} {
		if got := StableID(c.conv, tm, c.sender, c.text, c.seq); got != c.want {
			t.Errorf("StableID(%q, %q, %d bytes): %s, want %s", c.conv, c.sender, len(c.text), got, c.want)
		}
		if got := string(AppendStableID([]byte("x"), c.conv, tm, c.sender, c.text, c.seq)); got != "x"+c.want {
			t.Errorf("AppendStableID: %s", got)
		}
	}
	// The definition, with crypto/sha256, for texts of every length
	// around the block boundaries and the stack buffer's size.
	for n := range 600 {
		text := strings.Repeat("x", n)
		var b []byte
		for _, s := range []string{"whatsapp:Desk", "Ann Lee", text} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.BigEndian.AppendUint64(b, uint64(tm.UnixNano()))
		b = binary.BigEndian.AppendUint64(b, 3)
		sum := sha256.Sum256(b)
		if got, want := StableID("whatsapp:Desk", tm, "Ann Lee", text, 3), "h:"+hex.EncodeToString(sum[:16]); got != want {
			t.Fatalf("text of %d bytes: %s, the definition gives %s", n, got, want)
		}
	}
}

// TestValidUTF8 compares ValidUTF8 with utf8.ValidString on strings of
// every length up to 40 with a non-ASCII byte, valid or not, at every
// position, and on random bytes.
func TestValidUTF8(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 41 {
		base := strings.Repeat("a", n)
		cases := []string{base}
		for i := range n {
			for _, ins := range []string{"é", "\xff", "\xc3", "世", "\xe4\xb8"} {
				cases = append(cases, base[:i]+ins+base[i:], (base[:i] + ins + base[i:])[:n])
			}
		}
		for range 200 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.IntN(256))
				if r.IntN(4) > 0 {
					b[i] &= 0x7f
				}
			}
			cases = append(cases, string(b))
		}
		for _, s := range cases {
			if ValidUTF8(s) != utf8.ValidString(s) {
				t.Fatalf("ValidUTF8(%q) = %v", s, ValidUTF8(s))
			}
		}
	}
}
