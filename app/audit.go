package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
	"sealroom/vault/auditlog"
)

// Columns of the access-log table, and their widths: wide enough for a
// local time, a user id (name and address), a role, an action and a
// request with its scope; the justification takes the rest and is read
// whole below the table.
const (
	colTime = iota
	colActor
	colRole
	colAction
	colTarget
	colReason
	nCols
)

var colWidths = [nCols]float32{170, 190, 90, 110, 230, 420}

// progressEvery bounds how often verification moves the progress bar:
// checking 100,000 signatures calls back hundreds of times.
const progressEvery = 100 * time.Millisecond

// auditScreen is the auditor's view of the access log: every entry in a
// virtualized table (cells are made only for what is on screen, so
// 100,000 entries scroll as smoothly as 100), filters, "who touched this
// event or conversation", verification of the whole log with a banner
// that says intact or names the first failing entry, and export of the
// bundle anyone can check with GnuPG alone.
type auditScreen struct {
	wb *Workbench

	entries []*auditlog.Entry           // the whole log, oldest first; nil until loaded
	names   map[string]string           // member fingerprint → user id
	events  map[string]*vault.Event     // "E12" → the event, looked up for the target filter; nil value: none
	looking map[string]bool             // event ids being looked up
	shown   []*auditlog.Entry           // entries filtered, in the chosen order
	values  map[*widget.Select][]string // what each filter's options stand for

	action, actor, order *widget.Select
	target               *widget.Entry
	count                *widget.Label
	table                *widget.Table
	detail               *widget.Label
	root                 *fyne.Container

	verifyBtn, exportBtn *widget.Button
	progress             *widget.ProgressBar
	banner               *fyne.Container
	bannerBar            *canvas.Rectangle
	bannerHead           *widget.RichText
	bannerBody           *widget.Label
	exported             *widget.Label
}

func newAuditScreen(wb *Workbench) screen {
	return &auditScreen{wb: wb, events: map[string]*vault.Event{}, looking: map[string]bool{}, values: map[*widget.Select][]string{}}
}

func (a *auditScreen) buildUI() fyne.CanvasObject {
	a.action = a.choice(lang.L("Action"))
	a.actor = a.choice(lang.L("Actor"))
	a.target = widget.NewEntry()
	a.target.SetPlaceHolder(lang.L("Event, request or conversation (E12, r3, c3f2a9…)"))
	a.target.OnChanged = func(string) { a.refresh() }
	a.order = widget.NewSelect([]string{lang.L("Newest first"), lang.L("Oldest first")}, func(string) { a.refresh() })
	a.order.SetSelectedIndex(0)
	a.count = widget.NewLabel(lang.L("Loading the access log…"))

	a.table = widget.NewTableWithHeaders(func() (int, int) { return len(a.shown), nCols }, newAuditCell, a.updateCell)
	a.table.ShowHeaderColumn = false
	a.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	a.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText(columnTitle(id.Col))
	}
	for c, w := range colWidths {
		a.table.SetColumnWidth(c, w)
	}
	a.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(a.shown) {
			a.detail.SetText(a.detailText(a.shown[id.Row]))
		}
	}
	a.detail = widget.NewLabel(lang.L("Select an entry to read it whole."))
	a.detail.Wrapping = fyne.TextWrapWord

	a.verifyBtn = widget.NewButton(lang.L("Verify the log"), a.onVerify)
	a.verifyBtn.Importance = widget.HighImportance
	a.exportBtn = widget.NewButton(lang.L("Export for auditors…"), a.onExport)
	a.progress = widget.NewProgressBar()
	a.progress.Hide()
	a.bannerBar = canvas.NewRectangle(theme.Color(theme.ColorNameDisabled))
	a.bannerBar.SetMinSize(fyne.NewSize(6, 6))
	a.bannerHead = widget.NewRichText()
	a.bannerBody = widget.NewLabel("")
	a.bannerBody.Wrapping = fyne.TextWrapWord
	a.banner = container.NewBorder(nil, nil, a.bannerBar, nil, container.NewVBox(a.bannerHead, a.bannerBody))
	a.banner.Hide()
	a.exported = widget.NewLabel("")
	a.exported.Wrapping = fyne.TextWrapWord
	a.exported.Hide()

	actions := container.NewBorder(nil, nil, container.NewHBox(a.verifyBtn, a.exportBtn), nil, a.progress)
	filters := container.NewGridWithColumns(4, a.action, a.actor, a.target, a.order)
	top := container.NewVBox(actions, a.banner, a.exported, filters, a.count)
	detail := container.NewVScroll(a.detail)
	detail.SetMinSize(fyne.NewSize(0, 110)) // about four lines; a long justification scrolls
	a.root = container.NewBorder(top, detail, nil, nil, a.table)
	return a.root
}

