package app

import (
	"github.com/godbus/dbus/v5"
)

// watchScreenLock locks the workbench when the desktop's screen saver
// locks the screen, logind locks the session, or the machine is about to
// sleep (T24): the session bus's org.freedesktop.ScreenSaver (and GNOME's)
// ActiveChanged(true), the system bus's login1 Session.Lock and
// Manager.PrepareForSleep(true). A machine without those buses is left to
// the idle lock. It runs for the life of the window.
func (wb *Workbench) watchScreenLock() {
	// One channel per bus: a connection closes its channels when it ends.
	var chans []chan *dbus.Signal
	if bus, err := dbus.ConnectSessionBus(); err == nil {
		ok := false
		for _, iface := range []string{"org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"} {
			ok = bus.AddMatchSignal(dbus.WithMatchInterface(iface), dbus.WithMatchMember("ActiveChanged")) == nil || ok
		}
		if ok {
			ch := make(chan *dbus.Signal, 16)
			bus.Signal(ch)
			chans = append(chans, ch)
		}
	}
	if bus, err := dbus.ConnectSystemBus(); err == nil {
		if bus.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.login1.Session"), dbus.WithMatchMember("Lock")) == nil &&
			bus.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.login1.Manager"), dbus.WithMatchMember("PrepareForSleep")) == nil {
			ch := make(chan *dbus.Signal, 16)
			bus.Signal(ch)
			chans = append(chans, ch)
		}
	}
	for _, ch := range chans {
		go func() {
			for sig := range ch {
				if locksScreen(sig.Name, sig.Body) {
					wb.ui(func() { wb.lock(lockScreen) })
				}
			}
		}()
	}
}

// locksScreen reports whether a D-Bus signal says the screen is locking or
// the machine going to sleep.
func locksScreen(name string, body []any) bool {
	switch name {
	case "org.freedesktop.login1.Session.Lock":
		return true
	case "org.freedesktop.ScreenSaver.ActiveChanged", "org.gnome.ScreenSaver.ActiveChanged", "org.freedesktop.login1.Manager.PrepareForSleep":
		on, _ := firstBool(body)
		return on
	}
	return false
}

func firstBool(body []any) (bool, bool) {
	if len(body) == 0 {
		return false, false
	}
	b, ok := body[0].(bool)
	return b, ok
}
