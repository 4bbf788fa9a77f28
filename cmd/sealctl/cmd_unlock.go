package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"sealroom/capture/jsonl"
	"sealroom/vault"
)

func cmdRequest(e *env, args []string) error {
	fs := e.flags("request")
	var vf vaultFlags
	vf.register(fs, true)
	scope := fs.String("scope", "", "the messages to unlock: `CONV:FROM-TO`, a conversation id from 'sealctl conversations' and message numbers (this or --event)")
	event := fs.String("event", "", "unlock a risk event's message (an `ID` from 'sealctl events list') with --context messages either side")
	context := fs.Int("context", 5, "with --event: how many messages before and after the event's message")
	reason := fs.String("reason", "", "the justification the officers read (at least 20 characters; required)")
	dur := fs.Duration("for", time.Hour, "how long the content stays unlocked once approved, e.g. 30m or 4h")
	var sc vault.Scope
	vt, s, _, err := e.openAs(fs, &vf, args, 1, false, func([]string) (err error) {
		if (*scope == "") == (*event == "") || *reason == "" {
			return usagef("--reason and one of --scope or --event are required")
		}
		if *scope != "" {
			if sc, err = vault.ParseScope(*scope); err != nil {
				return usageError{err}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer vt.Close()
	if *event != "" {
		id, err := vault.ParseEventID(*event)
		if err != nil {
			return usageError{err}
		}
		if sc, err = s.EventScope(id, *context); err != nil {
			return err
		}
	}
	id, err := s.Request(sc, *reason, *dur)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, id)
	fmt.Fprintf(e.stderr, "requested %s: %d officers must approve\n", sc, vt.Config().Threshold)
	return nil
}

func cmdApprove(e *env, args []string) error {
	fs := e.flags("approve")
	var vf vaultFlags
	vf.register(fs, true)
	vt, s, pos, err := e.openAs(fs, &vf, args, 2, false, nil)
	if err != nil {
		return err
	}
	defer vt.Close()
	if err := s.Approve(pos[1]); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "approved %s\n", pos[1])
	return nil
}

func cmdDeny(e *env, args []string) error {
	fs := e.flags("deny")
	var vf vaultFlags
	vf.register(fs, true)
	reason := fs.String("reason", "", "why the request is denied (required; the requester and auditors read it)")
	vt, s, pos, err := e.openAs(fs, &vf, args, 2, false, func([]string) error {
		if strings.TrimSpace(*reason) == "" {
			return usagef("--reason is required")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer vt.Close()
	if err := s.Deny(pos[1], *reason); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "denied %s\n", pos[1])
	return nil
}

func cmdUnlock(e *env, args []string) error {
	fs := e.flags("unlock")
	var vf vaultFlags
	vf.register(fs, true)
	vt, s, pos, err := e.openAs(fs, &vf, args, 2, false, nil)
	if err != nil {
		return err
	}
	defer vt.Close()
	u, err := s.Unlock(pos[1])
	if err != nil {
		return err
	}
	w := jsonl.NewWriter(e.stdout)
	for i := range u.Messages {
		if err := w.Write(u.Header, &u.Messages[i].Message); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d messages of conversation %s, unlocked until %s\n", len(u.Messages), u.Conversation.ID, u.Expires.Local().Format(time.RFC1123))
	for _, d := range u.Damaged {
		fmt.Fprintf(e.stderr, "refused damaged %v\n", d)
	}
	if len(u.Damaged) > 0 {
		return fmt.Errorf("%d chunks of the scope are damaged and were not shown", len(u.Damaged))
	}
	return nil
}

func cmdRequests(e *env, args []string) error {
	fs := e.flags("requests")
	var vf vaultFlags
	vf.register(fs, true)
	vt, s, _, err := e.openAs(fs, &vf, args, 1, true, nil)
	if err != nil {
		return err
	}
	defer vt.Close()
	rs, err := s.Requests()
	if err != nil {
		return err
	}
	names := map[string]string{}
	if ms, err := vt.Members(); err == nil {
		for _, m := range ms {
			names[m.Fingerprint] = m.UserID
		}
	}
	now := time.Now()
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tAPPROVALS\tSCOPE\tCHUNKS\tFOR\tREQUESTER\tREASON")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.State(now), r.Approvals, vt.Config().Threshold,
			r.Scope, r.Chunks, r.Duration, names[r.Requester], r.Reason)
	}
	return tw.Flush()
}
