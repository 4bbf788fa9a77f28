package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/capture"
	"sealroom/capture/importers"
	"sealroom/review"
	"sealroom/vault"
)

// importScreen is the import wizard: choose exports (files or folders),
// see the format of each, import with progress and cancel, and read a
// summary of what was new, duplicate and unreadable and the risk found.
type importScreen struct {
	wb *Workbench

	paths     []string
	list      *widget.List
	zone      *widget.Entry
	dayOrder  *widget.Select
	custodian *widget.Entry
	byFolder  *widget.Check // each export's custodian is its folder
	scan      *widget.Check
	start     *widget.Button
	cancelBtn *widget.Button
	progress  *widget.ProgressBar
	status    *widget.Label
	summary   *widget.Label

	hint *widget.Label // shown while the list is empty

	canceled atomic.Bool // the running import should stop
	running  bool
}

func newImportScreen(wb *Workbench) screen {
	return &importScreen{wb: wb}
}

var errCanceled = errors.New("import canceled")

func (im *importScreen) buildUI() fyne.CanvasObject {
	im.list = widget.NewList(func() int { return len(im.paths) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(im.paths) {
				o.(*widget.Label).SetText(im.paths[i] + " — " + describeInput(im.paths[i]))
			}
		})
	addFile := widget.NewButton(lang.L("Add export file…"), func() {
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				r.Close()
				im.add(r.URI().Path())
			}
		}, im.wb.win)
	})
	addFolder := widget.NewButton(lang.L("Add folder…"), func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				im.add(u.Path())
			}
		}, im.wb.win)
	})
	clearBtn := widget.NewButton(lang.L("Clear"), func() { im.paths = nil; im.hint.Show(); im.list.Refresh() })
	im.zone = widget.NewEntry()
	im.zone.SetText(time.Local.String())
	im.zone.Validator = func(s string) error { _, err := zoneOf(s); return err }
	im.dayOrder = widget.NewSelect([]string{lang.L("from the whole file"), lang.L("day first (03/04 is 3 April)"), lang.L("month first (03/04 is 4 March)")}, nil)
	im.dayOrder.SetSelectedIndex(0)
	im.custodian = widget.NewEntry()
	im.custodian.SetPlaceHolder(lang.L("whose phone or account (keeps same-titled chats apart)"))
	im.byFolder = widget.NewCheck(lang.L("Each subfolder of a folder is one custodian's"), func(on bool) {
		if on {
			im.custodian.Disable()
		} else {
			im.custodian.Enable()
		}
	})
	im.scan = widget.NewCheck(lang.L("Scan for risk (built-in policies)"), nil)
	im.scan.SetChecked(true)
	im.start = widget.NewButton(lang.L("Import"), im.onImport)
	im.start.Importance = widget.HighImportance
	im.cancelBtn = widget.NewButton(lang.L("Cancel"), func() { im.canceled.Store(true) })
	im.cancelBtn.Disable()
	im.progress = widget.NewProgressBar()
	im.status = widget.NewLabel("")
	im.summary = widget.NewLabel("")
	im.summary.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Time zone of the phones' clocks"), im.zone),
		widget.NewFormItem(lang.L("Dates like 03/04/25"), im.dayOrder),
		widget.NewFormItem(lang.L("Custodian"), im.custodian),
		widget.NewFormItem("", im.byFolder),
		widget.NewFormItem("", im.scan),
	)
	top := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Exports to import"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(addFile, addFolder, clearBtn))
	bottom := container.NewVBox(form, container.NewHBox(im.start, im.cancelBtn), im.progress, im.status, im.summary)
	im.hint = widget.NewLabel(lang.L("No export chosen yet: add export files or folders, or drop them on the window."))
	im.wb.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		for _, u := range uris {
			im.add(u.Path())
		}
	})
	return container.NewBorder(top, bottom, nil, nil, container.NewStack(im.hint, im.list))
}

func (im *importScreen) load() {}

// add puts path on the list, once.
func (im *importScreen) add(path string) {
	for _, p := range im.paths {
		if p == path {
			return
		}
	}
	im.paths = append(im.paths, path)
	im.hint.Hide()
	im.list.Refresh()
}

// describeInput says what an export path holds: its format, or for a
// folder of exports how many files it has to look at.
func describeInput(path string) string {
	ins, err := importers.Inputs([]string{path}, nil)
	switch {
	case err != nil:
		return err.Error()
	case len(ins) == 1 && filepath.Clean(ins[0].Path) == filepath.Clean(path):
		if fm := ins[0].Resolve(); fm != nil {
			return fm.Desc
		}
	}
	return fmt.Sprintf(lang.L("a folder: %d files to look at; exports among them are detected one by one"), len(ins))
}

func zoneOf(s string) (*time.Location, error) {
	switch s = strings.TrimSpace(s); s {
	case "", "Local", "local":
		return time.Local, nil
	}
	return time.LoadLocation(s)
}

// options are the capture options the form sets.
func (im *importScreen) options() (capture.Options, error) {
	zone, err := zoneOf(im.zone.Text)
	if err != nil {
		return capture.Options{}, fmt.Errorf(lang.L("unknown time zone %q"), im.zone.Text)
	}
	opts := capture.Options{Zone: zone, Custodian: strings.TrimSpace(im.custodian.Text)}
	if im.byFolder.Checked {
		opts.Custodian = "" // each export's folder, set by run
	}
	switch im.dayOrder.SelectedIndex() {
	case 1:
		opts.DayOrder = capture.DaysFirst
	case 2:
		opts.DayOrder = capture.MonthsFirst
	}
	return opts, nil
}

