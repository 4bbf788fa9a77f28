package app

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

func TestLocksScreen(t *testing.T) {
	for _, c := range []struct {
		name string
		body []any
		want bool
	}{
		{"org.freedesktop.ScreenSaver.ActiveChanged", []any{true}, true},
		{"org.freedesktop.ScreenSaver.ActiveChanged", []any{false}, false},
		{"org.gnome.ScreenSaver.ActiveChanged", []any{true}, true},
		{"org.freedesktop.login1.Session.Lock", nil, true},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{true}, true},
		{"org.freedesktop.login1.Manager.PrepareForSleep", []any{false}, false},
		{"org.freedesktop.ScreenSaver.ActiveChanged", []any{"yes"}, false},
		{"org.freedesktop.Notifications.NotificationClosed", []any{uint32(1)}, false},
	} {
		if got := locksScreen(c.name, c.body); got != c.want {
			t.Errorf("locksScreen(%s, %v) = %v", c.name, c.body, got)
		}
	}
}

// TestScreenLockSignal: on a private D-Bus, the screen saver's
// ActiveChanged(true) locks a logged-in workbench.
func TestScreenLockSignal(t *testing.T) {
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus): the signal path is untested here; TestLocksScreen covers the decision")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	must(t, err)
	addr = strings.TrimSpace(addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", addr) // not the machine's

	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	updates := make(chan func(), 4)
	wb.ui = func(u func()) { updates <- u }
	go wb.watchScreenLock()

	sender, err := dbus.Connect(addr)
	must(t, err)
	defer sender.Close()
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond) // until the watcher has subscribed
	defer tick.Stop()
	for {
		select {
		case u := <-updates:
			u()
			if wb.sess != nil || wb.open == nil || !strings.Contains(wb.open.status.Text, "Locked with the screen") {
				t.Fatalf("after the screen locked: session %v, status %q", wb.sess != nil, wb.open.status.Text)
			}
			return
		case <-tick.C:
			must(t, sender.Emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", true))
		case <-deadline:
			t.Fatal("the screen lock signal did not lock the workbench")
		}
	}
}
