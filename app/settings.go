package app

import (
	"os"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Preferences the settings dialog keeps (choices only: no vault content).
const (
	prefTheme    = "theme"     // "", "light" or "dark"
	prefLanguage = "language"  // "", "en" or "zh-Hans"
	prefCopy     = "allowCopy" // unlocked text may be selected and copied
)

var (
	themeChoices    = []string{"", "light", "dark"}
	languageChoices = []string{"", "en", "zh-Hans"}
)

// ApplyLanguage sets the interface language chosen in the settings, before
// the translations are loaded; "" follows the system locale.
func ApplyLanguage(a fyne.App) {
	switch a.Preferences().String(prefLanguage) {
	case "en":
		os.Setenv("LANG", "en_US.UTF-8")
	case "zh-Hans":
		os.Setenv("LANG", "zh_CN.UTF-8")
	}
}

// ThemeFor returns the workbench theme with the variant chosen in the
// settings.
func ThemeFor(a fyne.App) fyne.Theme {
	t := workbenchTheme{Theme: theme.DefaultTheme()}
	switch a.Preferences().String(prefTheme) {
	case "light":
		v := theme.VariantLight
		t.variant = &v
	case "dark":
		v := theme.VariantDark
		t.variant = &v
	}
	return t
}

// allowCopy reports whether unlocked text may be selected and copied.
func (wb *Workbench) allowCopy() bool { return wb.app.Preferences().Bool(prefCopy) }

// settingsForm is the settings dialog's controls.
type settingsForm struct {
	wb     *Workbench
	themes *widget.Select
	langs  *widget.Select
	copyOK *widget.Check
}

func newSettingsForm(wb *Workbench) *settingsForm {
	f := &settingsForm{wb: wb}
	p := wb.app.Preferences()
	f.themes = widget.NewSelect([]string{lang.L("as the system"), lang.L("light"), lang.L("dark")}, nil)
	f.themes.SetSelectedIndex(max(slices.Index(themeChoices, p.String(prefTheme)), 0))
	f.langs = widget.NewSelect([]string{lang.L("as the system"), "English", "简体中文"}, nil)
	f.langs.SetSelectedIndex(max(slices.Index(languageChoices, p.String(prefLanguage)), 0))
	f.copyOK = widget.NewCheck(lang.L("Allow selecting and copying unlocked messages"), nil)
	f.copyOK.SetChecked(wb.allowCopy())
	return f
}

// save keeps the choices and applies the theme now.
func (f *settingsForm) save() {
	p := f.wb.app.Preferences()
	p.SetString(prefTheme, themeChoices[max(f.themes.SelectedIndex(), 0)])
	p.SetString(prefLanguage, languageChoices[max(f.langs.SelectedIndex(), 0)])
	p.SetBool(prefCopy, f.copyOK.Checked)
	f.wb.app.Settings().SetTheme(ThemeFor(f.wb.app))
}

// showSettings opens the settings dialog.
func (wb *Workbench) showSettings() {
	f := newSettingsForm(wb)
	note := widget.NewLabel(lang.L("Copied text leaves the workbench's control: it is not logged, and it stays on the clipboard after the grant ends. The language applies from the next start."))
	note.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Theme"), f.themes),
		widget.NewFormItem(lang.L("Language"), f.langs),
		widget.NewFormItem("", f.copyOK),
		widget.NewFormItem("", note),
	}
	d := dialog.NewForm(lang.L("Settings"), lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if ok {
			f.save()
		}
	}, wb.win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// variantOf is v, or the variant the settings force.
func (t workbenchTheme) variantOf(v fyne.ThemeVariant) fyne.ThemeVariant {
	if t.variant != nil {
		return *t.variant
	}
	return v
}
