package importers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every format's fixture is detected as that format and no other; an
// unknown file is refused with what each format made of it.
func TestDetect(t *testing.T) {
	dir := t.TempDir()
	wa := filepath.Join(dir, "WhatsApp Chat with Desk.txt")
	os.WriteFile(wa, []byte("27/03/2022, 21:41 - Ann: hi\n27/03/2022, 21:42 - Bob: yo\n"), 0o600)
	jl := filepath.Join(dir, "m.jsonl")
	os.WriteFile(jl, []byte(`{"type":"message","conversation":"c","time":"2026-03-01T09:30:00Z","sender":"a","text":"ok"}`+"\n"), 0o600)
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("Dear diary,\nnothing happened.\n"), 0o600)
	cases := map[string]string{
		wa:                            "whatsapp",
		jl:                            "jsonl",
		"../slack/testdata/workspace": "slack",
		"../signal/testdata/export":   "signal",
		"../signal/testdata/export/Ann/data.json": "signal",
		"../wechat/testdata/chat_en.txt":          "wechat",
		"../telegram/testdata/single.json":        "telegram",
		"../telegram/testdata/account":            "telegram",
		"../wechat/testdata/chat.html":            "wechat",
		"../wechat/testdata/memotrace_utf8.csv":   "wechat",
		"../wechat/testdata/pywxdump.json":        "wechat",
	}
	for path, want := range cases {
		f, err := Detect(path)
		if err != nil || f.Name != want {
			t.Errorf("%s: %v %v, want %s", path, f, err, want)
		}
	}
	_, err := Detect(other)
	if err == nil {
		t.Fatal("a diary was detected as an export")
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f.Name) {
			t.Errorf("the refusal does not say what %s made of it: %v", f.Name, err)
		}
	}
	if _, err := Lookup("icq"); err == nil || !strings.Contains(err.Error(), "whatsapp") {
		t.Fatalf("unknown format: %v", err)
	}
}
