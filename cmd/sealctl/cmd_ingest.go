package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"sealroom/capture"
	"sealroom/capture/importers"
	"sealroom/capture/jsonl"
	"sealroom/review"
	"sealroom/vault"
)

// importFlags are the flags of the commands that read exports.
type importFlags struct {
	format, tz, daysFirst, custodian string
	strict                           bool
}

func (f *importFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "auto", "the export format: auto (detect it), "+importers.Names())
	fs.StringVar(&f.tz, "tz", "local", "the `ZONE` of times an export writes without one (a phone's clock): an IANA name such as Europe/Berlin, UTC, or local")
	fs.StringVar(&f.daysFirst, "days-first", "auto", "how to read dates like 03/04/25: auto (from the whole file), yes (3 April) or no (4 March)")
	fs.StringVar(&f.custodian, "custodian", "", "whose export this is (a person or phone): WhatsApp, Signal and WeChat name chats only by title, so chats of the same name from different custodians need it to stay apart")
	fs.BoolVar(&f.strict, "strict", false, "stop at the first unreadable record instead of reporting it and going on")
}

func (f *importFlags) options() (capture.Options, error) {
	opts := capture.Options{Strict: f.strict, Custodian: f.custodian}
	switch f.tz {
	case "local", "":
		opts.Zone = time.Local
	default:
		loc, err := time.LoadLocation(f.tz)
		if err != nil {
			return opts, usagef("--tz %q: %v", f.tz, err)
		}
		opts.Zone = loc
	}
	switch f.daysFirst {
	case "auto":
	case "yes":
		opts.DayOrder = capture.DaysFirst
	case "no":
		opts.DayOrder = capture.MonthsFirst
	default:
		return opts, usagef("--days-first takes auto, yes or no")
	}
	return opts, nil
}

// formatOf returns the format of path, detected or as given.
func (f *importFlags) formatOf(path string) (*importers.Format, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	if f.format == "auto" {
		return importers.Detect(path)
	}
	return importers.Lookup(f.format)
}

// inputs resolves the paths to import and their formats
// (importers.Inputs): files no importer (or not the --format given)
// recognizes in a folder, such as media, are skipped and counted.
func (f *importFlags) inputs(paths []string) ([]importers.Input, error) {
	var want *importers.Format
	if f.format != "auto" {
		fm, err := importers.Lookup(f.format)
		if err != nil {
			return nil, err
		}
		want = fm
	}
	return importers.Inputs(paths, want)
}

// report prints an import's unreadable records (the first 20) to w.
func reportBad(w io.Writer, st capture.Stats) {
	for i, le := range st.Errors {
		if i == 20 {
			fmt.Fprintf(w, "… and %d more unreadable records\n", st.Bad-20)
			break
		}
		fmt.Fprintf(w, "unreadable: %v\n", le)
	}
}

