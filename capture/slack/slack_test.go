package slack

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sealroom/capture"
)

// event is one call a sink received: a header or a message.
type event struct {
	Conv *capture.Conversation
	Msg  *capture.Message
}

func (e event) String() string {
	if e.Conv != nil {
		return fmt.Sprintf("conversation %+v", *e.Conv)
	}
	return fmt.Sprintf("message %+v", *e.Msg)
}

// collect is a sink that keeps what it is given and checks each message.
type collect struct {
	t      testing.TB
	events []event
}

func (c *collect) Conversation(v *capture.Conversation) error {
	c.events = append(c.events, event{Conv: v})
	return nil
}

func (c *collect) Message(m *capture.Message) error {
	if err := m.Validate(); err != nil {
		c.t.Errorf("delivered an invalid message: %v", err)
	}
	c.events = append(c.events, event{Msg: m})
	return nil
}

// at is a time on day (0 = 2025-01-10) of the fixtures, in UTC.
func at(day, sec, micro int) time.Time {
	return time.Date(2025, 1, 10+day, 0, 0, sec, micro*1000, time.UTC)
}

// ts is the Slack timestamp of at(day, sec, micro), written out
// independently of parseTS.
func ts(day, sec, micro int) string {
	return fmt.Sprintf("%d.%06d", 1736467200+day*86400+sec, micro)
}

func conv(id, title string, ps ...string) event {
	c := &capture.Conversation{ID: id, Channel: "slack", Title: title}
	for i := 0; i+1 < len(ps); i += 2 {
		c.Participants = append(c.Participants, capture.Participant{ID: ps[i], Name: ps[i+1]})
	}
	return event{Conv: c}
}

// msg is a message sent at (day, sec, micro); edits adjust it.
func msg(cid string, seq int64, day, sec, micro int, sender, text string, edits ...func(*capture.Message)) event {
	m := &capture.Message{Conversation: cid, ID: ts(day, sec, micro), Seq: seq, Time: at(day, sec, micro),
		Sender: sender, Text: text, Kind: capture.KindMessage}
	if sender == "" {
		m.Kind = capture.KindSystem
	}
	for _, e := range edits {
		e(m)
	}
	return event{Msg: m}
}

func replyTo(day, sec int) func(*capture.Message) {
	return func(m *capture.Message) { m.ReplyTo = ts(day, sec, 0) }
}

func edited(day, sec int) func(*capture.Message) {
	return func(m *capture.Message) { m.Edited = at(day, sec, 0) }
}

func files(as ...capture.Attachment) func(*capture.Message) {
	return func(m *capture.Message) { m.Attachments = as }
}

const general = "slack:C1"

var generalMembers = []string{"U1", "Ann Lee", "U2", "Bobby", "U3", "carol"}

// workspace is what testdata/workspace reads as, in order.
var workspace = []event{
	conv(general, "#general", generalMembers...),
	msg(general, 1, 0, 3600, 0, "", "@carol (U3) has joined the channel"),
	msg(general, 2, 0, 3700, 100, "U1", "Hi @Bobby, see #random and the doc (https://example.com/a?b=1&c=2) <3"),
	msg(general, 3, 0, 3800, 0, "U2", "Thread start"),
	msg(general, 4, 0, 3900, 0, "U1", "A reply", replyTo(0, 3800)),
	msg(general, 5, 0, 4000, 0, "U3", "typo fixed", edited(0, 4060)),
	msg(general, 6, 0, 4100, 0, "B1", "Deployed v1.2 to @channel"),
	msg(general, 7, 0, 4200, 0, "bot:webhook", "Build #7 passed"),
	msg(general, 8, 0, 4300, 0, "U2", "the report", files(
		capture.Attachment{Name: "report.pdf", Type: "application/pdf", Size: 48213},
		capture.Attachment{Name: "chart.png", Type: "image/png", Size: 1024})),
	msg(general, 9, 0, 4400, 0, "U1", "", files(
		capture.Attachment{Name: "F3 (deleted)"},
		capture.Attachment{Name: "F4 (hidden by Slack's plan limit)"})),
	msg(general, 10, 0, 4500, 0, "", "@Ann Lee (U1) set the channel topic: Q1 plans"),
	msg(general, 11, 0, 4600, 0, "", "This message was deleted."),
	msg(general, 12, 1, 60, 0, "U1", "Day two here bob@example.com (mailto:bob@example.com) https://x.org"),
	msg(general, 13, 1, 120, 0, "U9", "I left later"),
	msg(general, 14, 1, 180, 0, "U2", "also to channel", replyTo(0, 3800)),
	msg(general, 15, 1, 240, 0, "", "@Dee Ray (U9) has left the channel"),
	// Sent again: senders the member list lacked.
	conv(general, "#general", append(slices.Clone(generalMembers), "B1", "deploybot", "bot:webhook", "webhook", "U9", "Dee Ray")...),
	conv("slack:C2", "#random", "U1", "Ann Lee"),
	conv("slack:G1", "#secret", "U1", "Ann Lee", "U2", "Bobby"),
	msg("slack:G1", 1, 0, 7200, 0, "U2", "private @Ann Lee"),
	conv("slack:G2", "Ann Lee, Bobby, carol", "U1", "Ann Lee", "U2", "Bobby", "U3", "carol"),
	msg("slack:G2", 1, 2, 30, 0, "U3", "group hello"),
	conv("slack:D1", "Ann Lee, Bobby", "U1", "Ann Lee", "U2", "Bobby"),
	msg("slack:D1", 1, 2, 10, 0, "U1", "psst"),
	msg("slack:D1", 2, 2, 20, 0, "U2", "waves"),
}

