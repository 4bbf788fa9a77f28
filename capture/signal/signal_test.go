package signal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Tokyo wherever the tests run

	"sealroom/capture"
)

type collect struct {
	convs []capture.Conversation
	msgs  []*capture.Message
}

func (c *collect) Conversation(v *capture.Conversation) error {
	c.convs = append(c.convs, *v)
	return nil
}
func (c *collect) Message(m *capture.Message) error { c.msgs = append(c.msgs, m); return nil }

// want is one expected message. time is UTC, RFC 3339; seq its position
// in the chat; reply the index in the same table of the message it
// answers, or -1; atts "name type" pairs.
type want struct {
	seq    int64
	time   string
	sender string
	text   string
	kind   capture.Kind
	reply  int
	atts   []string
}

const (
	pdf   = "2024-05-01T09-40-00.250_00_menu.pdf application/pdf"
	jpg   = "2024-05-01T09-40-00.250_01_photo.jpg image/jpeg"
	png   = "2024-05-01T10-12-00.000_00_map.png image/png"
	sys   = capture.KindSystem
	plain = capture.KindMessage
)

// annJSON is testdata/export/Ann/data.json read in UTC.
var annJSON = []want{
	{1, "2024-05-01T09:30:00Z", "Ann", "Hi! Are we still on for lunch?", plain, -1, nil},
	{2, "2024-05-01T09:31:05Z", "Me", "Yes — 12:30 at the usual place.\nI'll book a table.", plain, -1, nil}, // reaction dropped
	{3, "2024-05-01T09:32:10Z", "Ann", "Perfect", plain, 1, nil},                                             // quote → ReplyTo only
	{4, "2024-05-01T09:33:00Z", "Ann", "[sticker] 😀", plain, -1, nil},
	{5, "2024-05-01T09:40:00.25Z", "Me", "Menu attached", plain, -1, []string{pdf, jpg}},
	{6, "2024-05-01T09:45:00Z", "Ann", "[deleted]", plain, -1, nil},
	{7, "2024-05-01T10:00:00Z", "Ann", "Missed voice call", sys, -1, nil},
	{8, "2024-05-01T10:05:00Z", "Me", "Outgoing voice call (accepted, 2m 5s)", sys, -1, nil},
	{9, "2024-05-01T10:10:00Z", "Ann", "Missed call", sys, -1, nil}, // flagged call, no body
	{10, "2024-05-01T10:12:00Z", "Me", "See you at 12:30!", plain, -1, []string{png}},
	{11, "2024-05-01T10:15:00Z", "Ann", "Re that", plain, -1, nil}, // quotes a message not in the chat
}

// annMarkdown is the same chat from chat.md, which cannot express
// fractions of seconds or the call flags of a body-less call.
var annMarkdown = func() []want {
	w := append([]want(nil), annJSON...)
	w[4].time = "2024-05-01T09:40:00Z"
	w[8].text, w[8].kind = "", plain
	return w
}()

var family = []want{
	{1, "2024-06-02T18:00:00Z", "Mum", "Dinner on Sunday?\nBring:\n- salad\n\n- dessert", plain, -1, nil},
	{2, "2024-06-02T18:05:30Z", "+44 7700 900123", "I can bring dessert", plain, -1, nil},
	{3, "2024-06-02T18:06:00Z", "Me", "Great\n\n\nSee you there", plain, -1, nil},
}

var bob = []want{
	{1, "2021-03-04T09:05:00Z", "Bob", "Morning", plain, -1, nil},
	{2, "2021-03-04T09:06:00Z", "Me", "Hi Bob\nhow are you?", plain, -1, nil},
	{3, "2021-03-04T17:45:00Z", "Bob", "Good, thanks", plain, -1, nil},
}

var dan = []want{
	{1, "2024-07-01T08:00:00Z", "Dan", "first", plain, -1, nil},
	{3, "2024-07-01T08:02:00Z", "Me", "third", plain, -1, nil},
	{6, "2024-07-01T08:03:00Z", "", "no sender", capture.KindSystem, -1, nil}, // a group notice
	{7, "2024-07-01T08:04:00Z", "Dan", "last", plain, -1, nil},
}

