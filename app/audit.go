package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

// onVerify checks the whole log in the background, moving the progress
// bar at most every progressEvery, and shows the result in the banner.
func (a *auditScreen) onVerify() {
	s := a.wb.sess
	a.verifyBtn.Disable()
	a.exportBtn.Disable()
	a.progress.SetValue(0)
	a.progress.Show()
	a.wb.background(func() {
		progress := throttle(progressEvery, time.Now, func(v float64) { a.wb.ui(func() { a.progress.SetValue(v) }) })
		rep, err := s.VerifyLog(vault.LogOptions{Progress: progress})
		a.wb.ui(func() {
			if !a.current(s) {
				return
			}
			a.verifyBtn.Enable()
			a.exportBtn.Enable()
			a.progress.Hide()
			a.showResult(rep, err)
		})
	})
}

// throttle passes progress on to set as a fraction, at most once per
// every by the clock now, and always when done reaches total.
func throttle(every time.Duration, now func() time.Time, set func(float64)) func(done, total int) {
	var (
		mu      sync.Mutex // the verifier calls from one goroutine at a time; the lock says so to the race detector
		last    time.Time
		started bool
	)
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total <= 0 {
			return
		}
		t := now()
		if done < total && started && t.Sub(last) < every {
			return
		}
		started, last = true, t
		set(float64(done) / float64(total))
	}
}

// showResult fills the banner: intact with what was checked, or NOT
// intact with the first failing entry and why (which it also selects in
// the table, when shown).
func (a *auditScreen) showResult(rep *auditlog.Report, err error) {
	head := &widget.TextSegment{Style: widget.RichTextStyle{ColorName: theme.ColorNameSuccess, SizeName: theme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true}}}
	now := time.Now().Local().Format(time.DateTime)
	if err != nil {
		head.Text = lang.L("Access log NOT intact")
		head.Style.ColorName = theme.ColorNameError
		a.bannerBar.FillColor = theme.Color(theme.ColorNameError)
		body := errorText(err)
		if le := (*auditlog.Error)(nil); errors.As(err, &le) {
			if le.Index > 0 {
				body = fmt.Sprintf(lang.L("First failing entry: #%d, %s check."), le.Index, le.Class) + "\n" + body
				a.reveal(le.Index)
			} else {
				body = fmt.Sprintf(lang.L("The log as a whole fails the %s check."), le.Class) + "\n" + body
			}
		}
		a.bannerBody.SetText(body + "\n" + fmt.Sprintf(lang.L("Checked %s."), now))
	} else {
		head.Text = lang.L("Access log intact")
		a.bannerBar.FillColor = theme.Color(theme.ColorNameSuccess)
		a.bannerBody.SetText(fmt.Sprintf(lang.L("%d entries, %d signatures checked, every entry linked to the one before. Head %s…, Merkle root %s. Checked %s."),
			rep.Entries, rep.Signatures, rep.Head[:min(16, len(rep.Head))], rep.Root, now))
	}
	a.bannerHead.Segments = []widget.RichTextSegment{head}
	a.bannerHead.Refresh()
	a.bannerBar.Refresh()
	a.banner.Show()
	a.root.Refresh() // the banner's height changed: lay the screen out again
}

// reveal selects entry seq in the table, if the filters show it.
func (a *auditScreen) reveal(seq uint64) {
	if i := slices.IndexFunc(a.shown, func(e *auditlog.Entry) bool { return e.Seq == seq }); i >= 0 {
		a.table.Select(widget.TableCellID{Row: i, Col: colAction})
	}
}

// onExport asks for a folder and writes the verifiable bundle in a new
// folder inside it (the vault writes only to a folder that does not exist
// yet, so nothing already there is ever overwritten).
func (a *auditScreen) onExport() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, a.wb.win)
			return
		}
		if u != nil {
			a.export(u.Path())
		}
	}, a.wb.win)
	d.Resize(a.wb.win.Canvas().Size())
	d.Show()
}

// export writes the bundle to a new folder in parent.
func (a *auditScreen) export(parent string) {
	s := a.wb.sess
	base := strings.TrimSuffix(filepath.Base(a.wb.vt.Path()), filepath.Ext(a.wb.vt.Path()))
	dir := filepath.Join(parent, fmt.Sprintf("%s-access-log-%s", base, time.Now().Format("20060102-150405")))
	a.verifyBtn.Disable()
	a.exportBtn.Disable()
	a.say(lang.L("Exporting…"))
	a.wb.background(func() {
		rep, err := s.ExportLog(dir)
		a.wb.ui(func() {
			if !a.current(s) {
				return
			}
			a.verifyBtn.Enable()
			a.exportBtn.Enable()
			if err != nil {
				a.say(errorText(err))
				return
			}
			a.say(fmt.Sprintf(lang.L("Exported %d entries, signed and with inclusion proofs, to %s. Anyone can check it without Sealroom, with GnuPG alone: ./verify.sh in that folder."), rep.Entries, dir))
			a.load() // the export is itself an entry of the log
		})
	})
}

// say shows an export's progress or result above the filters.
func (a *auditScreen) say(text string) {
	a.exported.SetText(text)
	a.exported.Show()
	a.root.Refresh() // the text's height changed: lay the screen out again
}
