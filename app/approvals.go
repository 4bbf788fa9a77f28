package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// approvalsScreen is the privacy officer's: the inbox of unlock requests
// that wait for their vote, the selected request with the redacted risk
// events in its scope, approve (the passphrase again) and deny (with a
// reason), and the history of the requests they voted on. Its tab title
// counts the waiting requests.
type approvalsScreen struct {
	wb *Workbench

	inbox, history []vault.RequestInfo
	names          map[string]string         // fingerprint → user id
	events         map[string][]*vault.Event // request id → redacted events in its scope
	eventsErr      error                     // why events could not be read
	threshold      int
	selectedID     string // the request shown, kept across reloads

	root                   fyne.CanvasObject // the tab's content, to find its TabItem
	count, status          *widget.Label
	inboxList, historyList *widget.List
	detail                 *requestView
	approveBtn, denyBtn    *widget.Button
	busy                   *widget.ProgressBarInfinite
	pass                   *widget.Entry // while the approve dialog is shown
	approveDlg, denyDlg    *dialog.FormDialog
	reason                 *widget.Entry // while the deny dialog is shown
}

func newApprovalsScreen(wb *Workbench) screen {
	return &approvalsScreen{wb: wb}
}

func (a *approvalsScreen) buildUI() fyne.CanvasObject {
	a.count = widget.NewLabel(lang.L("Loading requests…"))
	a.inboxList = widget.NewList(func() int { return len(a.inbox) }, newRequestRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(a.inbox) {
			o.(*requestRow).set(&a.inbox[i], a.name(a.inbox[i].Requester), a.threshold, false)
		}
	})
	a.inboxList.OnSelected = func(i widget.ListItemID) {
		if i < len(a.inbox) {
			a.historyList.UnselectAll()
			a.show(&a.inbox[i], true)
		}
	}
	a.historyList = widget.NewList(func() int { return len(a.history) }, newRequestRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(a.history) {
			o.(*requestRow).set(&a.history[i], a.name(a.history[i].Requester), a.threshold, true)
		}
	})
	a.historyList.OnSelected = func(i widget.ListItemID) {
		if i < len(a.history) {
			a.inboxList.UnselectAll()
			a.show(&a.history[i], false)
		}
	}

	a.detail = newRequestView()
	detail := a.detail.buildUI()
	a.approveBtn = widget.NewButton(lang.L("Approve…"), a.onApprove)
	a.approveBtn.Importance = widget.HighImportance
	a.denyBtn = widget.NewButton(lang.L("Deny…"), a.onDeny)
	a.denyBtn.Importance = widget.DangerImportance
	a.busy = widget.NewProgressBarInfinite()
	a.busy.Hide()
	a.status = widget.NewLabel("")
	a.status.Wrapping = fyne.TextWrapWord
	a.show(nil, false)

	bold := fyne.TextStyle{Bold: true}
	inboxPane := container.NewBorder(container.NewVBox(widget.NewLabelWithStyle(lang.L("Waiting for your decision"), fyne.TextAlignLeading, bold), a.count), nil, nil, nil, a.inboxList)
	historyPane := container.NewBorder(widget.NewLabelWithStyle(lang.L("Your decisions"), fyne.TextAlignLeading, bold), nil, nil, nil, a.historyList)
	left := container.NewVSplit(inboxPane, historyPane)
	left.Offset = 0.6
	actions := container.NewVBox(container.NewHBox(a.approveBtn, a.denyBtn), a.busy, a.status)
	right := container.NewBorder(nil, actions, nil, nil, detail)
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	a.root = split

	// The badge is the point of counting while another tab is shown: read
	// the requests once now, not only when this tab is chosen. (Running in
	// the background, the result arrives after login has made the tabs.)
	a.load()
	return split
}

// current tells whether the screen is still one the workbench shows (not
// logged out meanwhile).
func (a *approvalsScreen) current() bool {
	return slices.Contains(a.wb.screens, screen(a))
}

// load reads the requests, the members' names and the redacted events in
// the requests' scopes off the UI goroutine.
func (a *approvalsScreen) load() {
	s, vt := a.wb.sess, a.wb.vt
	if s == nil || vt == nil {
		return
	}
	me := s.Member().Fingerprint
	a.wb.background(func() {
		reqs, err := s.Requests()
		var names map[string]string
		if err == nil {
			names, err = memberNames(vt)
		}
		threshold := vt.Config().Threshold
		var events map[string][]*vault.Event
		var eventsErr error
		if err == nil && len(reqs) > 0 {
			events, eventsErr = scopeEvents(s, reqs)
		}
		a.wb.ui(func() {
			if !a.current() {
				return
			}
			if err != nil {
				a.count.SetText(errorText(err))
				return
			}
			a.names, a.threshold, a.events, a.eventsErr = names, threshold, events, eventsErr
			a.fill(reqs, me, time.Now())
		})
	})
}

