package app

import (
	"testing"
	"time"
)

type fakeClipboard struct{ s string }

func (c *fakeClipboard) Content() string     { return c.s }
func (c *fakeClipboard) SetContent(s string) { c.s = s }

// TestClipboardGuard: copied unlocked text is cleared 30 s after it was
// first seen and when the view closes, but never what came from elsewhere.
func TestClipboardGuard(t *testing.T) {
	g := clipboardGuard{texts: []string{"the kickback goes to 4111 1111 1111 1111 tomorrow", "lunch?"}}
	cb := &fakeClipboard{s: "kickback goes to 4111"}
	t0 := time.Now()
	g.check(cb, t0, false)
	g.check(cb, t0.Add(clipboardHold-time.Second), false)
	if cb.s == "" {
		t.Fatal("cleared before 30 s")
	}
	g.check(cb, t0.Add(clipboardHold), false)
	if cb.s != "" {
		t.Fatalf("still on the clipboard after 30 s: %q", cb.s)
	}

	cb.s = "a note from another program"
	g.check(cb, t0.Add(time.Hour), true)
	if cb.s != "a note from another program" {
		t.Fatal("cleared text that did not come from the view")
	}
	cb.s = "lunch?"
	g.check(cb, t0.Add(time.Hour), true)
	if cb.s != "" {
		t.Fatal("closing the view left its text on the clipboard")
	}
}
