package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sealroom/review/redact"
	"sealroom/vault"
)

// The key screens' widget trees, against masters in testdata/ (a changed
// master is written to testdata/failed/; look at it, then copy it over).

func TestGoldenOpen(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme())
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1200, 760))
	New(a, w, Options{Vault: "archive/2026.vault", Identity: "keys/rita.asc", Keyring: t.TempDir()})
	test.AssertRendersToMarkup(t, "open.xml", w.Canvas())
}

// goldenEvent is a masked event as the vault would keep it.
func goldenEvent() *vault.Event {
	text := "•••• •• kickback •• [CARD] •••••••• P-7KQ2M4XA"
	return &vault.Event{ID: 42, Policy: "bribery", Category: "bribery", Severity: "critical", Score: 2,
		Conversation: "3f2a9b1c4d5e", Seq: 17, Chunk: 0, Time: time.Date(2026, 3, 2, 9, 14, 0, 0, time.UTC),
		Channel: "whatsapp", Direction: "external", Participants: []string{"P-7KQ2M4XA", "P-H3J9TT21"},
		Entities: []string{"CARD"}, Excerpt: text, Status: vault.StatusOpen,
		Marks: []redact.Mark{mark(text, "kickback", redact.Term), mark(text, "[CARD]", redact.Entity), mark(text, "P-7KQ2M4XA", redact.Name)}}
}

func mark(text, what string, k redact.Kind) redact.Mark {
	i := strings.Index(text, what)
	return redact.Mark{Start: i, End: i + len(what), Kind: k}
}

func TestGoldenEventView(t *testing.T) {
	f := newFixture(t)
	wb, w := newTestWorkbench(t, f)
	openAs(t, wb, f, "rita", testPassphrase)
	v := newEventView(wb, nil)
	v.history = map[uint64][]vault.StatusChange{} // read: no change yet
	w.SetContent(v.buildUI())
	v.show(goldenEvent())
	test.AssertRendersToMarkup(t, "event.xml", w.Canvas())
}

func TestGoldenDashboard(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var evs []*vault.Event
	for i := range 60 {
		evs = append(evs, &vault.Event{Time: now.Add(-time.Duration(i*31) * time.Hour), Category: categoryOrder[i%len(categoryOrder)],
			Severity: vault.Severities[i%len(vault.Severities)], Status: vault.Statuses[i%3]})
	}
	reqs := []vault.RequestInfo{{Created: now.Add(-time.Hour)}, {Created: now.Add(-time.Hour), Granted: true, Expires: now.Add(time.Hour)}}
	a := test.NewTempApp(t)
	a.Settings().SetTheme(Theme())
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1200, 760))
	d := &dashboardScreen{}
	w.SetContent(d.render(dashboard(evs, reqs, now)))
	test.AssertRendersToMarkup(t, "dashboard.xml", w.Canvas())
}