// onImport runs the import in the background, one export after another.
func (im *importScreen) onImport() {
	if im.running {
		return
	}
	if len(im.paths) == 0 {
		im.status.SetText(lang.L("Add an export file or folder first."))
		return
	}
	opts, err := im.options()
	if err != nil {
		im.status.SetText(err.Error())
		return
	}
	im.wb.touch()
	im.running = true
	im.canceled.Store(false)
	im.start.Disable()
	im.cancelBtn.Enable()
	im.summary.SetText("")
	im.progress.SetValue(0)
	paths, scan, byFolder, s := append([]string(nil), im.paths...), im.scan.Checked, im.byFolder.Checked, im.wb.sess
	im.wb.background(func() {
		res := im.run(s, paths, opts, scan, byFolder)
		im.wb.ui(func() { im.finish(res) })
	})
}

// importResult is what an import did.
type importResult struct {
	stats            vault.IngestStats
	read, skipped    int
	bad              int
	events, policies int
	canceled         bool
	err              error

	sharedTitles  int    // conversations read from exports in different folders, without custodians
	sharedExample string // the first of them
}

// run imports paths into s; it reports progress through wb.ui. With
// byFolder, each export's custodian is its folder (importers.Input.Folder).
func (im *importScreen) run(s *vault.Session, paths []string, opts capture.Options, scan, byFolder bool) (res importResult) {
	ins, err := importers.Inputs(paths, nil)
	if err != nil {
		res.err = err
		return res
	}
	var sc *review.Scanner
	if scan {
		if sc, res.err = review.Load(nil); res.err != nil {
			return res
		}
		res.policies = len(sc.Policies())
	}
	in, err := s.Ingest(func(st vault.IngestStats) {
		im.wb.ui(func() { im.status.SetText(fmt.Sprintf(lang.L("%d messages stored…"), st.Messages)) })
	})
	if err != nil {
		res.err = err
		return res
	}
	if sc != nil {
		if err := in.Scan(sc); err != nil {
			in.Close()
			res.err = err
			return res
		}
	}
	sink := &cancelSink{Ingester: in, canceled: &im.canceled}
	defer func() {
		if opts.Custodian == "" && !byFolder {
			res.sharedTitles, res.sharedExample = sink.Shared()
		}
	}()
	for i, x := range ins {
		if im.canceled.Load() {
			res.canceled = true
			break
		}
		fm := x.Resolve()
		done := float64(i+1) / float64(len(ins))
		if fm == nil {
			res.skipped++
			im.wb.ui(func() { im.progress.SetValue(done) })
			continue
		}
		if byFolder {
			opts.Custodian = x.Folder
		}
		sink.folder = x.Folder
		st, rerr := fm.Read(x.Path, sink, opts)
		res.read++
		res.bad += st.Bad
		im.wb.ui(func() { im.progress.SetValue(done) })
		if errors.Is(rerr, errCanceled) {
			res.canceled = true
			break
		}
		if rerr != nil {
			res.err = fmt.Errorf("%s (%s): %w", x.Path, fm.Name, rerr)
			break
		}
	}
	// What was read is kept, also on cancel or error: it is whole
	// messages, each stored once, and a re-import adds only the rest.
	res.stats, err = in.Close()
	if res.err == nil {
		res.err = err
	}
	res.events = res.stats.Events
	return res
}

// cancelSink stops an importer at the next message once canceled, and
// notes each conversation's folder (importers.Titles).
type cancelSink struct {
	*vault.Ingester
	importers.Titles
	canceled *atomic.Bool
	folder   string // the folder of the export being read
}

func (c *cancelSink) Conversation(conv *capture.Conversation) error {
	c.Note(c.folder, conv)
	return c.Ingester.Conversation(conv)
}

func (c *cancelSink) Message(m *capture.Message) error {
	if c.canceled.Load() {
		return errCanceled
	}
	return c.Ingester.Message(m)
}

// finish shows the summary.
func (im *importScreen) finish(res importResult) {
	im.running = false
	im.start.Enable()
	im.cancelBtn.Disable()
	st := res.stats
	text := fmt.Sprintf(lang.L("%d exports read, %d other files skipped. %d messages: %d new, %d duplicate, %d unreadable, in %d conversations."),
		res.read, res.skipped, st.Messages, st.New, st.Duplicate, res.bad, st.Conversations)
	if res.policies > 0 {
		text += " " + fmt.Sprintf(lang.L("%d risk events found by %d policies."), res.events, res.policies)
	}
	if st.Files+st.FileErrors > 0 {
		text += " " + fmt.Sprintf(lang.L("%d attached files stored, %d without content (unreadable in the export)."), st.Files, st.FileErrors)
	}
	if res.sharedTitles > 0 {
		text += " " + fmt.Sprintf(lang.L("%d conversations were read from exports in different folders (%s): chats of one title became one conversation. If the folders are different people's phones, import them again into a new vault with \"Each subfolder of a folder is one custodian's\"."), res.sharedTitles, res.sharedExample)
	}
	switch {
	case res.canceled:
		im.status.SetText(lang.L("Canceled: what was read before is stored; importing the same exports again adds only the rest."))
	case res.err != nil:
		im.status.SetText(errorText(res.err))
	default:
		im.status.SetText(lang.L("Import finished."))
		im.progress.SetValue(1)
	}
	im.summary.SetText(text)
	if im.wb.queue != nil {
		im.wb.queue.load()
	}
}