// check asserts got message by message against wants, in conversation
// conv read in zone.
func check(t *testing.T, conv string, zone string, got []*capture.Message, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, m := range got {
			t.Logf("got %d %s %q %q %s %v", m.Seq, m.Time.Format(time.RFC3339Nano), m.Sender, m.Text, m.Kind, m.Attachments)
		}
		t.Fatalf("%d messages, want %d", len(got), len(wants))
	}
	var occ capture.Occurrences
	for i, w := range wants {
		m := got[i]
		if err := m.Validate(); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
		var atts []string
		for _, a := range m.Attachments {
			atts = append(atts, a.Name+" "+a.Type)
		}
		tm, err := time.Parse(time.RFC3339Nano, w.time)
		if err != nil {
			t.Fatal(err)
		}
		if m.Conversation != conv || m.Seq != w.seq || !m.Time.Equal(tm) || m.Zone != zone || m.Sender != w.sender ||
			m.Text != w.text || m.Kind != w.kind || !reflect.DeepEqual(atts, w.atts) {
			t.Errorf("message %d:\n got %s %d %s %s %q %q %s %v\nwant %s %d %s %s %q %q %s %v", i,
				m.Conversation, m.Seq, m.Time.Format(time.RFC3339Nano), m.Zone, m.Sender, m.Text, m.Kind, atts,
				conv, w.seq, w.time, zone, w.sender, w.text, w.kind, w.atts)
		}
		if id := capture.StableID(conv, tm.UTC(), w.sender, w.text, occ.Next(tm.UTC(), w.sender, w.text)); m.ID != id {
			t.Errorf("message %d: id %s, want %s", i, m.ID, id)
		}
		reply := ""
		if w.reply >= 0 {
			reply = got[w.reply].ID
		}
		if m.ReplyTo != reply {
			t.Errorf("message %d: reply_to %q, want %q", i, m.ReplyTo, reply)
		}
	}
}

func TestRead(t *testing.T) {
	utc := capture.Options{Zone: time.UTC, Strict: true}
	tests := []struct {
		name  string
		path  string
		conv  string
		want  []want
		parts []string // participants in the last header
	}{
		{"json file", "testdata/export/Ann/data.json", "signal:Ann", annJSON, []string{"Ann", "Me"}},
		{"chat folder prefers data.json", "testdata/export/Ann", "signal:Ann", annJSON, []string{"Ann", "Me"}},
		{"markdown", "testdata/export/Ann/chat.md", "signal:Ann", annMarkdown, []string{"Ann", "Me"}},
		{"continuation and blank lines", "testdata/export/Family", "signal:Family", family, []string{"Mum", "+44 7700 900123", "Me"}},
		{"older layout", "testdata/old/Bob/chat.md", "signal:Bob", bob, []string{"Bob", "Me"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c collect
			st, err := Read(tt.path, &c, utc)
			if err != nil {
				t.Fatal(err)
			}
			check(t, tt.conv, "UTC", c.msgs, tt.want)
			if st.Files != 1 || st.Conversations != 1 || st.Messages != len(tt.want) || st.Bad != 0 {
				t.Errorf("stats %+v", st)
			}
			if len(c.convs) == 0 {
				t.Fatal("no conversation header")
			}
			first, last := c.convs[0], c.convs[len(c.convs)-1]
			if first.ID != tt.conv || first.Channel != "signal" || first.Title != strings.TrimPrefix(tt.conv, "signal:") ||
				len(first.Participants) != 1 || first.Participants[0].ID != tt.want[0].sender {
				t.Errorf("first header %+v", first)
			}
			var ids []string
			for _, p := range last.Participants {
				ids = append(ids, p.ID)
			}
			if !reflect.DeepEqual(ids, tt.parts) {
				t.Errorf("participants %q, want %q", ids, tt.parts)
			}
		})
	}
}

