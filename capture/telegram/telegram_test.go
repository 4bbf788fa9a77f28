package telegram

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sealroom/capture"
)

// collect is a Sink that keeps everything, checking as it goes that each
// conversation's header arrives before its first message and that every
// message passes Validate.
type collect struct {
	t       testing.TB
	headers []*capture.Conversation // every call, in order
	msgs    []*capture.Message
}

func (c *collect) Conversation(v *capture.Conversation) error {
	c.headers = append(c.headers, v)
	return nil
}

func (c *collect) Message(m *capture.Message) error {
	if err := m.Validate(); err != nil {
		c.t.Errorf("delivered an invalid message: %v", err)
	}
	found := false
	for _, h := range c.headers {
		found = found || h.ID == m.Conversation
	}
	if !found {
		c.t.Errorf("message %s of %s before its conversation header", m.ID, m.Conversation)
	}
	c.msgs = append(c.msgs, m)
	return nil
}

// last returns the final header of each conversation, in first-seen order.
func (c *collect) last() []capture.Conversation {
	var order []string
	byID := map[string]*capture.Conversation{}
	for _, h := range c.headers {
		if byID[h.ID] == nil {
			order = append(order, h.ID)
		}
		byID[h.ID] = h
	}
	var out []capture.Conversation
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out
}