func columnTitle(c int) string {
	switch c {
	case colTime:
		return lang.L("Time")
	case colActor:
		return lang.L("Actor")
	case colRole:
		return lang.L("Role")
	case colAction:
		return lang.L("Action")
	case colTarget:
		return lang.L("Target")
	}
	return lang.L("Justification or reason")
}

func newAuditCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func (a *auditScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row < 0 || id.Row >= len(a.shown) {
		return
	}
	o.(*widget.Label).SetText(a.cellText(a.shown[id.Row], id.Col))
}

// cellText is what column col shows of e, on one line.
func (a *auditScreen) cellText(e *auditlog.Entry, col int) string {
	switch col {
	case colTime:
		return e.When().Local().Format(time.DateTime)
	case colActor:
		return a.name(e.Actor)
	case colRole:
		if e.Role == "" {
			return ""
		}
		return lang.L(e.Role)
	case colAction:
		return e.Action
	case colTarget:
		t := e.Target
		if n, ok := a.names[t]; ok {
			t = n + " (" + short(t) + ")"
		}
		if sc := e.Detail["scope"]; sc != "" {
			t += " · " + sc
		}
		return t
	}
	return strings.Join(strings.Fields(e.Reason), " ")
}

// name is a member's user id, or the fingerprint's start for a key the
// vault does not list.
func (a *auditScreen) name(fpr string) string {
	if n, ok := a.names[fpr]; ok {
		return n
	}
	return short(fpr)
}

func short(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}

// detailText is an entry whole: every field, the details sorted by key.
func (a *auditScreen) detailText(e *auditlog.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d · %s · %s · %s (%s)", e.Seq, e.When().Local().Format("2006-01-02 15:04:05.000 MST"), e.Action, a.name(e.Actor), e.Actor)
	if e.Target != "" {
		fmt.Fprintf(&b, "\n%s: %s", lang.L("Target"), e.Target)
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, "\n%s: %s", lang.L("Justification or reason"), e.Reason)
	}
	keys := make([]string, 0, len(e.Detail))
	for k := range e.Detail {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\n%s: %s", k, e.Detail[k])
	}
	fmt.Fprintf(&b, "\n%s: %s", lang.L("Previous entry's hash"), e.Prev)
	return b.String()
}

// choice is a filter Select whose first option means "any".
func (a *auditScreen) choice(name string) *widget.Select {
	s := widget.NewSelect(nil, func(string) { a.refresh() })
	s.PlaceHolder = name
	a.setOptions(s, name, nil, nil)
	return s
}

// setOptions offers values, shown as labels, keeping the selected value.
func (a *auditScreen) setOptions(s *widget.Select, name string, values, labels []string) {
	keep := a.selected(s)
	a.values[s] = values
	s.Options = append([]string{lang.L("All") + " — " + name}, labels...)
	i := slices.Index(values, keep)
	s.SetSelectedIndex(i + 1) // 0, "all", when the value is gone
	s.Refresh()
}

// selected is the Select's value; "" for any.
func (a *auditScreen) selected(s *widget.Select) string {
	i := s.SelectedIndex()
	if vals := a.values[s]; i >= 1 && i <= len(vals) {
		return vals[i-1]
	}
	return ""
}

// load reads the log and the members off the UI goroutine.
func (a *auditScreen) load() {
	s, vt := a.wb.sess, a.wb.vt
	a.wb.background(func() {
		entries, err := s.LogEntries(0)
		members, merr := vt.Members()
		a.wb.ui(func() {
			if !a.current(s) {
				return
			}
			if err = errors.Join(err, merr); err != nil {
				a.entries = nil
				a.refresh()
				a.count.SetText(errorText(err))
				if le := (*auditlog.Error)(nil); errors.As(err, &le) {
					a.showResult(nil, err)
				}
				return
			}
			a.entries = entries
			a.names = map[string]string{}
			for _, m := range members {
				a.names[m.Fingerprint] = m.UserID
			}
			a.fillChoices()
			a.refresh()
		})
	})
}

// current tells whether the screen still shows session s: a result that
// arrives after a logout or a switch of identity is dropped.
func (a *auditScreen) current(s *vault.Session) bool {
	return s != nil && a.wb.sess == s && slices.Contains(a.wb.screens, screen(a))
}

