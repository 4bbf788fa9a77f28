package app

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// contextChoices are the messages of context either side of a flagged
// message a request may ask for.
var contextChoices = []int{0, 2, 5, 10, 20}

// durationChoices are the grants a request may ask for, up to the vault's
// maximum.
var durationChoices = []time.Duration{time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour, 72 * time.Hour}

// requestForm asks two officers to unlock an event's message with some
// context: the scope is previewed in messages, the justification and the
// duration are required, and the request is logged.
type requestForm struct {
	wb *Workbench
	ev *vault.Event

	context  *widget.Select
	duration *widget.Select
	reason   *widget.Entry
	preview  *widget.Label
	scope    vault.Scope
	durs     []time.Duration
	dlg      *dialog.FormDialog
	onDone   func(id string)
}

func newRequestForm(wb *Workbench, ev *vault.Event, onDone func(id string)) *requestForm {
	return &requestForm{wb: wb, ev: ev, onDone: onDone}
}

// show opens the form as a dialog over the window.
func (f *requestForm) show() {
	var ctx []string
	for _, n := range contextChoices {
		ctx = append(ctx, fmt.Sprintf(lang.L("%d messages either side"), n))
	}
	f.context = widget.NewSelect(ctx, func(string) { f.updatePreview() })
	maxGrant := f.wb.vt.Config().MaxGrant
	var durs []string
	for _, d := range durationChoices {
		if d <= maxGrant {
			f.durs = append(f.durs, d)
			durs = append(durs, durationText(d))
		}
	}
	f.duration = widget.NewSelect(durs, nil)
	f.duration.SetSelectedIndex(0)
	f.reason = widget.NewMultiLineEntry()
	f.reason.SetPlaceHolder(fmt.Sprintf(lang.L("Why you need to read these messages (at least %d characters)"), f.wb.vt.Config().MinReason))
	f.reason.SetMinRowsVisible(3)
	f.reason.Validator = f.validReason
	f.preview = widget.NewLabel("")
	f.preview.Wrapping = fyne.TextWrapWord
	f.context.SetSelectedIndex(2)
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Context"), f.context),
		widget.NewFormItem(lang.L("Scope"), f.preview),
		widget.NewFormItem(lang.L("Justification"), f.reason),
		widget.NewFormItem(lang.L("For"), f.duration),
	}
	f.dlg = dialog.NewForm(lang.L("Ask to read this conversation"), lang.L("Send request"), lang.L("Cancel"), items, f.onSubmit, f.wb.win)
	f.dlg.Resize(fyne.NewSize(620, 420))
	f.dlg.Show()
}

func (f *requestForm) validReason(s string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(s)); n < f.wb.vt.Config().MinReason {
		return fmt.Errorf(lang.L("%d more characters needed"), f.wb.vt.Config().MinReason-n)
	}
	return nil
}

// updatePreview computes the scope for the chosen context.
func (f *requestForm) updatePreview() {
	i := f.context.SelectedIndex()
	if i < 0 {
		return
	}
	sc, err := f.wb.sess.EventScope(f.ev.ID, contextChoices[i])
	if err != nil {
		f.preview.SetText(errorText(err))
		return
	}
	f.scope = sc
	n := sc.To - sc.From + 1
	chunks, inChunks, err := f.wb.sess.ScopeChunks(sc)
	if err != nil {
		f.preview.SetText(errorText(err))
		return
	}
	f.preview.SetText(fmt.Sprintf(lang.L("Messages %d to %d of %s: %d messages. The escrow opens whole chunks: %d, holding %d messages; you see only the ones asked for."),
		sc.From, sc.To, sc.Conversation, n, chunks, inChunks))
}

// onSubmit sends the request.
func (f *requestForm) onSubmit(ok bool) {
	if !ok || f.scope.Conversation == "" {
		return
	}
	d := f.durs[max(f.duration.SelectedIndex(), 0)]
	reason, sc, s := strings.TrimSpace(f.reason.Text), f.scope, f.wb.sess
	f.wb.background(func() {
		id, err := s.Request(sc, reason, d)
		f.wb.ui(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("%s", errorText(err)), f.wb.win)
				return
			}
			if f.onDone != nil {
				f.onDone(id)
			}
		})
	})
}
