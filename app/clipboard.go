package app

import (
	"strings"
	"time"
)

// clipboardHold is how long unlocked text copied to the clipboard may stay
// there (T24; KeePassXC clears after 10 s by default, we allow 30 s for
// pasting into a case-management tool).
const clipboardHold = 30 * time.Second

// clipboardGuard clears the clipboard of text copied from an unlocked
// conversation: clipboardHold after it was first seen there, and when the
// view closes — but only while the clipboard still holds that text, so
// what the member copied since from elsewhere is left alone.
type clipboardGuard struct {
	texts []string  // the view's message texts
	seen  string    // our text last found on the clipboard
	since time.Time // when it was first found
}

// ours reports whether s, a clipboard's content, was copied from the view.
func (g *clipboardGuard) ours(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, t := range g.texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// check looks at the clipboard at now and clears it once our text has been
// there for clipboardHold, or at once when closing.
func (g *clipboardGuard) check(cb interface {
	Content() string
	SetContent(string)
}, now time.Time, closing bool) {
	c := cb.Content()
	if !g.ours(c) {
		g.seen = ""
		return
	}
	if c != g.seen {
		g.seen, g.since = c, now
	}
	if closing || now.Sub(g.since) >= clipboardHold {
		cb.SetContent("")
		g.seen = ""
	}
}
