package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// addableRoles are the roles an admin may give a new member; officers are
// fixed when the vault is made (their escrow shares are dealt once).
var addableRoles = []vault.Role{vault.RoleReviewer, vault.RoleAuditor, vault.RoleIngest, vault.RoleAdmin}

// membersScreen lists the vault's members and settings, and enrols new
// members from an armored public key.
type membersScreen struct {
	wb *Workbench

	members  []vault.Member
	list     *widget.List
	settings *widget.Form
	status   *widget.Label
}

func newMembersScreen(wb *Workbench) screen {
	return &membersScreen{wb: wb}
}

func (ms *membersScreen) buildUI() fyne.CanvasObject {
	ms.list = widget.NewList(func() int { return len(ms.members) },
		func() fyne.CanvasObject {
			return container.NewVBox(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(ms.members) {
				return
			}
			m := ms.members[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(m.UserID)
			box.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s · %s", rolesText(m.Roles), groupHex(m.Fingerprint)))
		})
	add := widget.NewButton(lang.L("Add a member…"), ms.onAdd)
	add.Importance = widget.HighImportance
	ms.status = widget.NewLabel("")
	ms.status.Wrapping = fyne.TextWrapWord
	ms.settings = widget.NewForm()
	left := container.NewBorder(container.NewVBox(container.NewHBox(add), ms.status), nil, nil, nil, ms.list)
	right := container.NewVScroll(container.NewVBox(widget.NewLabelWithStyle(lang.L("Vault settings (fixed at creation)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), ms.settings))
	split := container.NewHSplit(left, right)
	split.Offset = 0.55
	return split
}

func (ms *membersScreen) load() {
	vt := ms.wb.vt
	ms.wb.background(func() {
		members, err := vt.Members()
		cfg := vt.Config()
		ms.wb.ui(func() {
			if err != nil {
				ms.status.SetText(errorText(err))
				return
			}
			ms.members = members
			ms.list.Refresh()
			ms.showSettings(cfg)
		})
	})
}

func (ms *membersScreen) showSettings(cfg vault.Config) {
	ms.settings.Items = nil
	add := func(k, v string) { ms.settings.Append(k, widget.NewLabel(v)) }
	add(lang.L("Officers"), fmt.Sprintf(lang.L("%d, of whom %d must approve each unlock"), cfg.Officers, cfg.Threshold))
	add(lang.L("Longest grant"), durationText(cfg.MaxGrant))
	add(lang.L("Redaction level"), lang.L(cfg.Redaction))
	add(lang.L("Shortest justification"), fmt.Sprintf(lang.L("%d characters"), cfg.MinReason))
	internal := strings.Join(cfg.Internal, ", ")
	if internal == "" {
		internal = lang.L("none: events cannot tell internal from external")
	}
	add(lang.L("The firm's domains and numbers"), internal)
	add(lang.L("Created"), cfg.Created.Local().Format("2006-01-02 15:04"))
	add(lang.L("Vault id"), ms.wb.vt.ID())
	ms.settings.Refresh()
}

// onAdd picks an armored public key, then the roles to give it.
func (ms *membersScreen) onAdd() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		ms.chooseRoles(r.URI().Path())
	}, ms.wb.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".asc", ".pub", ".gpg", ".key"}))
	d.Show()
}

// chooseRoles reads the public key at path and asks which roles it gets.
func (ms *membersScreen) chooseRoles(path string) {
	b, err := identity.ReadFile(path)
	var pub *identity.Public
	if err == nil {
		pub, err = identity.ParsePublic(b)
	}
	if err != nil {
		ms.status.SetText(fmt.Sprintf(lang.L("%s is not a usable public key: %v"), path, err))
		return
	}
	checks := make([]*widget.Check, len(addableRoles))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Key"), widget.NewLabel(pub.UserID()+"\n"+groupHex(pub.Fingerprint())))}
	for i, r := range addableRoles {
		checks[i] = widget.NewCheck(lang.L(string(r)), nil)
		items = append(items, widget.NewFormItem("", checks[i]))
	}
	checks[0].SetChecked(true)
	dialog.ShowForm(lang.L("Add a member"), lang.L("Add"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		var roles []vault.Role
		for i, c := range checks {
			if c.Checked {
				roles = append(roles, addableRoles[i])
			}
		}
		ms.add(pub, roles)
	}, ms.wb.win)
}

// add enrols pub with roles, logged.
func (ms *membersScreen) add(pub *identity.Public, roles []vault.Role) {
	if len(roles) == 0 {
		ms.status.SetText(lang.L("Choose at least one role."))
		return
	}
	s := ms.wb.sess
	ms.wb.background(func() {
		err := s.AddMember(pub, roles)
		ms.wb.ui(func() {
			if err != nil {
				ms.status.SetText(errorText(err))
				return
			}
			ms.status.SetText(fmt.Sprintf(lang.L("%s is a member now (%s); the enrolment is in the access log."), pub.UserID(), rolesText(roles)))
			ms.load()
		})
	})
}

// groupHex writes a fingerprint in groups of four, as GnuPG shows it.
func groupHex(fp string) string {
	var b strings.Builder
	for i := 0; i < len(fp); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fp[i:min(i+4, len(fp))])
	}
	return strings.ToUpper(b.String())
}
