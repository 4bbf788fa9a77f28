package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// queueScreen is the reviewer's queue of risk events: filters, a
// virtualized list (rows are made only for what is on screen, so 100,000
// events scroll as smoothly as 100) and the selected event's view.
type queueScreen struct {
	wb *Workbench

	table *vault.EventTable // every event, newest first; nil until loaded
	shown []*vault.Event    // the table filtered and sorted

	status, severity, policy, channel, sortBy *widget.Select
	category                                  *widget.Select
	pseudonym, since, until                   *widget.Entry
	count                                     *widget.Label
	list                                      *widget.List
	detail                                    *eventView
	values                                    map[*widget.Select][]string // what each filter's options stand for
	translated                                map[*widget.Select]bool     // filters whose options are translated words
	resume                                    int                         // the list index to show after the next refresh
}

func newQueueScreen(wb *Workbench) *queueScreen {
	return &queueScreen{wb: wb}
}

func (q *queueScreen) buildUI() fyne.CanvasObject {
	q.status = q.choice(lang.L("Status"), vault.Statuses, true)
	q.selectValue(q.status, vault.StatusOpen)
	q.severity = q.choice(lang.L("Severity"), vault.Severities, true)
	q.policy = q.choice(lang.L("Policy"), nil, false)
	q.channel = q.choice(lang.L("Channel"), nil, false)
	q.category = q.choice(lang.L("Category"), categoryOrder, true)
	q.since, q.until = dateEntry(lang.L("From (YYYY-MM-DD)"), q.refresh), dateEntry(lang.L("Until (YYYY-MM-DD)"), q.refresh)
	q.pseudonym = widget.NewEntry()
	q.pseudonym.SetPlaceHolder(lang.L("Pseudonym (Ctrl+F)"))
	q.pseudonym.OnChanged = func(string) { q.refresh() }
	q.sortBy = widget.NewSelect([]string{lang.L("Newest first"), lang.L("Oldest first"), lang.L("Highest severity")}, func(string) { q.refresh() })
	q.sortBy.SetSelectedIndex(0)
	q.count = widget.NewLabel(lang.L("Loading events…"))

	q.list = widget.NewList(func() int { return len(q.shown) }, newEventRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(q.shown) {
			o.(*eventRow).set(q.shown[i])
		}
	})
	q.list.OnSelected = func(i widget.ListItemID) {
		q.wb.touch()
		if i < len(q.shown) {
			q.detail.show(q.shown[i])
		}
	}
	q.detail = newEventView(q.wb, q.onDisposed)

	filters := container.NewGridWithColumns(3, q.status, q.severity, q.category, q.policy, q.channel, q.pseudonym, q.since, q.until, q.sortBy)
	bulk := widget.NewButton(lang.L("Set status of all shown…"), q.onBulk)
	if m := q.wb.sess.Member(); !m.Has(vault.RoleReviewer) {
		bulk.Hide()
	}
	left := container.NewBorder(container.NewVBox(filters, container.NewBorder(nil, nil, nil, bulk, q.count)), nil, nil, nil, q.list)
	keys := widget.NewLabelWithStyle(lang.L("Ctrl+↓ / Ctrl+↑ next / previous event · Ctrl+R ask to read"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	left = container.NewBorder(nil, keys, nil, nil, left)
	split := container.NewHSplit(left, q.detail.buildUI())
	q.installShortcuts()
	split.Offset = 0.55
	return split
}

// choice is a filter Select over values, shown translated, whose first
// option means "any".
// Statuses and severities are words to translate (translate); policy ids
// and channel names are not.
func (q *queueScreen) choice(name string, values []string, translate bool) *widget.Select {
	s := widget.NewSelect(nil, func(string) { q.refresh() })
	s.PlaceHolder = name
	if translate {
		if q.translated == nil {
			q.translated = map[*widget.Select]bool{}
		}
		q.translated[s] = true
	}
	q.setOptions(s, name, values)
	return s
}

// setOptions offers values in s.
func (q *queueScreen) setOptions(s *widget.Select, name string, values []string) {
	if q.values == nil {
		q.values = map[*widget.Select][]string{}
	}
	q.values[s] = values
	opts := []string{lang.L("All") + " — " + name}
	for _, v := range values {
		if q.translated[s] {
			v = lang.L(v)
		}
		opts = append(opts, v)
	}
	s.Options = opts
	s.Refresh()
}

// selected returns the Select's value as a filter: nil for "any".
func (q *queueScreen) selected(s *widget.Select) []string {
	i := s.SelectedIndex()
	if vals := q.values[s]; i >= 1 && i <= len(vals) {
		return []string{vals[i-1]}
	}
	return nil
}

// selectValue selects value in s, if it is one of its values.
func (q *queueScreen) selectValue(s *widget.Select, value string) {
	if i := slices.Index(q.values[s], value); i >= 0 {
		s.SetSelectedIndex(i + 1)
	}
}

// load reads the vault's events off the UI goroutine.
func (q *queueScreen) load() {
	s, vt, began := q.wb.sess, q.wb.vt, time.Now()
	q.wb.background(func() {
		t, err := s.EventTable()
		read := time.Since(began)
		q.wb.ui(func() {
			if q.wb.queue != q { // logged out or reloaded meanwhile
				return
			}
			if err != nil {
				q.count.SetText(errorText(err))
				return
			}
			q.table = t
			q.fillChoices()
			q.refresh()
			if !q.wb.opened.IsZero() {
				q.wb.tracef("first queue page: %s after Open (%d events read in %s)", ms(time.Since(q.wb.opened)), t.Len(), ms(read))
				q.wb.opened = time.Time{}
			}
			q.loadHistory(s, vt)
		})
	})
}

// loadHistory reads the events' status changes from the log after the
// first page is shown (the log grows with every action; the queue does not
// wait for it) and shows the current event's.
func (q *queueScreen) loadHistory(s *vault.Session, vt *vault.Vault) {
	q.wb.background(func() {
		hist, err := s.EventHistory()
		names := map[string]string{}
		if ms, merr := vt.Members(); merr == nil {
			for _, m := range ms {
				names[m.Fingerprint] = m.UserID
			}
		}
		q.wb.ui(func() {
			if q.wb.queue != q || err != nil { // the history is extra: the queue works without it
				return
			}
			q.detail.history, q.detail.names = hist, names
			if ev := q.detail.ev; ev != nil {
				q.detail.hist.SetText(q.detail.historyText(ev))
			}
		})
	})
}

// fillChoices offers the policies and channels the events hold.
func (q *queueScreen) fillChoices() {
	var policies, channels []string
	for _, e := range q.table.Filter(vault.EventFilter{}) {
		if !slices.Contains(policies, e.Policy) {
			policies = append(policies, e.Policy)
		}
		if !slices.Contains(channels, e.Channel) {
			channels = append(channels, e.Channel)
		}
	}
	slices.Sort(policies)
	slices.Sort(channels)
	pol, ch := q.selected(q.policy), q.selected(q.channel)
	q.setOptions(q.policy, lang.L("Policy"), policies)
	q.setOptions(q.channel, lang.L("Channel"), channels)
	for _, p := range pol {
		q.selectValue(q.policy, p)
	}
	for _, c := range ch {
		q.selectValue(q.channel, c)
	}
}

// filter is what the filter widgets select.
func (q *queueScreen) filter() vault.EventFilter {
	f := vault.EventFilter{Status: q.selected(q.status), Severity: q.selected(q.severity), Policy: q.selected(q.policy),
		Channel: q.selected(q.channel), Category: q.selected(q.category)}
	if p := strings.TrimSpace(q.pseudonym.Text); p != "" {
		f.Pseudonym = []string{p}
	}
	// Dates are local days; "until" includes its day.
	if d, ok := parseDay(q.since.Text); ok {
		f.Since = d
	}
	if d, ok := parseDay(q.until.Text); ok {
		f.Until = d.AddDate(0, 0, 1)
	}
	return f
}

// dateEntry is a filter entry for a day; it refreshes once its text is a
// whole date or empty, and says when it is neither.
func dateEntry(placeholder string, refresh func()) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder(placeholder)
	e.Validator = func(s string) error {
		if _, ok := parseDay(s); ok || strings.TrimSpace(s) == "" {
			return nil
		}
		return fmt.Errorf("%s", lang.L("a date like 2026-03-02"))
	}
	e.OnChanged = func(s string) {
		if _, ok := parseDay(s); ok || strings.TrimSpace(s) == "" {
			refresh()
		}
	}
	return e
}

