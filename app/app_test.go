package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sealroom/capture"
	"sealroom/crypto/identity"
	"sealroom/review"
	"sealroom/review/redact"
	"sealroom/vault"
)

const testPassphrase = "workbench test passphrase"

// fixture is a vault with risk events, as a workstation sees it: key
// files on disk (all with testPassphrase) and the state folder. Its
// members: ada (admin), rita (reviewer), aldo (auditor), and the officers
// olga and omar (2 of 2).
type fixture struct {
	vault, state string
	keys         map[string]string // member → key file
}

// riskTexts are messages the built-in packs flag; the rest are not.
var riskTexts = []string{
	"text me on my personal, this is off the books",
	"the kickback goes to 4111 1111 1111 1111 tomorrow",
	"加我私人微信，回扣的事情别留记录",
	"me chama no zap, caixa dois",
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{vault: filepath.Join(dir, "test.vault"), state: filepath.Join(dir, "state"), keys: map[string]string{}}
	ids := map[string]*identity.Identity{}
	for _, who := range []string{"ada", "rita", "aldo", "olga", "omar"} {
		id, err := identity.New(who, who+"@app.test", []byte(testPassphrase))
		must(t, err)
		armored, err := id.ArmorSecret()
		must(t, err)
		f.keys[who] = filepath.Join(dir, who+".asc")
		must(t, os.WriteFile(f.keys[who], armored, 0o600))
		ids[who] = id
	}
	opts := &vault.Options{StateDir: f.state}
	must(t, vault.Create(f.vault, ids["ada"], []*identity.Public{ids["olga"].Public(), ids["omar"].Public()}, vault.Config{}, opts))
	vt, err := vault.Open(f.vault, opts)
	must(t, err)
	defer vt.Close()
	s, err := vt.Login(ids["ada"])
	must(t, err)
	defer s.Logout()
	must(t, s.AddMember(ids["rita"].Public(), []vault.Role{vault.RoleReviewer}))
	must(t, s.AddMember(ids["aldo"].Public(), []vault.Role{vault.RoleAuditor}))
	in, err := s.Ingest(nil)
	must(t, err)
	sc, err := review.Load(nil)
	must(t, err)
	must(t, in.Scan(sc))
	c := &capture.Conversation{ID: "whatsapp:desk", Channel: "whatsapp", Title: "Desk",
		Participants: []capture.Participant{{ID: "+447700900001", Name: "Hugo Chen"}, {ID: "+447700900002", Name: "Ana Souza"}}}
	must(t, in.Conversation(c))
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 40 {
		text := "ok, see you at the desk"
		if i%10 == 3 {
			text = riskTexts[i/10]
		}
		m := &capture.Message{Conversation: c.ID, ID: capture.StableID(c.ID, start, "", text, int64(i)),
			Time: start.Add(time.Duration(i) * time.Minute), Sender: c.Participants[i%2].ID, Text: text, Kind: capture.KindMessage}
		if i == 12 { // a photo, with its content, next to the kickback message
			m.Attachments = []capture.Attachment{{Name: "IMG-0001.png", Type: "image/png", Open: func() (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(testPNG)), nil
			}}}
		}
		must(t, in.Message(m))
	}
	st, err := in.Close()
	must(t, err)
	if st.Events < len(riskTexts) {
		t.Fatalf("fixture: %d events from %d risk messages", st.Events, len(riskTexts))
	}
	return f
}

// testPNG is a 2×2 PNG.
var testPNG = func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.NRGBA{R: 0xff, A: 0xff})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newTestWorkbench shows the workbench in a test window, with background
// work run in line.
func newTestWorkbench(t *testing.T, f *fixture) (*Workbench, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme())
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1200, 760))
	wb := New(a, w, Options{Vault: f.vault, StateDir: f.state, Keyring: filepath.Join(filepath.Dir(f.vault), "keyring")})
	wb.background = func(work func()) { work() }
	wb.ui = func(update func()) { update() }
	t.Cleanup(func() {
		if wb.vt != nil {
			wb.logout()
		}
	})
	return wb, w
}

