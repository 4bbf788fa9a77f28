package app

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"sealroom/vault"
)

// Texts for people: scopes, durations, ages, sizes.

// scopeText names a request's scope for people.
func scopeText(scope string) string {
	sc, err := vault.ParseScope(scope)
	switch {
	case err != nil:
		return scope
	case sc.From == sc.To:
		return fmt.Sprintf(lang.L("conversation %s, message %d"), sc.Conversation, sc.From)
	}
	return fmt.Sprintf(lang.L("conversation %s, messages %d–%d"), sc.Conversation, sc.From, sc.To)
}

// durationText is a grant's length, rounded to what people ask for.
func durationText(d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf(lang.L("%d d"), int(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf(lang.L("%d h"), int(d/time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf(lang.L("%d h %d min"), int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf(lang.L("%d min"), max(1, int(d.Round(time.Minute)/time.Minute)))
}

// ageText says how long ago something was asked ("3 h ago").
func ageText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return lang.L("just now")
	case d < time.Hour:
		return fmt.Sprintf(lang.L("%d min ago"), int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf(lang.L("%d h ago"), int(d/time.Hour))
	}
	return fmt.Sprintf(lang.L("%d d ago"), int(d/(24*time.Hour)))
}

// byteSize is a file size in B, KiB or MiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