func u(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// zone is the import zone the fixtures are read in: it matters only for
// messages without date_unixtime.
var zone = time.FixedZone("UTC+1", 3600)

type msg = capture.Message
type att = capture.Attachment
type part = capture.Participant

const sys = capture.KindSystem
const txt = capture.KindMessage

var readCases = []struct {
	name      string
	path      string // under testdata
	convs     []capture.Conversation
	msgs      []msg
	stats     capture.Stats // Errors is checked through skipLines
	skipLines []int
	skipWords []string // a word each skip's error must contain
}{
	{
		name: "single chat",
		path: "single.json",
		convs: []capture.Conversation{{ID: "telegram:4001", Channel: "telegram", Title: "Desk", Participants: []part{
			{ID: "user111", Name: "Ann Lee"}, {ID: "user222", Name: "Bob Roe"}, {ID: "user333", Name: "Cy Poe"}, {ID: "user666", Name: "Fay Day"}}}},
		msgs: []msg{
			{ID: "1", Seq: 1, Time: u(1700000000), Kind: sys, Text: "Ann Lee created group “Desk” with Bob Roe, Deleted Account"},
			{ID: "2", Seq: 2, Time: u(1700000060), Kind: sys, Text: "Ann Lee invited Cy Poe"},
			{ID: "3", Seq: 3, Time: u(1700000120), Kind: txt, Sender: "user111", Text: "Hello \"desk\"\nsecond line"},
			{ID: "4", Seq: 4, Time: u(1700000180), Kind: txt, Sender: "user222", ReplyTo: "3",
				Text: "See this and the doc (https://example.com/doc), Ann https://t.me/x"},
			{ID: "5", Seq: 5, Time: u(1700000240), Kind: txt, Sender: "user333", Text: "forwarded and edited",
				Forwarded: true, Edited: u(1700000840)},
			{ID: "6", Seq: 6, Time: u(1700000300), Kind: txt, Sender: "user111", Text: "caption",
				Attachments: []att{{Name: "photo_1@14-11-2023_23-18-20.jpg", Type: "image/jpeg"}}},
			{ID: "7", Seq: 7, Time: u(1700000360), Kind: txt, Sender: "user222",
				Attachments: []att{{Name: "video_file", Type: "video/mp4"}}},
			{ID: "8", Seq: 8, Time: u(1700000420), Kind: txt, Sender: "user111",
				Attachments: []att{{Name: "report.pdf", Type: "application/pdf", Size: 48213}}},
			{ID: "9", Seq: 9, Time: u(1700000480), Kind: txt, Sender: "user333", Text: "poll: Lunch?\n- Yes (2 votes)\n- No (1 vote)"},
			{ID: "10", Seq: 10, Time: u(1700000540), Kind: txt, Sender: "user222", Text: "contact: Eve Stone, +44 7700 900123"},
			{ID: "11", Seq: 11, Time: u(1700000600), Kind: txt, Sender: "user111", Text: "location: 48.85, 2.35"},
			{ID: "12", Seq: 12, Time: u(1700000660), Kind: txt, Sender: "user333", Text: "👍",
				Attachments: []att{{Name: "sticker.webp", Type: "image/webp"}}},
			{ID: "13", Seq: 13, Time: u(1700000720), Kind: txt, Sender: "user222", Text: "unit\x1fsep and a backslash-x: \\x41"},
			{ID: "14", Seq: 14, Time: time.Date(2023, 11, 14, 22, 26, 20, 0, time.UTC), Zone: "UTC+1", Kind: txt,
				Sender: "user111", Text: "no unixtime"},
			{ID: "15", Seq: 15, Time: u(1700000840), Kind: sys, Text: "Ann Lee changed the group name to “Desk 2”"},
			{ID: "16", Seq: 16, Time: u(1700000900), Kind: sys, Text: "Ann Lee pinned a message (8)"},
			{ID: "17", Seq: 17, Time: u(1700000960), Kind: sys, Text: "Cy Poe left the group"},
			{ID: "18", Seq: 18, Time: u(1700001020), Kind: sys, Text: "Fay Day joined the group via invite link from Ann Lee"},
			{ID: "19", Seq: 19, Time: u(1700001080), Kind: sys, Text: "Ann Lee: set chat wallpaper"},
			{ID: "20", Seq: 20, Time: u(1700001140), Kind: txt, Sender: "user222",
				Text: "only entities: bob@example.com here (https://example.com/h)"},
		},
		stats: capture.Stats{Files: 1, Conversations: 1, Messages: 20},
	},
	{
		name: "full account, read through its folder",
		path: "account",
		convs: []capture.Conversation{
			{ID: "telegram:222", Channel: "telegram", Title: "Bob Roe", Participants: []part{{ID: "user222", Name: "Bob Roe"}, {ID: "user111", Name: "Ann Lee"}}},
			{ID: "telegram:111", Channel: "telegram", Title: "Saved Messages", Participants: []part{{ID: "user111", Name: "Ann Lee"}}},
			{ID: "telegram:777", Channel: "telegram", Title: "Empty"},
			{ID: "telegram:900", Channel: "telegram", Title: "News", Participants: []part{{ID: "channel900", Name: "News"}}},
		},
		msgs: []msg{
			{Conversation: "telegram:222", ID: "501", Seq: 1, Time: u(1700035200), Kind: txt, Sender: "user222", Text: "call me"},
			{Conversation: "telegram:222", ID: "502", Seq: 2, Time: u(1700035260), Kind: sys, Text: "Ann Lee made a call (65 s)"},
			{Conversation: "telegram:222", ID: "503", Seq: 3, Time: u(1700035320), Kind: sys, Text: "Bob Roe made a call (missed)"},
			// A reply to another chat's message does not point into this one.
			{Conversation: "telegram:222", ID: "504", Seq: 4, Time: u(1700035380), Kind: txt, Sender: "user111", Text: "quoting the channel"},
			{Conversation: "telegram:111", ID: "601", Seq: 1, Time: u(1700121600), Kind: txt, Sender: "user111", Text: "+44 7700 900999 is Eve's"},
			{Conversation: "telegram:900", ID: "77", Seq: 1, Time: u(1696154400), Kind: sys, Text: "News created channel “News”"},
			{Conversation: "telegram:900", ID: "78", Seq: 2, Time: u(1696154700), Kind: txt, Sender: "channel900",
				Attachments: []att{{Name: "photo", Type: "image/jpeg"}}},
		},
		stats: capture.Stats{Files: 1, Conversations: 4, Messages: 7},
	},
	{
		name:  "malformed messages are skipped with their line",
		path:  "malformed.json",
		convs: []capture.Conversation{{ID: "telegram:5005", Channel: "telegram", Title: "Broken", Participants: []part{{ID: "user1", Name: "Ann"}, {ID: "user2", Name: "Bob"}}}},
		msgs: []msg{
			{ID: "1", Seq: 1, Time: u(1700000000), Kind: txt, Sender: "user1", Text: "fine"},
			{ID: "7", Seq: 7, Time: u(1700000007), Kind: txt, Sender: "user2", Text: "still reading"},
		},
		stats:     capture.Stats{Files: 1, Conversations: 1, Messages: 2, Bad: 5},
		skipLines: []int{14, 22, 29, 35, 36},
		skipWords: []string{"id", "date", "sender", "message 5", "text"},
	},
	{
		name:  "CRLF file",
		path:  "crlf.json",
		convs: []capture.Conversation{{ID: "telegram:6006", Channel: "telegram", Title: "Windows", Participants: []part{{ID: "user1", Name: "Ann"}, {ID: "2", Name: "Bob"}}}},
		msgs: []msg{
			{ID: "1", Seq: 1, Time: u(1706781600), Kind: txt, Sender: "user1", Text: "line one\r\nline two"},
			{ID: "3", Seq: 3, Time: u(1706781720), Kind: txt, Sender: "2", Text: "old numeric from_id"},
		},
		stats:     capture.Stats{Files: 1, Conversations: 1, Messages: 2, Bad: 1},
		skipLines: []int{15},
		skipWords: []string{"oops"},
	},
}

func TestRead(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			c := &collect{t: t}
			st, err := Read(filepath.Join("testdata", tc.path), c, capture.Options{Zone: zone})
			if err != nil {
				t.Fatal(err)
			}
			errs := st.Errors
			st.Errors = nil
			if !reflect.DeepEqual(st, tc.stats) {
				t.Errorf("stats %+v, want %+v", st, tc.stats)
			}
			if len(errs) != len(tc.skipLines) {
				t.Errorf("%d skipped, want %d: %v", len(errs), len(tc.skipLines), errs)
			}
			for i, e := range errs {
				if i < len(tc.skipLines) && (e.Line != tc.skipLines[i] || !strings.Contains(e.Err.Error(), tc.skipWords[i])) {
					t.Errorf("skip %d: %v; want line %d mentioning %q", i, e, tc.skipLines[i], tc.skipWords[i])
				}
				if !strings.HasSuffix(e.File, ".json") {
					t.Errorf("skip %d names file %q", i, e.File)
				}
			}
			if got := c.last(); !reflect.DeepEqual(got, tc.convs) {
				t.Errorf("conversations\n got %+v\nwant %+v", got, tc.convs)
			}
			if len(c.msgs) != len(tc.msgs) {
				t.Errorf("%d messages, want %d", len(c.msgs), len(tc.msgs))
			}
			for i := range min(len(c.msgs), len(tc.msgs)) {
				want := tc.msgs[i]
				if want.Conversation == "" {
					want.Conversation = tc.convs[0].ID
				}
				if got := *c.msgs[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("message %d:\n got %s\nwant %s", i, show(&got), show(&want))
				}
			}
		})
	}
}

