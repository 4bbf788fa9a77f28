package vault

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/review"
	"sealroom/review/redact"
	"sealroom/vault/auditlog"
)

// Risk events: what reviewers work. Each is found by a Scanner when a
// message is imported and stored sealed under K_review, at the vault's
// redaction level: the excerpt is empty in a sealed vault, masked or
// redacted otherwise (package review/redact). A reviewer never sees more
// of the message than that without an approved unlock.
//
//	events/<event id, uint64 BE>   uint64 BE version ‖ sealed(K_review) JSON Event

// Event statuses: a reviewer's disposition of an event.
const (
	StatusOpen          = "open"
	StatusInReview      = "in-review"
	StatusEscalated     = "escalated"
	StatusNoIssue       = "closed-no-issue"
	StatusBreach        = "closed-breach"
	StatusFalsePositive = "closed-false-positive"
)

// Statuses lists the statuses in workflow order.
var Statuses = []string{StatusOpen, StatusInReview, StatusEscalated, StatusNoIssue, StatusBreach, StatusFalsePositive}

// NeedsNote reports whether setting status needs a note: closing an event
// (no issue, breach, false positive) is a decision the record must explain.
func NeedsNote(status string) bool { return strings.HasPrefix(status, "closed-") }

// Severities, least to most severe.
var Severities = []string{"low", "medium", "high", "critical"}

// Event is one risk event.
type Event struct {
	ID           uint64        `json:"-"`
	Policy       string        `json:"policy"`
	Category     string        `json:"category"`
	Severity     string        `json:"severity"`
	Score        float64       `json:"score"`
	Conversation string        `json:"conversation"` // the vault's pseudonymous conversation id
	Seq          uint32        `json:"seq"`          // the message's place in its conversation
	Chunk        uint32        `json:"chunk"`
	Time         time.Time     `json:"time"`
	Channel      string        `json:"channel"`
	Direction    string        `json:"direction"`    // internal, external or unknown
	Participants []string      `json:"participants"` // pseudonyms, the sender first
	Entities     []string      `json:"entities,omitempty"`
	Excerpt      string        `json:"excerpt,omitempty"`
	Marks        []redact.Mark `json:"marks,omitempty"`
	Status       string        `json:"status"`
	Note         string        `json:"note,omitempty"` // the last disposition's note
	Updated      time.Time     `json:"updated"`
}

// Scanner finds risk in messages during an import (package review
// implements it). It is called from several goroutines at once. It labels
// names with the pseudonyms p gives.
type Scanner interface {
	Scan(c *capture.Conversation, m *capture.Message, p *redact.Pseudonyms) []review.Finding
}

// pseudonyms returns the vault's pseudonym key, derived from K_rev.
func (s *Session) pseudonyms() (*redact.Pseudonyms, error) {
	k, err := s.rev.Derive(labelPseudonym, s.v.id)
	if err != nil {
		return nil, err
	}
	defer k.Destroy()
	raw := k.MarshalSecret()
	defer clear(raw)
	return redact.NewPseudonyms(raw)
}

const labelPseudonym = "sealroom/v1/pseudonym"

// Pseudonym returns the pseudonym this vault gives a participant id, for
// reviewers' filters. Only members holding the review key have it.
func (s *Session) Pseudonym(participant string) (string, error) {
	p, err := s.pseudonyms()
	if err != nil {
		return "", err
	}
	defer p.Destroy()
	return p.Of(participant), nil
}

// eventsFor turns a message's findings into events at the vault's
// redaction level (IDs and status are set when they are stored).
func (s *Session) eventsFor(p *redact.Pseudonyms, conv string, h *capture.Conversation, seq, chunk uint32, m *capture.Message, fs []review.Finding) ([]*Event, error) {
	level, internal := redact.Level(s.v.cfg.Redaction), s.v.cfg.Internal
	var out []*Event
	participants := []string{}
	if m.Sender != "" {
		participants = append(participants, p.Of(m.Sender))
	}
	direction := directionOf(internal, m.Sender, h.Participants)
	for _, pt := range h.Participants {
		if pt.ID != m.Sender {
			participants = append(participants, p.Of(pt.ID))
		}
	}
	for _, f := range fs {
		ex, err := redact.Make(level, m.Text, f.Spans, redact.Options{})
		if err != nil {
			return nil, fmt.Errorf("event for message %d of conversation %s: %w", seq, conv, err)
		}
		out = append(out, &Event{Policy: f.Policy, Category: f.Category, Severity: f.Severity, Score: f.Score,
			Conversation: conv, Seq: seq, Chunk: chunk, Time: m.Time, Channel: h.Channel, Direction: direction,
			Participants: participants, Entities: f.Entities, Excerpt: ex.Text, Marks: ex.Marks})
	}
	return out, nil
}

