package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Colours the workbench adds to Fyne's theme.
const (
	colorTerm     fyne.ThemeColorName = "sealroom-term"     // a matched risk term in an excerpt
	colorRedacted fyne.ThemeColorName = "sealroom-redacted" // a placeholder or pseudonym that replaced personal data
)

// workbenchTheme is Fyne's theme with the workbench's colours: everything
// else (sizes, fonts, the light and dark variants) is Fyne's own.
// The variant is the system's unless the settings force light or dark.
type workbenchTheme struct {
	fyne.Theme
	variant *fyne.ThemeVariant
}

// Theme returns the workbench's theme, following the system's variant.
func Theme() fyne.Theme { return workbenchTheme{Theme: theme.DefaultTheme()} }

func (t workbenchTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.variantOf(v)
	dark := v == theme.VariantDark
	switch n {
	case colorTerm:
		// Amber reads as "look here" without the alarm of red, on both variants.
		if dark {
			return color.NRGBA{R: 0xff, G: 0xc1, B: 0x4d, A: 0xff}
		}
		return color.NRGBA{R: 0xb2, G: 0x5e, B: 0x00, A: 0xff}
	case colorRedacted:
		// Slate blue: clearly not message text, never mistaken for a link.
		if dark {
			return color.NRGBA{R: 0x9f, G: 0xb4, B: 0xd8, A: 0xff}
		}
		return color.NRGBA{R: 0x3d, G: 0x55, B: 0x7a, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// severityColor is the badge colour of a severity.
func severityColor(s string) color.Color {
	switch s {
	case "critical":
		return color.NRGBA{R: 0xb0, G: 0x00, B: 0x20, A: 0xff}
	case "high":
		return color.NRGBA{R: 0xe0, G: 0x5a, B: 0x00, A: 0xff}
	case "medium":
		return color.NRGBA{R: 0xe0, G: 0xb0, B: 0x00, A: 0xff}
	}
	return color.NRGBA{R: 0x70, G: 0x90, B: 0x70, A: 0xff}
}