// show prints a message field by field, so a failure says which differs.
func show(m *capture.Message) string {
	tm := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format(time.RFC3339) + "(" + t.Location().String() + ")"
	}
	return fmt.Sprintf("conv=%s id=%s seq=%d time=%s zone=%q sender=%q kind=%s text=%q reply=%q fwd=%v edited=%s att=%+v",
		m.Conversation, m.ID, m.Seq, tm(m.Time), m.Zone, m.Sender, m.Kind, m.Text, m.ReplyTo, m.Forwarded, tm(m.Edited), m.Attachments)
}

func TestReadHeaderSentBeforeAndAfter(t *testing.T) {
	c := &collect{t: t}
	if _, err := Read("testdata/single.json", c, capture.Options{Zone: zone}); err != nil {
		t.Fatal(err)
	}
	// The first header goes before message 1 and knows its actor; the last,
	// after the chat, knows everyone.
	if len(c.headers) != 2 {
		t.Fatalf("%d headers, want 2", len(c.headers))
	}
	if p := c.headers[0].Participants; len(p) != 1 || p[0].ID != "user111" {
		t.Errorf("first header participants %v", p)
	}
	if p := c.headers[1].Participants; len(p) != 4 {
		t.Errorf("last header participants %v", p)
	}
}

func TestReadStrict(t *testing.T) {
	c := &collect{t: t}
	st, err := Read("testdata/malformed.json", c, capture.Options{Strict: true})
	var le *capture.LineError
	if !errors.As(err, &le) || le.Line != 14 {
		t.Fatalf("err %v, want a LineError at line 14", err)
	}
	if st.Messages != 1 || st.Bad != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestReadZoneFallbackLocal(t *testing.T) {
	// Without Options.Zone the zone-less date is read in time.Local and
	// recorded as its name.
	c := &collect{t: t}
	if _, err := Read("testdata/single.json", c, capture.Options{}); err != nil {
		t.Fatal(err)
	}
	m := c.msgs[13]
	want := time.Date(2023, 11, 14, 23, 26, 20, 0, time.Local).UTC()
	if m.ID != "14" || !m.Time.Equal(want) || m.Zone != time.Local.String() {
		t.Errorf("message %s time %v zone %q, want %v %q", m.ID, m.Time, m.Zone, want, time.Local.String())
	}
	for _, m := range c.msgs {
		if m.ID != "14" && m.Zone != "" {
			t.Errorf("message %s has zone %q though its time is absolute", m.ID, m.Zone)
		}
	}
}

func TestReadBrokenJSON(t *testing.T) {
	for name, in := range map[string]string{
		"truncated":       `{"name":"x","type":"personal_chat","id":1,"messages":[{"id":1,`,
		"not an object":   `[1,2,3]`,
		"garbage between": "{\n\"name\":\"x\",\n\"messages\":[\n{\"id\":1} }\n]}",
		"trailing data":   `{"name":"x","id":1,"messages":[]} {}`,
		"messages object": `{"name":"x","id":1,"messages":{}}`,
		"empty":           ``,
		"other JSON":      `{"users":[{"id":1}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "result.json")
			if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Read(path, &collect{t: t}, capture.Options{}); err == nil {
				t.Fatal("no error")
			}
		})
	}
	path := filepath.Join(t.TempDir(), "other.json")
	os.WriteFile(path, []byte(`{"users":[]}`), 0o600)
	if _, err := Read(path, &collect{t: t}, capture.Options{}); !errors.Is(err, ErrNotExport) {
		t.Errorf("err %v, want ErrNotExport", err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.json"), &collect{t: t}, capture.Options{}); err == nil {
		t.Fatal("no error for a missing file")
	}
}

func TestReadBrokenJSONLine(t *testing.T) {
	in := "{\n \"name\": \"x\",\n \"id\": 1,\n \"messages\": [\n  {\"id\": 1, \"date_unixtime\": \"1\", \"from_id\": \"u\"},\n  {\"id\": 2 \"oops\"}\n ]\n}\n"
	path := filepath.Join(t.TempDir(), "result.json")
	os.WriteFile(path, []byte(in), 0o600)
	c := &collect{t: t}
	st, err := Read(path, c, capture.Options{})
	var le *capture.LineError
	if !errors.As(err, &le) || le.Line != 6 {
		t.Fatalf("err %v, want a LineError at line 6", err)
	}
	if st.Messages != 1 {
		t.Errorf("stats %+v", st)
	}
}

var errSinkFull = errors.New("sink full")

type failing struct{ after int }

func (f *failing) Conversation(*capture.Conversation) error { return nil }
func (f *failing) Message(*capture.Message) error {
	if f.after--; f.after < 0 {
		return errSinkFull
	}
	return nil
}

func TestReadSinkError(t *testing.T) {
	st, err := Read("testdata/single.json", &failing{after: 2}, capture.Options{})
	if !errors.Is(err, errSinkFull) || st.Messages != 3 {
		t.Fatalf("err %v stats %+v", err, st)
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		path string
		ok   bool
		why  string
	}{
		{"testdata/single.json", true, `"Desk"`},
		{"testdata/account", true, "whole account"},
		{"testdata/account/result.json", true, "whole account"},
		{"testdata/malformed.json", true, "Broken"},
		{"testdata/crlf.json", true, "Windows"},
		{write("nameless.json", `{"type":"saved_messages","id":1,"messages":[]}`), true, "one chat"},
		{write("x/result.json", `{"about":"a","chats":{"about":"b","list":[]}}`), true, "whole account"},
		{filepath.Join(dir, "x"), true, "whole account"},
		{write("chat.txt", "12/03/24, 10:00 - Ann: hi\n"), false, "result.json"},
		{write("array.json", `[{"id":1}]`), false, "not a JSON object"},
		{write("other.json", `{"users":[1,2],"version":3}`), false, "not a Telegram Desktop export"},
		{write("messages.json", `{"messages":[]}`), false, `no chat "type" and "id"`},
		{write("broken.json", `{"type": tru`), false, "not valid JSON"},
		{t.TempDir(), false, "holds no result.json"},
		{filepath.Dir(write("html/messages.html", "<html></html>")), false, "Machine-readable JSON"},
		{filepath.Join(dir, "html/messages.html"), false, "Machine-readable JSON"},
		{filepath.Join(dir, "missing.json"), false, "no such file"},
	} {
		ok, why := Sniff(tc.path)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("Sniff(%s) = %v, %q; want %v and %q", tc.path, ok, why, tc.ok, tc.why)
		}
	}
}

// Files the export holds (photos/, files/) can be opened from their
// attachments; a placeholder, a missing file or a path out of the export
// cannot.
func TestReadMediaFiles(t *testing.T) {
	dir := t.TempDir()
	for p, body := range map[string]string{"photos/photo_1@01-02-2021.jpg": "JPEG bytes", "files/report.pdf": "%PDF-1.7", "../outside.txt": "secret"} {
		full := filepath.Join(dir, "export", p)
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	in := `{"name":"Desk","type":"personal_chat","id":7,"messages":[
{"id":1,"type":"message","date":"2021-02-01T10:00:00","date_unixtime":"1612173600","from":"Ann","from_id":"user1","text":"","photo":"photos/photo_1@01-02-2021.jpg","photo_file_size":10},
{"id":2,"type":"message","date":"2021-02-01T10:01:00","date_unixtime":"1612173660","from":"Ann","from_id":"user1","text":"","file":"files/report.pdf","file_name":"report.pdf","mime_type":"application/pdf"},
{"id":3,"type":"message","date":"2021-02-01T10:02:00","date_unixtime":"1612173720","from":"Ann","from_id":"user1","text":"","file":"(File not included. Change data exporting settings to download.)","file_name":"big.mov"},
{"id":4,"type":"message","date":"2021-02-01T10:03:00","date_unixtime":"1612173780","from":"Ann","from_id":"user1","text":"","file":"files/missing.zip","file_name":"missing.zip"},
{"id":5,"type":"message","date":"2021-02-01T10:04:00","date_unixtime":"1612173840","from":"Ann","from_id":"user1","text":"","file":"../outside.txt","file_name":"outside.txt"}]}`
	path := filepath.Join(dir, "export", "result.json")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &collect{t: t}
	if _, err := Read(path, c, capture.Options{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"JPEG bytes", "%PDF-1.7", "", "", ""}
	if len(c.msgs) != len(want) {
		t.Fatalf("%d messages", len(c.msgs))
	}
	for i, m := range c.msgs {
		if len(m.Attachments) != 1 {
			t.Fatalf("message %d: %d attachments", i+1, len(m.Attachments))
		}
		open := m.Attachments[0].Open
		if want[i] == "" {
			if open != nil {
				t.Errorf("message %d (%s): can be opened", i+1, m.Attachments[0].Name)
			}
			continue
		}
		if open == nil {
			t.Fatalf("message %d: no content", i+1)
		}
		r, err := open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		if string(b) != want[i] {
			t.Errorf("message %d: content %q, want %q", i+1, b, want[i])
		}
	}
}
