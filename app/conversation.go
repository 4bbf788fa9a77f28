package app

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sealroom/capture"
	"sealroom/vault"
)

// conversationView shows an approved request's messages. It holds the
// only copy of their content, in memory: the workbench drops it at the
// grant's expiry, on logout and when another request is chosen.
type conversationView struct {
	wb     *Workbench
	u      *vault.Unlocked
	flags  map[uint32]string // message seq → the policies that flagged it
	onGone func()
	timer  *time.Timer
	stop   chan struct{}
	left   *widget.Label
	box    *fyne.Container
	clip   clipboardGuard // when copying is allowed (settings)
}

// captureUnblockable reports whether other programs can record the screen
// whatever the workbench does. It sets no capture exclusion on any platform
// (X11 offers none; Windows' and macOS's are not wired yet), so the
// conversation view says so (T23).
func captureUnblockable() bool { return true }

// maxInlineImage bounds an image shown inline; bigger ones are listed.
const maxInlineImage = 8 << 20

// showConversation makes the view of u, closing any other, and arms its
// expiry. onGone runs (on the UI goroutine) when the view is dropped.
func (wb *Workbench) showConversation(u *vault.Unlocked, evs []*vault.Event, onGone func()) fyne.CanvasObject {
	wb.closeConversation()
	cv := &conversationView{wb: wb, u: u, flags: map[uint32]string{}, onGone: onGone, stop: make(chan struct{})}
	for _, e := range evs {
		if cv.flags[e.Seq] == "" {
			cv.flags[e.Seq] = e.Policy
		} else if !strings.Contains(cv.flags[e.Seq], e.Policy) {
			cv.flags[e.Seq] += ", " + e.Policy
		}
	}
	wb.conv = cv
	cv.timer = time.AfterFunc(time.Until(u.Expires), func() { wb.ui(cv.expire) })
	go cv.tick()
	return cv.buildUI()
}

// expire drops the view if it is still the one shown.
func (cv *conversationView) expire() {
	if cv.wb.conv == cv {
		cv.wb.closeConversation()
	}
}

// closeConversation drops the shown conversation, if any: its widgets, and
// the decrypted messages and keys behind them.
func (wb *Workbench) closeConversation() {
	cv := wb.conv
	if cv == nil {
		return
	}
	wb.conv = nil
	cv.timer.Stop()
	close(cv.stop)
	if wb.allowCopy() {
		cv.clip.check(wb.app.Clipboard(), time.Now(), true)
	}
	cv.clip.texts = nil
	cv.box.Objects = nil
	cv.box.Refresh()
	cv.u.Close()
	if cv.onGone != nil {
		cv.onGone()
	}
}

// tick keeps the time left current and, when copying is allowed, the
// clipboard clear of copied messages after clipboardHold.
func (cv *conversationView) tick() {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-cv.stop:
			return
		case <-t.C:
			cv.wb.ui(func() {
				if cv.wb.conv == cv {
					cv.left.SetText(cv.timeLeft())
					if cv.wb.allowCopy() {
						cv.clip.check(cv.wb.app.Clipboard(), time.Now(), false)
					}
				}
			})
		}
	}
}

func (cv *conversationView) timeLeft() string {
	return fmt.Sprintf(lang.L("Readable until %s (%s left)"), cv.u.Expires.Local().Format("15:04"), durationText(time.Until(cv.u.Expires)))
}

