package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// approvalsOf is the officer's approvals screen in wb, and its tab index.
func approvalsOf(t *testing.T, wb *Workbench) (*approvalsScreen, int) {
	t.Helper()
	for i, sc := range wb.screens {
		if a, ok := sc.(*approvalsScreen); ok {
			return a, i
		}
	}
	t.Fatal("no approvals screen")
	return nil, 0
}

// formValue is the text of the label next to key in v's form.
func formValue(v *requestView, key string) string {
	for _, it := range v.meta.Items {
		if it.Text == key {
			if l, ok := it.Widget.(*widget.Label); ok {
				return l.Text
			}
		}
	}
	return ""
}

// vaultRequest is request id as the session sees it now.
func vaultRequest(t *testing.T, s *vault.Session, id string) vault.RequestInfo {
	t.Helper()
	reqs, err := s.Requests()
	must(t, err)
	for _, r := range reqs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("request %s is not in the vault", id)
	return vault.RequestInfo{}
}

// TestOfficerApprovals: rita asks to read a flagged message; olga sees the
// request in her inbox, with a badge on the tab, cannot approve with a
// wrong passphrase, approves with hers, and finds it in her history; omar
// cannot deny without a reason, and his denial closes the request.
func TestOfficerApprovals(t *testing.T) {
	f := newFixture(t)
	const reason = "Kickback alert on the desk chat: need the context to decide"
	var id string
	var ev *vault.Event
	asMember(t, f, "rita", func(s *vault.Session) {
		evs, err := s.Events(vault.EventFilter{})
		must(t, err)
		for _, e := range evs {
			if strings.Contains(e.Excerpt, "kickback") {
				ev = e
			}
		}
		if ev == nil {
			t.Fatal("no kickback event in the fixture")
		}
		sc, err := s.EventScope(ev.ID, 2)
		must(t, err)
		id, err = s.Request(sc, reason, time.Hour)
		must(t, err)
	})

	wb, w := newTestWorkbench(t, f)
	openAs(t, wb, f, "olga", testPassphrase)
	if wb.sess == nil {
		t.Fatalf("login failed: %q", wb.open.status.Text)
	}
	a, tab := approvalsOf(t, wb)
	// An officer's work comes first: the approvals tab is shown, read at
	// login, with its badge.
	if tab != 0 || wb.tabs.SelectedIndex() != tab {
		t.Fatalf("approvals are tab %d, selected %d; want the first, shown", tab, wb.tabs.SelectedIndex())
	}
	if got := wb.tabs.Items[tab].Text; got != "Approvals (1)" {
		t.Fatalf("badge with one request waiting: %q", got)
	}
	// The badge stays current while another tab is shown.
	wb.tabs.SelectIndex(1)
	a.load()
	if got := wb.tabs.Items[tab].Text; got != "Approvals (1)" {
		t.Fatalf("badge with one request waiting, another tab shown: %q", got)
	}
	wb.tabs.SelectIndex(tab)

	wb.showScreen(a)
	if len(a.inbox) != 1 || a.inbox[0].ID != id {
		t.Fatalf("inbox %+v, want request %s", a.inbox, id)
	}
	row := newRequestRow().(*requestRow)
	row.set(&a.inbox[0], a.name(a.inbox[0].Requester), a.threshold, false)
	if !strings.HasPrefix(row.who.Text, id+" · rita") || !strings.Contains(row.scope.Text, "1 h · 0 of 2 approvals") ||
		row.reason.Text != reason || row.when.Text != "just now" {
		t.Errorf("inbox row: %q / %q / %q / %q", row.who.Text, row.when.Text, row.scope.Text, row.reason.Text)
	}
	if a.selectedID != id || !a.detail.body.Visible() || a.approveBtn.Hidden || a.denyBtn.Hidden {
		t.Fatalf("request not shown with its actions: selected %q", a.selectedID)
	}
	if got := formValue(a.detail, "Requester"); got != "rita <rita@app.test>" {
		t.Errorf("requester %q, want rita <rita@app.test>", got)
	}
	if got := formValue(a.detail, "Justification"); got != reason {
		t.Errorf("justification %q", got)
	}
	if got := formValue(a.detail, "Approvals"); got != "0 of 2" {
		t.Errorf("approvals %q, want 0 of 2", got)
	}
	if got := formValue(a.detail, "Scope"); !strings.Contains(got, ev.Conversation) {
		t.Errorf("scope %q does not name conversation %s", got, ev.Conversation)
	}
	if !slices.ContainsFunc(a.detail.shown, func(e *vault.Event) bool { return e.ID == ev.ID }) {
		t.Errorf("the flagged event %d is not among the scope's events (%d shown)", ev.ID, len(a.detail.shown))
	}
	for _, e := range a.detail.shown {
		if strings.Contains(e.Excerpt, "4111") {
			t.Fatalf("excerpt %q holds the card number", e.Excerpt)
		}
	}

	// A wrong passphrase: refused, nothing recorded, the entry emptied.
	test.Tap(a.approveBtn)
	if a.approveDlg == nil || w.Canvas().Overlays().Top() == nil {
		t.Fatal("no passphrase dialog")
	}
	test.Type(a.pass, "not the passphrase")
	a.approveDlg.Submit()
	if !strings.Contains(a.status.Text, "Wrong passphrase") {
		t.Fatalf("wrong passphrase: status %q", a.status.Text)
	}
	if a.pass.Text != "" {
		t.Error("the passphrase entry keeps the passphrase")
	}
	if r := vaultRequest(t, wb.sess, id); r.Approvals != 0 || r.Voted {
		t.Fatalf("a wrong passphrase recorded a vote: %+v", r)
	}
	if len(a.inbox) != 1 || a.approveBtn.Disabled() || a.busy.Visible() {
		t.Fatalf("after the refusal: inbox %d, approve disabled %v, busy %v", len(a.inbox), a.approveBtn.Disabled(), a.busy.Visible())
	}

	// Cancelling records nothing either.
	test.Tap(a.approveBtn)
	test.Type(a.pass, testPassphrase)
	a.approveDlg.Dismiss() // the Cancel button
	if r := vaultRequest(t, wb.sess, id); r.Voted || a.pass.Text != "" {
		t.Fatalf("cancel: voted %v, entry %q", r.Voted, a.pass.Text)
	}

	// The right passphrase: the vote is recorded and the request moves
	// from the inbox to the history.
	test.Tap(a.approveBtn)
	test.Type(a.pass, testPassphrase)
	a.approveDlg.Submit()
	if r := vaultRequest(t, wb.sess, id); r.Approvals != 1 || !r.Voted {
		t.Fatalf("after approving: %+v (status %q)", r, a.status.Text)
	}
	if !strings.Contains(a.status.Text, "recorded") {
		t.Errorf("status %q", a.status.Text)
	}
	if len(a.inbox) != 0 || len(a.history) != 1 || a.history[0].ID != id {
		t.Fatalf("after approving: inbox %d, history %+v", len(a.inbox), a.history)
	}
	if got := wb.tabs.Items[tab].Text; got != "Approvals" {
		t.Fatalf("badge with nothing waiting: %q", got)
	}
	a.historyList.Select(0)
	if !a.approveBtn.Hidden || !a.denyBtn.Hidden || formValue(a.detail, "Approvals") != "1 of 2" {
		t.Fatalf("a decided request offers votes, or shows %q approvals", formValue(a.detail, "Approvals"))
	}

	// Omar: a denial needs a reason; his closes the request.
	wb.logout()
	openAs(t, wb, f, "omar", testPassphrase)
	a, tab = approvalsOf(t, wb)
	wb.showScreen(a)
	if len(a.inbox) != 1 || a.inbox[0].Approvals != 1 {
		t.Fatalf("omar's inbox %+v", a.inbox)
	}
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("%d overlays before the deny dialog", n)
	}
	test.Tap(a.denyBtn)
	if a.denyDlg == nil {
		t.Fatal("no deny dialog")
	}
	a.denyDlg.Submit()
	test.Type(a.reason, "  \n ")
	a.denyDlg.Submit()
	if r := vaultRequest(t, wb.sess, id); r.Denied || r.Voted {
		t.Fatalf("a denial without a reason was recorded: %+v", r)
	}
	if len(w.Canvas().Overlays().List()) != 1 {
		t.Fatal("the deny dialog closed without a reason")
	}
	a.deny(&a.inbox[0], "") // what the dialog's callback passes for a blank reason
	if !strings.Contains(a.status.Text, "reason") || vaultRequest(t, wb.sess, id).Voted {
		t.Fatalf("blank reason: status %q", a.status.Text)
	}
	a.reason.SetText("")
	test.Type(a.reason, "The alert is a known template phrase; no need to read the chat")
	a.denyDlg.Submit()
	r := vaultRequest(t, wb.sess, id)
	if !r.Denied || !r.Voted || r.State(time.Now()) != "denied" {
		t.Fatalf("after denying: %+v (status %q)", r, a.status.Text)
	}
	if len(a.inbox) != 0 || len(a.history) != 1 || a.history[0].State(time.Now()) != "denied" {
		t.Fatalf("after denying: inbox %d, history %+v", len(a.inbox), a.history)
	}
	if got := wb.tabs.Items[tab].Text; got != "Approvals" {
		t.Fatalf("badge after denying: %q", got)
	}
}

