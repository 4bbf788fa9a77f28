package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// barChart is a stacked bar chart drawn with canvas primitives: one bar per
// column (a week), one stacked segment per series (a category).
type barChart struct {
	widget.BaseWidget
	columns []string // labels under the bars
	series  []string // legend labels
	colors  []color.Color
	values  [][]int // values[column][series]
}

func newBarChart(columns, series []string, colors []color.Color, values [][]int) *barChart {
	c := &barChart{columns: columns, series: series, colors: colors, values: values}
	c.ExtendBaseWidget(c)
	return c
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{c: c}
	r.build()
	return r
}

type barRenderer struct {
	c       *barChart
	bars    [][]*canvas.Rectangle
	labels  []*canvas.Text
	max     *canvas.Text
	axis    *canvas.Line
	objects []fyne.CanvasObject
}

func (r *barRenderer) build() {
	r.objects = nil
	r.axis = canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	r.max = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.max.TextSize = theme.CaptionTextSize()
	r.objects = append(r.objects, r.axis, r.max)
	r.bars = make([][]*canvas.Rectangle, len(r.c.values))
	r.labels = make([]*canvas.Text, len(r.c.columns))
	for i, col := range r.c.values {
		for j := range col {
			rect := canvas.NewRectangle(r.c.colors[j%len(r.c.colors)])
			r.bars[i] = append(r.bars[i], rect)
			r.objects = append(r.objects, rect)
		}
	}
	for i, l := range r.c.columns {
		t := canvas.NewText(l, theme.Color(theme.ColorNameForeground))
		t.TextSize = theme.CaptionTextSize()
		t.Alignment = fyne.TextAlignCenter
		r.labels[i] = t
		r.objects = append(r.objects, t)
	}
}

// total is the largest column sum, at least 1.
func (r *barRenderer) total() int {
	m := 1
	for _, col := range r.c.values {
		s := 0
		for _, v := range col {
			s += v
		}
		m = max(m, s)
	}
	return m
}

func (r *barRenderer) Layout(size fyne.Size) {
	const labelH, leftW, gap = 18, 36, 0.25 // gap: part of a column left empty
	plotH := size.Height - labelH
	n := max(len(r.c.values), 1)
	colW := (size.Width - leftW) / float32(n)
	m := r.total()
	r.max.Text = fmt.Sprint(m)
	r.max.Move(fyne.NewPos(0, 0))
	r.max.Resize(fyne.NewSize(leftW-4, labelH))
	r.axis.Position1 = fyne.NewPos(leftW, plotH)
	r.axis.Position2 = fyne.NewPos(size.Width, plotH)
	for i, col := range r.bars {
		x := leftW + float32(i)*colW + colW*gap/2
		y := plotH
		for j, rect := range col {
			h := plotH * float32(r.c.values[i][j]) / float32(m)
			y -= h
			rect.Move(fyne.NewPos(x, y))
			rect.Resize(fyne.NewSize(colW*(1-gap), h))
		}
		if i < len(r.labels) {
			r.labels[i].Move(fyne.NewPos(leftW+float32(i)*colW, plotH+2))
			r.labels[i].Resize(fyne.NewSize(colW, labelH-2))
		}
	}
}

func (r *barRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 140) }

func (r *barRenderer) Refresh() {
	r.build()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barRenderer) Destroy()                     {}

// legend names each series by its colour, two to a row.
func legend(series []string, colors []color.Color) fyne.CanvasObject {
	box := container.NewGridWithColumns(2)
	for i, s := range series {
		sw := canvas.NewRectangle(colors[i%len(colors)])
		sw.SetMinSize(fyne.NewSize(12, 12))
		box.Add(container.NewHBox(container.NewCenter(sw), widget.NewLabel(s)))
	}
	return box
}
