package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sealroom/review/redact"
	"sealroom/vault"
)

// eventView shows one risk event: what fired, where and when, the redacted
// excerpt with its matched terms and placeholders picked out, why it was
// flagged, and the disposition controls.
type eventView struct {
	wb         *Workbench
	onDisposed func()
	ev         *vault.Event

	title   *widget.Label
	meta    *widget.Form
	excerpt *widget.RichText
	why     *widget.Label
	status  *widget.Select
	note    *widget.Entry
	apply   *widget.Button
	result  *widget.Label
	ask     *widget.Button
	hist    *widget.Label
	body    *fyne.Container

	history map[uint64][]vault.StatusChange // by event, from the queue's load
	names   map[string]string               // member fingerprint → user id
	empty   *widget.Label
}

func newEventView(wb *Workbench, onDisposed func()) *eventView {
	return &eventView{wb: wb, onDisposed: onDisposed}
}

func (v *eventView) buildUI() fyne.CanvasObject {
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.meta = widget.NewForm()
	v.excerpt = widget.NewRichText()
	v.excerpt.Wrapping = fyne.TextWrapWord
	v.why = widget.NewLabel("")
	v.why.Wrapping = fyne.TextWrapWord
	var statuses []string
	for _, st := range vault.Statuses {
		statuses = append(statuses, lang.L(st))
	}
	v.status = widget.NewSelect(statuses, nil)
	v.note = widget.NewMultiLineEntry()
	v.note.OnChanged = func(string) { v.wb.touch() }
	v.note.SetPlaceHolder(lang.L("Note for the record (required to close an event)"))
	v.note.SetMinRowsVisible(2)
	v.apply = widget.NewButton(lang.L("Set status"), v.onApply)
	v.result = widget.NewLabel("")
	v.empty = widget.NewLabel(lang.L("No event selected."))
	v.ask = widget.NewButton(lang.L("Ask to read… (Ctrl+R)"), v.onAsk)
	v.ask.Importance = widget.HighImportance
	if m := v.wb.sess.Member(); !m.Has(vault.RoleReviewer) {
		v.ask.Hide()
	}

	excerptBox := section(lang.L("Excerpt, as the vault keeps it (redacted)"), v.excerpt)
	whyBox := section(lang.L("Why this was flagged"), v.why)
	dispose := section(lang.L("Disposition"), container.NewVBox(v.status, v.note, container.NewHBox(v.apply), v.result))
	v.hist = widget.NewLabel("")
	v.hist.Wrapping = fyne.TextWrapWord
	histBox := section(lang.L("History"), v.hist)
	if m := v.wb.sess.Member(); !m.Has(vault.RoleReviewer) {
		dispose.Hide() // dispositions are the reviewers' (Session.SetStatus)
	}
	v.body = container.NewVBox(container.NewBorder(nil, nil, nil, v.ask, v.title), v.meta, excerptBox, whyBox, dispose, histBox)
	v.body.Hide()
	return container.NewVScroll(container.NewPadded(container.NewStack(v.empty, v.body)))
}

// show displays ev (nil: nothing selected).
func (v *eventView) show(ev *vault.Event) {
	defer func(began time.Time) {
		if ev != nil {
			v.wb.tracef("event view: %s", ms(time.Since(began)))
		}
	}(time.Now())
	v.ev = ev
	if ev == nil {
		v.body.Hide()
		v.empty.Show()
		return
	}
	v.empty.Hide()
	v.title.SetText(fmt.Sprintf("%s · %s · %s", vault.EventID(ev.ID), ev.Policy, lang.L(ev.Severity)))
	v.meta.Items = nil
	add := func(k, val string) {
		l := widget.NewLabel(val)
		l.Wrapping = fyne.TextWrapWord // a group chat's participants run long
		v.meta.Append(k, l)
	}
	add(lang.L("Category"), lang.L(ev.Category))
	add(lang.L("Score"), fmt.Sprintf("%.1f", ev.Score))
	add(lang.L("Time"), ev.Time.Local().Format("2006-01-02 15:04:05 MST"))
	add(lang.L("Channel"), fmt.Sprintf("%s · %s", ev.Channel, directionText(ev.Direction)))
	add(lang.L("Conversation"), fmt.Sprintf(lang.L("%s, message %d"), ev.Conversation, ev.Seq))
	add(lang.L("Participants"), strings.Join(ev.Participants, ", "))
	if len(ev.Entities) > 0 {
		add(lang.L("Personal data"), strings.Join(ev.Entities, ", "))
	}
	status := lang.L(ev.Status)
	if ev.Status != vault.StatusOpen && !ev.Updated.IsZero() {
		status += " · " + ev.Updated.Local().Format(time.DateTime)
	}
	add(lang.L("Status"), status)
	if ev.Note != "" {
		add(lang.L("Note"), ev.Note)
	}
	v.meta.Refresh()
	v.excerpt.Segments = excerptSegments(ev.Excerpt, ev.Marks)
	v.excerpt.Refresh()
	v.why.SetText(whyText(ev))
	v.hist.SetText(v.historyText(ev))
	v.status.SetSelectedIndex(slices.Index(vault.Statuses, ev.Status))
	v.note.SetText("")
	v.result.SetText("")
	v.body.Show()
}

// historyText lists an event's status changes, newest first.
func (v *eventView) historyText(ev *vault.Event) string {
	if v.history == nil {
		return lang.L("Loading…") // read from the log after the queue shows
	}
	h := v.history[ev.ID]
	if len(h) == 0 {
		return lang.L("Flagged at import; no status change since.")
	}
	var b strings.Builder
	for i := len(h) - 1; i >= 0; i-- {
		c := h[i]
		who := v.names[c.Actor]
		if who == "" {
			who = groupHex(c.Actor)
		}
		fmt.Fprintf(&b, "%s · %s: %s → %s", c.Time.Local().Format("2006-01-02 15:04"), who, lang.L(c.From), lang.L(c.To))
		if c.Note != "" {
			fmt.Fprintf(&b, " — “%s”", c.Note)
		}
		if i > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// section is a titled part of a view: a separator, a bold title, content.
func section(title string, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), content)
}

