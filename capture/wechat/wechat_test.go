package wechat

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

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

// render writes a message as one line for comparison:
// id|time|zone|sender|kind|"text"|attachments[|fw]. Ids the export gives
// are shown; derived ones (h:…) as "h:", checked apart.
func render(m *capture.Message) string {
	id := m.ID
	if strings.HasPrefix(id, "h:") {
		id = "h:"
	}
	var atts []string
	for _, a := range m.Attachments {
		atts = append(atts, a.Name+"("+a.Type+")")
	}
	fw := ""
	if m.Forwarded {
		fw = "|fw"
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%q|%s%s", id, m.Time.Format(time.RFC3339), m.Zone, m.Sender, m.Kind, m.Text,
		strings.Join(atts, ","), fw)
}

func shanghai(tb testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// fixture is one file under testdata and everything Read must make of it,
// read in Asia/Shanghai.
type fixture struct {
	file         string
	conv, title  string
	participants []string // id=name
	want         []string // render of each message, in order
	bad          []string // "line: error" of each skipped record
}

var cases = []fixture{
	{
		file: "chat_en.txt", conv: "wechat:chat_en", title: "Team Alpha",
		participants: []string{"Ann=Ann", "Bob (Sales)=Bob (Sales)"},
		want: []string{
			`h:|2024-03-01T01:30:00Z|Asia/Shanghai||system|"Ann invited you to the group chat"|`,
			`h:|2024-03-01T01:30:00Z|Asia/Shanghai|Ann|message|"Good morning"|`,
			`h:|2024-03-01T01:30:05Z|Asia/Shanghai|Ann|message|"Line one\nline two\n\nline four after a blank line"|`,
			`h:|2024-03-01T01:31:00Z|Asia/Shanghai|Bob (Sales)|message|"Morning! Reply here"|`,
			`h:|2024-03-01T01:32:00Z|Asia/Shanghai|Bob (Sales)|message|""|image()`,
			`h:|2024-03-01T01:32:10Z|Asia/Shanghai|Bob (Sales)|message|""|video()`,
			`h:|2024-03-01T01:33:00Z|Asia/Shanghai|Ann|message|""|voice()`,
			`h:|2024-03-01T01:33:01Z|Asia/Shanghai|Ann|message|""|voice()`,
			`h:|2024-03-01T01:34:00Z|Asia/Shanghai|Ann|message|""|sticker()`,
			`h:|2024-03-01T01:35:00Z|Asia/Shanghai|Bob (Sales)|message|""|Q1 report.pdf(application/pdf)`,
			`h:|2024-03-01T01:35:30Z|Asia/Shanghai|Bob (Sales)|message|""|file()`,
			`h:|2024-03-01T01:36:00Z|Asia/Shanghai|Ann|message|"[Location] Pier 7 (22.28,114.15)"|`,
			`h:|2024-03-01T01:37:00Z|Asia/Shanghai|Ann|message|"Weixin Transfer Pay to Bob (Sales)"|`,
			`h:|2024-03-01T01:37:00Z|Asia/Shanghai||system|"\"Bob (Sales)\" recalled a message"|`,
			`h:|2024-03-01T01:38:00Z|Asia/Shanghai|Ann|message|"answer to a two-line quote\nsecond answer line"|`,
			`h:|2024-03-01T01:39:00Z|Asia/Shanghai|Bob (Sales)|message|"ok"|`,
			`h:|2024-03-01T01:39:00Z|Asia/Shanghai|Bob (Sales)|message|"ok"|`,
			`h:|2024-03-01T01:41:00Z|Asia/Shanghai|Ann|message|"「not a quote: no rule follows」"|`,
			`h:|2024-03-01T01:42:00Z|Asia/Shanghai|Ann|message|"[Contact Card] Carol"|`,
		},
		bad: []string{
			`29: time "2024-13-01 09:40:00" is not a valid date and time`,
		},
	},
	{
		file: "chat_zh.txt", conv: "wechat:chat_zh", title: "张三",
		participants: []string{"张三=张三", "李四=李四"},
		want: []string{
			`h:|2024-03-02T12:00:00Z|Asia/Shanghai|张三|message|"你好，明天见面吗？"|`,
			`h:|2024-03-02T12:01:00Z|Asia/Shanghai|李四|message|"好的，老地方"|`,
			`h:|2024-03-02T12:02:00Z|Asia/Shanghai|张三|message|""|image()`,
			`h:|2024-03-02T12:02:30Z|Asia/Shanghai|李四|message|""|voice()`,
			`h:|2024-03-02T12:03:00Z|Asia/Shanghai|张三|message|""|video()`,
			`h:|2024-03-02T12:04:00Z|Asia/Shanghai|李四|message|""|sticker()`,
			`h:|2024-03-02T12:05:00Z|Asia/Shanghai|张三|message|""|合同草稿.docx(application/vnd.openxmlformats-officedocument.wordprocessingml.document)`,
			`h:|2024-03-02T12:06:00Z|Asia/Shanghai|李四|message|"[位置] 国贸大厦 (39.91,116.46)"|`,
			`h:|2024-03-02T12:07:00Z|Asia/Shanghai|张三|message|"微信转账 向李四转账"|`,
			`h:|2024-03-02T12:08:00Z|Asia/Shanghai|李四|message|"第一行\n第二行"|`,
			`h:|2024-03-02T12:08:00Z|Asia/Shanghai||system|"张三撤回了一条消息"|`,
		},
	},
	{
		file: "crlf.txt", conv: "wechat:crlf", title: "crlf",
		participants: []string{"Ann=Ann"},
		want: []string{
			`h:|2024-03-01T01:30:00Z|Asia/Shanghai|Ann|message|"crlf line\nnext"|`,
		},
		bad: []string{
			`1: text before the first "NAME (YYYY-MM-DD HH:MM:SS):" line`,
		},
	},
	{
		file: "chat.html", conv: "wechat:chat", title: "Project Lotus",
		participants: []string{"wxid_ann01=Ann", "wxid_me=Me", "Bob=Bob"},
		want: []string{
			`n0|2024-03-05T00:00:00Z|Asia/Shanghai||system|"Ann created the group"|`,
			`1001|2024-03-05T00:00:00Z|Asia/Shanghai|wxid_ann01|message|"Deal & terms <draft>\nsecond line [Smile] ok"|`,
			`1002|2024-03-05T00:01:00Z|Asia/Shanghai|wxid_me|message|""|1002.jpg(image/jpeg)`,
			`1003|2024-03-05T00:02:00Z|Asia/Shanghai|wxid_ann01|message|""|1003.mp3(audio/mpeg)`,
			`1004|2024-03-05T00:03:00Z|Asia/Shanghai|wxid_ann01|message|""|1004.mp4(video/mp4)`,
			`1005|2024-03-05T00:04:00Z|Asia/Shanghai|wxid_me|message|""|abc123.gif(image/gif)`,
			`1006|2024-03-05T00:05:00Z|Asia/Shanghai|wxid_me|message|"Agreed, sign today"|`,
			`1007|2024-03-05T00:06:00Z|Asia/Shanghai|wxid_ann01|message|"Q1 results\nRevenue up 5%\nhttps://news.example/q1"|`,
			`1008|2024-03-05T00:07:00Z|Asia/Shanghai|wxid_me|message|"Weixin Transfer Pay to Ann"|`,
			`1009|2024-03-05T00:08:00Z|Asia/Shanghai|wxid_ann01|message|"Contact Card Carol"|`,
			`1010|2024-03-05T00:08:00Z|Asia/Shanghai||system|"\"Ann\" recalled a message"|`,
			`1012|2024-03-05T00:10:00Z|Asia/Shanghai|Bob|message|""|image()`,
		},
		bad: []string{
			`136: time "2024-02-30 08:09:00" is not YYYY-MM-DD HH:MM:SS`,
		},
	},
	{
		file: "memotrace_utf8.csv", conv: "wechat:7", title: "memotrace",
		participants: []string{"wxid_wang=老王", "wxid_me="},
		want: []string{
			`1|2024-03-06T02:00:00Z||wxid_wang|message|"你好，合同看了吗？\n第二行"|`,
			`2|2024-03-06T02:01:00Z||wxid_me|message|"看了，有两处要改"|`,
			`3|2024-03-06T02:02:00Z||wxid_wang|message|""|image()`,
			`4|2024-03-06T02:03:00Z||wxid_me|message|""|voice()`,
			`5|2024-03-06T02:04:00Z||wxid_wang|message|""|video()`,
			`6|2024-03-06T02:05:00Z||wxid_me|message|""|sticker()`,
			`7|2024-03-06T02:06:00Z||wxid_wang|message|"外滩\n上海市黄浦区中山东一路"|`,
			`8|2024-03-06T02:07:00Z||wxid_me|message|""|合同v2.docx(application/vnd.openxmlformats-officedocument.wordprocessingml.document)`,
			`9|2024-03-06T02:08:00Z||wxid_wang|message|"季度报告 & 展望\n摘要\nhttps://example.com/r?a=1&b=2"|`,
			`10|2024-03-06T02:09:00Z||wxid_me|message|"同意，就这么办"|`,
			`11|2024-03-06T02:10:00Z||wxid_wang|message|"微信转账\n￥5000.00"|`,
			`12|2024-03-06T02:11:00Z||wxid_wang|message|"群聊的聊天记录\n王五: 第一条\n赵六: 第二条"||fw`,
			`13|2024-03-06T02:12:00Z|||system|"\"老王\"邀请\"赵六\"加入了群聊"|`,
			`14|2024-03-06T02:13:00Z|||system|"\"老王\" 撤回了一条消息"|`,
			`15|2024-03-06T02:14:00Z|||system|"\"老王\" 撤回了一条消息"|`,
			`16|2024-03-06T02:15:00Z||wxid_me|message|"通话时长 00:42"|`,
			`17|2024-03-06T02:16:00Z|Asia/Shanghai|wxid_wang|message|"只有本地时间"|`,
		},
		bad: []string{
			`22: column Type: "abc" is not a number`,
			`23: no CreateTime or StrTime`,
			`24: 3 fields where the header has 12`,
		},
	},
	{
		file: "pywxdump.csv", conv: "wechat:12345678@chatroom", title: "12345678@chatroom",
		participants: []string{"wxid_li=", "wxid_me="},
		want: []string{
			`7234567890123456781|2024-03-07T01:00:00Z|Asia/Shanghai|wxid_li|message|"明天开会"|`,
			`7234567890123456782|2024-03-07T01:01:00Z|Asia/Shanghai|wxid_me|message|""|pic1.jpg(image/jpeg)`,
			`7234567890123456783|2024-03-07T01:02:00Z|Asia/Shanghai|wxid_li|message|""|voice1.mp3(audio/mpeg)`,
			`7234567890123456784|2024-03-07T01:03:00Z|Asia/Shanghai|wxid_li|message|""|clip.mp4(video/mp4)`,
			`7234567890123456785|2024-03-07T01:04:00Z|Asia/Shanghai|wxid_me|message|""|sticker()`,
			`7234567890123456786|2024-03-07T01:05:00Z|Asia/Shanghai|wxid_li|message|"北京市朝阳区建国门外大街"|`,
			`7234567890123456787|2024-03-07T01:06:00Z|Asia/Shanghai|wxid_me|message|""|预算.xlsx(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)`,
			`7234567890123456788|2024-03-07T01:07:00Z|Asia/Shanghai|wxid_li|message|"收到"|`,
			`7234567890123456789|2024-03-07T01:08:00Z|Asia/Shanghai|wxid_me|message|"转账 ￥200.00"|`,
			`10|2024-03-07T01:09:00Z|Asia/Shanghai||system|"\"李四\"修改群名为“项目组”"|`,
			`7234567890123456790|2024-03-07T01:10:00Z|Asia/Shanghai||system|"\"李四\" 撤回了一条消息"|`,
			`7234567890123456791|2024-03-07T01:11:00Z|Asia/Shanghai|wxid_li|message|"群聊的聊天记录"||fw`,
			`7234567890123456792|2024-03-07T01:12:00Z|Asia/Shanghai|wxid_li|message|"新类型的内容"|`,
			`7234567890123456795|2024-03-07T01:14:00Z|Asia/Shanghai|wxid_li|message|"after the bad row"|`,
		},
		bad: []string{
			`15: time "2024-03-07 25:00:00" is neither unix seconds nor YYYY-MM-DD HH:MM:SS`,
			`16: bare " in non-quoted-field`,
		},
	},
	{
		file: "pywxdump.json", conv: "wechat:wxid_zhao", title: "wxid_zhao",
		participants: []string{"wxid_zhao=", "self=", "wxid_me="},
		want: []string{
			`8234567890123456781|2024-03-08T06:00:00Z|Asia/Shanghai|wxid_zhao|message|"周五前给我报价\n含税"|`,
			`8234567890123456782|2024-03-08T06:01:00Z||self|message|""|quote.jpg(image/jpeg)`,
			`8234567890123456784|2024-03-08T06:02:00Z|Asia/Shanghai||system|"\"赵六\" 撤回了一条消息"|`,
			`5|2024-03-08T06:03:00Z|Asia/Shanghai|wxid_me|message|"好的"|`,
		},
		bad: []string{
			`26: a message is a JSON object of fields, not string`,
			`50: no CreateTime or StrTime`,
		},
	},
}

// check compares what Read delivered with f, message by message.
func check(t *testing.T, f fixture, c *collect, st capture.Stats) {
	t.Helper()
	if len(c.convs) == 0 {
		t.Fatal("no conversation header")
	}
	last := c.convs[len(c.convs)-1]
	if last.ID != f.conv || last.Title != f.title || last.Channel != "wechat" {
		t.Errorf("conversation %q %q %q, want %q %q wechat", last.ID, last.Title, last.Channel, f.conv, f.title)
	}
	var ps []string
	for _, p := range last.Participants {
		ps = append(ps, p.ID+"="+p.Name)
	}
	if strings.Join(ps, ",") != strings.Join(f.participants, ",") {
		t.Errorf("participants %q, want %q", ps, f.participants)
	}
	if st.Conversations != 1 || st.Messages != len(c.msgs) || st.Files != 1 {
		t.Errorf("stats %+v for %d messages", st, len(c.msgs))
	}
	ids := map[string]bool{}
	for i, m := range c.msgs {
		if i < len(f.want) && render(m) != f.want[i] {
			t.Errorf("message %d:\n got %s\nwant %s", i+1, render(m), f.want[i])
		}
		if err := m.Validate(); err != nil {
			t.Errorf("message %d: %v", i+1, err)
		}
		if m.Seq != int64(i+1) || m.Conversation != f.conv {
			t.Errorf("message %d: seq %d conversation %q", i+1, m.Seq, m.Conversation)
		}
		if ids[m.ID] {
			t.Errorf("message %d: id %s repeated", i+1, m.ID)
		}
		ids[m.ID] = true
	}
	if len(c.msgs) != len(f.want) {
		t.Errorf("%d messages, want %d", len(c.msgs), len(f.want))
	}
	var bad []string
	for _, e := range st.Errors {
		bad = append(bad, fmt.Sprintf("%d: %v", e.Line, e.Err))
		if e.File == "" {
			t.Errorf("error without file: %v", e)
		}
	}
	if strings.Join(bad, "\n") != strings.Join(f.bad, "\n") || st.Bad != len(f.bad) {
		t.Errorf("skipped (%d):\n%s\nwant:\n%s", st.Bad, strings.Join(bad, "\n"), strings.Join(f.bad, "\n"))
	}
}

func read(t *testing.T, path string, opts capture.Options) (*collect, capture.Stats) {
	t.Helper()
	var c collect
	st, err := Read(path, &c, opts)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return &c, st
}

func TestRead(t *testing.T) {
	for _, f := range cases {
		t.Run(f.file, func(t *testing.T) {
			t.Parallel()
			c, st := read(t, filepath.Join("testdata", f.file), capture.Options{Zone: shanghai(t)})
			check(t, f, c, st)
			// The same file read again gives the same ids: re-import adds nothing.
			again, _ := read(t, filepath.Join("testdata", f.file), capture.Options{Zone: shanghai(t)})
			for i := range c.msgs {
				if c.msgs[i].ID != again.msgs[i].ID {
					t.Fatalf("message %d: id %s then %s", i+1, c.msgs[i].ID, again.msgs[i].ID)
				}
			}
		})
	}
}

func fixtureNamed(t *testing.T, name string) fixture {
	for _, f := range cases {
		if f.file == name {
			return f
		}
	}
	t.Fatalf("no fixture %s", name)
	return fixture{}
}

// writeEncoded writes testdata/name encoded with enc into a temporary
// folder under the same name, so the conversation id is the same.
func writeEncoded(t *testing.T, name string, enc func([]byte) ([]byte, error)) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if b, err = enc(b); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEncodings reads UTF-8 fixtures re-encoded as GBK, GB18030 and
// UTF-16, and expects exactly the UTF-8 result, ids included.
func TestEncodings(t *testing.T) {
	encs := map[string]func([]byte) ([]byte, error){
		"GBK":       simplifiedchinese.GBK.NewEncoder().Bytes,
		"GB18030":   simplifiedchinese.GB18030.NewEncoder().Bytes,
		"UTF-16LE":  unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes,
		"UTF-8 BOM": func(b []byte) ([]byte, error) { return append([]byte("\xEF\xBB\xBF"), b...), nil },
	}
	for _, name := range []string{"chat_zh.txt", "chat_en.txt", "pywxdump.csv", "chat.html"} {
		f := fixtureNamed(t, name)
		utf, _ := read(t, filepath.Join("testdata", name), capture.Options{Zone: shanghai(t)})
		for encName, enc := range encs {
			t.Run(name+"/"+encName, func(t *testing.T) {
				p := writeEncoded(t, name, enc)
				if ok, why := Sniff(p); !ok || !strings.Contains(why, strings.Fields(encName)[0]) {
					t.Errorf("Sniff: %v %s", ok, why)
				}
				c, st := read(t, p, capture.Options{Zone: shanghai(t)})
				check(t, f, c, st)
				for i := range c.msgs {
					if i < len(utf.msgs) && c.msgs[i].ID != utf.msgs[i].ID {
						t.Errorf("message %d: id %s, from UTF-8 %s", i+1, c.msgs[i].ID, utf.msgs[i].ID)
					}
				}
			})
		}
	}
}

// TestBadBytes: bytes the detected encoding cannot read make their record
// skipped, never imported with U+FFFD or invalid UTF-8 in it.
func TestBadBytes(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	dir := t.TempDir()
	// GBK throughout, one message with a broken double-byte sequence.
	var b []byte
	for range 10 {
		b = append(b, gbk("张三 (2024-03-02 20:00:00):你好\n")...)
	}
	b = append(b, gbk("李四 (2024-03-02 20:01:00):坏")...)
	b = append(b, 0x81, 0x20)
	b = append(b, gbk("字节\n张三 (2024-03-02 20:02:00):再见\n")...)
	p := filepath.Join(dir, "gbk.txt")
	os.WriteFile(p, b, 0o600)
	c, st := read(t, p, capture.Options{Zone: shanghai(t)})
	if len(c.msgs) != 11 || c.msgs[0].Text != "你好" || c.msgs[10].Text != "再见" || st.Bad != 1 || st.Errors[0].Line != 11 {
		t.Errorf("GBK with a bad sequence: %d messages, stats %+v", len(c.msgs), st)
	}
	// ASCII for the first 64 KiB, so read as UTF-8; GBK after that.
	b = []byte{}
	for len(b) < sniffSize+100 {
		b = append(b, "Ann (2024-03-02 20:00:00):plain ascii padding line\n"...)
	}
	n := bytes.Count(b, []byte{'\n'})
	b = append(b, gbk("张三 (2024-03-02 20:02:00):再见\n")...)
	p = filepath.Join(dir, "late.txt")
	os.WriteFile(p, b, 0o600)
	c, st = read(t, p, capture.Options{Zone: shanghai(t)})
	if len(c.msgs) != n || st.Bad != 1 || st.Errors[0].Line != n+1 {
		t.Errorf("late GBK: %d messages of %d, stats bad %d %v", len(c.msgs), n, st.Bad, st.Errors)
	}
}

func TestStrict(t *testing.T) {
	var c collect
	_, err := Read(filepath.Join("testdata", "chat_en.txt"), &c, capture.Options{Zone: shanghai(t), Strict: true})
	var le *capture.LineError
	if !errors.As(err, &le) || le.Line != 29 {
		t.Fatalf("strict read: %v", err)
	}
}

// TestZone: wall clocks follow Options.Zone; CreateTime does not.
func TestZone(t *testing.T) {
	c, _ := read(t, filepath.Join("testdata", "memotrace_utf8.csv"), capture.Options{Zone: time.UTC})
	if m := c.msgs[0]; m.Time.Format(time.RFC3339) != "2024-03-06T02:00:00Z" || m.Zone != "" {
		t.Errorf("CreateTime row: %s", render(m))
	}
	if m := c.msgs[16]; m.Time.Format(time.RFC3339) != "2024-03-06T10:16:00Z" || m.Zone != "UTC" {
		t.Errorf("StrTime row: %s", render(m))
	}
}

type failSink struct{ n int }

func (f *failSink) Conversation(*capture.Conversation) error { return nil }
func (f *failSink) Message(*capture.Message) error {
	if f.n++; f.n == 1 {
		return errors.New("disk full")
	}
	return nil
}

func TestSinkError(t *testing.T) {
	for _, f := range cases {
		if _, err := Read(filepath.Join("testdata", f.file), &failSink{}, capture.Options{Zone: time.UTC}); err == nil ||
			!strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: sink error not returned: %v", f.file, err)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, f := range cases {
		if ok, why := Sniff(filepath.Join("testdata", f.file)); !ok {
			t.Errorf("%s: %s", f.file, why)
		}
	}
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty.txt":  "",
		"users.json": `{"wxid_a": {"nickname": "A"}}`,
		"notes.txt":  "just some notes\nnothing more\n",
		"other.csv":  "a,b,c\n1,2,3\n",
		"page.html":  "<html><body><p>hello</p></body></html>",
		"wa.txt":     "12/03/2024, 09:30 - Ann: hi\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		if ok, why := Sniff(p); ok || why == "" {
			t.Errorf("%s: Sniff = %v, %q", name, ok, why)
		}
		if _, err := Read(p, &collect{}, capture.Options{}); err == nil {
			t.Errorf("%s: Read accepted it", name)
		}
	}
	if ok, why := Sniff(dir); ok || !strings.Contains(why, "folder") {
		t.Errorf("folder: %v %q", ok, why)
	}
	if ok, _ := Sniff(filepath.Join(dir, "missing.txt")); ok {
		t.Error("missing file sniffed")
	}
}

