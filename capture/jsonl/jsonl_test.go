package jsonl

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"sealroom/capture"
)

type collect struct {
	convs []*capture.Conversation
	msgs  []*capture.Message
}

func (c *collect) Conversation(v *capture.Conversation) error {
	c.convs = append(c.convs, v)
	return nil
}
func (c *collect) Message(m *capture.Message) error { c.msgs = append(c.msgs, m); return nil }

const input = `{"type":"conversation","id":"wa:team","channel":"whatsapp","title":"Team","participants":[{"id":"ann","name":"Ann"},{"id":"bob"}]}
{"type":"message","conversation":"wa:team","id":"1","time":"2026-03-01T09:30:00+05:30","sender":"ann","text":"hello\nworld"}

{"type":"message","conversation":"wa:team","time":"2026-03-01T04:01:00Z","kind":"system","text":"bob joined"}
{"type":"message","conversation":"wa:team","id":"3","time":"2026-03-01T04:02:00Z","zone":"Asia/Kolkata","sender":"bob","text":"","reply_to":"1","forwarded":true,"edited":"2026-03-01T04:05:00Z","attachments":[{"name":"a.jpg","type":"image/jpeg","size":10,"sha256":"` + "0000000000000000000000000000000000000000000000000000000000000000" + `"}]}
`

func TestRead(t *testing.T) {
	var c collect
	st, err := Read(strings.NewReader(input), "in.jsonl", &c, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Lines != 5 || st.Conversations != 1 || st.Messages != 3 || st.Bad != 0 {
		t.Fatalf("stats %+v", st)
	}
	m := c.msgs[0]
	if !m.Time.Equal(time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)) || m.Time.Location() != time.UTC || m.Zone != "+05:30" {
		t.Fatalf("time %v zone %q", m.Time, m.Zone)
	}
	if s := c.msgs[1]; s.Kind != capture.KindSystem || !strings.HasPrefix(s.ID, "h:") || s.Seq != 2 {
		t.Fatalf("system message %+v", s)
	}
	if m := c.msgs[2]; !m.Forwarded || m.Edited.IsZero() || m.Zone != "Asia/Kolkata" || len(m.Attachments) != 1 || m.Attachments[0].Size != 10 {
		t.Fatalf("message 3 %+v", m)
	}
	// Reading the same input again yields the same ids: re-ingest adds nothing.
	var again collect
	Read(strings.NewReader(input), "in.jsonl", &again, Options{})
	for i := range c.msgs {
		if c.msgs[i].ID != again.msgs[i].ID {
			t.Fatal("ids differ between reads")
		}
	}
}

func TestRoundTrip(t *testing.T) {
	var c collect
	if _, err := Read(strings.NewReader(input), "in", &c, Options{Strict: true}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, m := range c.msgs {
		if err := w.Write(c.convs[0], m); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `"type":"conversation"`); n != 1 {
		t.Fatalf("conversation header written %d times", n)
	}
	var back collect
	if _, err := Read(&buf, "out", &back, Options{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.convs, c.convs) || !reflect.DeepEqual(back.msgs, c.msgs) {
		t.Fatalf("round trip differs:\n%+v\n%+v", back.msgs, c.msgs)
	}
}

func TestBadLines(t *testing.T) {
	bad := []string{
		`not json`,
		`{"type":"message","conversation":"c","time":"2026-03-01 09:30","sender":"a"}`,
		`{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z"}`,
		`{"type":"message","time":"2026-03-01T09:30:00Z","sender":"a"}`,
		`{"type":"chat"}`,
		`{"id":"x"}`,
		`{"type":"conversation"}`,
		`{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z","sender":"a","colour":"red"}`,
		`{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z","sender":"a","text":"\ud800"} {}`,
		`{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z","sender":"a","kind":"sticker"}`,
		`{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z","sender":"a"}` + strings.Repeat(" ", MaxLine),
	}
	good := `{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z","sender":"a","text":"ok"}`
	in := good + "\n" + strings.Join(bad, "\n") + "\n" + good
	var c collect
	st, err := Read(strings.NewReader(in), "x.jsonl", &c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Bad != len(bad) || len(c.msgs) != 2 || len(st.Errors) != len(bad) {
		t.Fatalf("bad %d (want %d), messages %d: %v", st.Bad, len(bad), len(c.msgs), st.Errors)
	}
	for i, le := range st.Errors {
		if le.Line != i+2 || le.File != "x.jsonl" {
			t.Fatalf("error %d names %s:%d", i, le.File, le.Line)
		}
	}
	_, err = Read(strings.NewReader(in), "x.jsonl", &collect{}, Options{Strict: true})
	var le *capture.LineError
	if !errors.As(err, &le) || le.Line != 2 {
		t.Fatalf("strict: %v", err)
	}
}

type failing struct{ collect }

func (f *failing) Message(*capture.Message) error { return errors.New("disk full") }

func TestSinkErrorStops(t *testing.T) {
	_, err := Read(strings.NewReader(input), "in", &failing{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("got %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(input))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c collect
		st, err := Read(bytes.NewReader(b), "f", &c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.msgs {
			if err := m.Validate(); err != nil {
				t.Fatalf("Read passed on an invalid message: %v", err)
			}
		}
		if st.Messages != len(c.msgs) {
			t.Fatal("count mismatch")
		}
	})
}
