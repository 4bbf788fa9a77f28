package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"unicode/utf8"

	"sealroom/review"
	"sealroom/review/redact"
)

// scanInput is one line of `sealctl scan`'s input.
type scanInput struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Language string   `json:"language,omitempty"` // accepted; every pack's languages are matched
	Names    []string `json:"names,omitempty"`    // participants' names, detected as NAME
}

// scanOutput is one finding: a policy finding (type: the policy id) or
// personal data (type: PHONE, EMAIL …; category "pii").
type scanOutput struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	Category  string  `json:"category"`
	Severity  string  `json:"severity,omitempty"`
	Start     int     `json:"start"` // code points into the original text, end exclusive
	End       int     `json:"end"`
	ByteStart int     `json:"byte_start"`
	ByteEnd   int     `json:"byte_end"`
	Score     float64 `json:"score"`
	Text      string  `json:"text"` // the whole message at --level
}

func cmdScan(e *env, args []string) error {
	fs := e.flags("scan")
	policies := fs.String("policies", "", "use the policy files in `DIR` instead of the built-in packs")
	level := fs.String("level", "redacted", "how the text is shown in each finding: sealed (none), masked or redacted")
	if _, err := e.parse(fs, args, 0, false); err != nil {
		return err
	}
	lv, err := redact.ParseLevel(*level)
	if err != nil {
		return usageError{err}
	}
	sc, err := loadScanner(*policies)
	if err != nil {
		return err
	}
	in := bufio.NewScanner(e.stdin)
	in.Buffer(nil, 4<<20)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	line, messages, findings := 0, 0, 0
	for in.Scan() {
		line++
		if len(in.Bytes()) == 0 {
			continue
		}
		var m scanInput
		if err := json.Unmarshal(in.Bytes(), &m); err != nil {
			return fmt.Errorf("stdin line %d: %v", line, err)
		}
		if !utf8.ValidString(m.Text) {
			return fmt.Errorf("stdin line %d: text is not valid UTF-8", line)
		}
		messages++
		outs := scanOne(sc, lv, &m)
		for i := range outs {
			if err := enc.Encode(&outs[i]); err != nil {
				return err
			}
		}
		findings += len(outs)
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("reading stdin after line %d: %w", line, err)
	}
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d messages, %d findings\n", messages, findings)
	return nil
}

func scanOne(sc *review.Scanner, lv redact.Level, m *scanInput) []scanOutput {
	r := sc.Analyze(m.Text, m.Names)
	// The message as the level shows it, with every term and entity.
	var spans []redact.Span
	for _, f := range r.Findings {
		spans = append(spans, f.Spans...)
	}
	for _, en := range r.Entities {
		spans = append(spans, redact.Span{Start: en.Start, End: en.End, Kind: redact.Entity, Label: en.Type.Placeholder()})
	}
	ex, _ := redact.Make(lv, m.Text, spans, redact.Options{Context: len(m.Text) + 1, Max: len(m.Text) + 1}) // spans come from the text: no error
	var outs []scanOutput
	add := func(typ, cat, sev string, start, end int, score float64) {
		outs = append(outs, scanOutput{ID: m.ID, Type: typ, Category: cat, Severity: sev, ByteStart: start, ByteEnd: end,
			Start: utf8.RuneCountInString(m.Text[:start]), End: utf8.RuneCountInString(m.Text[:end]), Score: math.Round(score*1000) / 1000, Text: ex.Text})
	}
	for _, f := range r.Findings {
		start, end := len(m.Text), 0
		for _, sp := range f.Spans {
			if sp.Kind == redact.Term {
				start, end = min(start, sp.Start), max(end, sp.End)
			}
		}
		if end < start {
			start, end = 0, 0
		}
		add(f.Policy, f.Category, f.Severity, start, end, f.Score)
	}
	for _, en := range r.Entities {
		add(string(en.Type), "pii", "", en.Start, en.End, float64(en.Score))
	}
	return outs
}