// fillChoices offers the actions and actors the log holds.
func (a *auditScreen) fillChoices() {
	var actions, actors []string
	for _, e := range a.entries {
		if !slices.Contains(actions, e.Action) {
			actions = append(actions, e.Action)
		}
		if !slices.Contains(actors, e.Actor) {
			actors = append(actors, e.Actor)
		}
	}
	slices.Sort(actions)
	slices.SortFunc(actors, func(x, y string) int { return strings.Compare(a.name(x), a.name(y)) })
	names := make([]string, len(actors))
	for i, f := range actors {
		names[i] = a.name(f)
	}
	a.setOptions(a.action, lang.L("Action"), actions, actions)
	a.setOptions(a.actor, lang.L("Actor"), actors, names)
}

// refresh filters the log into the table.
func (a *auditScreen) refresh() {
	if a.table == nil {
		return
	}
	match, pending := a.targetFilter(a.target.Text)
	if pending {
		return // an event is being looked up; its answer refreshes again
	}
	action, actor := a.selected(a.action), a.selected(a.actor)
	a.shown = a.shown[:0]
	for _, e := range a.entries {
		if (action == "" || e.Action == action) && (actor == "" || e.Actor == actor) && (match == nil || match(e)) {
			a.shown = append(a.shown, e)
		}
	}
	if a.order.SelectedIndex() != 1 {
		slices.Reverse(a.shown)
	}
	if a.entries != nil {
		a.count.SetText(fmt.Sprintf(lang.L("%d of %d entries"), len(a.shown), len(a.entries)))
	}
	a.table.UnselectAll()
	a.table.Refresh()
	a.table.ScrollToTop()
	a.detail.SetText(lang.L("Select an entry to read it whole."))
}

// targetFilter returns what the target field selects (nil: everything).
// It matches the entries whose target is what was typed (an event "E12",
// a request "r3", a member's fingerprint from 6 digits on), the requests
// whose scope is in the conversation typed (its id, or a prefix of at
// least 6 digits) or holds the event's message, and every later entry
// about those requests (approvals, grant, unlock, refusals): who touched
// this event or this conversation. pending is true while an event id is
// being looked up in the vault.
func (a *auditScreen) targetFilter(text string) (match func(*auditlog.Entry) bool, pending bool) {
	q := strings.ToLower(strings.TrimSpace(text))
	if q == "" {
		return nil, false
	}
	// The places whose requests count: a conversation (Seq 0: any
	// message of it) and the message of an event. A 12-digit conversation
	// id can read as an event id too ("e12345678901"): both are tried.
	var places []vault.Scope
	if isHex(q) && len(q) >= 6 {
		places = append(places, vault.Scope{Conversation: q})
	}
	if isEventID(q) {
		id := "E" + q[1:]
		ev, ok := a.events[id]
		if !ok {
			a.lookupEvent(id)
			return nil, true
		}
		if ev != nil {
			places = append(places, vault.Scope{Conversation: ev.Conversation, From: int(ev.Seq)})
		}
	}
	related := map[string]bool{} // request ids
	for _, e := range a.entries {
		if e.Action != auditlog.ActionRequest || len(places) == 0 {
			continue
		}
		scope := e.Detail["scope"] // "conversation:from-to"
		if !slices.ContainsFunc(places, func(p vault.Scope) bool { return strings.HasPrefix(scope, p.Conversation) }) {
			continue // most requests are about other conversations: skip the parse
		}
		sc, err := vault.ParseScope(scope)
		if err != nil {
			continue
		}
		for _, p := range places {
			if strings.HasPrefix(sc.Conversation, p.Conversation) && (p.From == 0 || sc.From <= p.From && p.From <= sc.To) {
				related[strings.ToLower(e.Target)] = true
			}
		}
	}
	return func(e *auditlog.Entry) bool {
		t := strings.ToLower(e.Target)
		return t == q || related[t] || (len(q) >= 6 && isHex(q) && strings.HasPrefix(t, q))
	}, false
}

// lookupEvent reads an event for the target filter, then filters again.
func (a *auditScreen) lookupEvent(id string) {
	if a.looking[id] {
		return
	}
	a.looking[id] = true
	s := a.wb.sess
	n, err := vault.ParseEventID(id)
	a.wb.background(func() {
		var ev *vault.Event
		if err == nil {
			ev, _ = s.Event(n) // no such event: nothing more to match
		}
		a.wb.ui(func() {
			if !a.current(s) {
				return
			}
			a.events[id] = ev
			delete(a.looking, id)
			a.refresh()
		})
	})
}

func isEventID(q string) bool {
	return len(q) > 1 && q[0] == 'e' && strings.Trim(q[1:], "0123456789") == ""
}

func isHex(q string) bool {
	return strings.Trim(q, "0123456789abcdef") == ""
}
