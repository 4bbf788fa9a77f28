package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// maxBulk bounds one bulk disposition: each event is a log entry in one
// transaction, and a reviewer should look at what they close.
const maxBulk = 1000

// onBulk sets the status of every event the filters show, with one note:
// closing a policy's false positives in one go, say. Each event gets its
// own log entry.
func (q *queueScreen) onBulk() {
	q.wb.touch()
	if q.table == nil || len(q.shown) == 0 {
		return
	}
	if len(q.shown) > maxBulk {
		dialog.ShowInformation(lang.L("Too many events"), fmt.Sprintf(lang.L("Narrow the filters to %d events or fewer (%d shown)."), maxBulk, len(q.shown)), q.wb.win)
		return
	}
	var statuses []string
	for _, st := range vault.Statuses {
		statuses = append(statuses, lang.L(st))
	}
	status := widget.NewSelect(statuses, nil)
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder(lang.L("Note for the record (required to close an event)"))
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Events"), widget.NewLabel(fmt.Sprintf(lang.L("the %d events shown"), len(q.shown)))),
		widget.NewFormItem(lang.L("Status"), status),
		widget.NewFormItem(lang.L("Note"), note),
	}
	ids := make([]uint64, len(q.shown))
	for i, e := range q.shown {
		ids[i] = e.ID
	}
	d := dialog.NewForm(lang.L("Set the status of every event shown"), lang.L("Set status"), lang.L("Cancel"), items, func(ok bool) {
		if ok {
			q.bulk(ids, status.SelectedIndex(), strings.TrimSpace(note.Text))
		}
	}, q.wb.win)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
}

// bulk records status i for ids.
func (q *queueScreen) bulk(ids []uint64, i int, note string) {
	if i < 0 || i >= len(vault.Statuses) {
		q.count.SetText(lang.L("Choose a status."))
		return
	}
	status := vault.Statuses[i]
	if vault.NeedsNote(status) && note == "" {
		q.count.SetText(lang.L("Closing an event needs a note."))
		return
	}
	s := q.wb.sess
	q.wb.background(func() {
		err := s.SetStatus(ids, status, note)
		q.wb.ui(func() {
			if err != nil {
				q.count.SetText(errorText(err))
				return
			}
			q.load()
		})
	})
}