func memberNames(vt *vault.Vault) (map[string]string, error) {
	ms, err := vt.Members()
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ms))
	for _, m := range ms {
		names[m.Fingerprint] = m.UserID
	}
	return names, nil
}

// scopeEvents finds, for each request, the risk events whose message is in
// its scope: the "redacted event" an officer weighs the request against.
// The event table is read once and dropped; only the matches are kept.
func scopeEvents(s *vault.Session, reqs []vault.RequestInfo) (map[string][]*vault.Event, error) {
	t, err := s.EventTable()
	if err != nil {
		return nil, err
	}
	out := map[string][]*vault.Event{}
	for _, r := range reqs {
		sc, err := vault.ParseScope(r.Scope)
		if err != nil {
			continue
		}
		for _, e := range t.Filter(vault.EventFilter{Conversation: sc.Conversation}) {
			if int(e.Seq) >= sc.From && int(e.Seq) <= sc.To {
				out[r.ID] = append(out[r.ID], e)
			}
		}
	}
	return out, nil
}

// pendingFor is the inbox: requests still pending that me can vote on.
func pendingFor(reqs []vault.RequestInfo, me string, now time.Time) []vault.RequestInfo {
	var out []vault.RequestInfo
	for _, r := range reqs {
		if r.State(now) == "pending" && !r.Expired && !r.Voted && r.Requester != me {
			out = append(out, r)
		}
	}
	return out
}

// fill shows the requests read by load, keeping the selection if it is
// still there, and updates the tab's badge.
func (a *approvalsScreen) fill(reqs []vault.RequestInfo, me string, now time.Time) {
	a.inbox = pendingFor(reqs, me, now)
	a.history = slices.DeleteFunc(slices.Clone(reqs), func(r vault.RequestInfo) bool { return !r.Voted })
	if n := len(a.inbox); n == 0 {
		a.count.SetText(lang.L("No request waits for your decision."))
	} else {
		a.count.SetText(fmt.Sprintf(lang.L("Requests waiting for your decision: %d"), n))
	}
	a.inboxList.UnselectAll()
	a.historyList.UnselectAll()
	a.inboxList.Refresh()
	a.historyList.Refresh()
	switch i, j := a.indexOf(a.inbox), a.indexOf(a.history); {
	case i >= 0:
		a.inboxList.Select(i)
	case j >= 0:
		a.historyList.Select(j)
	case len(a.inbox) > 0:
		a.inboxList.Select(0)
	default:
		a.show(nil, false)
	}
	a.wb.setTabText(a.root, badgeText(lang.L("Approvals"), len(a.inbox)))
}

func (a *approvalsScreen) indexOf(list []vault.RequestInfo) int {
	if a.selectedID == "" {
		return -1
	}
	return slices.IndexFunc(list, func(r vault.RequestInfo) bool { return r.ID == a.selectedID })
}

// badgeText is a tab title with a count of things waiting, if any.
func badgeText(title string, n int) string {
	if n == 0 {
		return title
	}
	return fmt.Sprintf("%s (%d)", title, n)
}

// setTabText sets the title of the tab whose content is content.
func (wb *Workbench) setTabText(content fyne.CanvasObject, text string) {
	if wb.tabs == nil {
		return // the tabs are not made yet
	}
	for _, ti := range wb.tabs.Items {
		if ti.Content == content && ti.Text != text {
			ti.Text = text
			wb.tabs.Refresh()
		}
	}
}

func (a *approvalsScreen) name(fpr string) string {
	if n, ok := a.names[fpr]; ok {
		return n
	}
	return fpr[:min(len(fpr), 16)]
}

// show displays r (nil: nothing selected); actionable offers the votes.
func (a *approvalsScreen) show(r *vault.RequestInfo, actionable bool) {
	if r == nil {
		a.selectedID = ""
		a.detail.show(nil, "", 0, nil, nil)
	} else {
		a.selectedID = r.ID
		a.detail.show(r, a.name(r.Requester), a.threshold, a.events[r.ID], a.eventsErr)
	}
	if r != nil && actionable {
		a.approveBtn.Show()
		a.denyBtn.Show()
	} else {
		a.approveBtn.Hide()
		a.denyBtn.Hide()
	}
}

