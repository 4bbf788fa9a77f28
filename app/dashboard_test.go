package app

import (
	"testing"
	"time"

	"sealroom/vault"
)

func TestDashboardCounts(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.Local) // a Wednesday
	ev := func(daysAgo int, cat, sev, status string) *vault.Event {
		return &vault.Event{Time: now.AddDate(0, 0, -daysAgo), Category: cat, Severity: sev, Status: status}
	}
	evs := []*vault.Event{
		ev(0, "bribery", "critical", vault.StatusOpen),
		ev(1, "bribery", "high", vault.StatusEscalated),
		ev(8, "off-channel", "high", vault.StatusOpen),
		ev(400, "threats", "low", vault.StatusOpen), // outside the 12 weeks
	}
	reqs := []vault.RequestInfo{
		{Created: now.Add(-time.Hour)}, // pending
		{Created: now.Add(-2 * time.Hour), Granted: true, Expires: now.Add(time.Hour)}, // granted this month
		{Created: now.AddDate(0, -2, 0), Granted: true, Expires: now.AddDate(0, -2, 1)},
		{Created: now.Add(-time.Hour), Denied: true},
	}
	d := dashboard(evs, reqs, now)
	if d.open != 3 || d.escalated != 1 || d.total != 4 || d.pending != 1 || d.granted != 1 {
		t.Fatalf("tiles: open %d escalated %d total %d pending %d granted %d", d.open, d.escalated, d.total, d.pending, d.granted)
	}
	if len(d.weeks) != dashWeeks {
		t.Fatalf("%d weeks", len(d.weeks))
	}
	sum := func(rows [][]int, col int) (n int) {
		for _, r := range rows {
			n += r[col]
		}
		return n
	}
	last := d.byCategory[dashWeeks-1]
	if last[2] != 2 { // bribery, this week (Monday 23 November to now)
		t.Errorf("bribery this week: %d, want 2 (%v)", last[2], d.byCategory)
	}
	if sum(d.byCategory, 0) != 1 || sum(d.byCategory, 6) != 0 {
		t.Errorf("off-channel %d (want 1), threats %d (want 0: too old)", sum(d.byCategory, 0), sum(d.byCategory, 6))
	}
	if sum(d.bySeverity, 3) != 1 || sum(d.bySeverity, 2) != 2 {
		t.Errorf("by severity: %v", d.bySeverity)
	}
}