// directionOf says whether a message stayed inside the firm: internal
// when the sender and every participant match one of the firm's domains
// or number prefixes (Config.Internal), external when one does not, and
// unknown when the vault names none.
func directionOf(internal []string, sender string, ps []capture.Participant) string {
	if len(internal) == 0 {
		return "unknown"
	}
	ids := []string{sender}
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	for _, id := range ids {
		if id != "" && !isInternal(internal, id) {
			return "external"
		}
	}
	return "internal"
}

func isInternal(internal []string, id string) bool {
	id = strings.ToLower(strings.TrimSpace(id))
	digits := phoneDigits(id)
	for _, in := range internal {
		in = strings.ToLower(strings.TrimSpace(in))
		switch {
		case strings.HasPrefix(in, "@"):
			if strings.HasSuffix(id, in) {
				return true
			}
		case strings.HasPrefix(in, "+"):
			if strings.HasPrefix(id, "+") && strings.HasPrefix(digits, phoneDigits(in)) {
				return true
			}
		default:
			if strings.HasSuffix(id, "@"+in) || strings.HasSuffix(id, "."+in) {
				return true
			}
		}
	}
	return false
}

// phoneDigits keeps a phone number's digits and plus sign.
func phoneDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, s)
}

// putEvents stores new events, numbering them after the last one.
func (s *Session) putEvents(tx *bolt.Tx, evs []*Event) error {
	if len(evs) == 0 {
		return nil
	}
	b, err := bucket(tx, bucketEvents)
	if err != nil {
		return err
	}
	b.FillPercent = chunkFill // keys only ever grow
	next := uint64(1)
	if k, _ := b.Cursor().Last(); k != nil {
		next = binary.BigEndian.Uint64(k) + 1
	}
	now := s.now()
	for _, e := range evs {
		e.ID, e.Status, e.Updated = next, StatusOpen, now
		next++
		if err := s.putEvent(b, e, 1); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) putEvent(b *bolt.Bucket, e *Event, version uint64) error {
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return s.putSealed(b, bucketEvents, u64(e.ID), version, body)
}

func (s *Session) readEvent(key, val []byte) (*Event, uint64, error) {
	body, version, err := s.openSealed(bucketEvents, key, val)
	if err != nil {
		return nil, 0, err
	}
	e := &Event{ID: binary.BigEndian.Uint64(key)}
	if err := json.Unmarshal(body, e); err != nil {
		return nil, 0, fmt.Errorf("%w: event %d: %v", ErrDamaged, e.ID, err)
	}
	return e, version, nil
}

// EventFilter selects events; zero fields select everything.
type EventFilter struct {
	Status, Severity, Policy, Category, Channel, Pseudonym []string // any of
	Since, Until                                           time.Time
	Conversation                                           string
}

func (f *EventFilter) match(e *Event) bool {
	in := func(set []string, v string) bool { return len(set) == 0 || slices.Contains(set, v) }
	if !in(f.Status, e.Status) || !in(f.Severity, e.Severity) || !in(f.Policy, e.Policy) ||
		!in(f.Category, e.Category) || !in(f.Channel, e.Channel) {
		return false
	}
	if !f.Since.IsZero() && e.Time.Before(f.Since) || !f.Until.IsZero() && !e.Time.Before(f.Until) {
		return false
	}
	if f.Conversation != "" && e.Conversation != f.Conversation {
		return false
	}
	if len(f.Pseudonym) > 0 && !slices.ContainsFunc(e.Participants, func(p string) bool { return slices.Contains(f.Pseudonym, p) }) {
		return false
	}
	return true
}

// Events returns the events f selects, newest first. Reviewers, officers
// and auditors may list them: they are redacted at the vault's level. It
// reads and opens every event; a queue that filters often loads an
// EventTable once instead.
func (s *Session) Events(f EventFilter) ([]*Event, error) {
	t, err := s.EventTable()
	if err != nil {
		return nil, err
	}
	return t.Filter(f), nil
}

// EventTable is every event of the vault in memory, newest first, for a
// queue to filter without reading the file again (100,000 events filter
// in a few milliseconds: BenchmarkEventFilter).
type EventTable struct {
	events []*Event
}

// EventTable reads and opens every event.
func (s *Session) EventTable() (*EventTable, error) {
	if err := s.mayReadEvents(); err != nil {
		return nil, err
	}
	t := &EventTable{}
	err := s.v.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketEvents)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, val []byte) error {
			e, _, err := s.readEvent(k, val)
			if err != nil {
				return err
			}
			t.events = append(t.events, e)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(t.events, func(a, b *Event) int { return b.Time.Compare(a.Time) })
	return t, nil
}

// Len is the number of events.
func (t *EventTable) Len() int { return len(t.events) }

// Filter returns the events f selects, newest first. The events are shared
// with the table: callers do not change them.
func (t *EventTable) Filter(f EventFilter) []*Event {
	var out []*Event
	for _, e := range t.events {
		if f.match(e) {
			out = append(out, e)
		}
	}
	return out
}

