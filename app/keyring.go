package app

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"sealroom/crypto/identity"
)

// The keyring is a folder of members' secret key files, each protected by
// its passphrase (OpenPGP S2K), which the open screen offers: a key made
// by sealctl, or exported from GnuPG with
// `gpg --export-secret-keys --armor FINGERPRINT > key.asc`.

// keyringDir is Options.Keyring, or sealroom/keys in the user's
// configuration folder (~/.config/sealroom/keys on Linux).
func (wb *Workbench) keyringDir() string {
	if wb.opts.Keyring != "" {
		return wb.opts.Keyring
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "sealroom", "keys")
}

// keyringKeys lists the key files in the keyring, by name.
func (wb *Workbench) keyringKeys() []string {
	dir := wb.keyringDir()
	if dir == "" {
		return nil
	}
	var keys []string
	for _, pat := range []string{"*.asc", "*.key", "*.gpg"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		keys = append(keys, m...)
	}
	slices.Sort(keys)
	return keys
}

// importKey copies the secret key file at path into the keyring, after
// checking that it is one, and returns where it went.
func (wb *Workbench) importKey(path string) (string, error) {
	b, err := identity.ReadFile(path)
	if err != nil {
		return "", err
	}
	id, err := identity.ParseSecret(b)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	dir := wb.keyringDir()
	if dir == "" {
		return "", fmt.Errorf("%s", lang.L("no configuration folder for the keyring"))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	pub := id.Public()
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	dst := filepath.Join(dir, fmt.Sprintf("%s-%s.asc", name, pub.Fingerprint()[:8]))
	// O_EXCL: an import never replaces a key file.
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(dst)
		return "", err
	}
	return dst, f.Close()
}

// onImportKey asks for a key file and imports it into the keyring.
func (o *openScreen) onImportKey() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		dst, err := o.wb.importKey(r.URI().Path())
		if err != nil {
			o.status.SetText(errorText(err))
			return
		}
		o.keyPath.SetOptions(o.wb.keyringKeys())
		o.keyPath.SetText(dst)
		o.status.SetText(fmt.Sprintf(lang.L("Key imported into the keyring: %s"), dst))
	}, o.wb.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".asc", ".key", ".gpg"}))
	d.Show()
}
