package app

import (
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// sharedWait is how long an action waits for another program that holds
// the vault file (an import's batch commits in a fraction of a second)
// before the member is told the vault is in use.
const sharedWait = 3 * time.Second

// recentKey is the preference that lists recently opened vault paths
// (paths only: no vault content is ever kept in preferences).
const recentKey = "recent_vaults"

// openScreen asks which vault, which key and the key's passphrase.
type openScreen struct {
	wb *Workbench

	vaultPath  *widget.SelectEntry
	keyPath    *widget.SelectEntry
	passphrase *widget.Entry
	openBtn    *widget.Button
	status     *widget.Label
	busy       *widget.ProgressBarInfinite
}

func newOpenScreen(wb *Workbench) *openScreen {
	return &openScreen{wb: wb}
}

func (o *openScreen) buildUI() fyne.CanvasObject {
	o.vaultPath = widget.NewSelectEntry(o.wb.recentVaults())
	o.vaultPath.SetPlaceHolder(lang.L("Vault file (.vault)"))
	o.vaultPath.SetText(o.wb.opts.Vault)
	if o.vaultPath.Text == "" && len(o.wb.recentVaults()) > 0 {
		o.vaultPath.SetText(o.wb.recentVaults()[0])
	}
	keys := o.wb.keyringKeys()
	o.keyPath = widget.NewSelectEntry(keys)
	o.keyPath.SetPlaceHolder(lang.L("Your key file (.asc)"))
	o.keyPath.SetText(o.wb.opts.Identity)
	if o.keyPath.Text == "" && len(keys) == 1 {
		o.keyPath.SetText(keys[0])
	}
	o.passphrase = widget.NewPasswordEntry()
	o.passphrase.SetPlaceHolder(lang.L("Passphrase"))
	o.passphrase.OnSubmitted = func(string) { o.onOpen() }
	o.openBtn = widget.NewButton(lang.L("Open"), o.onOpen)
	o.openBtn.Importance = widget.HighImportance
	o.status = widget.NewLabel("")
	o.status.Wrapping = fyne.TextWrapWord
	o.busy = widget.NewProgressBarInfinite()
	o.busy.Hide()

	browseVault := widget.NewButton(lang.L("Browse…"), func() { o.browse(o.vaultPath.SetText, ".vault") })
	browseKey := widget.NewButton(lang.L("Browse…"), func() { o.browse(o.keyPath.SetText, ".asc", ".key", ".gpg") })
	importKey := widget.NewButton(lang.L("Import key…"), o.onImportKey)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Vault"), container.NewBorder(nil, nil, nil, browseVault, o.vaultPath)),
		widget.NewFormItem(lang.L("Identity"), container.NewBorder(nil, nil, nil, container.NewHBox(browseKey, importKey), o.keyPath)),
		widget.NewFormItem(lang.L("Passphrase"), o.passphrase),
	)
	title := widget.NewLabelWithStyle(lang.L("Open a vault"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel(lang.L("Messages stay sealed: you see risk events, redacted, and content only when two privacy officers approve."))
	intro.Wrapping = fyne.TextWrapWord
	settings := widget.NewButton(lang.L("Settings"), o.wb.showSettings)
	box := container.NewVBox(title, intro, form, container.NewBorder(nil, nil, o.openBtn, settings), o.busy, o.status)
	o.wb.win.SetOnDropped(o.onDropped)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 380), box))
}

// browse shows a file dialog for a file with one of exts.
func (o *openScreen) browse(set func(string), exts ...string) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		set(r.URI().Path())
	}, o.wb.win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.Show()
}

// onDropped fills the vault or key field with a file dropped on the window.
func (o *openScreen) onDropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		switch strings.ToLower(filepath.Ext(u.Path())) {
		case ".vault":
			o.vaultPath.SetText(u.Path())
		case ".asc", ".key", ".gpg":
			o.keyPath.SetText(u.Path())
		}
	}
}

// onOpen reads and unlocks the key, opens the vault and logs in, off the
// UI goroutine (the passphrase's key derivation takes a tenth of a second).
func (o *openScreen) onOpen() {
	vaultPath, keyPath := strings.TrimSpace(o.vaultPath.Text), strings.TrimSpace(o.keyPath.Text)
	pass := []byte(o.passphrase.Text)
	switch {
	case vaultPath == "":
		o.status.SetText(lang.L("Choose a vault file."))
		return
	case keyPath == "":
		o.status.SetText(lang.L("Choose your key file."))
		return
	}
	o.passphrase.SetText("")
	o.wb.opened = time.Now()
	o.openBtn.Disable()
	o.busy.Show()
	o.busy.Start()
	o.status.SetText(lang.L("Opening…"))
	state := o.wb.opts.StateDir
	o.wb.background(func() {
		vt, s, id, err := login(vaultPath, keyPath, pass, state)
		o.wb.tracef("key unlocked, vault opened, logged in: %s after Open", ms(time.Since(o.wb.opened)))
		clear(pass)
		o.wb.ui(func() {
			o.busy.Stop()
			o.busy.Hide()
			o.openBtn.Enable()
			if err != nil {
				o.status.SetText(errorText(err))
				return
			}
			o.wb.login(vt, s, id, keyPath)
		})
	})
}

// login unlocks the key file with pass, opens the vault and logs in.
func login(vaultPath, keyPath string, pass []byte, stateDir string) (*vault.Vault, *vault.Session, *identity.Identity, error) {
	b, err := identity.ReadFile(keyPath)
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := identity.ParseSecret(b)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := id.Unlock(pass); err != nil {
		return nil, nil, nil, err
	}
	// Shared: the file is held only during each action, so an import or
	// another workstation can use the vault while this one is logged in.
	vt, err := vault.Open(vaultPath, &vault.Options{StateDir: stateDir, Shared: true, Timeout: sharedWait})
	if err != nil {
		id.Lock()
		return nil, nil, nil, err
	}
	s, err := vt.Login(id)
	if err != nil {
		vt.Close()
		id.Lock()
		return nil, nil, nil, err
	}
	return vt, s, id, nil
}

// recentVaults lists the vaults opened last, newest first.
func (wb *Workbench) recentVaults() []string {
	return wb.app.Preferences().StringList(recentKey)
}

func (wb *Workbench) rememberVault(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	list := slices.DeleteFunc(wb.recentVaults(), func(p string) bool { return p == path })
	list = append([]string{path}, list...)
	wb.app.Preferences().SetStringList(recentKey, list[:min(len(list), 5)])
}
