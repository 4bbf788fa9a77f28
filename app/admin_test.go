package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sealroom/capture"
	"sealroom/crypto/identity"
	"sealroom/vault"
)

func screenOf[T screen](t *testing.T, wb *Workbench) T {
	t.Helper()
	for _, sc := range wb.screens {
		if s, ok := sc.(T); ok {
			return s
		}
	}
	var zero T
	t.Fatalf("no %T tab for %s", zero, wb.sess.Member().UserID)
	return zero
}

// TestImportWizard imports a WhatsApp export and a folder holding another
// export and a photo: the summary counts what was new and skipped, events
// reach the queue, and importing again adds nothing.
func TestImportWizard(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	chat := "[02/03/2026, 09:00:00] Hugo Chen: morning\n[02/03/2026, 09:01:00] Ana Souza: text me on my personal, this is off the books\n"
	must(t, os.WriteFile(filepath.Join(dir, "WhatsApp Chat - Desk.txt"), []byte(chat), 0o600))
	folder := filepath.Join(dir, "phones")
	must(t, os.MkdirAll(folder, 0o755))
	other := "[02/03/2026, 10:00:00] Ana Souza: lunch?\n[02/03/2026, 10:05:00] Hugo Chen: the kickback goes out today\n"
	must(t, os.WriteFile(filepath.Join(folder, "WhatsApp Chat - Lunch.txt"), []byte(other), 0o600))
	must(t, os.WriteFile(filepath.Join(folder, "IMG-0001.jpg"), []byte("\xff\xd8\xff not a chat"), 0o600))

	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "ada", testPassphrase)
	im := screenOf[*importScreen](t, wb)
	im.onImport()
	if !strings.Contains(im.status.Text, "Add an export") {
		t.Fatalf("importing nothing: %q", im.status.Text)
	}
	if !im.hint.Visible() {
		t.Fatal("no hint while no export is chosen")
	}
	im.add(filepath.Join(dir, "WhatsApp Chat - Desk.txt"))
	if im.hint.Visible() {
		t.Fatal("the hint stays with an export chosen")
	}
	im.add(folder)
	im.add(folder) // once only
	if len(im.paths) != 2 || !strings.Contains(describeInput(im.paths[0]), "WhatsApp") || !strings.Contains(describeInput(folder), "2 files") {
		t.Fatalf("paths %q: %q, %q", im.paths, describeInput(im.paths[0]), describeInput(folder))
	}
	im.zone.SetText("Mars/Olympus")
	im.onImport()
	if !strings.Contains(im.status.Text, "time zone") {
		t.Fatalf("bad zone: %q", im.status.Text)
	}
	im.zone.SetText("UTC")
	im.dayOrder.SetSelectedIndex(1)
	im.onImport()
	want := "2 exports read, 1 other files skipped. 4 messages: 4 new, 0 duplicate, 0 unreadable, in 2 conversations."
	if !strings.HasPrefix(im.summary.Text, want) || !strings.Contains(im.summary.Text, "risk events") || im.progress.Value != 1 {
		t.Fatalf("summary %q (progress %v), want %q…", im.summary.Text, im.progress.Value, want)
	}
	im.onImport()
	if !strings.Contains(im.summary.Text, "4 messages: 0 new, 4 duplicate") {
		t.Fatalf("second import: %q", im.summary.Text)
	}

	// A canceled import stores nothing more and says so.
	im.canceled.Store(true)
	res := im.run(wb.sess, im.paths, mustOptions(t, im), false, false)
	if !res.canceled || res.stats.New != 0 {
		t.Fatalf("canceled import: %+v", res)
	}
	im.canceled.Store(false)

	// Two phones' chats with one title: one conversation, Hugo's "ok" to
	// both stored once, and a warning; each chat its own conversation with
	// each subfolder taken as its custodian.
	phones := filepath.Join(dir, "custodians")
	for _, who := range []string{"jsmith", "akumar"} {
		must(t, os.MkdirAll(filepath.Join(phones, who), 0o755))
		c := "[02/03/2026, 11:00:00] " + who + ": still on?\n[02/03/2026, 11:01:00] Hugo Chen: ok\n"
		must(t, os.WriteFile(filepath.Join(phones, who, "WhatsApp Chat - Hugo.txt"), []byte(c), 0o600))
	}
	im.paths = []string{phones}
	im.onImport()
	for _, want := range []string{"4 messages: 3 new, 1 duplicate", "1 conversations were read from exports in different folders", `"Hugo" in akumar/ and jsmith/`} {
		if !strings.Contains(im.summary.Text, want) {
			t.Fatalf("without custodians: %q lacks %q", im.summary.Text, want)
		}
	}
	im.byFolder.SetChecked(true)
	if !im.custodian.Disabled() {
		t.Error("the custodian field stays editable with a custodian per subfolder")
	}
	im.onImport()
	if want := "4 messages: 4 new, 0 duplicate, 0 unreadable, in 2 conversations."; !strings.Contains(im.summary.Text, want) {
		t.Fatalf("a custodian per subfolder: %q, want %q", im.summary.Text, want)
	}
}

func mustOptions(t *testing.T, im *importScreen) capture.Options {
	t.Helper()
	o, err := im.options()
	must(t, err)
	return o
}

// TestMembers adds a reviewer from an armored public key file.
func TestMembers(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "ada", testPassphrase)
	ms := screenOf[*membersScreen](t, wb)
	ms.load()
	before := len(ms.members)
	if before != 5 || len(ms.settings.Items) < 5 {
		t.Fatalf("%d members, %d settings shown", before, len(ms.settings.Items))
	}
	ms.chooseRoles(filepath.Join(t.TempDir(), "missing.asc"))
	if !strings.Contains(ms.status.Text, "not a usable public key") {
		t.Fatalf("missing key: %q", ms.status.Text)
	}
	bea, err := identity.New("Bea", "bea@app.test", []byte("x"))
	must(t, err)
	ms.add(bea.Public(), nil)
	if !strings.Contains(ms.status.Text, "at least one role") {
		t.Fatalf("no roles: %q", ms.status.Text)
	}
	ms.add(bea.Public(), []vault.Role{vault.RoleReviewer})
	if len(ms.members) != before+1 || !strings.Contains(ms.status.Text, "member now") {
		t.Fatalf("after adding: %d members, %q", len(ms.members), ms.status.Text)
	}
	ms.add(bea.Public(), []vault.Role{vault.RoleAuditor})
	if len(ms.members) != before+1 || strings.Contains(ms.status.Text, "member now") {
		t.Fatalf("adding twice: %d members, %q", len(ms.members), ms.status.Text)
	}
}