// openAs fills the open screen and taps Open.
func openAs(t *testing.T, wb *Workbench, f *fixture, who, passphrase string) {
	t.Helper()
	if wb.open == nil {
		t.Fatal("the open screen is not shown")
	}
	wb.open.vaultPath.SetText(f.vault)
	wb.open.keyPath.SetText(f.keys[who])
	test.Type(wb.open.passphrase, passphrase)
	test.Tap(wb.open.openBtn)
}

func TestOpenErrors(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)

	openAs(t, wb, f, "rita", "not the passphrase")
	if wb.sess != nil || !strings.Contains(wb.open.status.Text, "Wrong passphrase") {
		t.Fatalf("wrong passphrase: session %v, status %q", wb.sess != nil, wb.open.status.Text)
	}
	if wb.open.passphrase.Text != "" {
		t.Error("the passphrase entry keeps the passphrase after a try")
	}

	// A key that is not a member.
	stranger, err := identity.New("Sam", "sam@app.test", []byte(testPassphrase))
	must(t, err)
	armored, _ := stranger.ArmorSecret()
	f.keys["sam"] = filepath.Join(filepath.Dir(f.vault), "sam.asc")
	must(t, os.WriteFile(f.keys["sam"], armored, 0o600))
	openAs(t, wb, f, "sam", testPassphrase)
	if wb.sess != nil || !strings.Contains(wb.open.status.Text, "not a member") {
		t.Fatalf("stranger: session %v, status %q", wb.sess != nil, wb.open.status.Text)
	}

	// A vault another program holds.
	other, err := vault.Open(f.vault, &vault.Options{StateDir: f.state})
	must(t, err)
	openAs(t, wb, f, "rita", testPassphrase)
	other.Close()
	if wb.sess != nil || !strings.Contains(wb.open.status.Text, "Another program") {
		t.Fatalf("vault in use: session %v, status %q", wb.sess != nil, wb.open.status.Text)
	}

	// A missing field.
	wb.open.keyPath.SetText("")
	test.Tap(wb.open.openBtn)
	if !strings.Contains(wb.open.status.Text, "key file") {
		t.Fatalf("no key: status %q", wb.open.status.Text)
	}
}

