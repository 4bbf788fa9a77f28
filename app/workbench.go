// Package app is Sealroom's desktop workbench (Fyne): the open screen, the
// reviewer's queue and event view, and the screens of the other roles. It
// is the only package besides main that imports Fyne; `make check-imports`
// keeps capture, review, vault, crypto and cmd/sealctl free of it.
//
// Work that touches the vault runs on goroutines, and reaches widgets
// through fyne.Do. Nothing here writes message content anywhere: views
// hold it in memory and drop it at expiry, on lock and on logout.
package app

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// Options are what main learned from the command line.
type Options struct {
	Vault    string // a vault file to offer on the open screen
	Identity string // a key file to offer
	StateDir string // the workstation's log-head memory; "" for the default
	Keyring  string // the folder of key files offered; "" for ~/.config/sealroom/keys

	// IdleLock is how long a session may go without input before it is
	// locked (logged out); 0 means DefaultIdleLock.
	IdleLock time.Duration

	// Trace, when not nil, receives timings (--trace): open to first
	// queue page, each filter change, each event shown. No content.
	Trace io.Writer
}

// Workbench is the application window's state: who is logged in to which
// vault, and the screen shown.
type Workbench struct {
	app  fyne.App
	win  fyne.Window
	opts Options

	// Set while a member is logged in (UI goroutine only).
	vt      *vault.Vault
	sess    *vault.Session
	id      *identity.Identity
	keyPath string // the key file id came from, to confirm a passphrase again

	open      *openScreen       // while shown
	queue     *queueScreen      // the reviewer's, while shown
	screens   []screen          // the tabs shown, in order
	conv      *conversationView // the unlocked conversation shown, if any
	tabs      *container.AppTabs
	shortcuts []fyne.Shortcut // the session's, removed at logout

	// background runs work that touches the vault or a key off the UI
	// goroutine, and ui brings its results back (fyne.Do). Tests make
	// both run in line, so that every step is done when the call returns.
	background func(work func())
	ui         func(update func())

	lastInput time.Time // for the idle lock (UI goroutine only)
	opened    time.Time // when Open was pressed, for the trace
}

// New makes the workbench in w and shows the open screen.
func New(a fyne.App, w fyne.Window, opts Options) *Workbench {
	wb := &Workbench{app: a, win: w, opts: opts, background: func(work func()) { go work() }, ui: fyne.Do}
	if dc, ok := w.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { wb.touch() })
	}
	wb.showOpen()
	return wb
}

// Run starts the watches of the idle lock and of the screen's lock; main
// calls it before ShowAndRun.
func (wb *Workbench) Run() {
	go wb.watchIdle()
	go wb.watchScreenLock()
}

func (wb *Workbench) showOpen() {
	wb.win.SetTitle("Sealroom")
	wb.open = newOpenScreen(wb)
	wb.win.SetContent(wb.open.buildUI())
}

// login takes over an open vault and session (from the open screen) and
// shows the screens the member's roles allow.
func (wb *Workbench) login(vt *vault.Vault, s *vault.Session, id *identity.Identity, keyPath string) {
	wb.vt, wb.sess, wb.id, wb.keyPath = vt, s, id, keyPath
	wb.open = nil
	wb.win.SetOnDropped(nil)
	wb.rememberVault(vt.Path())
	m := s.Member()
	wb.win.SetTitle(fmt.Sprintf("Sealroom — %s — %s", m.UserID, vt.Path()))

	wb.screens = nil
	var tabs []*container.TabItem
	add := func(title string, sc screen) {
		wb.screens = append(wb.screens, sc)
		tabs = append(tabs, container.NewTabItem(title, sc.buildUI()))
	}
	// The member's main work comes first: a reviewer's queue, an
	// officer's approvals, an auditor's log; the queue follows for those
	// who may read it but do not work it.
	if m.Has(vault.RoleReviewer) {
		wb.queue = newQueueScreen(wb)
		add(lang.L("Risk events"), wb.queue)
	}
	for _, r := range roleScreens {
		if slices.ContainsFunc(r.roles, m.Has) {
			add(lang.L(r.title), r.make(wb))
		}
	}
	if wb.queue == nil && (m.Has(vault.RoleOfficer) || m.Has(vault.RoleAuditor)) {
		wb.queue = newQueueScreen(wb)
		add(lang.L("Risk events"), wb.queue)
	}
	if wb.queue != nil {
		add(lang.L("Dashboard"), newDashboardScreen(wb))
	}
	var body fyne.CanvasObject
	if len(tabs) == 0 {
		body = container.NewCenter(widget.NewLabel(lang.L("Your roles have no screen in this version of the workbench.")))
	} else {
		at := container.NewAppTabs(tabs...)
		wb.tabs = at
		// A tab shows the vault as it is now: its data is read again
		// each time it is chosen.
		at.OnSelected = func(ti *container.TabItem) {
			wb.touch()
			if i := slices.Index(at.Items, ti); i >= 0 && i < len(wb.screens) {
				wb.screens[i].load()
			}
		}
		body = at
	}
	who := widget.NewLabel(fmt.Sprintf("%s (%s)", m.UserID, rolesText(m.Roles)))
	switchBtn := widget.NewButton(lang.L("Switch identity"), wb.logout)
	settings := widget.NewButton(lang.L("Settings"), wb.showSettings)
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(who, settings, switchBtn))
	wb.touch()
	wb.win.SetContent(container.NewStack(newActivityLayer(wb.touch), container.NewBorder(bar, nil, nil, nil, body)))
	if len(wb.screens) > 0 {
		wb.screens[0].load()
	}
}

