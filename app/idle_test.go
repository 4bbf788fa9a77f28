package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
)

func TestIdleLock(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	if wb.sess == nil {
		t.Fatal("login failed")
	}
	now := time.Now()
	if wb.lockIfIdle(5*time.Minute, now.Add(4*time.Minute)) || wb.sess == nil {
		t.Fatal("locked after 4 minutes of a 5-minute idle lock")
	}
	wb.queue.list.Select(1) // input: the clock starts again
	if wb.lockIfIdle(5*time.Minute, now.Add(5*time.Minute)) {
		t.Fatal("locked although there was input since")
	}
	if !wb.lockIfIdle(5*time.Minute, time.Now().Add(5*time.Minute+time.Second)) {
		t.Fatal("not locked after 5 minutes without input")
	}
	if wb.sess != nil || wb.queue != nil || wb.id != nil || wb.open == nil {
		t.Fatal("the lock left the session, the queue or the key")
	}
	if !strings.Contains(wb.open.status.Text, "Locked") {
		t.Fatalf("open screen says %q", wb.open.status.Text)
	}
}

// TestTrace: --trace reports the open-to-first-page, filter and event
// timings, and nothing a message says.
func TestTrace(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	var buf strings.Builder
	wb.opts.Trace = &buf
	openAs(t, wb, f, "rita", testPassphrase)
	wb.queue.selectValue(wb.queue.severity, "critical")
	out := buf.String()
	for _, want := range []string{"trace: key unlocked, vault opened, logged in: ", "trace: first queue page: ", "trace: filter: ", "trace: event view: "} {
		if !strings.Contains(out, want) {
			t.Errorf("trace lacks %q:\n%s", want, out)
		}
	}
	for _, text := range riskTexts {
		for _, w := range strings.Fields(text) {
			if len(w) > 3 && strings.Contains(out, w) {
				t.Errorf("trace holds message text %q:\n%s", w, out)
			}
		}
	}
}

// TestShortcuts moves through the queue with Ctrl+↓/↑ and focuses the
// pseudonym filter with Ctrl+F; logout removes them.
func TestShortcuts(t *testing.T) {
	f := newFixture(t)
	wb, w := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	q := wb.queue
	press := func(sc fyne.Shortcut) { w.Canvas().(fyne.Shortcutable).TypedShortcut(sc) }
	if q.selectedIndex() != 0 {
		t.Fatalf("selected %d after login", q.selectedIndex())
	}
	press(scNext)
	press(scNext)
	press(scPrev)
	if q.selectedIndex() != 1 {
		t.Fatalf("after down, down, up: event %d shown, want 1", q.selectedIndex())
	}
	press(scFind)
	if w.Canvas().Focused() != q.pseudonym {
		t.Fatal("Ctrl+F does not focus the pseudonym filter")
	}
	wb.logout()
	if len(wb.shortcuts) != 0 {
		t.Fatal("logout kept the shortcuts")
	}
	press(scNext) // must not reach the dropped queue
}
