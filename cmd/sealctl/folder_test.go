package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A folder that is not an export stands for the exports under it: chats
// of two phones in subfolders are imported, a photo beside them is
// skipped and counted, with the format detected or given.
func TestIngestFolder(t *testing.T) {
	dir := t.TempDir()
	ada := newTestAdmin(t, dir)
	key, pass := ada.key, ada.pass
	state := filepath.Join(dir, "state")

	chats := filepath.Join(dir, "phones")
	for i, chat := range []string{
		"03/02/2026, 09:15 - Ana: text me on my personal number\n03/02/2026, 09:16 - Bo: ok\n",
		"03/02/2026, 10:00 - Cy: lunch?\n03/02/2026, 10:01 - Di: yes\n03/02/2026, 10:02 - Cy: good\n",
	} {
		sub := filepath.Join(chats, "phone"+string(rune('1'+i)))
		must(t, os.MkdirAll(sub, 0o700))
		must(t, os.WriteFile(filepath.Join(sub, "WhatsApp Chat with Desk "+string(rune('A'+i))+".txt"), []byte(chat), 0o600))
	}
	must(t, os.WriteFile(filepath.Join(chats, "phone1", "IMG-20260203-WA0001.jpg"), []byte("\xff\xd8\xff\xe0JFIF"), 0o600))

	for _, format := range []string{"auto", "whatsapp"} {
		v := filepath.Join(dir, format+".vault")
		ada.createVault(t, v, state)
		e, _, errb := testEnv(map[string]string{"SEALROOM_STATE_DIR": state})
		code := run(e, []string{"ingest", v, "--as", key, "--passphrase-file", pass, "--tz", "UTC", "--format", format, chats})
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		out := errb.String()
		for _, want := range []string{"2 exports read (2 whatsapp), 1 other files skipped", "5 messages read: 5 new", "1 risk events"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", format, want, out)
			}
		}
	}
	// A folder with nothing to import is an error, not a silent no-op.
	empty := filepath.Join(dir, "empty")
	must(t, os.MkdirAll(filepath.Join(empty, "sub"), 0o700))
	must(t, os.WriteFile(filepath.Join(empty, "sub", "notes.jpg"), []byte("x"), 0o600))
	e, _, errb := testEnv(map[string]string{"SEALROOM_STATE_DIR": state})
	if code := run(e, []string{"ingest", filepath.Join(dir, "auto.vault"), "--as", key, "--passphrase-file", pass, empty}); code == exitOK {
		t.Fatalf("a folder of no exports was accepted: %s", errb.String())
	}
}

// Two phones' chats with the same contact share a title. Read from one
// folder without a custodian they become one conversation, and Harry's
// "ok" sent to both in the same minute counts once: the import warns.
// With --custodian-folders each phone's chat stays its own, whole.
func TestIngestCustodianFolders(t *testing.T) {
	dir := t.TempDir()
	ada := newTestAdmin(t, dir)
	state := filepath.Join(dir, "state")
	phones := filepath.Join(dir, "phones")
	for _, who := range []string{"jsmith", "akumar"} {
		sub := filepath.Join(phones, who)
		must(t, os.MkdirAll(sub, 0o700))
		chat := "03/02/2026, 09:15 - " + who + ": are we still on?\n03/02/2026, 09:16 - Harry: ok\n"
		must(t, os.WriteFile(filepath.Join(sub, "WhatsApp Chat with Harry.txt"), []byte(chat), 0o600))
	}
	ingest := func(name string, args ...string) string {
		t.Helper()
		v := filepath.Join(dir, name+".vault")
		if _, err := os.Stat(v); err != nil {
			ada.createVault(t, v, state)
		}
		e, _, errb := testEnv(map[string]string{"SEALROOM_STATE_DIR": state})
		args = append([]string{"ingest", v, "--as", ada.key, "--passphrase-file", ada.pass, "--tz", "UTC", "--no-scan"}, args...)
		if code := run(e, append(args, phones)); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errb.String())
		}
		return errb.String()
	}

	out := ingest("merged")
	for _, want := range []string{"4 messages read: 3 new, 1 duplicate", "in 1 conversations",
		`warning: 1 conversations were read from exports in different folders ("Harry" in akumar/ and jsmith/)`, "--custodian-folders"} {
		if !strings.Contains(out, want) {
			t.Errorf("without custodians: stderr lacks %q:\n%s", want, out)
		}
	}
	out = ingest("apart", "--custodian-folders")
	for _, want := range []string{"4 messages read: 4 new, 0 duplicate", "in 2 conversations"} {
		if !strings.Contains(out, want) {
			t.Errorf("--custodian-folders: stderr lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "warning") {
		t.Errorf("--custodian-folders: a warning:\n%s", out)
	}

	e, _, errb := testEnv(map[string]string{"SEALROOM_STATE_DIR": state})
	if code := run(e, []string{"ingest", filepath.Join(dir, "apart.vault"), "--as", ada.key, "--passphrase-file", ada.pass,
		"--custodian", "x", "--custodian-folders", phones}); code != exitUsage {
		t.Errorf("--custodian with --custodian-folders: exit %d, want %d: %s", code, exitUsage, errb.String())
	}

	// vault compact rewrites the file; the vault holds what it held.
	e, _, errb = testEnv(map[string]string{"SEALROOM_STATE_DIR": state})
	if code := run(e, []string{"vault", "compact", filepath.Join(dir, "apart.vault")}); code != exitOK ||
		!strings.Contains(errb.String(), "every record is as it was") {
		t.Fatalf("vault compact: exit %d: %s", code, errb.String())
	}
	if out := ingest("apart", "--custodian-folders"); !strings.Contains(out, "4 messages read: 0 new, 4 duplicate") {
		t.Errorf("re-import after compaction:\n%s", out)
	}
}
