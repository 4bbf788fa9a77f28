package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"sealroom/vault"
)

// setFlag collects a comma-separated or repeated flag.
type setFlag []string

func (l *setFlag) String() string { return strings.Join(*l, ",") }
func (l *setFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// timeFlag reads a date (2026-01-31) or an RFC 3339 time.
type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(s string) error {
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			f.t = t
			return nil
		}
	}
	return fmt.Errorf("%q is neither a date (2026-01-31) nor an RFC 3339 time", s)
}

func cmdEventsList(e *env, args []string) error {
	fs := e.flags("events list")
	var vf vaultFlags
	vf.register(fs, true)
	var f vault.EventFilter
	var status, severity, policy, category, channel, pseudonym setFlag
	var since, until timeFlag
	fs.Var(&status, "status", "only events in these `STATUSES` ("+strings.Join(vault.Statuses, ", ")+")")
	fs.Var(&severity, "severity", "only these `SEVERITIES` ("+strings.Join(vault.Severities, ", ")+")")
	fs.Var(&policy, "policy", "only these policy `IDS`")
	fs.Var(&category, "category", "only these `CATEGORIES`")
	fs.Var(&channel, "channel", "only these `CHANNELS` (whatsapp, telegram …)")
	fs.Var(&pseudonym, "pseudonym", "only events with these participant `PSEUDONYMS`")
	fs.Var(&since, "since", "only events at or after `TIME` (a date or RFC 3339)")
	fs.Var(&until, "until", "only events before `TIME`")
	conv := fs.String("conversation", "", "only events in this `CONV` (an id from 'sealctl conversations')")
	asJSON := fs.Bool("json", false, "print one JSON object per event")
	vt, s, _, err := e.openAs(fs, &vf, args, 1, true, nil)
	if err != nil {
		return err
	}
	defer vt.Close()
	f.Status, f.Severity, f.Policy, f.Category, f.Channel, f.Pseudonym = status, severity, policy, category, channel, pseudonym
	f.Since, f.Until, f.Conversation = since.t, until.t, *conv
	evs, err := s.Events(f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, ev := range evs {
			if err := enc.Encode(struct {
				ID string `json:"id"`
				*vault.Event
			}{vault.EventID(ev.ID), ev}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTIME\tSEVERITY\tPOLICY\tSTATUS\tCHANNEL\tDIRECTION\tCONVERSATION\tMSG\tPARTICIPANTS\tEXCERPT")
	for _, ev := range evs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", vault.EventID(ev.ID), ev.Time.UTC().Format("2006-01-02 15:04"),
			ev.Severity, ev.Policy, ev.Status, ev.Channel, ev.Direction, ev.Conversation, ev.Seq,
			strings.Join(ev.Participants, ","), oneLine(ev.Excerpt))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d events\n", len(evs))
	return nil
}

// oneLine keeps an excerpt on its table row.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func cmdEventsSet(e *env, args []string) error {
	fs := e.flags("events set")
	var vf vaultFlags
	vf.register(fs, true)
	status := fs.String("status", "", "the disposition: "+strings.Join(vault.Statuses, ", ")+" (required)")
	note := fs.String("note", "", "why (kept with the event and in the access log)")
	pos, err := e.parse(fs, args, 2, true)
	if err != nil {
		return err
	}
	if *status == "" {
		return usagef("--status is required")
	}
	var ids []uint64
	for _, a := range pos[1:] {
		id, err := vault.ParseEventID(a)
		if err != nil {
			return usageError{err}
		}
		ids = append(ids, id)
	}
	vt, s, err := e.session(&vf, pos[0], false)
	if err != nil {
		return err
	}
	defer vt.Close()
	if err := s.SetStatus(ids, *status, *note); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d events set to %s\n", len(ids), *status)
	return nil
}

var _ flag.Value = (*setFlag)(nil)
