package app

import (
	"embed"

	"fyne.io/fyne/v2/lang"
)

//go:embed translations
var translations embed.FS

// LoadTranslations registers the workbench's strings (English and
// Simplified Chinese); Fyne picks the language from the system locale.
func LoadTranslations() error {
	return lang.AddTranslationsFS(translations, "translations")
}
