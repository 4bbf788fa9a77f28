package vault

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"sealroom/capture"
	"sealroom/internal/synth"
	"sealroom/review"
	"sealroom/review/redact"
	"sealroom/vault/auditlog"
)

// phraseScanner flags messages that contain its phrase, marking the phrase
// as the term, the sender's name where it appears as a name, and any
// "+44 …" run as a phone number.
type phraseScanner struct{ phrase string }

func (p phraseScanner) Scan(c *capture.Conversation, m *capture.Message, ps *redact.Pseudonyms) []review.Finding {
	i := strings.Index(m.Text, p.phrase)
	if i < 0 {
		return nil
	}
	spans := []redact.Span{{Start: i, End: i + len(p.phrase), Kind: redact.Term}}
	f := review.Finding{Policy: "off-channel.personal", Category: "off-channel", Severity: "high", Score: 0.9}
	if j := strings.Index(m.Text, "+44"); j >= 0 {
		spans = append(spans, redact.Span{Start: j, End: len(m.Text), Kind: redact.Entity, Label: "[PHONE]"})
		f.Entities = []string{"PHONE"}
	}
	f.Spans = spans
	return []review.Finding{f}
}

// TestEvents: an import with a scanner stores one event per flagged new
// message, redacted at the vault's level; reviewers filter and dispose of
// them, each disposition logged; an event's scope unlocks its message.
func TestEvents(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(41, 3000, 4)
	const phrase = "send it to my personal number"
	flagged := 0
	for i, m := range a.Messages {
		if i%50 == 7 {
			m.Text = "ok " + phrase + " +44 7700 900123"
		}
		if strings.Contains(m.Text, phrase) {
			flagged++
		}
	}
	scan := func() IngestStats {
		in, err := f.login(v, f.p.admin).Ingest(nil)
		must(t, err)
		must(t, in.Scan(phraseScanner{phrase}))
		must(t, a.Send(in))
		st, err := in.Close()
		must(t, err)
		return st
	}
	if st := scan(); st.Events != flagged || flagged < 60 {
		t.Fatalf("import: %d events, want %d", st.Events, flagged)
	}
	if st := scan(); st.Events != 0 {
		t.Fatalf("re-import: %d new events", st.Events)
	}

	s := f.login(v, f.p.rita)
	all, err := s.Events(EventFilter{})
	must(t, err)
	if len(all) != flagged {
		t.Fatalf("%d events listed, want %d", len(all), flagged)
	}
	for i, e := range all {
		if i > 0 && e.Time.After(all[i-1].Time) {
			t.Fatal("events not newest first")
		}
		if e.Status != StatusOpen || e.Policy != "off-channel.personal" || e.Direction != "unknown" || len(e.Participants) == 0 {
			t.Fatalf("event %+v", e)
		}
		// Masked (the default level): only the term and the placeholder
		// are readable.
		rest := e.Excerpt
		for _, keep := range []string{phrase, "[PHONE]", redact.Ellipsis} {
			rest = strings.ReplaceAll(rest, keep, "")
		}
		if strings.IndexFunc(rest, func(r rune) bool { return r != redact.Mask && (unicode.IsLetter(r) || unicode.IsDigit(r)) }) >= 0 {
			t.Fatalf("masked excerpt shows text: %q", e.Excerpt)
		}
		if !strings.Contains(e.Excerpt, phrase) || strings.Contains(e.Excerpt, "7700") {
			t.Fatalf("excerpt %q", e.Excerpt)
		}
	}

	// Filters.
	first := all[len(all)-1]
	one, err := s.Events(EventFilter{Pseudonym: []string{first.Participants[0]}})
	must(t, err)
	if len(one) == 0 || !slices.ContainsFunc(one, func(e *Event) bool { return e.ID == first.ID }) {
		t.Fatal("pseudonym filter lost the event")
	}
	for _, e := range one {
		if !slices.Contains(e.Participants, first.Participants[0]) {
			t.Fatal("pseudonym filter let another participant's event through")
		}
	}
	if got, _ := s.Events(EventFilter{Severity: []string{"low"}}); len(got) != 0 {
		t.Fatalf("%d low-severity events", len(got))
	}
	if got, _ := s.Events(EventFilter{Until: first.Time.Add(time.Nanosecond)}); len(got) == 0 || got[0].Time.After(first.Time) {
		t.Fatal("time filter")
	}

	// Dispositions: each a log entry; all or nothing.
	ids := []uint64{all[0].ID, all[1].ID}
	auditor := f.login(v, f.p.aldo)
	before := len(logActions(t, auditor, 1))
	must(t, s.SetStatus(ids, StatusEscalated, "needs the desk head"))
	acts := logActions(t, auditor, 1)
	if len(acts) != before+2 || acts[len(acts)-1] != auditlog.ActionDisposition {
		t.Fatalf("log after two dispositions: %v", acts[before:])
	}
	if err := s.SetStatus([]uint64{all[2].ID}, StatusNoIssue, " "); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("closing without a note: %v", err)
	}
	if err := s.SetStatus([]uint64{all[2].ID, 999999}, StatusNoIssue, "routine"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown event: %v", err)
	}
	if e, _ := s.Event(all[2].ID); e.Status != StatusOpen {
		t.Fatal("a failed bulk disposition changed an event")
	}
	if err := s.SetStatus(ids, "done", ""); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("bad status: %v", err)
	}
	if err := f.login(v, f.p.aldo).SetStatus(ids, StatusNoIssue, ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("auditor disposition: %v", err)
	}
	esc, _ := s.Events(EventFilter{Status: []string{StatusEscalated}})
	if len(esc) != 2 || esc[0].Note != "needs the desk head" {
		t.Fatalf("escalated: %d", len(esc))
	}
	must(t, s.SetStatus(ids[:1], StatusNoIssue, "desk head: routine"))
	hist, err := s.EventHistory()
	must(t, err)
	h := hist[ids[0]]
	if len(h) != 2 || h[0].From != StatusOpen || h[0].To != StatusEscalated || h[1].To != StatusNoIssue ||
		h[1].Note != "desk head: routine" || h[1].Actor != s.Member().Fingerprint || h[1].Time.Before(h[0].Time) {
		t.Fatalf("history of %d: %+v", ids[0], h)
	}
	if len(hist[ids[1]]) != 1 || len(hist[all[2].ID]) != 0 {
		t.Fatalf("histories: %d and %d changes", len(hist[ids[1]]), len(hist[all[2].ID]))
	}
	if _, err := f.login(v, f.p.aldo).VerifyLog(LogOptions{}); err != nil {
		t.Fatalf("log after dispositions: %v", err)
	}

	// The event's scope unlocks its message.
	sc, err := s.EventScope(first.ID, 3)
	must(t, err)
	if sc.To-sc.From > 6 || int(first.Seq) < sc.From || int(first.Seq) > sc.To {
		t.Fatalf("scope %+v for message %d", sc, first.Seq)
	}
	req, err := s.Request(sc, "Event "+EventID(first.ID)+": off-channel request", time.Hour)
	must(t, err)
	for _, o := range f.officers[:2] {
		must(t, f.login(v, o).Approve(req))
	}
	u, err := s.Unlock(req)
	must(t, err)
	defer u.Close()
	found := false
	for _, m := range u.Messages {
		found = found || m.Seq == first.Seq && strings.Contains(m.Text, phrase)
	}
	if !found {
		t.Fatal("the unlocked scope lacks the event's message")
	}
}

