package app

// The access log screen's verify and export actions (audit.go has the table).

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sealroom/vault"
	"sealroom/vault/auditlog"
)

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