// damaged is what testdata/damaged reads as.
var damaged = []event{
	conv(general, "#general", "U1", "Ann Lee"),
	msg(general, 1, 0, 10, 0, "U1", "first"),
	msg(general, 2, 0, 50, 0, "U1", "last"),
	msg(general, 3, 1, 10, 0, "U1", "before the break"),
	msg(general, 4, 3, 10, 0, "U1", "after the bad days"),
	conv("slack:unlisted", "#unlisted"),
	msg("slack:unlisted", 1, 0, 99, 0, "U1", "orphan"),
	conv("slack:unlisted", "#unlisted", "U1", "Ann Lee"), // no list named its members
}

// skip is an expected report: file (a suffix, with slashes), index, and a
// phrase of the error.
type skip struct {
	file string
	line int
	why  string
}

var damagedSkips = []skip{
	{"org_users.json", 1, "user without id"},
	{"general/2025-01-10.json", 1, `"ts" "" is not a Slack timestamp`},
	{"general/2025-01-10.json", 2, "cannot unmarshal string"},
	{"general/2025-01-10.json", 3, `"ts" "yesterday"`},
	{"general/2025-01-10.json", 4, "no sender"},
	{"general/2025-01-10.json", 5, "cannot unmarshal array"},
	{"general/2025-01-10.json", 6, `type "reaction_added" is not a message`},
	{"general/2025-01-11.json", 1, "cannot read on from element [1]"},
	{"general/2025-01-12.json", 0, "not a JSON array"},
}

func TestRead(t *testing.T) {
	tests := []struct {
		name  string
		path  func(testing.TB) string
		want  []event
		stats capture.Stats // Errors are checked against skips
		skips []skip
	}{
		{"workspace folder", dir("workspace"), workspace,
			capture.Stats{Files: 5, Conversations: 5, Messages: 19}, nil},
		{"workspace zip", zipped("workspace", ""), workspace,
			capture.Stats{Files: 5, Conversations: 5, Messages: 19}, nil},
		{"workspace zip in a top folder", zipped("workspace", "slack-export/"), workspace,
			capture.Stats{Files: 5, Conversations: 5, Messages: 19}, nil},
		{"damaged folder", dir("damaged"), damaged,
			capture.Stats{Files: 5, Conversations: 2, Messages: 5, Bad: len(damagedSkips)}, damagedSkips},
		{"damaged zip", zipped("damaged", ""), damaged,
			capture.Stats{Files: 5, Conversations: 2, Messages: 5, Bad: len(damagedSkips)}, damagedSkips},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := tc.path(t)
			if ok, why := Sniff(p); !ok {
				t.Errorf("Sniff = false (%s), want true", why)
			}
			sink := &collect{t: t}
			st, err := Read(p, sink, capture.Options{})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			compareEvents(t, sink.events, tc.want)
			errs := st.Errors
			st.Errors = nil
			if !reflect.DeepEqual(st, tc.stats) {
				t.Errorf("stats = %+v, want %+v", st, tc.stats)
			}
			compareSkips(t, errs, tc.skips)
		})
	}
}