// directionText says who took part in an event's conversation.
func directionText(d string) string {
	switch d {
	case "internal":
		return lang.L("internal only")
	case "external":
		return lang.L("with external participants")
	}
	return lang.L("direction unknown (no firm domains configured)")
}

// excerptSegments renders an excerpt with its marks: matched terms strong
// in the highlight colour, placeholders and pseudonyms in the redaction
// colour, the rest plain.
func excerptSegments(text string, marks []redact.Mark) []widget.RichTextSegment {
	if text == "" {
		return []widget.RichTextSegment{&widget.TextSegment{Text: lang.L("(this vault keeps no excerpt: its redaction level is sealed)"),
			Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Italic: true}}}}
	}
	var segs []widget.RichTextSegment
	plain := func(s string) {
		if s != "" {
			segs = append(segs, &widget.TextSegment{Text: s, Style: widget.RichTextStyleInline})
		}
	}
	at := 0
	for _, m := range marks {
		if m.Start < at || m.End > len(text) || m.Start >= m.End {
			continue // out of order or out of range: shown as plain text
		}
		plain(text[at:m.Start])
		style := widget.RichTextStyle{Inline: true, ColorName: colorTerm, TextStyle: fyne.TextStyle{Bold: true}}
		if m.Kind != redact.Term {
			style = widget.RichTextStyle{Inline: true, ColorName: colorRedacted, TextStyle: fyne.TextStyle{Monospace: true}}
		}
		segs = append(segs, &widget.TextSegment{Text: text[m.Start:m.End], Style: style})
		at = m.End
	}
	plain(text[at:])
	return segs
}

// whyText explains an event in a sentence or two.
func whyText(ev *vault.Event) string {
	var terms []string
	for _, m := range ev.Marks {
		if m.Kind == redact.Term && m.End <= len(ev.Excerpt) {
			if t := ev.Excerpt[m.Start:m.End]; !containsFold(terms, t) {
				terms = append(terms, t)
			}
		}
	}
	s := fmt.Sprintf(lang.L("The %s policy (%s, %s severity) matched this message with a score of %.1f."), ev.Policy, lang.L(ev.Category), lang.L(ev.Severity), ev.Score)
	if len(terms) > 0 {
		s += " " + fmt.Sprintf(lang.L("Matched: %s."), "“"+strings.Join(terms, "”, “")+"”")
	}
	if len(ev.Entities) > 0 {
		s += " " + fmt.Sprintf(lang.L("It also holds personal data (%s), replaced by placeholders."), strings.Join(ev.Entities, ", "))
	}
	return s
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// onAsk opens the unlock request form for the event.
func (v *eventView) onAsk() {
	v.wb.touch()
	if m := v.wb.sess.Member(); v.ev == nil || !m.Has(vault.RoleReviewer) {
		return
	}
	newRequestForm(v.wb, v.ev, func(id string) {
		msg := fmt.Sprintf(lang.L("Request %s sent: two officers must approve it. It is in My unlocks."), id)
		v.result.SetText(msg)
		dialog.ShowInformation(lang.L("Request sent"), msg, v.wb.win)
	}).show()
}

// onApply records the chosen status, with the note, as a log entry.
func (v *eventView) onApply() {
	v.wb.touch()
	ev, i := v.ev, v.status.SelectedIndex()
	if ev == nil || i < 0 {
		return
	}
	status, note := vault.Statuses[i], strings.TrimSpace(v.note.Text)
	if vault.NeedsNote(status) && note == "" {
		v.result.SetText(lang.L("Closing an event needs a note."))
		return
	}
	v.apply.Disable()
	s := v.wb.sess
	v.wb.background(func() {
		err := s.SetStatus([]uint64{ev.ID}, status, note)
		v.wb.ui(func() {
			v.apply.Enable()
			if err != nil {
				v.result.SetText(errorText(err))
				return
			}
			v.result.SetText(lang.L("Recorded in the access log."))
			if v.onDisposed != nil {
				v.onDisposed()
			}
		})
	})
}

// eventRow is one line of the queue.
type eventRow struct {
	widget.BaseWidget
	badge            *canvas.Rectangle
	severity, policy *widget.Label
	when, excerpt    *widget.Label
}

func newEventRow() fyne.CanvasObject {
	r := &eventRow{badge: canvas.NewRectangle(theme.Color(theme.ColorNameDisabled)),
		severity: widget.NewLabel(""), policy: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		when: widget.NewLabel(""), excerpt: widget.NewLabel("")}
	r.badge.SetMinSize(fyne.NewSize(6, 6))
	r.excerpt.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *eventRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, container.NewHBox(r.severity, r.policy), r.when)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.badge, nil, container.NewVBox(top, r.excerpt)))
}

func (r *eventRow) set(ev *vault.Event) {
	r.badge.FillColor = severityColor(ev.Severity)
	r.badge.Refresh()
	r.severity.SetText(lang.L(ev.Severity))
	r.policy.SetText(ev.Policy)
	r.when.SetText(ev.Time.Local().Format("2006-01-02 15:04") + " · " + ev.Channel + " · " + lang.L(ev.Status))
	text := ev.Excerpt
	if text == "" {
		text = strings.Join(ev.Participants, ", ")
	}
	r.excerpt.SetText(strings.Join(strings.Fields(text), " "))
}