func TestReviewerQueue(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	if wb.sess == nil {
		t.Fatalf("login failed: %q", wb.open.status.Text)
	}
	q := wb.queue
	if q == nil || q.table == nil {
		t.Fatal("no queue after a reviewer's login")
	}
	if !slices.Contains(q.status.Options, "closed: false positive") || q.status.Selected != "open" {
		t.Fatalf("status filter offers %q, shows %q: want the statuses in words", q.status.Options, q.status.Selected)
	}
	total := q.table.Len()
	if total < len(riskTexts) || len(q.shown) != total {
		t.Fatalf("queue shows %d of %d events; want all %d open ones", len(q.shown), total, total)
	}
	if want := strings.Contains(q.count.Text, "of"); !want {
		t.Errorf("count label %q", q.count.Text)
	}
	// The first event is selected and shown, redacted: no card number.
	ev := q.detail.ev
	if ev == nil || !q.detail.body.Visible() {
		t.Fatal("no event shown")
	}
	for _, e := range q.shown {
		if strings.Contains(e.Excerpt, "4111") {
			t.Fatalf("excerpt %q holds the card number", e.Excerpt)
		}
	}

	// Filters: one severity, then a policy, then back to all.
	sevs := map[string]int{}
	for _, e := range q.shown {
		sevs[e.Severity]++
	}
	for sev, n := range sevs {
		q.selectValue(q.severity, sev)
		if len(q.shown) != n {
			t.Errorf("severity %s: %d shown, want %d", sev, len(q.shown), n)
		}
	}
	q.severity.SetSelectedIndex(0)
	if len(q.shown) != total {
		t.Fatalf("all severities: %d shown, want %d", len(q.shown), total)
	}
	q.selectValue(q.policy, ev.Policy)
	for _, e := range q.shown {
		if e.Policy != ev.Policy {
			t.Fatalf("policy filter %s shows %s", ev.Policy, e.Policy)
		}
	}
	q.policy.SetSelectedIndex(0)
	// Category and a date range (the fixture's messages are of 2 March 2026).
	q.selectValue(q.category, ev.Category)
	for _, e := range q.shown {
		if e.Category != ev.Category {
			t.Fatalf("category filter %s shows %s", ev.Category, e.Category)
		}
	}
	q.category.SetSelectedIndex(0)
	q.since.SetText("2026-03-03")
	if len(q.shown) != 0 {
		t.Fatalf("from 3 March: %d events, want none", len(q.shown))
	}
	q.since.SetText("2026-03-02")
	q.until.SetText("2026-03-0") // not yet a date: no refresh
	if len(q.shown) != total {
		t.Fatalf("from 2 March: %d events, want %d", len(q.shown), total)
	}
	q.until.SetText("2026-03-02")
	if len(q.shown) != total {
		t.Fatalf("2 March only: %d events, want %d (until includes its day)", len(q.shown), total)
	}
	q.since.SetText("")
	q.until.SetText("2026-03-01")
	if len(q.shown) != 0 {
		t.Fatalf("until 1 March: %d events, want none", len(q.shown))
	}
	q.until.SetText("")
	q.pseudonym.SetText(ev.Participants[0])
	if len(q.shown) == 0 || len(q.shown) > total {
		t.Fatalf("pseudonym %s: %d shown", ev.Participants[0], len(q.shown))
	}
	q.pseudonym.SetText("")

	// Disposition: closing needs a note; with one it is recorded and the
	// event leaves the open queue.
	q.list.Select(1)
	ev = q.detail.ev
	next := q.shown[2]
	q.detail.status.SetSelectedIndex(5) // closed: false positive
	test.Tap(q.detail.apply)
	if !strings.Contains(q.detail.result.Text, "note") {
		t.Fatalf("closing without a note: %q", q.detail.result.Text)
	}
	test.Type(q.detail.note, "generic phrase, no risk")
	test.Tap(q.detail.apply)
	if d := wb.queue.detail.ev; d == nil || d.ID != next.ID {
		t.Fatalf("after closing the second event the queue shows %v, want the next one, %d", d, next.ID)
	}
	got, err := wb.sess.Event(ev.ID)
	must(t, err)
	if got.Status != vault.StatusFalsePositive || got.Note != "generic phrase, no risk" {
		t.Fatalf("after the disposition the vault holds %q %q", got.Status, got.Note)
	}
	// The event's history names who changed what, with the note.
	wb.queue.detail.show(got)
	if h := wb.queue.detail.hist.Text; !strings.Contains(h, "rita <rita@app.test>: open → closed: false positive — “generic phrase, no risk”") {
		t.Fatalf("history: %q", h)
	}
	q = wb.queue
	if len(q.shown) != total-1 {
		t.Fatalf("open queue after closing one: %d, want %d", len(q.shown), total-1)
	}

	// Switching identity drops the session and the views.
	wb.logout()
	if wb.sess != nil || wb.queue != nil || wb.open == nil {
		t.Fatal("logout left a session or the queue")
	}
	vt, err := vault.Open(f.vault, &vault.Options{StateDir: f.state})
	must(t, err) // the workbench let go of the file
	vt.Close()
}