// showScreen selects the tab of sc.
func (wb *Workbench) showScreen(sc screen) {
	if i := slices.Index(wb.screens, sc); i >= 0 && wb.tabs != nil {
		wb.tabs.SelectIndex(i)
	}
}

// screen is one tab of the workbench.
type screen interface {
	buildUI() fyne.CanvasObject
	// load reads the screen's data from the vault in the background (via
	// wb.background and wb.ui); it is called when the tab is shown.
	load()
}

// roleScreens are the tabs the roles get after the queue, in order; a
// member with any of an entry's roles gets it once.
var roleScreens = []struct {
	roles []vault.Role
	title string
	make  func(*Workbench) screen
}{
	{[]vault.Role{vault.RoleReviewer}, "My unlocks", newRequestsScreen},
	{[]vault.Role{vault.RoleOfficer}, "Approvals", newApprovalsScreen},
	{[]vault.Role{vault.RoleAuditor}, "Access log", newAuditScreen},
	{[]vault.Role{vault.RoleAdmin, vault.RoleIngest}, "Import", newImportScreen},
	{[]vault.Role{vault.RoleAdmin}, "Members", newMembersScreen},
}

// logout drops every view, the session and the unlocked key, closes the
// vault, and goes back to the open screen.
func (wb *Workbench) logout() {
	wb.closeConversation()
	wb.dropShortcuts()
	wb.queue, wb.screens, wb.tabs = nil, nil, nil
	wb.win.SetContent(widget.NewLabel("")) // drop every widget that showed vault data
	if wb.sess != nil {
		wb.sess.Logout()
	}
	if wb.id != nil {
		wb.id.Lock()
	}
	if wb.vt != nil {
		wb.vt.Close()
	}
	wb.vt, wb.sess, wb.id, wb.keyPath = nil, nil, nil, ""
	wb.showOpen()
}

func rolesText(roles []vault.Role) string {
	s := ""
	for i, r := range roles {
		if i > 0 {
			s += ", "
		}
		s += lang.L(string(r))
	}
	return s
}

// passphraseCheck returns a function that checks a passphrase against the
// logged-in member's key file: officers type it again to approve, so that
// an unattended session cannot approve anything. It reads the workbench's
// state now, on the UI goroutine; the check itself runs in the background.
func (wb *Workbench) passphraseCheck() func(pass []byte) error {
	keyPath, fp := wb.keyPath, wb.id.Public().Fingerprint()
	return func(pass []byte) error {
		b, err := identity.ReadFile(keyPath)
		if err != nil {
			return err
		}
		id, err := identity.ParseSecret(b)
		if err != nil {
			return err
		}
		if id.Public().Fingerprint() != fp {
			return errors.New(lang.L("The key file changed since you opened the vault."))
		}
		if err := id.Unlock(pass); err != nil {
			return err
		}
		id.Lock()
		return nil
	}
}

// errorText turns an error from opening or using the vault into a sentence
// for the member.
func errorText(err error) string {
	var head *vault.HeadError
	switch {
	case errors.Is(err, identity.ErrWrongPassphrase):
		return lang.L("Wrong passphrase for this key.")
	case errors.Is(err, vault.ErrInUse):
		return lang.L("Another program has this vault open. Close it and try again.")
	case errors.As(err, &head):
		return lang.L("This vault's access log is older than, or differs from, the one this workstation saw last. An auditor must look at it before anyone works in it.") + "\n" + err.Error()
	case errors.Is(err, vault.ErrNotMember):
		return lang.L("This key is not a member of the vault.")
	case errors.Is(err, vault.ErrSelfApproval):
		return lang.L("You cannot vote on your own request.")
	case errors.Is(err, vault.ErrAlreadyVoted):
		return lang.L("You have already voted on this request.")
	case errors.Is(err, vault.ErrClosed):
		return lang.L("This request is closed: it was denied, or its grant has expired.")
	}
	return err.Error()
}