func cmdIngest(e *env, args []string) error {
	fs := e.flags("ingest")
	var vf vaultFlags
	vf.register(fs, true)
	var imp importFlags
	imp.register(fs)
	policies := fs.String("policies", "", "scan with the policy files in `DIR` instead of the built-in packs (docs/formats/policy.md)")
	noScan := fs.Bool("no-scan", false, "store messages without scanning them for risk (no events)")
	byFolder := fs.Bool("custodian-folders", false, "take each export's custodian from the folder it sits in under the folder given, for a folder with one subfolder per person or phone (exports/jsmith/… is jsmith's)")
	pos, err := e.parse(fs, args, 2, true)
	if err != nil {
		return err
	}
	opts, err := imp.options()
	if err != nil {
		return err
	}
	if *byFolder && imp.custodian != "" {
		return usagef("--custodian and --custodian-folders exclude each other")
	}
	// An import allocates a message at a time and keeps little: a heap
	// twice the live data halves the collector's work (6% faster on the
	// 1M-message corpus) for about 25 MiB more peak memory. GOGC overrides.
	if e.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	ins, err := imp.inputs(pos[1:])
	if err != nil {
		return err
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
	var scanner *review.Scanner
	if !*noScan {
		if scanner, err = loadScanner(*policies); err != nil {
			return err
		}
	}
	in, err := s.Ingest(shown)
	if err != nil {
		return err
	}
	if scanner != nil {
		if err := in.Scan(scanner); err != nil {
			in.Close()
			return err
		}
	}
	bad := 0
	quiet := len(ins) > 20 // a folder of chats: a summary, not a line per chat
	files := map[string]int{}
	read, skipped := 0, 0
	titles := &titleSink{Ingester: in}
	for _, x := range ins {
		p, fm := x.Path, x.Resolve()
		if fm == nil {
			skipped++
			continue
		}
		if *byFolder {
			opts.Custodian = x.Folder
		}
		titles.folder = x.Folder
		st, rerr := fm.Read(p, titles, opts)
		files[fm.Name]++
		read++
		reportBad(e.stderr, st)
		bad += st.Bad
		if rerr != nil {
			in.Close() // keep what was read before the error
			return fmt.Errorf("reading %s (%s): %w", p, fm.Name, rerr)
		}
		if !quiet || st.Bad > 0 {
			fmt.Fprintf(e.stderr, "%s (%s): %d messages in %d conversations, %d unreadable\n", p, fm.Name, st.Messages, st.Conversations, st.Bad)
		}
	}
	stats, err := in.Close()
	if err != nil {
		return err
	}
	if quiet || skipped > 0 {
		var kinds []string
		for name, n := range files {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, name))
		}
		sort.Strings(kinds)
		fmt.Fprintf(e.stderr, "%d exports read (%s), %d other files skipped\n", read, strings.Join(kinds, ", "), skipped)
	}
	if read == 0 {
		return errors.New("no export found among the files given")
	}
	if n, example := titles.Shared(); n > 0 && opts.Custodian == "" && !*byFolder {
		fmt.Fprintf(e.stderr, "warning: %d conversations were read from exports in different folders (%s); "+
			"WhatsApp, Signal and WeChat name a chat only by its title, so chats of one name were stored as one conversation. "+
			"If the folders are different people's phones, import them into a new vault with --custodian-folders (or one --custodian per import) to keep them apart.\n",
			n, example)
	}
	fmt.Fprintf(e.stderr, "%d messages read: %d new, %d duplicate, %d unreadable; %d chunks sealed in %d conversations\n",
		stats.Messages, stats.New, stats.Duplicate, bad, stats.Chunks, stats.Conversations)
	if scanner != nil {
		fmt.Fprintf(e.stderr, "%d risk events found by %d policies\n", stats.Events, len(scanner.Policies()))
	}
	if stats.Files+stats.FileErrors > 0 {
		fmt.Fprintf(e.stderr, "%d attached files stored (%d bytes), sealed with their messages", stats.Files, stats.FileBytes)
		if stats.FileErrors > 0 {
			fmt.Fprintf(e.stderr, "; %d could not be read from the export and are recorded without content", stats.FileErrors)
		}
		fmt.Fprintln(e.stderr)
	}
	if bad > 0 {
		return errors.New("some records could not be read (listed above); the rest was imported")
	}
	return nil
}

// titleSink is the Ingester (every method of it, which importers look
// for: capture.Copier, capture.Flusher), noting each conversation's
// folder (importers.Titles).
type titleSink struct {
	*vault.Ingester
	importers.Titles
	folder string // the folder of the export being read
}

func (t *titleSink) Conversation(c *capture.Conversation) error {
	t.Note(t.folder, c)
	return t.Ingester.Conversation(c)
}

// parseSink writes what an importer reads as JSONL.
type parseSink struct {
	w       *jsonl.Writer
	headers map[string]*capture.Conversation
}

func (p *parseSink) Conversation(c *capture.Conversation) error {
	cp := *c
	p.headers[c.ID] = &cp
	return nil
}

// CopiesMessages: Message writes each message out and keeps nothing.
func (p *parseSink) CopiesMessages() {}

func (p *parseSink) Message(m *capture.Message) error {
	h := p.headers[m.Conversation]
	if h == nil {
		h = &capture.Conversation{ID: m.Conversation}
	}
	return p.w.Write(h, m)
}

func cmdParse(e *env, args []string) (err error) {
	fs := e.flags("parse")
	var imp importFlags
	imp.register(fs)
	pos, err := e.parse(fs, args, 1, true)
	if err != nil {
		return err
	}
	opts, err := imp.options()
	if err != nil {
		return err
	}
	sink := &parseSink{w: jsonl.NewWriter(e.stdout), headers: map[string]*capture.Conversation{}}
	defer func() { // what was read is written, even when a later input fails
		if ferr := sink.w.Flush(); err == nil && ferr != nil {
			err = fmt.Errorf("writing the messages: %w", ferr)
		}
	}()
	bad := 0
	var lines []string
	for _, p := range pos {
		f, err := imp.formatOf(p)
		if err != nil {
			return err
		}
		st, err := f.Read(p, sink, opts)
		reportBad(e.stderr, st)
		bad += st.Bad
		if err != nil {
			return fmt.Errorf("reading %s (%s): %w", p, f.Name, err)
		}
		lines = append(lines, fmt.Sprintf("%s (%s): %d messages in %d conversations, %d unreadable", p, f.Name, st.Messages, st.Conversations, st.Bad))
	}
	fmt.Fprintln(e.stderr, strings.Join(lines, "\n"))
	if bad > 0 && imp.strict {
		return errors.New("unreadable records (listed above)")
	}
	return nil
}

// loadScanner compiles the built-in policy packs, or those in dir.
func loadScanner(dir string) (*review.Scanner, error) {
	if dir == "" {
		return review.Load(nil)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, usagef("--policies %s: not a folder of policy files", dir)
	}
	sc, err := review.Load(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("reading the policies in %s: %w", dir, err)
	}
	return sc, nil
}
