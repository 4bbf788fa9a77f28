// Command sealctl is Sealroom's command-line tool: it creates identities
// and vaults, enrols members, imports messages, requests, approves, denies
// and performs unlocks, and verifies and exports the access log. It shares
// every package with the desktop workbench except the GUI, and builds
// without cgo.
//
// Passphrases never come from the command line: sealctl reads them from
// --passphrase-file, the SEALROOM_PASSPHRASE variable, or a terminal prompt.
//
// Exit codes:
//
//	0  success
//	1  failure (the message says what failed); for "log verify", the log fails verification
//	2  usage error
//	3  unlock refused: not approved, denied, expired, or not the requester
//	4  the vault is in use by another program
//	5  the access log is older than, or diverges from, the one this workstation saw
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"sealroom/vault"
)

const (
	exitOK      = 0
	exitFail    = 1
	exitUsage   = 2
	exitRefused = 3
	exitInUse   = 4
	exitLogHead = 5
)

// command is one sealctl command.
type command struct {
	name  string
	args  string
	short string
	run   func(env *env, args []string) error
}

var commands []*command

func init() {
	commands = []*command{
		{"identity new", "--name N --email E --out KEY.asc", "create an OpenPGP identity (asks for its passphrase)", cmdIdentityNew},
		{"identity public", "KEY.asc", "print the public key of an identity", cmdIdentityPublic},
		{"vault init", "VAULT --admin KEY.asc --officer PUB.asc… [--threshold K]", "create a vault", cmdVaultInit},
		{"vault check", "VAULT", "check the vault file's structure (bbolt consistency check)", cmdVaultCheck},
		{"vault compact", "VAULT", "rewrite the vault file with full pages (after imports of many conversations); nothing in it changes", cmdVaultCompact},
		{"member add", "VAULT --as ADMIN.asc --role ROLE… PUB.asc", "enrol a member", cmdMemberAdd},
		{"member list", "VAULT [--as KEY.asc]", "list members and roles", cmdMemberList},
		{"parse", "[--format F] [--tz ZONE] [--days-first auto|yes|no] PATH…", "print an export's messages as JSONL, without a vault", cmdParse},
		{"ingest", "VAULT --as KEY.asc [--format F] [--tz ZONE] [--custodian WHO | --custodian-folders] [--policies DIR | --no-scan] PATH…", "import exports into the vault, scanning them for risk", cmdIngest},
		{"scan", "[--policies DIR] [--level sealed|masked|redacted] < MESSAGES.jsonl", "scan JSONL messages ({\"id\", \"text\"}) for risk and personal data, without a vault", cmdScan},
		{"conversations", "VAULT --as KEY.asc", "list conversations (pseudonymous)", cmdConversations},
		{"requests", "VAULT --as KEY.asc", "list unlock requests and their votes", cmdRequests},
		{"events list", "VAULT --as KEY.asc [--status S] [--severity S] [--policy P] [--category C] [--channel C] [--pseudonym P] [--since T] [--until T] [--json]", "list risk events (redacted)", cmdEventsList},
		{"events set", "VAULT --as KEY.asc --status S [--note TEXT] ID…", "record a disposition of events (reviewers)", cmdEventsSet},
		{"request", "VAULT --as KEY.asc (--scope CONV:FROM-TO | --event ID) --reason TEXT --for DURATION", "ask to unlock messages", cmdRequest},
		{"approve", "VAULT --as KEY.asc REQ", "approve an unlock request (officers)", cmdApprove},
		{"deny", "VAULT --as KEY.asc REQ --reason TEXT", "deny an unlock request (officers)", cmdDeny},
		{"unlock", "VAULT --as KEY.asc REQ", "print an approved request's messages as JSONL", cmdUnlock},
		{"log verify", "VAULT --as KEY.asc | --export DIR", "verify the access log", cmdLogVerify},
		{"log show", "VAULT --as KEY.asc [--from N] [--json]", "print the access log", cmdLogShow},
		{"log export", "VAULT --as KEY.asc --out DIR", "export the log for outside verification", cmdLogExport},
	}
}

// env is what commands read and write; tests replace it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(e, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, rest := lookup(args)
	if cmd == nil {
		fmt.Fprintf(e.stderr, "sealctl: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	err := cmd.run(e, rest)
	if err == nil {
		return exitOK
	}
	var uerr usageError
	var herr *vault.HeadError
	code := exitFail
	switch {
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &uerr):
		fmt.Fprintf(e.stderr, "sealctl %s: %v\nusage: sealctl %s %s\n", cmd.name, err, cmd.name, cmd.args)
		return exitUsage
	case errors.Is(err, vault.ErrInUse):
		code = exitInUse
	case errors.As(err, &herr):
		code = exitLogHead
		err = fmt.Errorf("%w\nIf this is expected (a restored backup), an auditor can accept it with --accept-log-head", err)
	case errors.Is(err, vault.ErrNotApproved), errors.Is(err, vault.ErrExpired), errors.Is(err, vault.ErrNotRequester):
		code = exitRefused
	case errors.Is(err, errLogFails):
		code = exitFail
	case errors.Is(err, vault.ErrDamaged) && cmd.name != "vault check":
		err = fmt.Errorf("%w\nTo list the damage: sealctl vault check VAULT", err)
	}
	fmt.Fprintf(e.stderr, "sealctl %s: %v\n", cmd.name, err)
	return code
}

func lookup(args []string) (*command, []string) {
	for _, c := range commands {
		words := splitWords(c.name)
		if len(args) >= len(words) && equalWords(args[:len(words)], words) {
			return c, args[len(words):]
		}
	}
	return nil, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `sealctl: Sealroom's command-line tool for sealed message archives

Reviewers see risk events, never people's messages, until two privacy
officers agree; the archive enforces that agreement with key shares, and
every action lands in a signed, hash-chained access log.

Commands:`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-16s %s\n  %-16s   %s\n", c.name, c.args, "", c.short)
	}
	fmt.Fprintln(w, `
Run "sealctl COMMAND --help" for a command's flags.

Passphrases come from --passphrase-file FILE, the SEALROOM_PASSPHRASE
variable, or a terminal prompt, never from the command line.

Exit codes: 0 success; 1 failure; 2 usage; 3 unlock refused (not approved,
denied or expired); 4 vault in use; 5 access log older than or diverging
from the one this workstation saw.`)
}
