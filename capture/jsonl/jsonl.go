// Package jsonl reads and writes the normalized model as JSON Lines: one
// conversation or message object per line, documented in
// docs/formats/jsonl.md. It is Sealroom's own interchange format — what
// `sealctl unlock` prints and `sealctl ingest --format jsonl` reads.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"sealroom/capture"
)

// MaxLine bounds one input line; a longer line is reported and skipped.
const MaxLine = 4 << 20

// record is one line. Type is "conversation" or "message".
type record struct {
	Type string `json:"type"`

	// conversation
	ID           string        `json:"id,omitempty"`
	Channel      string        `json:"channel,omitempty"`
	Title        string        `json:"title,omitempty"`
	Participants []participant `json:"participants,omitempty"`

	// message
	Conversation string       `json:"conversation,omitempty"`
	Seq          int64        `json:"seq,omitempty"`
	Time         string       `json:"time,omitempty"`
	Zone         string       `json:"zone,omitempty"`
	Sender       string       `json:"sender,omitempty"`
	Text         string       `json:"text,omitempty"`
	Kind         string       `json:"kind,omitempty"`
	ReplyTo      string       `json:"reply_to,omitempty"`
	Forwarded    bool         `json:"forwarded,omitempty"`
	Edited       string       `json:"edited,omitempty"`
	Attachments  []attachment `json:"attachments,omitempty"`
}

