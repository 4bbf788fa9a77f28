package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"sealroom/vault"
	"sealroom/vault/auditlog"
)

// errLogFails marks a log that failed verification (exit 1).
var errLogFails = errors.New("the access log fails verification")

func cmdLogVerify(e *env, args []string) error {
	fs := e.flags("log verify")
	var vf vaultFlags
	vf.register(fs, true)
	export := fs.String("export", "", "verify an exported log in `DIR` instead of a vault (no key needed)")
	workers := fs.Int("workers", 0, "signature-checking goroutines (0: one per CPU)")
	var pos []string
	var err error
	if pos, err = e.parse(fs, args, 0, true); err != nil {
		return err
	}
	var start time.Time
	var rep *auditlog.Report
	switch {
	case *export != "" && len(pos) == 0:
		ex, err := auditlog.ReadExport(*export)
		if err != nil {
			return fmt.Errorf("%w: %v", errLogFails, err)
		}
		start = time.Now()
		rep, err = auditlog.VerifyExport(ex, auditlog.Options{Workers: *workers, Progress: e.progress("signatures checked")})
		if err != nil {
			return fmt.Errorf("%w: %v", errLogFails, err)
		}
	case *export == "" && len(pos) == 1:
		vt, s, err := e.session(&vf, pos[0], true)
		if err != nil {
			return err
		}
		defer vt.Close()
		start = time.Now()
		rep, err = s.VerifyLog(vault.LogOptions{Workers: *workers, Progress: e.progress("signatures checked")})
		if err != nil {
			return fmt.Errorf("%w: %v", errLogFails, err)
		}
	default:
		return usagef("give either VAULT (with --as) or --export DIR")
	}
	el := time.Since(start)
	fmt.Fprintf(e.stdout, "intact: %d entries, %d signatures checked, head %s, tree root %s\n",
		rep.Entries, rep.Signatures, rep.Head, hex.EncodeToString(rep.Root[:]))
	fmt.Fprintf(e.stderr, "verified in %s (%.0f entries/s)\n", el.Round(time.Millisecond), float64(rep.Entries)/el.Seconds())
	return nil
}

func cmdLogShow(e *env, args []string) error {
	fs := e.flags("log show")
	var vf vaultFlags
	vf.register(fs, true)
	from := fs.Uint64("from", 1, "first entry to show")
	asJSON := fs.Bool("json", false, "print each entry's canonical JSON, one per line")
	vt, s, _, err := e.openAs(fs, &vf, args, 1, true, nil)
	if err != nil {
		return err
	}
	defer vt.Close()
	entries, err := s.LogEntries(*from)
	if err != nil {
		return err
	}
	if *asJSON {
		for _, en := range entries {
			b, _ := en.Marshal()
			fmt.Fprintf(e.stdout, "%s\n", b)
		}
		return nil
	}
	names := map[string]string{}
	if ms, err := vt.Members(); err == nil {
		for _, m := range ms {
			names[m.Fingerprint] = m.UserID
		}
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME\tACTOR\tROLE\tACTION\tTARGET\tREASON")
	for _, en := range entries {
		actor := names[en.Actor]
		if actor == "" {
			actor = en.Actor
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", en.Seq, en.When().Local().Format(time.DateTime), actor, en.Role, en.Action, en.Target, en.Reason)
	}
	return tw.Flush()
}

func cmdLogExport(e *env, args []string) error {
	fs := e.flags("log export")
	var vf vaultFlags
	vf.register(fs, true)
	out := fs.String("out", "", "write the export to `DIR`, which must not exist (required)")
	vt, s, _, err := e.openAs(fs, &vf, args, 1, false, func([]string) error {
		if *out == "" {
			return usagef("--out DIR is required")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer vt.Close()
	rep, err := s.ExportLog(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "exported %d entries to %s; check them with: sh %s/verify.sh\n", rep.Entries, *out, *out)
	return nil
}
