package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// DefaultIdleLock is how long a session may sit without input before the
// workbench locks: it logs out, which drops every view of the vault,
// unlocked messages first, and the decrypted key.
const DefaultIdleLock = 5 * time.Minute

// touch records input: the idle lock counts from the last one.
func (wb *Workbench) touch() { wb.lastInput = time.Now() }

// watchIdle locks the session once it has been idle for wb.opts.IdleLock.
// It runs for the life of the window.
func (wb *Workbench) watchIdle() {
	idle := wb.opts.IdleLock
	if idle <= 0 {
		idle = DefaultIdleLock
	}
	t := time.NewTicker(min(idle/10, 10*time.Second))
	defer t.Stop()
	for range t.C {
		wb.ui(func() { wb.lockIfIdle(idle, time.Now()) })
	}
}

// Why the workbench locked.
const (
	lockIdle = iota
	lockScreen
)

// lockIfIdle logs out if the session has had no input for idle by now.
func (wb *Workbench) lockIfIdle(idle time.Duration, now time.Time) bool {
	if wb.sess == nil || now.Sub(wb.lastInput) < idle {
		return false
	}
	wb.lock(lockIdle)
	return true
}

// lock logs out, which drops every view of the vault, and says why on the
// open screen.
func (wb *Workbench) lock(why int) {
	if wb.sess == nil {
		return
	}
	wb.logout()
	if wb.open == nil {
		return
	}
	switch why {
	case lockScreen:
		wb.open.status.SetText(lang.L("Locked with the screen: everything shown was closed. Type your passphrase to go on."))
	default:
		wb.open.status.SetText(lang.L("Locked after a while without input: everything shown was closed. Type your passphrase to go on."))
	}
}

// activityLayer lies under the workbench's content and sees the pointer
// move over everything that does not take hover events itself; with the
// canvas's key events and the screens' own handlers it feeds touch.
type activityLayer struct {
	widget.BaseWidget
	touch func()
}

func newActivityLayer(touch func()) *activityLayer {
	a := &activityLayer{touch: touch}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (a *activityLayer) MouseIn(*desktop.MouseEvent)    { a.touch() }
func (a *activityLayer) MouseMoved(*desktop.MouseEvent) { a.touch() }
func (a *activityLayer) MouseOut()                      {}
