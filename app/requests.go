package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// requestsScreen is the reviewer's "My unlocks": their requests, where
// each stands, the time left on a grant, and the unlocked conversation.
type requestsScreen struct {
	wb *Workbench

	mine   []vault.RequestInfo
	list   *widget.List
	count  *widget.Label
	right  *fyne.Container // the selected request's details, or its conversation
	chosen string          // the selected request's id
}

func newRequestsScreen(wb *Workbench) screen {
	return &requestsScreen{wb: wb}
}

func (r *requestsScreen) buildUI() fyne.CanvasObject {
	r.count = widget.NewLabel("")
	r.list = widget.NewList(func() int { return len(r.mine) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(title, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(r.mine) {
				return
			}
			q := r.mine[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s", q.ID, requestState(&q, time.Now()), scopeText(q.Scope)))
			box.Objects[1].(*widget.Label).SetText(q.Reason)
		})
	r.list.OnSelected = func(i widget.ListItemID) {
		r.wb.touch()
		if i < len(r.mine) {
			r.showDetails(r.mine[i])
		}
	}
	r.right = container.NewStack(widget.NewLabel(lang.L("Choose a request.")))
	refresh := widget.NewButton(lang.L("Refresh"), r.load)
	left := container.NewBorder(container.NewBorder(nil, nil, nil, refresh, r.count), nil, nil, nil, r.list)
	split := container.NewHSplit(left, r.right)
	split.Offset = 0.4
	return split
}

// requestState says where a request stands, with the time left on a grant.
func requestState(q *vault.RequestInfo, now time.Time) string {
	switch st := q.State(now); st {
	case "granted":
		return fmt.Sprintf(lang.L("granted, %s left"), durationText(q.Expires.Sub(now)))
	case "pending":
		return fmt.Sprintf(lang.L("waiting: %d approvals"), q.Approvals)
	default:
		return lang.L(st)
	}
}

func (r *requestsScreen) load() {
	s, me := r.wb.sess, r.wb.id.Public().Fingerprint()
	r.wb.background(func() {
		all, err := s.Requests()
		r.wb.ui(func() {
			if err != nil {
				r.count.SetText(errorText(err))
				return
			}
			r.mine = r.mine[:0]
			for _, q := range all {
				if q.Requester == me {
					r.mine = append(r.mine, q)
				}
			}
			r.count.SetText(fmt.Sprintf(lang.L("%d requests"), len(r.mine)))
			r.list.Refresh()
			for i, q := range r.mine {
				if q.ID == r.chosen {
					r.list.Select(i)
				}
			}
		})
	})
}

// showDetails shows a request, with "Read" once it is granted.
func (r *requestsScreen) showDetails(q vault.RequestInfo) {
	if cv := r.wb.conv; cv != nil && cv.u.Request == q.ID {
		return // its conversation is open: keep showing it
	}
	if r.chosen != q.ID {
		r.wb.closeConversation()
	}
	r.chosen = q.ID
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Request"), widget.NewLabel(q.ID)),
		widget.NewFormItem(lang.L("Messages"), widget.NewLabel(scopeText(q.Scope))),
		widget.NewFormItem(lang.L("Chunks"), widget.NewLabel(fmt.Sprint(q.Chunks))),
		widget.NewFormItem(lang.L("Asked for"), widget.NewLabel(durationText(q.Duration))),
		widget.NewFormItem(lang.L("Asked at"), widget.NewLabel(q.Created.Local().Format(time.DateTime))),
		widget.NewFormItem(lang.L("State"), widget.NewLabel(requestState(&q, time.Now()))),
	)
	reason := widget.NewLabel(q.Reason)
	reason.Wrapping = fyne.TextWrapWord
	form.Append(lang.L("Justification"), reason)
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	read := widget.NewButton(lang.L("Read the messages"), nil)
	read.Importance = widget.HighImportance
	read.OnTapped = func() { r.read(q.ID, read, status) }
	if q.State(time.Now()) != "granted" {
		read.Disable()
	}
	note := widget.NewLabel(lang.L("Reading is recorded in the access log before anything is shown."))
	note.Wrapping = fyne.TextWrapWord
	r.right.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(form, container.NewHBox(read), note, status))}
	r.right.Refresh()
}

// read unlocks the request and shows its conversation. The content widgets
// are made only after Unlock returns, that is after its log entry is
// committed (T15).
func (r *requestsScreen) read(id string, btn *widget.Button, status *widget.Label) {
	btn.Disable()
	status.SetText(lang.L("Unlocking…"))
	s := r.wb.sess
	r.wb.background(func() {
		u, err := s.Unlock(id)
		var evs []*vault.Event
		if err == nil {
			evs, _ = s.Events(vault.EventFilter{Conversation: u.Conversation.ID})
		}
		r.wb.ui(func() {
			btn.Enable()
			if err != nil {
				status.SetText(errorText(err))
				return
			}
			if r.chosen != id || r.wb.sess != s { // moved on meanwhile
				u.Close()
				return
			}
			view := r.wb.showConversation(u, evs, func() {
				r.right.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("The grant has ended: the messages are gone from this screen."))}
				r.right.Refresh()
			})
			r.right.Objects = []fyne.CanvasObject{view}
			r.right.Refresh()
		})
	})
}
