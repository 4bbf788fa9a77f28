package app

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestSettings(t *testing.T) {
	a := test.NewTempApp(t)
	light := ThemeFor(a).Color(colorTerm, theme.VariantLight)
	dark := ThemeFor(a).Color(colorTerm, theme.VariantDark)
	if light == dark {
		t.Fatal("the term colour is the same in both variants")
	}
	a.Preferences().SetString(prefTheme, "dark")
	if got := ThemeFor(a).Color(colorTerm, theme.VariantLight); got != dark {
		t.Fatalf("forced dark theme gives %v for a light system, want %v", got, dark)
	}
	a.Preferences().SetString(prefTheme, "light")
	if got := ThemeFor(a).Color(theme.ColorNameBackground, theme.VariantDark); got != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Fatalf("forced light theme gives background %v on a dark system", got)
	}
	old := os.Getenv("LANG")
	t.Cleanup(func() { os.Setenv("LANG", old) })
	a.Preferences().SetString(prefLanguage, "zh-Hans")
	ApplyLanguage(a)
	if os.Getenv("LANG") != "zh_CN.UTF-8" {
		t.Fatalf("LANG = %q after choosing Chinese", os.Getenv("LANG"))
	}
}

// TestSettingsForm: the dialog's choices are kept, the theme applies at
// once, and copying turns on only when chosen.
func TestSettingsForm(t *testing.T) {
	f := newFixture(t)
	wb, _ := newTestWorkbench(t, f)
	if wb.allowCopy() {
		t.Fatal("copying is allowed by default")
	}
	form := newSettingsForm(wb)
	if form.themes.SelectedIndex() != 0 || form.langs.SelectedIndex() != 0 || form.copyOK.Checked {
		t.Fatal("a new workstation's settings are not the defaults")
	}
	form.themes.SetSelectedIndex(2) // dark
	form.langs.SetSelectedIndex(2)  // 简体中文
	form.copyOK.SetChecked(true)
	form.save()
	p := wb.app.Preferences()
	if p.String(prefTheme) != "dark" || p.String(prefLanguage) != "zh-Hans" || !wb.allowCopy() {
		t.Fatalf("saved: theme %q, language %q, copy %v", p.String(prefTheme), p.String(prefLanguage), wb.allowCopy())
	}
	dark := ThemeFor(wb.app).Color(colorTerm, theme.VariantDark)
	if got := wb.app.Settings().Theme().Color(colorTerm, theme.VariantLight); got != dark {
		t.Fatalf("the app's theme after choosing dark gives %v, want %v", got, dark)
	}
	if again := newSettingsForm(wb); again.themes.SelectedIndex() != 2 || !again.copyOK.Checked {
		t.Fatal("the dialog does not show the saved choices")
	}
}