// parseDay reads YYYY-MM-DD as the start of that day, local time.
func parseDay(s string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), time.Local)
	return d, err == nil
}

// refresh filters and sorts the table into the list.
func (q *queueScreen) refresh() {
	if q.table == nil || q.list == nil {
		return
	}
	q.wb.touch()
	began := time.Now()
	defer func() {
		q.wb.tracef("filter: %s (%d of %d events)", ms(time.Since(began)), len(q.shown), q.table.Len())
	}()
	q.shown = q.table.Filter(q.filter())
	switch q.sortBy.SelectedIndex() {
	case 1:
		slices.Reverse(q.shown)
	case 2:
		slices.SortStableFunc(q.shown, func(a, b *vault.Event) int {
			return slices.Index(vault.Severities, b.Severity) - slices.Index(vault.Severities, a.Severity)
		})
	}
	q.count.SetText(fmt.Sprintf(lang.L("%d of %d events"), len(q.shown), q.table.Len()))
	q.list.UnselectAll()
	q.list.Refresh()
	at := min(q.resume, len(q.shown)-1) // after a disposition: the event that took its place
	q.resume = 0
	if at > 0 {
		q.list.ScrollTo(at)
	} else {
		q.list.ScrollToTop()
	}
	if len(q.shown) > 0 {
		q.list.Select(max(at, 0))
	} else {
		q.detail.show(nil)
	}
}

// onDisposed reloads the table after a status change, keeping the filters
// and the place in the list: a reviewer works through the queue in order.
func (q *queueScreen) onDisposed() {
	q.resume = max(q.selectedIndex(), 0)
	q.load()
}