func TestExcerptSegments(t *testing.T) {
	text := "send the kickback to [CARD] via P-ABCDEFGH"
	// "kickback" is a term; the two placeholders are replacements.
	k := strings.Index(text, "kickback")
	c := strings.Index(text, "[CARD]")
	p := strings.Index(text, "P-")
	segs := excerptSegments(text, []redact.Mark{{Start: k, End: k + 8, Kind: redact.Term}, {Start: c, End: c + 6, Kind: redact.Entity}, {Start: p, End: len(text), Kind: redact.Name}})
	var b strings.Builder
	var strong, redacted []string
	for _, s := range segs {
		ts := s.(*widget.TextSegment)
		b.WriteString(ts.Text)
		switch ts.Style.ColorName {
		case colorTerm:
			strong = append(strong, ts.Text)
		case colorRedacted:
			redacted = append(redacted, ts.Text)
		}
	}
	if b.String() != text {
		t.Fatalf("segments spell %q, want %q", b.String(), text)
	}
	if strings.Join(strong, "|") != "kickback" || strings.Join(redacted, "|") != "[CARD]|P-ABCDEFGH" {
		t.Fatalf("terms %q, replacements %q", strong, redacted)
	}
	// Marks out of range or order are shown as plain text, never dropped.
	segs = excerptSegments("abc", []redact.Mark{{Start: 2, End: 9, Kind: redact.Term}, {Start: 0, End: 1, Kind: redact.Term}})
	if len(segs) == 0 {
		t.Fatal("no segments")
	}
	if got := segs[0].(*widget.TextSegment).Text; !strings.HasPrefix("abc", got) {
		t.Fatalf("first segment %q", got)
	}
}

// TestBulkDisposition closes every event of one policy in one go, each
// logged; closing needs a note.
func TestBulkDisposition(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	q := wb.queue
	total := len(q.shown)
	q.selectValue(q.policy, q.shown[0].Policy)
	n := len(q.shown)
	ids := make([]uint64, n)
	for i, e := range q.shown {
		ids[i] = e.ID
	}
	q.bulk(ids, slices.Index(vault.Statuses, vault.StatusFalsePositive), "")
	if !strings.Contains(q.count.Text, "note") {
		t.Fatalf("bulk close without a note: %q", q.count.Text)
	}
	q.bulk(ids, slices.Index(vault.Statuses, vault.StatusFalsePositive), "generic chatter, reviewed")
	for _, id := range ids {
		e, err := wb.sess.Event(id)
		must(t, err)
		if e.Status != vault.StatusFalsePositive {
			t.Fatalf("event %d is %s after the bulk close", id, e.Status)
		}
	}
	q = wb.queue
	q.policy.SetSelectedIndex(0)
	if len(q.shown) != total-n {
		t.Fatalf("open queue: %d events, want %d", len(q.shown), total-n)
	}
}

// TestKeyring imports a key file into the keyring folder the open screen
// offers, refuses a file that is no secret key, and never overwrites one.
func TestKeyring(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	if got := wb.keyringKeys(); len(got) != 0 {
		t.Fatalf("a new keyring lists %q", got)
	}
	dst, err := wb.importKey(f.keys["rita"])
	must(t, err)
	if keys := wb.keyringKeys(); len(keys) != 1 || keys[0] != dst {
		t.Fatalf("keyring lists %q after importing %s", keys, dst)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("imported key: %v, mode %v", err, fi.Mode())
	}
	if _, err := wb.importKey(f.keys["rita"]); err == nil {
		t.Fatal("importing the same key again replaced the file")
	}
	junk := filepath.Join(t.TempDir(), "notes.asc")
	must(t, os.WriteFile(junk, []byte("-----BEGIN PGP MESSAGE-----\nnot a key\n"), 0o600))
	if _, err := wb.importKey(junk); err == nil {
		t.Fatal("a file that is no key was imported")
	}
	// The keyring's key logs in.
	wb.showOpen()
	if wb.open.keyPath.Text != dst {
		t.Fatalf("the open screen offers %q, want the keyring's only key %s", wb.open.keyPath.Text, dst)
	}
	wb.open.vaultPath.SetText(f.vault)
	test.Type(wb.open.passphrase, testPassphrase)
	test.Tap(wb.open.openBtn)
	if wb.sess == nil {
		t.Fatalf("login with the keyring's key: %q", wb.open.status.Text)
	}
}