// A sealed vault keeps no text; internal and external are told apart by
// the firm's domains and number prefixes.
func TestEventsSealedAndDirection(t *testing.T) {
	f := newFixtureConfig(t, testPeople(t).officers[:3], Config{Threshold: 2, Redaction: "sealed", Internal: []string{"+44 7700 9"}})
	v := f.open()
	a := synth.Generate(42, 200, 2)
	for _, m := range append(a.Messages[:5:5], a.Messages[100:105]...) { // both conversations
		m.Text = "text me on my zqxpersonal"
	}
	a.Conversations[0].Participants = append(a.Conversations[0].Participants, capture.Participant{ID: "+1 212 555 0100", Name: "Outsider"})
	in, err := f.login(v, f.p.admin).Ingest(nil)
	must(t, err)
	must(t, in.Scan(phraseScanner{"zqxpersonal"}))
	must(t, a.Send(in))
	st, err := in.Close()
	must(t, err)
	if st.Events != 10 {
		t.Fatalf("%d events", st.Events)
	}
	evs, err := f.login(v, f.p.rita).Events(EventFilter{})
	must(t, err)
	dirs := map[string]int{}
	for _, e := range evs {
		dirs[e.Direction]++
		if e.Excerpt != "" || len(e.Marks) != 0 {
			t.Fatalf("sealed vault stored an excerpt: %q", e.Excerpt)
		}
		want := "internal"
		if e.Conversation == f.convID(f.login(v, f.p.rita), 0).ID {
			want = "external"
		}
		if e.Direction != want {
			t.Fatalf("direction %s, want %s", e.Direction, want)
		}
	}
	if dirs["internal"] != 5 || dirs["external"] != 5 {
		t.Fatalf("directions %v, want 5 internal and 5 external", dirs)
	}
	for _, c := range []struct {
		id   string
		want bool
	}{{"ann@bank.com", true}, {"ann@evil-bank.com", false}, {"ann@mail.bank.com", true}, {"+44 7700 900123", true}, {"+44 7711 900123", false}, {"4477009001", false}, {"", false}} {
		if got := isInternal([]string{"bank.com", "+44 7700 9"}, c.id); got != c.want {
			t.Errorf("isInternal(%q) = %v", c.id, got)
		}
	}
}