type participant struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type attachment struct {
	Name   string `json:"name"`
	Type   string `json:"type,omitempty"`
	Size   int64  `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// Options control reading.
type Options struct {
	// Strict stops at the first unreadable line instead of skipping it.
	Strict bool
}

// Stats counts what Read saw: the lines, and what every importer counts.
type Stats struct {
	Lines int
	capture.Stats
}

// Read streams r (named name in errors) into sink. Unreadable lines are
// counted in Stats and skipped, or with Options.Strict returned. An error
// from the sink or from reading stops Read and is returned.
func Read(r io.Reader, name string, sink capture.Sink, opts Options) (Stats, error) {
	var st Stats
	br := bufio.NewReaderSize(r, 256<<10)
	seqs := map[string]int64{}
	for {
		line, err := readLine(br)
		if len(line) == 0 && err == io.EOF {
			return st, nil
		}
		st.Lines++
		if err != nil && err != io.EOF {
			if errors.Is(err, errLong) {
				if lerr := st.bad(name, err, opts); lerr != nil {
					return st, lerr
				}
				continue
			}
			return st, fmt.Errorf("reading %s line %d: %w", name, st.Lines, err)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		c, m, perr := parse(line, seqs)
		switch {
		case perr != nil:
			if lerr := st.bad(name, perr, opts); lerr != nil {
				return st, lerr
			}
			continue
		case c != nil:
			st.Conversations++
			if err := sink.Conversation(c); err != nil {
				return st, fmt.Errorf("%s line %d: %w", name, st.Lines, err)
			}
		default:
			st.Messages++
			if err := sink.Message(m); err != nil {
				return st, fmt.Errorf("%s line %d: %w", name, st.Lines, err)
			}
		}
	}
}

func (st *Stats) bad(name string, err error, opts Options) error {
	return st.Skip(capture.Options{Strict: opts.Strict}, name, st.Lines, err)
}

var errLong = fmt.Errorf("line longer than %d bytes", MaxLine)

// readLine returns the next line without its newline. An overlong line is
// consumed and reported as errLong.
func readLine(br *bufio.Reader) ([]byte, error) {
	var long []byte
	for {
		part, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(part) > MaxLine {
				for err == bufio.ErrBufferFull {
					_, err = br.ReadSlice('\n')
				}
				if err != nil && err != io.EOF {
					return nil, err
				}
				return []byte{' '}, errLong
			}
			long = append(long, part...)
			continue
		}
		if long != nil {
			long = append(long, part...)
			part = long
		}
		if len(part) > MaxLine {
			return []byte{' '}, errLong
		}
		return bytes.TrimSuffix(part, []byte{'\n'}), err
	}
}

func parse(line []byte, seqs map[string]int64) (*capture.Conversation, *capture.Message, error) {
	var r record
	if !decodeFast(line, &r) {
		if err := decodeJSON(line, &r); err != nil {
			return nil, nil, err
		}
	}
	switch r.Type {
	case "conversation":
		if r.ID == "" {
			return nil, nil, errors.New("conversation without id")
		}
		c := &capture.Conversation{ID: r.ID, Channel: r.Channel, Title: r.Title}
		for _, p := range r.Participants {
			if p.ID == "" {
				return nil, nil, errors.New("participant without id")
			}
			c.Participants = append(c.Participants, capture.Participant(p))
		}
		return c, nil, nil
	case "message":
		m, err := message(&r, seqs)
		return nil, m, err
	case "":
		return nil, nil, errors.New(`no "type"`)
	default:
		return nil, nil, fmt.Errorf("unknown type %q", r.Type)
	}
}

// decodeJSON decodes a line with encoding/json into a zero r.
func decodeJSON(line []byte, r *record) error {
	*r = record{}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(r); err != nil {
		return fmt.Errorf("not a record: %v", err)
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func message(r *record, seqs map[string]int64) (*capture.Message, error) {
	if r.Time == "" {
		return nil, errors.New("message without time")
	}
	t, err := time.Parse(time.RFC3339Nano, r.Time)
	if err != nil {
		return nil, fmt.Errorf("time %q is not RFC 3339 with a zone offset", r.Time)
	}
	m := &capture.Message{
		Conversation: r.Conversation, ID: r.ID, Seq: r.Seq, Time: t.UTC(), Zone: r.Zone,
		Sender: r.Sender, Text: r.Text, Kind: capture.Kind(r.Kind), ReplyTo: r.ReplyTo, Forwarded: r.Forwarded,
	}
	if m.Kind == "" {
		m.Kind = capture.KindMessage
	}
	if m.Zone == "" && !strings.HasSuffix(r.Time, "Z") {
		m.Zone = t.Format("-07:00")
	}
	if r.Edited != "" {
		e, err := time.Parse(time.RFC3339Nano, r.Edited)
		if err != nil {
			return nil, fmt.Errorf("edited %q is not RFC 3339 with a zone offset", r.Edited)
		}
		m.Edited = e.UTC()
	}
	for _, a := range r.Attachments {
		m.Attachments = append(m.Attachments, capture.Attachment{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
	}
	if m.Seq == 0 {
		seqs[m.Conversation]++
		m.Seq = seqs[m.Conversation]
	}
	if m.ID == "" && m.Conversation != "" {
		m.ID = capture.StableID(m.Conversation, m.Time, m.Sender, m.Text, m.Seq)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Writer writes the model as JSON Lines, each conversation's header once,
// before its first message.
type Writer struct {
	w       *bufio.Writer
	written map[string]bool
}

// NewWriter returns a Writer to w, buffered: call Flush after the last
// Write. (Flushing each line cost a write system call a message, 1.7 s of
// a million-message sealctl parse.)
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w), written: map[string]bool{}}
}

// Write writes m, preceded by c when c is not nil and not yet written.
func (w *Writer) Write(c *capture.Conversation, m *capture.Message) error {
	if c != nil && !w.written[c.ID] {
		w.written[c.ID] = true
		r := record{Type: "conversation", ID: c.ID, Channel: c.Channel, Title: c.Title}
		for _, p := range c.Participants {
			r.Participants = append(r.Participants, participant(p))
		}
		if err := w.line(&r); err != nil {
			return err
		}
	}
	if m != nil {
		r := record{Type: "message", Conversation: m.Conversation, ID: m.ID, Seq: m.Seq,
			Time: m.Time.UTC().Format(time.RFC3339Nano), Zone: m.Zone, Sender: m.Sender, Text: m.Text,
			Kind: string(m.Kind), ReplyTo: m.ReplyTo, Forwarded: m.Forwarded}
		if !m.Edited.IsZero() {
			r.Edited = m.Edited.UTC().Format(time.RFC3339Nano)
		}
		for _, a := range m.Attachments {
			r.Attachments = append(r.Attachments, attachment{Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256})
		}
		return w.line(&r)
	}
	return nil
}

// Flush writes what is buffered to the underlying writer.
func (w *Writer) Flush() error { return w.w.Flush() }

func (w *Writer) line(r *record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	w.w.Write(b)
	return w.w.WriteByte('\n')
}

// Sniff says whether path is a Sealroom JSONL file: its first non-blank
// line is a record of this format.
func Sniff(path string) (bool, string) {
	f, err := os.Open(path)
	if err != nil {
		return false, err.Error()
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return false, path + " is a folder"
	}
	br := bufio.NewReaderSize(f, 4<<10) // readLine joins longer lines
	for range 20 {
		line, err := readLine(br)
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			if _, _, perr := parse(line, map[string]int64{}); perr != nil {
				return false, fmt.Sprintf("%s: the first line is not a Sealroom JSONL record (%v)", path, perr)
			}
			return true, path + ": Sealroom JSONL records (docs/formats/jsonl.md)"
		}
		if err != nil {
			break
		}
	}
	return false, path + ": empty"
}

// ReadFile reads the JSONL file at path: the importer shape every format
// shares (capture/importer.go).
func ReadFile(path string, sink capture.Sink, opts capture.Options) (capture.Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return capture.Stats{}, err
	}
	defer f.Close()
	st, err := Read(f, path, sink, Options{Strict: opts.Strict})
	st.Files = 1
	return st.Stats, err
}
