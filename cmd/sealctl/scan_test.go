package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// sealctl scan: one JSON line per finding, code-point and byte offsets
// that locate the finding in the original text, and the text at --level.
func TestScanCommand(t *testing.T) {
	in := `{"id":"m1","text":"老板: text me on my personal, +44 7700 900123"}` + "\n" + `{"id":"m2","text":"lunch?"}` + "\n"
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(in), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := run(e, []string{"scan", "--level", "masked"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	text := "老板: text me on my personal, +44 7700 900123"
	var types []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var f scanOutput
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatal(err)
		}
		if f.ID != "m1" {
			t.Fatalf("finding for %s", f.ID)
		}
		if got := string([]rune(text)[f.Start:f.End]); got != text[f.ByteStart:f.ByteEnd] || utf8.RuneCountInString(text[:f.ByteStart]) != f.Start {
			t.Fatalf("offsets disagree: %+v", f)
		}
		if strings.Contains(f.Text, "7700") || strings.Contains(f.Text, "老板") || !strings.Contains(f.Text, "[PHONE]") {
			t.Fatalf("masked text %q", f.Text)
		}
		types = append(types, f.Type+"/"+f.Category)
	}
	joined := strings.Join(types, " ")
	if !strings.Contains(joined, "/off-channel") || !strings.Contains(joined, "PHONE/pii") {
		t.Fatalf("findings %s", joined)
	}
	if !strings.Contains(errb.String(), "2 messages") {
		t.Fatalf("summary %q", errb.String())
	}
	// Bad input names its line.
	e = &env{stdin: strings.NewReader("{\"id\":1,\n"), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	errb.Reset()
	if code := run(e, []string{"scan"}); code == exitOK || !strings.Contains(errb.String(), "line 1") {
		t.Fatalf("bad input: exit %d, %q", code, errb.String())
	}
}