// mayReadEvents: reviewers work events, officers see them in requests,
// auditors check them.
func (s *Session) mayReadEvents() error {
	if !s.m.has(RoleReviewer) && !s.m.has(RoleOfficer) && !s.m.has(RoleAuditor) {
		return fmt.Errorf("%w: events are for reviewers, officers and auditors", ErrForbidden)
	}
	return nil
}

// Event returns one event.
func (s *Session) Event(id uint64) (*Event, error) {
	evs, err := s.eventsByID([]uint64{id})
	if err != nil {
		return nil, err
	}
	return evs[0], nil
}

func (s *Session) eventsByID(ids []uint64) ([]*Event, error) {
	if err := s.mayReadEvents(); err != nil {
		return nil, err
	}
	var out []*Event
	err := s.v.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketEvents)
		if err != nil {
			return err
		}
		for _, id := range ids {
			val := b.Get(u64(id))
			if val == nil {
				return fmt.Errorf("%w: event %d", ErrNotFound, id)
			}
			e, _, err := s.readEvent(u64(id), val)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// SetStatus records a reviewer's disposition of events, each with its own
// log entry in the same transaction: all of them or none.
func (s *Session) SetStatus(ids []uint64, status, note string) error {
	if err := s.require(RoleReviewer); err != nil {
		return err
	}
	if !slices.Contains(Statuses, status) {
		return fmt.Errorf("%w: status %q; want one of %s", ErrBadRequest, status, strings.Join(Statuses, ", "))
	}
	note = strings.TrimSpace(note)
	if NeedsNote(status) && note == "" {
		return fmt.Errorf("%w: closing an event (%s) needs a note", ErrBadRequest, status)
	}
	return s.v.update(auditlog.ActionDisposition, func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketEvents)
		if err != nil {
			return err
		}
		now := s.now()
		for _, id := range ids {
			val := b.Get(u64(id))
			if val == nil {
				return fmt.Errorf("%w: event %d", ErrNotFound, id)
			}
			e, version, err := s.readEvent(u64(id), val)
			if err != nil {
				return err
			}
			from := e.Status
			e.Status, e.Note, e.Updated = status, note, now
			if err := s.putEvent(b, e, version+1); err != nil {
				return err
			}
			if err := s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionDisposition, Role: string(RoleReviewer),
				Target: EventID(id), Reason: note, Detail: map[string]string{"from": from, "status": status}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// EventID is an event's id as people and the log write it.
func EventID(id uint64) string { return "E" + strconv.FormatUint(id, 10) }

// ParseEventID reads "E42" or "42".
func ParseEventID(s string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "E"), "e"), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: event id %q", ErrBadRequest, s)
	}
	return n, nil
}

// EventScope is the unlock scope of an event: its message with context
// messages either side, within the conversation.
func (s *Session) EventScope(id uint64, context int) (Scope, error) {
	e, err := s.Event(id)
	if err != nil {
		return Scope{}, err
	}
	var total int
	err = s.v.view(func(tx *bolt.Tx) error {
		ck, err := findConv(tx, e.Conversation)
		if err != nil {
			return err
		}
		rec, _, err := s.readConv(tx.Bucket(bucketConvs), ck)
		total = int(rec.Messages)
		return err
	})
	if err != nil {
		return Scope{}, err
	}
	context = max(context, 0)
	return Scope{Conversation: e.Conversation, From: max(1, int(e.Seq)-context), To: min(total, int(e.Seq)+context)}, nil
}

func convIDOf(ck []byte) string { return hex.EncodeToString(ck)[:convIDLen] }

// StatusChange is one disposition of an event, as the log records it.
type StatusChange struct {
	Time     time.Time
	Actor    string // the member's fingerprint
	From, To string // statuses
	Note     string
}

// EventHistory returns every event's status changes, oldest first, by
// event id, read from the access log: what the queue shows as an event's
// history. Members who may see events may read it; it holds the
// reviewers' notes and no message content.
func (s *Session) EventHistory() (map[uint64][]StatusChange, error) {
	if !s.m.has(RoleReviewer) && !s.m.has(RoleOfficer) && !s.m.has(RoleAuditor) && !s.m.has(RoleAdmin) {
		return nil, fmt.Errorf("%w: event history is for reviewers, officers, auditors and admins", ErrForbidden)
	}
	entries, _, _, err := s.readLog()
	if err != nil {
		return nil, err
	}
	out := map[uint64][]StatusChange{}
	for i, sg := range entries {
		e, err := auditlog.Parse(sg.Body)
		if err != nil {
			return nil, &auditlog.Error{Index: uint64(i + 1), Class: auditlog.ClassBody, Err: err}
		}
		if e.Action != auditlog.ActionDisposition {
			continue
		}
		id, err := ParseEventID(e.Target)
		if err != nil {
			continue // not an event the vault names
		}
		out[id] = append(out[id], StatusChange{Time: e.When(), Actor: e.Actor, From: e.Detail["from"], To: e.Detail["status"], Note: e.Reason})
	}
	return out, nil
}
