package app

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// asMember runs fn in a session of who, outside the workbench (which must
// not hold the vault open).
func asMember(t *testing.T, f *fixture, who string, fn func(s *vault.Session)) {
	t.Helper()
	b, err := os.ReadFile(f.keys[who])
	must(t, err)
	id, err := identity.ParseSecret(b)
	must(t, err)
	must(t, id.Unlock([]byte(testPassphrase)))
	vt, err := vault.Open(f.vault, &vault.Options{StateDir: f.state})
	must(t, err)
	defer vt.Close()
	s, err := vt.Login(id)
	must(t, err)
	defer s.Logout()
	fn(s)
}

// TestReviewerStory: a reviewer asks to read a flagged message with its
// context, two officers approve, the reviewer reads exactly the scope, and
// the content is gone when the view closes. The messages appear in the
// window only after the unlock's log entry is committed (T15).
func TestReviewerStory(t *testing.T) {
	f := newFixture(t)
	wb, w := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	q := wb.queue
	var ev *vault.Event
	for _, e := range q.shown {
		if strings.Contains(e.Excerpt, "kickback") {
			ev = e
		}
	}
	if ev == nil {
		t.Fatal("no kickback event in the fixture's queue")
	}

	form := newRequestForm(wb, ev, nil)
	var sent string
	form.onDone = func(id string) { sent = id }
	form.show()
	form.context.SetSelectedIndex(1) // 2 messages either side
	if form.scope.From != int(ev.Seq)-2 || form.scope.To != int(ev.Seq)+2 || !strings.Contains(form.preview.Text, "5 messages") ||
		!strings.Contains(form.preview.Text, "whole chunks: 1, holding 32 messages") {
		t.Fatalf("scope for event at %d with 2 either side: %+v, preview %q", ev.Seq, form.scope, form.preview.Text)
	}
	form.reason.SetText("too short")
	if form.reason.Validate() == nil {
		t.Fatal("a 9-character justification passes validation")
	}
	form.reason.SetText("Kickback alert on the desk chat: need the context to decide")
	form.onSubmit(true)
	if sent == "" {
		t.Fatal("no request id after submitting")
	}
	reqs, err := wb.sess.Requests()
	must(t, err)
	if len(reqs) != 1 || reqs[0].ID != sent || reqs[0].State(time.Now()) != "pending" {
		t.Fatalf("requests after submitting: %+v", reqs)
	}
	wb.logout()

	for _, who := range []string{"olga", "omar"} {
		asMember(t, f, who, func(s *vault.Session) { must(t, s.Approve(sent)) })
	}

	openAs(t, wb, f, "rita", testPassphrase)
	var rs *requestsScreen
	for _, sc := range wb.screens {
		if r, ok := sc.(*requestsScreen); ok {
			rs = r
		}
	}
	if rs == nil {
		t.Fatal("a reviewer has no My unlocks tab")
	}
	wb.showScreen(rs)
	if len(rs.mine) != 1 {
		t.Fatalf("My unlocks lists %d requests, want 1", len(rs.mine))
	}
	rs.list.Select(0)
	secret := "the kickback goes to" // in the flagged message's text
	if strings.Contains(test.RenderToMarkup(w.Canvas()), secret) {
		t.Fatal("message text is on screen before the unlock")
	}
	rs.read(sent, widgetButton(), widgetLabel())
	if wb.conv == nil {
		t.Fatal("no conversation view after reading a granted request")
	}
	if got := len(wb.conv.u.Messages); got != 5 {
		t.Fatalf("the view holds %d messages, want the 5 of the scope", got)
	}
	markup := test.RenderToMarkup(w.Canvas())
	if !strings.Contains(markup, secret) || !strings.Contains(markup, "Flagged: ") {
		t.Fatal("the unlocked view does not show the flagged message, marked")
	}
	// Reading the tab again (choosing it) keeps the open conversation shown.
	rs.load()
	if wb.conv == nil || !strings.Contains(test.RenderToMarkup(w.Canvas()), secret) {
		t.Fatal("reloading My unlocks hid the open conversation")
	}
	// The photo sent with the message before shows inline.
	images := 0
	for _, o := range test.LaidOutObjects(w.Canvas().Content()) {
		if img, ok := o.(*canvas.Image); ok && img.Resource != nil && img.Resource.Name() == "IMG-0001.png" && len(img.Resource.Content()) == len(testPNG) {
			images++
		}
	}
	if images != 1 || !strings.Contains(markup, "IMG-0001.png") {
		t.Fatalf("the unlocked photo is not shown inline (%d images)", images)
	}
	// Copying is off unless the settings allow it.
	found := false
	for _, o := range test.LaidOutObjects(w.Canvas().Content()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, secret) {
			found = true
			if l.Selectable {
				t.Fatal("unlocked text can be selected and copied with copying off")
			}
		}
	}
	if !found {
		t.Fatal("no label holds the flagged message")
	}
	u := wb.conv.u
	wb.closeConversation()
	if strings.Contains(test.RenderToMarkup(w.Canvas()), secret) {
		t.Fatal("message text stays on screen after the view closed")
	}
	if len(u.Messages) != 0 || u.Header != nil {
		t.Fatal("closing the view kept the decrypted messages")
	}
	wb.logout()

	// The access log has the unlock, with its request, and it came from
	// the reviewer.
	asMember(t, f, "aldo", func(s *vault.Session) {
		es, err := s.LogEntries(0)
		must(t, err)
		found := false
		for _, e := range es {
			found = found || e.Action == "unlock" && e.Target == sent
		}
		if !found {
			t.Fatalf("no unlock entry for %s in the log", sent)
		}
	})
}

func widgetButton() *widget.Button { return widget.NewButton("", nil) }
func widgetLabel() *widget.Label   { return widget.NewLabel("") }

// TestOpenRolledBack: a vault whose log is older than the one this
// workstation saw (a restored copy) is refused in words.
func TestOpenRolledBack(t *testing.T) {
	f := newFixture(t)
	old, err := os.ReadFile(f.vault)
	must(t, err)
	asMember(t, f, "ada", func(s *vault.Session) {
		bea, err := identity.New("Bea", "bea@app.test", []byte("x"))
		must(t, err)
		must(t, s.AddMember(bea.Public(), []vault.Role{vault.RoleReviewer}))
	})
	must(t, os.WriteFile(f.vault, old, 0o600))
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	if wb.sess != nil || !strings.Contains(wb.open.status.Text, "older than, or differs from") {
		t.Fatalf("rolled-back vault: session %v, status %q", wb.sess != nil, wb.open.status.Text)
	}
}

// TestVaultSharedWhileLoggedIn: while a member works in the workbench, the
// vault file is free between actions: an import or an officer elsewhere
// can use it, and the workbench sees what they did.
func TestVaultSharedWhileLoggedIn(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	if wb.sess == nil {
		t.Fatal("login failed")
	}
	before := wb.queue.table.Len()
	var id uint64
	asMember(t, f, "rita", func(s *vault.Session) { // another workstation of the same reviewer
		evs, err := s.Events(vault.EventFilter{})
		must(t, err)
		id = evs[0].ID
		must(t, s.SetStatus([]uint64{id}, vault.StatusEscalated, "from the other desk"))
	})
	wb.queue.load()
	if wb.queue.table.Len() != before {
		t.Fatalf("%d events, then %d", before, wb.queue.table.Len())
	}
	e, err := wb.sess.Event(id)
	must(t, err)
	if e.Status != vault.StatusEscalated || e.Note != "from the other desk" {
		t.Fatalf("the workbench sees %s %q", e.Status, e.Note)
	}
}
