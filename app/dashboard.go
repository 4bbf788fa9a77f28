package app

import (
	"fmt"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
)

// dashWeeks is how many weeks the charts show.
const dashWeeks = 12

// categoryColors are the chart colours of the policy categories, in
// categoryOrder; chosen apart for both themes and for common colour
// blindness (blue/orange/teal/purple/…).
var (
	categoryOrder  = []string{"off-channel", "market-abuse", "bribery", "confidential-data", "complaint", "phishing", "threats"}
	categoryColors = []color.Color{
		color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, color.NRGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, color.NRGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
		color.NRGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, color.NRGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}, color.NRGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
		color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	}
)

// dashboardScreen: events per week by category and by severity, the queue,
// pending approvals and grants this month.
type dashboardScreen struct {
	wb   *Workbench
	body *fyne.Container
}

func newDashboardScreen(wb *Workbench) screen {
	return &dashboardScreen{wb: wb}
}

func (d *dashboardScreen) buildUI() fyne.CanvasObject {
	d.body = container.NewStack(widget.NewLabel(lang.L("Loading…")))
	return container.NewVScroll(container.NewPadded(d.body))
}

// dashData is what the dashboard shows, computed off the UI goroutine.
type dashData struct {
	open, escalated, total, pending, granted int
	weeks                                    []string
	byCategory, bySeverity                   [][]int
}

func (d *dashboardScreen) load() {
	s := d.wb.sess
	d.wb.background(func() {
		t, err := s.EventTable()
		var reqs []vault.RequestInfo
		if err == nil {
			reqs, err = s.Requests()
		}
		var data *dashData
		if err == nil {
			data = dashboard(t.Filter(vault.EventFilter{}), reqs, time.Now())
		}
		d.wb.ui(func() {
			if err != nil {
				d.body.Objects = []fyne.CanvasObject{widget.NewLabel(errorText(err))}
			} else {
				d.body.Objects = []fyne.CanvasObject{d.render(data)}
			}
			d.body.Refresh()
		})
	})
}

// dashboard counts events into weeks ending at the latest event (or now,
// if earlier), and the requests' states.
func dashboard(evs []*vault.Event, reqs []vault.RequestInfo, now time.Time) *dashData {
	d := &dashData{total: len(evs)}
	end := time.Time{}
	for _, e := range evs {
		switch e.Status {
		case vault.StatusOpen:
			d.open++
		case vault.StatusEscalated:
			d.escalated++
		}
		if e.Time.After(end) {
			end = e.Time
		}
	}
	if end.IsZero() || end.After(now) {
		end = now
	}
	// Weeks start on Monday, in local time.
	end = end.Local()
	start := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.Local)
	start = start.AddDate(0, 0, -((int(start.Weekday())+6)%7)-7*(dashWeeks-1))
	d.byCategory, d.bySeverity = make([][]int, dashWeeks), make([][]int, dashWeeks)
	for w := range dashWeeks {
		d.weeks = append(d.weeks, start.AddDate(0, 0, 7*w).Format("01-02"))
		d.byCategory[w] = make([]int, len(categoryOrder))
		d.bySeverity[w] = make([]int, len(vault.Severities))
	}
	for _, e := range evs {
		w := int(e.Time.Local().Sub(start).Hours() / (24 * 7))
		if w < 0 || w >= dashWeeks {
			continue
		}
		if c := slices.Index(categoryOrder, e.Category); c >= 0 {
			d.byCategory[w][c]++
		}
		if s := slices.Index(vault.Severities, e.Severity); s >= 0 {
			d.bySeverity[w][s]++
		}
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	for i := range reqs {
		switch reqs[i].State(now) {
		case "pending":
			d.pending++
		}
		if reqs[i].Granted && !reqs[i].Created.Before(month) {
			d.granted++
		}
	}
	return d
}

func (d *dashboardScreen) render(data *dashData) fyne.CanvasObject {
	tile := func(n int, what string) fyne.CanvasObject {
		num := widget.NewLabelWithStyle(fmt.Sprint(n), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		num.SizeName = "headingText"
		return widget.NewCard("", "", container.NewVBox(num, widget.NewLabelWithStyle(what, fyne.TextAlignCenter, fyne.TextStyle{})))
	}
	tiles := container.NewGridWithColumns(5,
		tile(data.open, lang.L("open events")), tile(data.escalated, lang.L("escalated")), tile(data.total, lang.L("events in all")),
		tile(data.pending, lang.L("requests awaiting officers")), tile(data.granted, lang.L("unlocks granted this month")))
	var cats []string
	for _, c := range categoryOrder {
		cats = append(cats, lang.L(c))
	}
	var sevs []string
	sevColors := make([]color.Color, len(vault.Severities))
	for i, s := range vault.Severities {
		sevs = append(sevs, lang.L(s))
		sevColors[i] = severityColor(s)
	}
	byCat := newBarChart(data.weeks, cats, categoryColors, data.byCategory)
	bySev := newBarChart(data.weeks, sevs, sevColors, data.bySeverity)
	heading := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	charts := container.NewGridWithColumns(2,
		container.NewBorder(heading(lang.L("Events per week, by category")), legend(cats, categoryColors), nil, nil, byCat),
		container.NewBorder(heading(lang.L("Events per week, by severity")), legend(sevs, sevColors), nil, nil, bySev))
	return container.NewBorder(tiles, nil, nil, nil, container.NewGridWrap(fyne.NewSize(1100, 380), charts))
}
