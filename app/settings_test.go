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