// validating checks every message as it arrives.
type validating struct {
	t *testing.T
	n int
}

func (v *validating) Conversation(c *capture.Conversation) error {
	if c.ID == "" || c.Channel != "wechat" {
		v.t.Fatalf("conversation %+v", c)
	}
	return nil
}

func (v *validating) Message(m *capture.Message) error {
	if err := m.Validate(); err != nil {
		v.t.Fatalf("delivered an invalid message: %v", err)
	}
	v.n++
	return nil
}

func FuzzRead(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil || len(files) < len(cases) {
		f.Fatalf("seed files: %v %v", files, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
		if g, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b); err == nil {
			f.Add(g)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, fmt.Sprintf("in%d.dat", rand.Int()))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p)
		Sniff(p)
		v := &validating{t: t}
		st, err := Read(p, v, capture.Options{Zone: time.UTC})
		if err == nil && st.Messages != v.n {
			t.Fatalf("stats say %d messages, sink got %d", st.Messages, v.n)
		}
	})
}

type counter struct{ n int }

func (c *counter) Conversation(*capture.Conversation) error { return nil }
func (c *counter) Message(*capture.Message) error           { c.n++; return nil }

// generate writes about size bytes of an export made by line(i).
func generate(b *testing.B, name, header string, size int, line func(i int) string) string {
	var buf bytes.Buffer
	buf.WriteString(header)
	for i := 0; buf.Len() < size; i++ {
		buf.WriteString(line(i))
	}
	p := filepath.Join(b.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkRead(b *testing.B) {
	const size = 20 << 20
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	texts := []string{"好的，明天上午十点在会议室见。", "Please send the signed contract before Friday.", "[图片]",
		"「张三：合同看了吗？」\n- - - - - - - - - - - - - - -\n看了，有两处要改", "第一行\n第二行\n第三行"}
	inputs := []struct{ name, path string }{
		{"TXT", generate(b, "bench.txt", "项目组 - 微信聊天记录\n\n", size, func(i int) string {
			return fmt.Sprintf("用户%d (%s):%s\n", i%17, start.Add(time.Duration(i)*time.Second).Format("2006-01-02 15:04:05"), texts[i%len(texts)])
		})},
		{"CSV", generate(b, "bench_utf8.csv", "\uFEFFlocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n", size, func(i int) string {
			t := start.Add(time.Duration(i) * time.Second)
			return fmt.Sprintf("%d,7,1,0,%d,%d,2,\"%s\",%s,备注%d,昵称%d,wxid_%d\n", i+1, i%2, t.Unix(),
				strings.ReplaceAll(texts[i%len(texts)], "\"", "\"\""), t.Format("2006-01-02 15:04:05"), i%17, i%17, i%17)
		})},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			fi, err := os.Stat(in.path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(fi.Size())
			msgs := 0
			for b.Loop() {
				var c counter
				st, err := Read(in.path, &c, capture.Options{Zone: time.UTC})
				if err != nil || st.Bad != 0 {
					b.Fatalf("%v %+v", err, st.Errors)
				}
				msgs += c.n
			}
			b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
