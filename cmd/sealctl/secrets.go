package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"sealroom/crypto/identity"
)

// secretFlags are the flags of every command that acts as a member.
type secretFlags struct {
	as       string
	passFile string
}

func (s *secretFlags) register(fs *flag.FlagSet, needAs bool) {
	if needAs {
		fs.StringVar(&s.as, "as", "", "the member's secret key file (armored OpenPGP), e.g. exported by gpg or 'sealctl identity new'")
	}
	fs.StringVar(&s.passFile, "passphrase-file", "", "read the passphrase from the first line of `FILE` instead of SEALROOM_PASSPHRASE or a prompt")
}

// passphrase returns the passphrase for prompt, from --passphrase-file,
// SEALROOM_PASSPHRASE or the terminal, in that order.
func (e *env) passphrase(s *secretFlags, prompt string, confirm bool) ([]byte, error) {
	if s.passFile != "" {
		b, err := os.ReadFile(s.passFile)
		if err != nil {
			return nil, fmt.Errorf("reading passphrase file: %w", err)
		}
		line, _, _ := bytes.Cut(b, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return nil, fmt.Errorf("passphrase file %s: the first line is empty", s.passFile)
		}
		return line, nil
	}
	if p := e.getenv("SEALROOM_PASSPHRASE"); p != "" {
		return []byte(p), nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, errors.New("no passphrase: run on a terminal, or use --passphrase-file or SEALROOM_PASSPHRASE")
	}
	fmt.Fprintf(e.stderr, "%s: ", prompt)
	p, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return nil, fmt.Errorf("reading passphrase: %w", err)
	}
	if confirm {
		fmt.Fprint(e.stderr, "Repeat the passphrase: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return nil, fmt.Errorf("reading passphrase: %w", err)
		}
		if !bytes.Equal(p, again) {
			return nil, errors.New("the passphrases differ")
		}
	}
	return p, nil
}

// unlockIdentity reads the secret key in s.as and unlocks it.
func (e *env) unlockIdentity(s *secretFlags) (*identity.Identity, error) {
	if s.as == "" {
		return nil, usagef("--as KEY.asc is required")
	}
	b, err := identity.ReadFile(s.as)
	if err != nil {
		return nil, err
	}
	id, err := identity.ParseSecret(b)
	if err != nil {
		return nil, fmt.Errorf("reading secret key %s: %w", s.as, err)
	}
	pass, err := e.passphrase(s, "Passphrase for "+id.Public().UserID(), false)
	if err != nil {
		return nil, err
	}
	defer clear(pass)
	if err := id.Unlock(pass); err != nil {
		return nil, fmt.Errorf("unlocking %s (%s): %w", s.as, strings.TrimSpace(id.Public().UserID()), err)
	}
	return id, nil
}

// readPublic reads a public key file; a secret key file gives its public part.
func readPublic(path string) (*identity.Public, error) {
	b, err := identity.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if pub, err := identity.ParsePublic(b); err == nil {
		return pub, nil
	}
	id, err := identity.ParseSecret(b)
	if err != nil {
		return nil, fmt.Errorf("reading key %s: %w", path, err)
	}
	return id.Public(), nil
}
