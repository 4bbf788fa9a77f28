package app

// The approvals screen's request view and inbox rows (approvals.go has the screen).

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// requestView shows one request: who asks what and why, where its votes
// stand, and the redacted risk events in its scope.
type requestView struct {
	title  *widget.Label
	meta   *widget.Form
	events *fyne.Container
	body   *fyne.Container
	empty  *widget.Label
	shown  []*vault.Event // the events listed, for tests
}

func newRequestView() *requestView { return &requestView{} }

func (v *requestView) buildUI() fyne.CanvasObject {
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.meta = widget.NewForm()
	v.events = container.NewVBox()
	v.empty = widget.NewLabel(lang.L("No request selected."))
	card := section(lang.L("Risk events in this scope, as the vault keeps them (redacted)"), v.events)
	v.body = container.NewVBox(v.title, v.meta, card)
	v.body.Hide()
	return container.NewVScroll(container.NewPadded(container.NewStack(v.empty, v.body)))
}

func (v *requestView) show(r *vault.RequestInfo, name string, threshold int, evs []*vault.Event, evErr error) {
	v.shown = evs
	if r == nil {
		v.body.Hide()
		v.empty.Show()
		return
	}
	v.empty.Hide()
	now := time.Now()
	v.title.SetText(fmt.Sprintf(lang.L("Request %s from %s"), r.ID, name))
	v.meta.Items = nil
	add := func(k, val string) {
		l := widget.NewLabel(val)
		l.Wrapping = fyne.TextWrapWord
		v.meta.Append(k, l)
	}
	add(lang.L("Requester"), name)
	add(lang.L("Scope"), scopeText(r.Scope))
	add(lang.L("Chunks"), fmt.Sprint(r.Chunks))
	add(lang.L("Justification"), r.Reason)
	add(lang.L("Duration asked"), durationText(r.Duration))
	add(lang.L("Asked"), r.Created.Local().Format(time.DateTime)+" · "+ageText(now.Sub(r.Created)))
	add(lang.L("Approvals"), fmt.Sprintf(lang.L("%d of %d"), r.Approvals, threshold))
	state := lang.L(r.State(now))
	if r.Granted {
		state += " · " + fmt.Sprintf(lang.L("until %s"), r.Expires.Local().Format(time.DateTime))
	}
	add(lang.L("State"), state)
	v.meta.Refresh()

	v.events.Objects = nil
	switch {
	case evErr != nil:
		v.events.Add(widget.NewLabel(errorText(evErr)))
	case len(evs) == 0:
		v.events.Add(widget.NewLabel(lang.L("No risk event falls in this scope.")))
	}
	for _, e := range evs {
		head := fmt.Sprintf(lang.L("%s · %s · message %d"), e.Policy, lang.L(e.Severity), e.Seq)
		rt := widget.NewRichText(excerptSegments(e.Excerpt, e.Marks)...)
		rt.Wrapping = fyne.TextWrapWord
		v.events.Add(widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		v.events.Add(rt)
	}
	v.events.Refresh()
	v.body.Show()
}

// requestRow is one line of the inbox or the history.
type requestRow struct {
	widget.BaseWidget
	who, when, scope, reason *widget.Label
}

func newRequestRow() fyne.CanvasObject {
	r := &requestRow{who: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		when: widget.NewLabel(""), scope: widget.NewLabel(""), reason: widget.NewLabel("")}
	r.scope.Truncation = fyne.TextTruncateEllipsis
	r.reason.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *requestRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, nil, r.when, r.who)
	return widget.NewSimpleRenderer(container.NewVBox(top, r.scope, r.reason))
}

// set shows req; a history row says where the request stands, an inbox
// row how long it was asked for.
func (r *requestRow) set(req *vault.RequestInfo, name string, threshold int, history bool) {
	now := time.Now()
	r.who.SetText(req.ID + " · " + name)
	r.when.SetText(ageText(now.Sub(req.Created)))
	votes := fmt.Sprintf(lang.L("%d of %d approvals"), req.Approvals, threshold)
	second := durationText(req.Duration)
	if history {
		second = lang.L(req.State(now))
	}
	r.scope.SetText(scopeText(req.Scope) + " · " + second + " · " + votes)
	r.reason.SetText(strings.Join(strings.Fields(req.Reason), " "))
}