// The same messages from data.json and chat.md get the same ids, but for
// what chat.md cannot express.
func TestMarkdownMatchesJSON(t *testing.T) {
	opts := capture.Options{Zone: time.UTC}
	var j, m collect
	if _, err := Read("testdata/export/Ann/data.json", &j, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := Read("testdata/export/Ann/chat.md", &m, opts); err != nil {
		t.Fatal(err)
	}
	for i := range j.msgs {
		same := j.msgs[i].ID == m.msgs[i].ID
		if differs := i == 4 || i == 8; same == differs {
			t.Errorf("message %d: json id %s, markdown id %s", i, j.msgs[i].ID, m.msgs[i].ID)
		}
	}
}

func TestCRLF(t *testing.T) {
	for _, name := range []string{"export/Family/chat.md", "export/Ann/data.json", "export/Ann/chat.md"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), filepath.Base(filepath.Dir(name)))
			os.Mkdir(dir, 0o700)
			crlf := "\xef\xbb\xbf" + strings.ReplaceAll(string(b), "\n", "\r\n") // and a byte-order mark
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), []byte(crlf), 0o600); err != nil {
				t.Fatal(err)
			}
			var c collect
			if _, err := Read(dir, &c, capture.Options{Zone: time.UTC, Strict: true}); err != nil {
				t.Fatal(err)
			}
			w := family
			switch name {
			case "export/Ann/data.json":
				w = annJSON
			case "export/Ann/chat.md":
				w = annMarkdown
			}
			check(t, "signal:"+filepath.Base(dir), "UTC", c.msgs, w)
		})
	}
}

func TestExportFolder(t *testing.T) {
	var c collect
	st, err := Read("testdata/export", &c, capture.Options{Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 2 || st.Conversations != 2 || st.Messages != len(annJSON)+len(family) || st.Bad != 0 {
		t.Errorf("stats %+v", st)
	}
	n := len(annJSON)
	check(t, "signal:Ann", "UTC", c.msgs[:n], annJSON)
	check(t, "signal:Family", "UTC", c.msgs[n:], family)
	var titles []string
	for _, cv := range c.convs {
		titles = append(titles, cv.Title)
	}
	if want := []string{"Ann", "Ann", "Family", "Family"}; !reflect.DeepEqual(titles, want) {
		t.Errorf("headers for %q, want %q", titles, want)
	}
}

func TestMalformed(t *testing.T) {
	var c collect
	st, err := Read("testdata/bad/Dan", &c, capture.Options{Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "signal:Dan", "UTC", c.msgs, dan)
	var lines []int
	for _, e := range st.Errors {
		lines = append(lines, e.Line)
		if e.File != filepath.Join("testdata/bad/Dan", "data.json") {
			t.Errorf("error in file %q", e.File)
		}
	}
	if want := []int{2, 4, 5}; !reflect.DeepEqual(lines, want) || st.Bad != 3 || st.Messages != 4 {
		t.Errorf("errors at lines %v (bad %d, messages %d), want %v: %v", lines, st.Bad, st.Messages, want, st.Errors)
	}
}

func TestStrict(t *testing.T) {
	var c collect
	st, err := Read("testdata/bad/Dan", &c, capture.Options{Zone: time.UTC, Strict: true})
	var le *capture.LineError
	if !errors.As(err, &le) || le.Line != 2 {
		t.Fatalf("error %v, want a LineError at line 2", err)
	}
	if len(c.msgs) != 1 || st.Messages != 1 || st.Bad != 1 {
		t.Errorf("%d messages, stats %+v", len(c.msgs), st)
	}
}

func TestZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"testdata/export/Ann/data.json", "testdata/export/Ann/chat.md"} {
		var inTokyo, inUTC collect
		if _, err := Read(path, &inTokyo, capture.Options{Zone: tokyo}); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(path, &inUTC, capture.Options{Zone: time.UTC}); err != nil {
			t.Fatal(err)
		}
		for i, m := range inTokyo.msgs {
			u := inUTC.msgs[i]
			if d := u.Time.Sub(m.Time); d != 9*time.Hour || m.Zone != "Asia/Tokyo" || u.Zone != "UTC" || m.Time.Location() != time.UTC {
				t.Errorf("%s message %d: %s (%s) vs %s (%s)", path, i, m.Time, m.Zone, u.Time, u.Zone)
			}
		}
	}
}

// Lines the importer reads besides the fixtures': each is a data.json or
// chat.md and the texts (or errors, as "!line") it gives.
var edgeCases = []struct {
	name, file, in string
	want           []string
}{
	{"sticker object", "data.json", `{"date":"2024-01-01T10:00:00","sender":"A","body":"","sticker":{"id":"1","packId":"p","emoji":""}}`, []string{"[sticker]"}},
	{"sticker with body", "data.json", `{"date":"2024-01-01T10:00:00","sender":"A","body":"look  ","sticker":"🐱"}`, []string{"look\n[sticker] 🐱"}},
	{"quote object", "data.json", "{\"date\":\"2024-01-01T10:00:00\",\"sender\":\"A\",\"body\":\"x\"}\n{\"date\":\"2024-01-01T10:01:00\",\"sender\":\"B\",\"body\":\"y\",\"quote\":{\"text\":\"x\"}}", []string{"x", "y"}},
	{"offset in date", "data.json", `{"date":"2024-01-01T10:00:00+05:30","sender":"A","body":"hi"}`, []string{"hi"}},
	{"size as text", "data.json", `{"date":"2024-01-01T10:00:00","sender":"A","body":"","attachments":[{"name":"a.txt","path":"media/a.txt","size":"12"}]}`, []string{""}},
	{"negative size", "data.json", `{"date":"2024-01-01T10:00:00","sender":"A","body":"","attachments":[{"name":"a.txt","size":-1}]}`, []string{"!1"}},
	{"not an object", "data.json", `[1,2]`, []string{"!1"}},
	{"two values", "data.json", `{"date":"2024-01-01T10:00:00","sender":"A"} {}`, []string{"!1"}},
	{"text before header", "chat.md", "hello\n[2024-01-01 10:00:00] A: hi", []string{"!1", "hi"}},
	{"impossible date skips its lines", "chat.md", "[2024-02-30 10:00:00] A: hi\nmore\n[2024-03-01 10:00:00] A: ok", []string{"!1", "ok"}},
	{"sticker file", "chat.md", "[2024-01-01 10:00:00] A:   [😀](../exported_stickers/p/1.webp)  ", []string{"[sticker] 😀"}},
	{"sticker without emoji", "chat.md", "[2024-01-01 10:00:00] A:   \n(( sticker ))", []string{"[sticker]"}},
	{"link typed mid-text kept", "chat.md", "[2024-01-01 10:00:00] A: see [x](https://example.com) ok", []string{"see [x](https://example.com) ok"}},
	{"header without space after colon", "chat.md", "[2024-01-01 10:00:00] A:\n\n> q\n\nbody", []string{"body"}},
	{"bracket line continues", "chat.md", "[2024-01-01 10:00:00] A: hi\n[not a header] x", []string{"hi\n[not a header] x"}},
	{"invalid utf-8", "chat.md", "[2024-01-01 10:00:00] A: \xff", []string{"!1"}},
}

func TestEdgeCases(t *testing.T) {
	for _, tt := range edgeCases {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "C")
			os.Mkdir(dir, 0o700)
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.in), 0o600); err != nil {
				t.Fatal(err)
			}
			var c collect
			st, err := Read(dir, &c, capture.Options{Zone: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			mi, ei := 0, 0
			for _, w := range tt.want { // interleave by line order as listed
				if strings.HasPrefix(w, "!") {
					if ei < len(st.Errors) {
						got = append(got, "!"+strconv.Itoa(st.Errors[ei].Line))
						ei++
					}
				} else if mi < len(c.msgs) {
					if err := c.msgs[mi].Validate(); err != nil {
						t.Error(err)
					}
					got = append(got, c.msgs[mi].Text)
					mi++
				}
			}
			if !reflect.DeepEqual(got, tt.want) || mi != len(c.msgs) || ei != len(st.Errors) {
				t.Errorf("got %q (%d messages, errors %v), want %q", got, len(c.msgs), st.Errors, tt.want)
			}
		})
	}
}