// selected is the inbox request shown, if any.
func (a *approvalsScreen) selected() *vault.RequestInfo {
	if i := a.indexOf(a.inbox); i >= 0 {
		r := a.inbox[i]
		return &r
	}
	return nil
}

// onApprove asks for the officer's passphrase again: an approval releases
// content, so an unattended session must not be able to give one.
func (a *approvalsScreen) onApprove() {
	r := a.selected()
	if r == nil {
		return
	}
	a.pass = widget.NewPasswordEntry()
	item := widget.NewFormItem(lang.L("Passphrase"), a.pass)
	item.HintText = fmt.Sprintf(lang.L("%s asks to see %s for %s."), a.name(r.Requester), scopeText(r.Scope), durationText(r.Duration))
	pass := a.pass
	a.approveDlg = dialog.NewForm(fmt.Sprintf(lang.L("Approve request %s"), r.ID), lang.L("Approve"), lang.L("Cancel"),
		[]*widget.FormItem{item}, func(ok bool) {
			secret := []byte(pass.Text)
			pass.SetText("")
			if !ok {
				clear(secret)
				return
			}
			a.approve(r, secret)
		}, a.wb.win)
	pass.OnSubmitted = func(string) { a.approveDlg.Submit() }
	a.approveDlg.Resize(fyne.NewSize(480, 0))
	a.approveDlg.Show()
	a.wb.win.Canvas().Focus(pass)
}

// approve checks pass and records the approval, in the background: with a
// large scope the officer's partial decryptions take a while.
func (a *approvalsScreen) approve(r *vault.RequestInfo, pass []byte) {
	s, check := a.wb.sess, a.wb.passphraseCheck()
	a.vote(fmt.Sprintf(lang.L("Approving %s: %d chunks…"), r.ID, r.Chunks),
		fmt.Sprintf(lang.L("Your approval of %s is recorded in the access log."), r.ID),
		func() error {
			err := check(pass)
			clear(pass)
			if err == nil {
				err = s.Approve(r.ID)
			}
			return err
		})
}

// vote runs record (an approval or a denial) in the background, busy with
// busyText, and says doneText or the error when it is back.
func (a *approvalsScreen) vote(busyText, doneText string, record func() error) {
	a.setBusy(true, busyText)
	wb := a.wb
	wb.background(func() {
		err := record()
		wb.ui(func() {
			if !a.current() {
				return
			}
			a.setBusy(false, "")
			if err != nil {
				a.status.SetText(errorText(err))
				return
			}
			a.status.SetText(doneText)
			a.selectedID = ""
			a.load()
		})
	})
}

// onDeny asks for the reason of a denial, which is recorded with it.
func (a *approvalsScreen) onDeny() {
	r := a.selected()
	if r == nil {
		return
	}
	a.reason = widget.NewMultiLineEntry()
	a.reason.SetMinRowsVisible(4)
	a.reason.Wrapping = fyne.TextWrapWord
	a.reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(lang.L("A denial needs a reason."))
		}
		return nil
	}
	item := widget.NewFormItem(lang.L("Reason"), a.reason)
	item.HintText = lang.L("Recorded with your vote. One denial closes the request.")
	reason := a.reason
	a.denyDlg = dialog.NewForm(fmt.Sprintf(lang.L("Deny request %s"), r.ID), lang.L("Deny"), lang.L("Cancel"),
		[]*widget.FormItem{item}, func(ok bool) {
			if ok {
				a.deny(r, strings.TrimSpace(reason.Text))
			}
		}, a.wb.win)
	a.denyDlg.Resize(fyne.NewSize(480, 0))
	a.denyDlg.Show()
	a.wb.win.Canvas().Focus(reason)
}

func (a *approvalsScreen) deny(r *vault.RequestInfo, reason string) {
	s := a.wb.sess // the dialog refuses a blank reason; so does the vault
	a.vote(fmt.Sprintf(lang.L("Denying %s…"), r.ID), fmt.Sprintf(lang.L("Your denial of %s is recorded in the access log."), r.ID),
		func() error { return s.Deny(r.ID, reason) })
}

func (a *approvalsScreen) setBusy(busy bool, text string) {
	a.status.SetText(text)
	if busy {
		a.approveBtn.Disable()
		a.denyBtn.Disable()
		a.busy.Show()
		a.busy.Start()
		return
	}
	a.busy.Stop()
	a.busy.Hide()
	a.approveBtn.Enable()
	a.denyBtn.Enable()
}