func compareEvents(t *testing.T, got, want []event) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("[%d] missing %v", i, want[i])
		case i >= len(want):
			t.Errorf("[%d] extra %v", i, got[i])
		case !reflect.DeepEqual(got[i], want[i]):
			t.Errorf("[%d]\n got %v\nwant %v", i, got[i], want[i])
		}
	}
}

func compareSkips(t *testing.T, got []*capture.LineError, want []skip) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("skip [%d] missing: %+v", i, want[i])
		case i >= len(want):
			t.Errorf("skip [%d] extra: %v", i, got[i])
		default:
			g, w := got[i], want[i]
			if !strings.HasSuffix(filepath.ToSlash(g.File), w.file) || g.Line != w.line || !strings.Contains(g.Err.Error(), w.why) {
				t.Errorf("skip [%d] = %v, want %s:%d: …%s…", i, g, w.file, w.line, w.why)
			}
		}
	}
}

func TestReadStrict(t *testing.T) {
	sink := &collect{t: t}
	st, err := Read(filepath.Join("testdata", "damaged"), sink, capture.Options{Strict: true})
	le, ok := err.(*capture.LineError)
	if !ok || !strings.HasSuffix(filepath.ToSlash(le.File), "org_users.json") || le.Line != 1 {
		t.Fatalf("Read strict: err = %v, want the first bad record, org_users.json:1", err)
	}
	if st.Bad != 1 || len(sink.events) != 0 {
		t.Errorf("strict read went on: stats %+v, %d events", st, len(sink.events))
	}
}

// failSink fails on the nth message.
type failSink struct {
	n, seen int
}

func (f *failSink) Conversation(*capture.Conversation) error { return nil }
func (f *failSink) Message(*capture.Message) error {
	f.seen++
	if f.seen == f.n {
		return errSink
	}
	return nil
}

var errSink = fmt.Errorf("sink is full")

func TestReadSinkError(t *testing.T) {
	sink := &failSink{n: 3}
	_, err := Read(filepath.Join("testdata", "workspace"), sink, capture.Options{})
	if err == nil || !strings.Contains(err.Error(), errSink.Error()) || !strings.Contains(err.Error(), "2025-01-10.json") {
		t.Fatalf("err = %v, want the sink's error with the file", err)
	}
	if sink.seen != 3 {
		t.Errorf("Read went on after the sink failed: %d messages", sink.seen)
	}
}

func TestSniff(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("nousers/channels.json", "[]")
	write("nolists/users.json", "[]")
	write("empty/users.json", "[]")
	write("empty/channels.json", "[]")
	write("empty/general/notes.txt", "")
	write("dmsonly/users.json", "[]")
	write("dmsonly/dms.json", "[]")
	write("dmsonly/D1/2025-01-10.json", "[]")
	chat := write("chat.txt", "1/2/25, 10:00 - Ann: hi\n")
	tests := []struct {
		path string
		ok   bool
		why  string
	}{
		{"testdata/workspace", true, "is a Slack export"},
		{"testdata/damaged", true, "is a Slack export"},
		{zipped("workspace", "top/")(t), true, "is a Slack export"},
		{filepath.Join(tmp, "dmsonly"), true, "dms.json"},
		{filepath.Join(tmp, "nousers"), false, "no users.json"},
		{filepath.Join(tmp, "nolists"), false, "no channels.json"},
		{filepath.Join(tmp, "empty"), false, "no conversation folder"},
		{chat, false, "neither a folder nor a .zip"},
		{filepath.Join(tmp, "missing"), false, "no such file"},
	}
	for _, tc := range tests {
		ok, why := Sniff(tc.path)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("Sniff(%s) = %v, %q; want %v, …%s…", tc.path, ok, why, tc.ok, tc.why)
		}
	}
}

