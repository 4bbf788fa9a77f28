package main

import (
	"errors"
	"fmt"
	"os"

	"sealroom/capture"
	"sealroom/capture/jsonl"
	"sealroom/vault"
)

func cmdIngest(e *env, args []string) error {
	fs := e.flags("ingest")
	var vf vaultFlags
	vf.register(fs, true)
	format := fs.String("format", "jsonl", "the input format: jsonl (the normalized model, docs/formats/jsonl.md)")
	strict := fs.Bool("strict", false, "stop at the first unreadable line instead of reporting and skipping it")
	pos, err := e.parse(fs, args, 2, true)
	if err != nil {
		return err
	}
	if *format != "jsonl" {
		return usagef("format %q is not supported yet; use jsonl", *format)
	}
	vt, s, err := e.session(&vf, pos[0], false)
	if err != nil {
		return err
	}
	defer vt.Close()
	var shown func(vault.IngestStats)
	if p := e.progress("messages stored"); p != nil {
		shown = func(st vault.IngestStats) { p(st.Messages, 0) }
	}
	in, err := s.Ingest(shown)
	if err != nil {
		return err
	}
	var lineErrs []*capture.LineError
	bad := 0
	for _, name := range pos[1:] {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		st, rerr := jsonl.Read(f, name, in, jsonl.Options{Strict: *strict})
		f.Close()
		lineErrs = append(lineErrs, st.Errors...)
		bad += st.Bad
		if rerr != nil {
			in.Close()
			return rerr
		}
	}
	stats, err := in.Close()
	if err != nil {
		return err
	}
	for i, le := range lineErrs {
		if i == 20 {
			fmt.Fprintf(e.stderr, "… and %d more unreadable lines\n", bad-20)
			break
		}
		fmt.Fprintf(e.stderr, "unreadable: %v\n", le)
	}
	fmt.Fprintf(e.stderr, "%d messages read: %d new, %d duplicate, %d unreadable lines; %d chunks sealed in %d conversations\n",
		stats.Messages, stats.New, stats.Duplicate, bad, stats.Chunks, stats.Conversations)
	if bad > 0 {
		return errors.New("some lines could not be read (listed above); the rest was imported")
	}
	return nil
}
