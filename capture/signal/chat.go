package signal

import (
	"fmt"
	"hash/maphash"
	"io"
	"mime"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"sealroom/capture"
)

// record is one message as either file gives it, before it becomes a
// capture.Message.
type record struct {
	time    time.Time
	zone    string // "" for the read zone
	sender  string
	body    string
	quote   string // the quoted message's text, without "> "
	sticker string // its emoji, or "" for a sticker without one
	hasStk  bool
	atts    []capture.Attachment
	paths   []string // each attachment's path in the export, as written
	deleted bool
	call    bool // a call notice the export flagged
	missed  bool
}

// chat holds what reading one chat needs across its messages.
type chat struct {
	file string
	sink capture.Sink
	opts capture.Options
	st   *capture.Stats
	loc  *time.Location
	zone string

	conv     capture.Conversation
	seen     map[string]bool
	sentConv bool
	sentWith int // participants in the header last sent
	seq      int64
	occ      capture.Occurrences
	quotes   quoteIndex
}

func readChat(c chatFile, sink capture.Sink, opts capture.Options, st *capture.Stats) error {
	f, err := os.Open(c.path)
	if err != nil {
		return err
	}
	defer f.Close()
	st.Files++
	return readStream(f, c, sink, opts, st)
}

// readStream reads one chat's file from r.
func readStream(r io.Reader, c chatFile, sink capture.Sink, opts capture.Options, st *capture.Stats) error {
	var err error
	loc := opts.ZoneOrLocal()
	ch := &chat{file: c.path, sink: sink, opts: opts, st: st, loc: loc, zone: loc.String(),
		conv: capture.Conversation{ID: opts.ConversationID("signal", c.title), Channel: "signal", Title: c.title},
		seen: map[string]bool{}}
	ch.quotes.init()
	lr := newLineReader(r)
	if c.json {
		err = ch.readJSON(lr)
	} else {
		err = ch.readMarkdown(lr)
	}
	if err != nil {
		return err
	}
	switch {
	case !ch.sentConv: // an empty chat is still a chat
		ch.st.Conversations++
		return ch.sendConv()
	case len(ch.conv.Participants) > ch.sentWith: // again, now with everyone
		return ch.sendConv()
	}
	return nil
}

func (ch *chat) sendConv() error {
	ch.sentConv = true
	ch.sentWith = len(ch.conv.Participants)
	c := ch.conv
	c.Participants = append([]capture.Participant(nil), ch.conv.Participants...)
	if err := ch.sink.Conversation(&c); err != nil {
		return fmt.Errorf("%s: %w", ch.file, err)
	}
	return nil
}

// skip reports an unreadable record; non-nil means stop.
func (ch *chat) skip(line int, err error) error {
	return ch.st.Skip(ch.opts, ch.file, line, err)
}

// deliver turns r into a message and sends it; line is where it starts,
// for errors. The reader has counted it in ch.seq already.
func (ch *chat) deliver(r *record, line int) error {
	m := ch.message(r)
	if err := m.Validate(); err != nil {
		return ch.skip(line, err)
	}
	if m.Sender != "" && !ch.seen[m.Sender] {
		ch.seen[m.Sender] = true
		ch.conv.Participants = append(ch.conv.Participants, capture.Participant{ID: m.Sender})
	}
	if !ch.sentConv {
		ch.st.Conversations++
		if err := ch.sendConv(); err != nil {
			return err
		}
	}
	if m.Kind == capture.KindMessage && !r.deleted {
		ch.quotes.add(m.Text, m.ID)
	}
	ch.st.Messages++
	if err := ch.sink.Message(m); err != nil {
		return fmt.Errorf("%s line %d: %w", ch.file, line, err)
	}
	return nil
}

// message builds the model message; the caller validates it.
func (ch *chat) message(r *record) *capture.Message {
	zone := r.zone
	if zone == "" {
		zone = ch.zone
	}
	text := trimBody(r.body)
	if r.hasStk {
		s := "[sticker]"
		if r.sticker != "" {
			s += " " + r.sticker
		}
		if text != "" {
			s = text + "\n" + s
		}
		text = s
	}
	kind := capture.KindMessage
	switch {
	case r.deleted:
		text = deletedText
	case r.call || r.missed:
		kind = capture.KindSystem
		if text == "" && r.missed {
			text = "Missed call"
		} else if text == "" {
			text = "Call"
		}
	case strings.TrimSpace(r.sender) == "" && text != "":
		// A line without a sender is a group notice ("Ann created the
		// group", "Bob left"), not a message nobody wrote.
		kind = capture.KindSystem
	case isCallText(text) && len(r.atts) == 0 && r.quote == "" && !r.hasStk:
		// signal-export writes calls as text from the sender ("Missed
		// voice call", "Outgoing video call (accepted, 1m 5s)"), with
		// no flag set; a person typing exactly that is misread as a call.
		kind = capture.KindSystem
	}
	utc := r.time.UTC()
	m := &capture.Message{
		Conversation: ch.conv.ID, Seq: ch.seq, Time: utc, Zone: zone,
		// Calls keep their sender: who called is worth keeping, and
		// Validate allows a sender on a system notice.
		Sender: r.sender, Text: text, Kind: kind, Attachments: r.atts,
	}
	m.ID = capture.StableID(m.Conversation, utc, m.Sender, m.Text, ch.occ.Next(utc, m.Sender, m.Text))
	for i := range m.Attachments {
		if i < len(r.paths) {
			m.Attachments[i].Open = opener(filepath.Dir(ch.file), r.paths[i])
		}
	}
	if r.quote != "" {
		m.ReplyTo = ch.quotes.find(r.quote)
	}
	return m
}