func TestRender(t *testing.T) {
	r := &reader{names: map[string]string{"U1": "Ann Lee", "U2": "Bobby"}, chans: map[string]string{"C1": "general"}}
	tests := []struct {
		in, out, ids string // ids: the output when ids are kept ("" = same as out)
	}{
		{"plain", "plain", ""},
		{"<@U1> hi", "@Ann Lee hi", "@Ann Lee (U1) hi"},
		{"<@U7|olduser>", "@olduser", "@olduser (U7)"},
		{"<@U8>", "@U8", ""},
		{"<#C1>", "#general", ""},
		{"<#C1|renamed>", "#renamed", ""},
		{"<#C9>", "#C9", ""},
		{"<https://a.b/c?d=1&amp;e=2|see this>", "see this (https://a.b/c?d=1&e=2)", ""},
		{"<https://a.b>", "https://a.b", ""},
		{"<https://a.b|https://a.b>", "https://a.b", ""},
		{"<!here> <!channel> <!everyone>", "@here @channel @everyone", ""},
		{"<!subteam^S1|@design>", "@design", ""},
		{"<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014", ""},
		{"a &lt; b &amp;&amp; c &gt; d", "a < b && c > d", ""},
		{"&amp;lt;", "&lt;", ""},
		{"unclosed <https://a.b", "unclosed <https://a.b", ""},
		{"<>", "<>", ""},
		{"<|x>", "<|x>", ""},
	}
	for _, tc := range tests {
		if got := r.render(tc.in, false); got != tc.out {
			t.Errorf("render(%q) = %q, want %q", tc.in, got, tc.out)
		}
		want := tc.ids
		if want == "" {
			want = tc.out
		}
		if got := r.render(tc.in, true); got != want {
			t.Errorf("render(%q, ids) = %q, want %q", tc.in, got, want)
		}
	}
}

func TestParseTS(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1736500000.000200", time.Date(2025, 1, 10, 9, 6, 40, 200000, time.UTC), true},
		{"1736500000", time.Date(2025, 1, 10, 9, 6, 40, 0, time.UTC), true},
		{"1736500000.5", time.Date(2025, 1, 10, 9, 6, 40, 500000000, time.UTC), true},
		{"", time.Time{}, false},
		{".000200", time.Time{}, false},
		{"-1.0", time.Time{}, false},
		{"1e9.0", time.Time{}, false},
		{"1736500000.0002001234", time.Time{}, false},
		{"99999999999999.0", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := parseTS(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) || (ok && got.Location() != time.UTC) {
			t.Errorf("parseTS(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// dir returns the fixture folder's path.
func dir(name string) func(testing.TB) string {
	return func(testing.TB) string { return filepath.Join("testdata", name) }
}

// zipped returns a function that zips testdata/name into the test's temp
// folder, members under prefix, in reverse order and without folder
// entries, as zips made by other tools can be.
func zipped(name, prefix string) func(testing.TB) string {
	return func(t testing.TB) string {
		t.Helper()
		p := filepath.Join(t.TempDir(), name+".zip")
		if err := zipDir(os.DirFS(filepath.Join("testdata", name)), p, prefix); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func zipDir(fsys fs.FS, dst, prefix string) error {
	var names []string
	if err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}); err != nil {
		return err
	}
	slices.Reverse(names)
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, n := range names {
		w, err := zw.Create(path.Join(prefix, n))
		if err != nil {
			return err
		}
		src, err := fsys.Open(n)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, src)
		src.Close()
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// TestReadHugeElements checks the bounds: text over capture.MaxText is
// one skipped message; an element over MaxElement ends its file (the
// decoder cannot find the next element without reading it), and the
// export's other files are still read.
func TestReadHugeElements(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("users.json", `[{"id":"U1","name":"ann"}]`)
	write("channels.json", `[{"id":"C1","name":"general","members":["U1"]}]`)
	m := func(sec int, text string) string {
		return fmt.Sprintf(`{"type":"message","user":"U1","ts":"%s","text":%q}`, ts(0, sec, 0), text)
	}
	write("general/2025-01-10.json", "["+m(1, "a")+","+m(2, strings.Repeat("x", capture.MaxText+1))+","+m(3, "b")+"]")
	write("general/2025-01-11.json", "["+m(4, "c")+","+m(5, strings.Repeat("y", MaxElement))+","+m(6, "lost")+"]")
	write("general/2025-01-12.json", "["+m(7, "d")+"]")
	sink := &collect{t: t}
	st, err := Read(tmp, sink, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	compareEvents(t, sink.events, []event{
		conv(general, "#general", "U1", "ann"),
		msg(general, 1, 0, 1, 0, "U1", "a"),
		msg(general, 2, 0, 3, 0, "U1", "b"),
		msg(general, 3, 0, 4, 0, "U1", "c"),
		msg(general, 4, 0, 7, 0, "U1", "d"),
	})
	compareSkips(t, st.Errors, []skip{
		{"general/2025-01-10.json", 1, "exceeds"},
		{"general/2025-01-11.json", 1, "longer than"},
	})
}
