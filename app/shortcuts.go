package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The queue's keyboard shortcuts, named on the controls they drive:
//
//	Ctrl+↓ / Ctrl+↑  next / previous event
//	Ctrl+F           the pseudonym filter
//	Ctrl+R           ask to read the event
var (
	scNext    = &desktop.CustomShortcut{KeyName: fyne.KeyDown, Modifier: fyne.KeyModifierControl}
	scPrev    = &desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierControl}
	scFind    = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierControl}
	scRequest = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierControl}
)

// addShortcut registers a window shortcut until logout.
func (wb *Workbench) addShortcut(sc fyne.Shortcut, fn func()) {
	wb.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) {
		wb.touch()
		fn()
	})
	wb.shortcuts = append(wb.shortcuts, sc)
}

// dropShortcuts removes the session's shortcuts.
func (wb *Workbench) dropShortcuts() {
	for _, sc := range wb.shortcuts {
		wb.win.Canvas().RemoveShortcut(sc)
	}
	wb.shortcuts = nil
}

// installShortcuts binds the queue's shortcuts.
func (q *queueScreen) installShortcuts() {
	move := func(d int) {
		if len(q.shown) == 0 {
			return
		}
		i := q.selectedIndex() + d
		i = max(0, min(i, len(q.shown)-1))
		q.list.Select(i)
		q.list.ScrollTo(i)
	}
	q.wb.addShortcut(scNext, func() { move(1) })
	q.wb.addShortcut(scPrev, func() { move(-1) })
	q.wb.addShortcut(scFind, func() { q.wb.win.Canvas().Focus(q.pseudonym) })
	q.wb.addShortcut(scRequest, q.detail.onAsk)
}

// selectedIndex is the index of the event shown, or -1.
func (q *queueScreen) selectedIndex() int {
	for i, e := range q.shown {
		if e == q.detail.ev {
			return i
		}
	}
	return -1
}
