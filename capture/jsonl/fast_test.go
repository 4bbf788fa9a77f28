package jsonl

import (
	"bytes"
	"reflect"
	"testing"

	"sealroom/capture"
	"sealroom/internal/synth"
)

// agree checks decodeFast against encoding/json on one line: when the
// fast path takes the line, encoding/json must take it too and make the
// same record. It reports whether the fast path took it.
func agree(t testing.TB, line []byte) bool {
	t.Helper()
	var fast, slow record
	ok := decodeFast(line, &fast)
	err := decodeJSON(line, &slow)
	if ok && err != nil {
		t.Fatalf("%q: the fast path took a line encoding/json refuses (%v)", line, err)
	}
	if ok && !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q:\nfast %+v\njson %+v", line, fast, slow)
	}
	return ok
}

var fastCases = []struct {
	line string
	fast bool // whether the fast path takes it
}{
	{`{"type":"conversation","id":"wa:desk","channel":"whatsapp","title":"Desk","participants":[{"id":"+44 1","name":"Ann"},{"id":"bob"}]}`, true},
	{`{"type":"message","conversation":"wa:desk","id":"m1","seq":3,"time":"2026-03-01T09:30:00.000000123Z","zone":"+05:30","sender":"bob","text":"line one\n\nline \"three\" \u003cb\u003e 🙂 \ud83d\ude00 \/ \t\\","kind":"message","reply_to":"m0","forwarded":true,"edited":"2026-03-01T09:31:00Z","attachments":[{"name":"IMG-1.jpg","type":"image/jpeg","size":1234,"sha256":"abab"},{"name":"missing.opus"}]}`, true},
	{` { "type" : "message" , "seq" : -12 , "forwarded" : false , "participants" : [ ] , "attachments" : [ ] } `, true},
	{`{}`, true},
	{`{"text":"é 中文 \u00e9"}`, true},
	{`{"text":"\u0000"}`, true},
	// Left to encoding/json: it decides, and words the errors.
	{`{"type":"message","type":"conversation"}`, false},         // repeated key
	{`{"Type":"message"}`, false},                               // case-insensitive match
	{`{"type":"message","extra":1}`, false},                     // unknown field
	{`{"text":null}`, false},                                    // null
	{`{"seq":1.5}`, false},                                      // fraction
	{`{"seq":1e3}`, false},                                      // exponent
	{`{"seq":012}`, false},                                      // leading zero
	{`{"seq":99999999999999999999}`, false},                     // overflow
	{`{"seq":"1"}`, false},                                      // string for a number
	{`{"text":1}`, false},                                       // number for a string
	{`{"text":"\ud83d"}`, false},                                // lone surrogate
	{`{"text":"\udc00\ud83d"}`, false},                          // reversed pair
	{`{"text":"\x"}`, false},                                    // bad escape
	{"{\"text\":\"a\x01b\"}", false},                            // control character
	{"{\"text\":\"\xff\"}", false},                              // invalid UTF-8
	{"{\"text\":\"\\n\xff\"}", false},                           // invalid UTF-8 after an escape
	{`{"type":"message"}}`, false},                              // bytes after the object
	{`{"type":"message"} {"type":"message"}`, false},            // two values
	{`{"type":"message",}`, false},                              // trailing comma
	{`{"participants":[{"id":"a","id":"b"}]}`, false},           // repeated key in an element
	{`{"attachments":[{"name":"a","size":1,"size":2}]}`, false}, // repeated size
	{`{"forwarded":tru}`, false},
	{`{"text":"unterminated}`, false},
	{`[]`, false},
	{`{"participants":{"id":"a"}}`, false},
}

func TestDecodeFast(t *testing.T) {
	for _, c := range fastCases {
		if got := agree(t, []byte(c.line)); got != c.fast {
			t.Errorf("%q: fast path %v, want %v", c.line, got, c.fast)
		}
	}
	// Every line the Writer writes takes the fast path.
	a := synth.Generate(5, 5000, 20)
	var buf bytes.Buffer
	w := NewWriter(&buf)
	byID := map[string]*capture.Conversation{}
	for _, c := range a.Conversations {
		byID[c.ID] = c
	}
	for _, m := range a.Messages {
		must(t, w.Write(byID[m.Conversation], m))
	}
	must(t, w.Flush())
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	for _, l := range lines {
		if !agree(t, l) {
			t.Fatalf("a line the Writer wrote left the fast path: %s", l)
		}
	}
	if len(lines) != 5020 {
		t.Fatalf("%d lines", len(lines))
	}
}

func FuzzDecodeFast(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c.line))
	}
	f.Fuzz(func(t *testing.T, line []byte) { agree(t, line) })
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
