package main

import (
	"fmt"
	"os"
	"strings"

	"sealroom/crypto/identity"
)

func cmdIdentityNew(e *env, args []string) error {
	fs := e.flags("identity new")
	name := fs.String("name", "", "the person's name (required)")
	email := fs.String("email", "", "the person's e-mail address (required)")
	out := fs.String("out", "", "write the passphrase-protected secret key to `FILE` (required; must not exist)")
	var sec secretFlags
	sec.register(fs, false)
	if _, err := e.parse(fs, args, 0, false); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" || !strings.Contains(*email, "@") || *out == "" {
		return usagef("--name, --email (an address) and --out are required")
	}
	pass, err := e.passphrase(&sec, "Passphrase for the new key", true)
	if err != nil {
		return err
	}
	defer clear(pass)
	id, err := identity.New(*name, *email, pass)
	if err != nil {
		return err
	}
	armored, err := id.ArmorSecret()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("writing the key: %w", err)
	}
	if _, err := f.Write(armored); err != nil {
		f.Close()
		return fmt.Errorf("writing the key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the key: %w", err)
	}
	fmt.Fprintf(e.stderr, "created %s for %s\nfingerprint %s\n", *out, id.Public().UserID(), id.Public().Fingerprint())
	return nil
}

func cmdIdentityPublic(e *env, args []string) error {
	fs := e.flags("identity public")
	pos, err := e.parse(fs, args, 1, false)
	if err != nil {
		return err
	}
	pub, err := readPublic(pos[0])
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(pub.Armor())
	return err
}