func (cv *conversationView) buildUI() fyne.CanvasObject {
	u := cv.u
	names := map[string]string{}
	var people []string
	if u.Header != nil {
		for _, p := range u.Header.Participants {
			names[p.ID] = p.Name
			if p.Name != "" {
				people = append(people, p.Name)
			} else {
				people = append(people, p.ID)
			}
		}
	}
	title := u.Conversation.Title
	if u.Header != nil && u.Header.Title != "" {
		title = u.Header.Title
	}
	head := widget.NewLabelWithStyle(fmt.Sprintf("%s · %s", title, u.Conversation.Channel), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who := widget.NewLabel(strings.Join(people, ", "))
	who.Wrapping = fyne.TextWrapWord
	cv.left = widget.NewLabel(cv.timeLeft())
	closeBtn := widget.NewButton(lang.L("Close"), cv.wb.closeConversation)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, closeBtn, head), who, cv.left)
	if captureUnblockable() {
		warn := widget.NewLabelWithStyle(lang.L("Screen capture cannot be blocked here: other programs on this desktop can record what is shown."), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		warn.Wrapping = fyne.TextWrapWord
		top.Add(warn)
	}
	top.Add(widget.NewSeparator())

	cv.box = container.NewVBox()
	bySeq := map[string]*vault.UnlockedMessage{}
	for i := range u.Messages {
		bySeq[u.Messages[i].ID] = &u.Messages[i]
		cv.clip.texts = append(cv.clip.texts, u.Messages[i].Text)
	}
	for i := range u.Messages {
		cv.box.Add(cv.bubble(&u.Messages[i], names, bySeq))
	}
	for _, d := range u.Damaged {
		cv.box.Add(widget.NewLabel(fmt.Sprintf(lang.L("Damaged, not shown: %v"), d)))
	}
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(cv.box))
}

// bubble is one message: who and when, the text, attachments, and a mark
// when a policy flagged it.
func (cv *conversationView) bubble(m *vault.UnlockedMessage, names map[string]string, byID map[string]*vault.UnlockedMessage) fyne.CanvasObject {
	sender := names[m.Sender]
	if sender == "" {
		sender = m.Sender
	}
	if m.Kind == capture.KindSystem {
		sender = lang.L("system")
	}
	meta := fmt.Sprintf("#%d · %s · %s", m.Seq, sender, m.Time.Local().Format("2006-01-02 15:04"))
	if !m.Edited.IsZero() {
		meta += " · " + lang.L("edited")
	}
	if m.Forwarded {
		meta += " · " + lang.L("forwarded")
	}
	items := []fyne.CanvasObject{widget.NewLabelWithStyle(meta, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if m.ReplyTo != "" {
		quote := lang.L("a message outside this unlock")
		if r := byID[m.ReplyTo]; r != nil {
			quote = fmt.Sprintf("#%d %s", r.Seq, firstLine(r.Text, 60))
		}
		items = append(items, widget.NewLabelWithStyle("↩ "+quote, fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	if m.Text != "" {
		text := widget.NewLabel(m.Text)
		text.Wrapping = fyne.TextWrapWord
		text.Selectable = cv.wb.allowCopy() // off unless the settings allow it
		items = append(items, text)
	}
	for i, a := range m.Attachments {
		items = append(items, cv.attachment(m, i, a))
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 8
	if policy := cv.flags[m.Seq]; policy != "" {
		items = append(items, widget.NewLabelWithStyle(fmt.Sprintf(lang.L("Flagged: %s"), policy), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		c := theme.Color(colorTerm)
		r, g, b, _ := c.RGBA()
		bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
		bg.StrokeColor, bg.StrokeWidth = c, 2
	}
	return container.NewPadded(container.NewStack(bg, container.NewPadded(container.NewVBox(items...))))
}

// attachment lists a file, and shows an image inline when the export held it.
func (cv *conversationView) attachment(m *vault.UnlockedMessage, i int, a capture.Attachment) fyne.CanvasObject {
	label := "📎 " + a.Name
	if a.Size > 0 {
		label += fmt.Sprintf(" (%s)", byteSize(a.Size))
	}
	row := widget.NewLabel(label)
	if !isImage(a) || a.Size > maxInlineImage || a.SHA256 == "" {
		return row
	}
	b, err := cv.u.Attachment(m, i)
	if err != nil {
		return widget.NewLabel(label + " — " + errorText(err))
	}
	img := canvas.NewImageFromReader(bytes.NewReader(b), a.Name)
	clear(b)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(240, 180))
	return container.NewVBox(row, img)
}

func isImage(a capture.Attachment) bool {
	if strings.HasPrefix(a.Type, "image/") {
		return true
	}
	n := strings.ToLower(a.Name)
	return strings.HasSuffix(n, ".jpg") || strings.HasSuffix(n, ".jpeg") || strings.HasSuffix(n, ".png") || strings.HasSuffix(n, ".gif")
}
