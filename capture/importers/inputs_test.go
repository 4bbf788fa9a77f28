package importers

import (
	"os"
	"path/filepath"
	"testing"
)

// An export's Folder is the first folder of its path under the folder
// named, or the folder holding it when it sits directly there or is
// named itself.
func TestInputsFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), "exports")
	chat := "03/02/2026, 09:15 - Ana: hi\n"
	for _, p := range []string{
		"jsmith/WhatsApp Chat with Harry.txt",
		"jsmith/2026-03/WhatsApp Chat with Desk.txt",
		"akumar/WhatsApp Chat with Harry.txt",
		"WhatsApp Chat with Loose.txt",
	} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(chat), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := Inputs([]string{root, filepath.Join(root, "akumar", "WhatsApp Chat with Harry.txt")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range ins {
		rel, _ := filepath.Rel(root, in.Path)
		got[filepath.ToSlash(rel)] += in.Folder + ";"
	}
	want := map[string]string{
		"jsmith/WhatsApp Chat with Harry.txt":        "jsmith;",
		"jsmith/2026-03/WhatsApp Chat with Desk.txt": "jsmith;",
		"akumar/WhatsApp Chat with Harry.txt":        "akumar;akumar;", // found in the folder, and named
		"WhatsApp Chat with Loose.txt":               "exports;",
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: folders %q, want %q", p, got[p], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("inputs %v, want those of %v", got, want)
	}
}