func TestOverlongLine(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	for _, tt := range []struct {
		file string
		line int
		in   string
	}{
		{"data.json", 2, `{"date":"2024-01-01T10:00:00","sender":"A","body":"a"}` + "\n" + `{"date":"2024-01-01T10:01:00","sender":"A","body":"` + long + `"}` + "\n" + `{"date":"2024-01-01T10:02:00","sender":"A","body":"c"}`},
		{"chat.md", 3, "[2024-01-01 10:00:00] A: a\n[2024-01-01 10:01:00] A: b\n" + long + "\nstill b\n[2024-01-01 10:02:00] A: c\n"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "C")
			os.Mkdir(dir, 0o700)
			os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.in), 0o600)
			var c collect
			st, err := Read(dir, &c, capture.Options{Zone: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.msgs) != 2 || c.msgs[0].Text != "a" || c.msgs[1].Text != "c" || c.msgs[1].Seq != 3 || st.Bad != 1 || st.Errors[0].Line != tt.line {
				t.Errorf("messages %d, stats %+v", len(c.msgs), st)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte(s), 0o600)
		return p
	}
	tests := []struct {
		path string
		ok   bool
		why  string
	}{
		{"testdata/export", true, "holds 2 signal-export chat folders"},
		{"testdata/export/Ann", true, "looks like a signal-export chat"},
		{"testdata/old/Bob/chat.md", true, "looks like a signal-export chat"},
		{write("wa/_chat.txt", "[1/2/23, 10:11:12] Ann: hi\n"), false, `starts with "[YYYY-MM-DD HH:MM:SS] Sender:"`},
		{write("jl/data.json", `{"type":"message","time":"2024-01-01T10:00:00Z"}`), false, `"date" and "sender"`},
		{write("empty/chat.md", ""), false, "is empty"},
		{filepath.Dir(write("none/readme.txt", "hi")), false, "holds no data.json or chat.md"},
		{filepath.Join(dir, "missing"), false, "no such file"},
	}
	for _, tt := range tests {
		ok, why := Sniff(tt.path)
		if ok != tt.ok || !strings.Contains(why, tt.why) {
			t.Errorf("Sniff(%s) = %v, %q; want %v, …%q…", tt.path, ok, why, tt.ok, tt.why)
		}
	}
}