// BenchmarkEventFilter filters a table of 100,000 events by status,
// severity and time, as the queue does on every filter change.
func BenchmarkEventFilter(b *testing.B) {
	t := &EventTable{}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100000 {
		t.events = append(t.events, &Event{ID: uint64(i + 1), Policy: "p" + string(rune('a'+i%7)), Category: "c", Severity: Severities[i%4],
			Status: Statuses[i%6], Channel: "whatsapp", Time: start.Add(time.Duration(i) * time.Minute), Participants: []string{"P-A", "P-B"}})
	}
	f := EventFilter{Status: []string{StatusOpen, StatusInReview}, Severity: []string{"high", "critical"}, Since: start.Add(1000 * time.Hour)}
	n := 0
	for b.Loop() {
		n = len(t.Filter(f))
	}
	if n == 0 {
		b.Fatal("the filter selected nothing")
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/filter")
}

// TestScopeChunks: the chunks and messages an unlock of a scope opens.
func TestScopeChunks(t *testing.T) {
	f := newFixture(t, 2, 3)
	v := f.open()
	a := synth.Generate(7, 200, 1) // one conversation: chunks 1-32, 33-64, …
	in, err := f.login(v, f.p.admin).Ingest(nil)
	must(t, err)
	must(t, a.Send(in))
	_, err = in.Close()
	must(t, err)
	s := f.login(v, f.p.rita)
	convs, err := s.Conversations()
	must(t, err)
	if len(convs) != 1 || convs[0].Messages != 200 {
		t.Fatalf("conversations: %+v", convs)
	}
	id := convs[0].ID
	for _, tc := range []struct {
		sc           Scope
		chunks, msgs int
	}{
		{Scope{id, 1, 1}, 1, ChunkSize},
		{Scope{id, ChunkSize, ChunkSize + 1}, 2, 2 * ChunkSize},
		{Scope{id, 193, 200}, 1, 200 - 6*ChunkSize},
		{Scope{id, 190, 200}, 2, 200 - 5*ChunkSize},
	} {
		if c, m, err := s.ScopeChunks(tc.sc); err != nil || c != tc.chunks || m != tc.msgs {
			t.Errorf("ScopeChunks(%s) = %d chunks, %d messages, %v; want %d, %d", tc.sc, c, m, err, tc.chunks, tc.msgs)
		}
	}
	for _, bad := range []Scope{{id, 0, 3}, {id, 1, 201}, {id, 5, 4}} {
		if _, _, err := s.ScopeChunks(bad); !errors.Is(err, ErrBadScope) {
			t.Errorf("ScopeChunks(%s): %v", bad, err)
		}
	}
}