func TestPendingFor(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	reqs := []vault.RequestInfo{
		{ID: "r1", Requester: "rita"},
		{ID: "r2", Requester: "olga"},                                             // her own
		{ID: "r3", Requester: "rita", Voted: true},                                // voted
		{ID: "r4", Requester: "rita", Denied: true},                               // denied by the other
		{ID: "r5", Requester: "rita", Granted: true, Expires: now.Add(time.Hour)}, // granted
		{ID: "r6", Requester: "rita", Granted: true, Expires: now.Add(-time.Hour)},
		{ID: "r7", Requester: "rita", Approvals: 1},
	}
	var ids []string
	for _, r := range pendingFor(reqs, "olga", now) {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, ","); got != "r1,r7" {
		t.Fatalf("inbox %s, want r1,r7", got)
	}
}

func TestTimeTexts(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second: "just now", 5 * time.Minute: "5 min ago", 3*time.Hour + 20*time.Minute: "3 h ago",
		47 * time.Hour: "47 h ago", 72 * time.Hour: "3 d ago",
	} {
		if got := ageText(d); got != want {
			t.Errorf("ageText(%s) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		30 * time.Minute: "30 min", time.Hour: "1 h", 90 * time.Minute: "1 h 30 min", 24 * time.Hour: "24 h", 72 * time.Hour: "3 d",
	} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%s) = %q, want %q", d, got, want)
		}
	}
	if got := badgeText("Approvals", 0); got != "Approvals" {
		t.Errorf("badge for 0: %q", got)
	}
	if got := badgeText("Approvals", 3); got != "Approvals (3)" {
		t.Errorf("badge for 3: %q", got)
	}
}