// A sink error stops Read and is returned.
func TestSinkError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Read("testdata/export", failing{boom}, capture.Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
}

type failing struct{ err error }

func (f failing) Conversation(*capture.Conversation) error { return nil }
func (f failing) Message(*capture.Message) error           { return f.err }

func TestMarkdownAttachments(t *testing.T) {
	var links strings.Builder
	const n = 40000 // a line of about 1 MB: taking links off must stay linear
	for i := range n {
		fmt.Fprintf(&links, "[f%d.pdf](./media/f%d.pdf)  ", i, i)
	}
	tests := []struct {
		in   string
		text string
		atts []string
	}{
		{"hi!  [a.pdf](./media/a.pdf)  ![b c.png](./media/b%20c.png)  ", "hi!", []string{"a.pdf application/pdf", "b c.png image/png"}},
		{"see [x](./y) and more", "see [x](./y) and more", nil},
		{"odd [a](./b c)", "odd [a](./b c)", nil},
		{"odd ]a](./b)", "odd ]a](./b)", nil},
	}
	for _, tt := range tests {
		r := mdRecord(mdHeader{sender: "A"}, tt.in)
		var atts []string
		for _, a := range r.atts {
			atts = append(atts, a.Name+" "+a.Type)
		}
		if r.body != tt.text || !reflect.DeepEqual(atts, tt.atts) {
			t.Errorf("%q: body %q atts %q, want %q %q", tt.in, r.body, atts, tt.text, tt.atts)
		}
	}
	start := time.Now()
	r := mdRecord(mdHeader{sender: "A"}, "many  "+links.String())
	if len(r.atts) != n || r.body != "many" || r.atts[n-1].Name != fmt.Sprintf("f%d.pdf", n-1) {
		t.Errorf("%d attachments, body %q", len(r.atts), r.body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d links took %v", n, d)
	}
}

// The files a chat's media folder holds can be opened from their
// attachments, from chat.md and from data.json alike; a missing one
// cannot.
func TestMediaFiles(t *testing.T) {
	for _, name := range []string{"chat.md", "data.json"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "Ann")
			if err := os.MkdirAll(filepath.Join(dir, "media"), 0o700); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join("testdata/export/Ann", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
			pdf := filepath.Join(dir, "media", "2024-05-01T09-40-00.250_00_menu.pdf")
			if err := os.WriteFile(pdf, []byte("%PDF menu"), 0o600); err != nil {
				t.Fatal(err)
			}
			var c collect
			if _, err := Read(filepath.Join(dir, name), &c, capture.Options{Zone: time.UTC}); err != nil {
				t.Fatal(err)
			}
			opened, missing := 0, 0
			for _, m := range c.msgs {
				for _, a := range m.Attachments {
					if a.Open == nil {
						missing++
						continue
					}
					r, err := a.Open()
					if err != nil {
						t.Fatal(err)
					}
					got, _ := io.ReadAll(r)
					r.Close()
					if a.Name != "2024-05-01T09-40-00.250_00_menu.pdf" || string(got) != "%PDF menu" {
						t.Fatalf("%s opened as %q", a.Name, got)
					}
					opened++
				}
			}
			if opened != 1 || missing != 2 {
				t.Fatalf("%d opened, %d without content; want 1 and 2", opened, missing)
			}
		})
	}
}