// deletedText stands for a deleted message's text, which the export no
// longer has.
const deletedText = "[deleted]"

// deletedMarkdown is what chat.md writes for a deleted message.
const deletedMarkdown = "(This message was deleted)"

// callText matches the call notices signal-export writes as a body.
var callText = regexp.MustCompile(`^(Incoming|Outgoing|Missed) (voice |video )?call( \([^()\n]*\))?$`)

func isCallText(s string) bool {
	return len(s) >= len("Missed call") && len(s) < 80 && strings.Contains(s[:min(len(s), 20)], "call") && callText.MatchString(s)
}

// trimBody drops trailing white space: signal-export appends two spaces
// (a Markdown line break) to every body, and chat.md a blank line.
func trimBody(s string) string { return strings.TrimRight(s, " \t\r\n") }

// quoteText turns the export's quote, "\n\n> line one\n> line two\n\n",
// into the quoted text.
func quoteText(q string) string {
	q = strings.Trim(q, "\r\n")
	if q == "" {
		return ""
	}
	lines := strings.Split(q, "\n")
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if s, ok := strings.CutPrefix(l, "> "); ok {
			l = s
		} else {
			l = strings.TrimPrefix(l, ">")
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// attachment describes a file by its name: the export has the name and
// path, seldom the size.
func attachment(name, p string, size int64) capture.Attachment {
	if name == "" {
		name = p
	}
	name = path.Base(strings.ReplaceAll(strings.ReplaceAll(name, `\`, "/"), "%20", " "))
	if name == "." || name == "/" {
		name = ""
	}
	a := capture.Attachment{Name: name, Size: size}
	if ext := path.Ext(name); ext != "" {
		if t, _, err := mime.ParseMediaType(mime.TypeByExtension(ext)); err == nil {
			a.Type = t
		}
	}
	return a
}

// opener returns a function that opens the export's file at p, a path
// relative to dir as the export writes it ("media/IMG%201.jpg"), or nil
// when the file is not there or p leads out of the export.
func opener(dir, p string) func() (io.ReadCloser, error) {
	rel := filepath.FromSlash(strings.ReplaceAll(strings.ReplaceAll(p, `\`, "/"), "%20", " "))
	if p == "" || !filepath.IsLocal(rel) {
		return nil
	}
	full := filepath.Join(dir, rel)
	if fi, err := os.Stat(full); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	return func() (io.ReadCloser, error) { return os.Open(full) }
}

// maxQuoted bounds the messages a quote is looked up among, so that memory
// stays bounded: a reply to a message further back gets no ReplyTo.
const maxQuoted = 1 << 16

// quoteIndex finds the latest earlier message with a given text. The
// export keeps only the quoted text, not its sender or id, so text is the
// key. Texts are kept as 64-bit hashes: a false match needs a collision.
type quoteIndex struct {
	seed maphash.Seed
	ids  map[uint64]quoted
	ring []uint64
	next int
}

type quoted struct {
	id   string
	slot int
}

func (q *quoteIndex) init() {
	q.seed = maphash.MakeSeed()
	q.ids = map[uint64]quoted{}
	q.ring = make([]uint64, 0, 1024)
}

func (q *quoteIndex) key(text string) uint64 {
	// The export drops backticks from bodies but not from quotes.
	return maphash.String(q.seed, strings.ReplaceAll(trimBody(text), "`", ""))
}

func (q *quoteIndex) add(text, id string) {
	if trimBody(text) == "" {
		return
	}
	k := q.key(text)
	if len(q.ring) < maxQuoted {
		q.ring = append(q.ring, k)
	} else {
		if old := q.ring[q.next]; q.ids[old].slot == q.next {
			delete(q.ids, old)
		}
		q.ring[q.next] = k
	}
	q.ids[k] = quoted{id: id, slot: q.next}
	q.next = (q.next + 1) % maxQuoted
}

func (q *quoteIndex) find(text string) string {
	if v, ok := q.ids[q.key(text)]; ok {
		return v.id
	}
	return ""
}
