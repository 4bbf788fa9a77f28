// Command sealroom is the Sealroom desktop workbench: reviewers work a
// redacted queue of risk events, privacy officers approve unlocks, and
// auditors verify the access log. The screens are in package app.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"sealroom/app"
)

func main() {
	launched := time.Now()
	vaultPath := flag.String("vault", "", "offer this vault `FILE` on the open screen")
	key := flag.String("key", "", "offer this key `FILE` (an armored OpenPGP secret key)")
	idle := flag.Duration("idle-lock", app.DefaultIdleLock, "lock the session after this `DURATION` without input")
	trace := flag.Bool("trace", false, "print timings (open to first queue page, filter changes, events shown) to stderr; never content")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: sealroom [--vault FILE] [--key FILE]\n\nOpens the Sealroom workbench.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := app.Harden(); err != nil {
		fmt.Fprintln(os.Stderr, "sealroom: process hardening:", err)
		os.Exit(1)
	}
	a := fyneapp.NewWithID("io.sealroom.workbench")
	app.ApplyLanguage(a)
	if err := app.LoadTranslations(); err != nil {
		fmt.Fprintln(os.Stderr, "sealroom: translations:", err)
	}
	a.Settings().SetTheme(app.ThemeFor(a))
	w := a.NewWindow("Sealroom")
	w.Resize(fyne.NewSize(1200, 760))
	opts := app.Options{Vault: *vaultPath, Identity: *key, StateDir: os.Getenv("SEALROOM_STATE_DIR"), IdleLock: *idle}
	if *trace {
		opts.Trace = os.Stderr
		a.Lifecycle().SetOnStarted(func() {
			fmt.Fprintf(os.Stderr, "trace: window shown: %.1f ms after launch\n", float64(time.Since(launched).Microseconds())/1000)
		})
	}
	wb := app.New(a, w, opts)
	wb.Run()
	w.ShowAndRun()
}
