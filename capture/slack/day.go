package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"sealroom/capture"
)

// MaxElement bounds one element of a JSON array (a message, a user, a
// channel). json.Decoder buffers a whole value before decoding it, so
// without a bound one huge or unterminated string would take the whole
// file into memory; 8 MiB is far above any real message (Slack caps text
// at 40,000 characters, and capture.MaxText is 1 MiB). Reaching it stops
// the file, since the decoder cannot resynchronize mid-value.
const MaxElement = 8 << 20

var errElementTooBig = fmt.Errorf("an array element is longer than %d bytes", MaxElement)

// limitReader fails once more than MaxElement bytes have been read past
// the start of the element being decoded.
type limitReader struct {
	r     io.Reader
	n     int64 // bytes read
	limit int64 // n may not pass it
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n >= l.limit {
		return 0, errElementTooBig
	}
	if rest := l.limit - l.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// elementError is an unusable array element: reported and skipped.
type elementError struct{ err error }

func (e *elementError) Error() string { return e.err.Error() }
func (e *elementError) Unwrap() error { return e.err }

// bad marks err as the element's fault, not the sink's or the input's.
func bad(err error) error { return &elementError{err} }

// decodeArray decodes the JSON array in rd (named file in reports) one
// element at a time into a fresh T and hands it to fn with its index. An
// element of the wrong shape, or one fn rejects with bad, is reported
// (capture.Stats.Skip) and skipped. Input that is not JSON, or not an
// array, is reported at the index reached and ends the file: what came
// before it has been delivered. Other errors from fn stop and are
// returned.
func decodeArray[T any](r *reader, rd io.Reader, file string, fn func(v *T, i int) error) error {
	lr := &limitReader{r: rd, limit: MaxElement}
	dec := json.NewDecoder(lr)
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		why := "not a JSON array"
		if err != nil && err != io.EOF {
			why += ": " + err.Error()
		} else if err == io.EOF {
			why = "empty file, not a JSON array"
		}
		return r.st.Skip(r.opts, file, 0, errors.New(why))
	}
	i := 0
	for ; dec.More(); i++ {
		lr.limit = dec.InputOffset() + MaxElement
		var v T
		if err := dec.Decode(&v); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				// The decoder has read the whole value: go on with the next.
				if err := r.st.Skip(r.opts, file, i, fmt.Errorf("message [%d]: %v", i, err)); err != nil {
					return err
				}
				continue
			}
			return r.st.Skip(r.opts, file, i, fmt.Errorf("cannot read on from element [%d]: %v", i, err))
		}
		if err := fn(&v, i); err != nil {
			var ee *elementError
			if !errors.As(err, &ee) {
				return err
			}
			if err := r.st.Skip(r.opts, file, i, fmt.Errorf("[%d]: %w", i, ee.err)); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return r.st.Skip(r.opts, file, i, fmt.Errorf("cannot read on from element [%d]: %v", i, err))
	}
	return nil
}

// message is one element of a day file. Fields Sealroom does not use
// (blocks, reactions, reply lists) are left to the decoder to skip.
type message struct {
	Type     string `json:"type"`
	Subtype  string `json:"subtype"`
	User     string `json:"user"`
	BotID    string `json:"bot_id"`
	Username string `json:"username"`
	Text     string `json:"text"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts"`
	Hidden   bool   `json:"hidden"`
	Edited   *struct {
		TS string `json:"ts"`
	} `json:"edited"`
	Files       []file `json:"files"`
	File        *file  `json:"file"` // exports before 2019 had one file, here
	UserProfile *struct {
		RealName    string `json:"real_name"`
		DisplayName string `json:"display_name"`
		Name        string `json:"name"`
	} `json:"user_profile"`
	BotProfile *struct {
		Name string `json:"name"`
	} `json:"bot_profile"`
	Attachments []struct {
		Fallback string `json:"fallback"`
		Text     string `json:"text"`
	} `json:"attachments"`
}

// file is an element of a message's files. Mode "tombstone" (deleted) and
// "hidden_by_limit" (beyond a free plan's limit) files carry only an id.
type file struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Mimetype string   `json:"mimetype"`
	Size     flexSize `json:"size"`
	Mode     string   `json:"mode"`
}

// flexSize is a file size written as a number or, by some exporters, a
// string; anything else reads as unknown (0) rather than losing the message.
type flexSize int64

func (s *flexSize) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(strings.Trim(string(b), `"`), 10, 64)
	if err != nil || n < 0 {
		n = 0
	}
	*s = flexSize(n)
	return nil
}

// normal are the subtypes of messages a person (or bot) wrote; every other
// subtype is a notice Slack generated.
var normal = map[string]bool{
	"":                  true,
	"file_share":        true,
	"bot_message":       true,
	"thread_broadcast":  true, // a thread reply also sent to the channel
	"reply_broadcast":   true, // its older name
	"me_message":        true, // "/me waves"
	"slackbot_response": true,
	"file_comment":      true,
}

// deletedText stands for a message deleted while it had replies, which
// Slack keeps as a tombstone.
const deletedText = "This message was deleted."

// convState is what Read keeps of the conversation being read.
type convState struct {
	conv  *capture.Conversation
	index map[string]int // participant id → its index in conv.Participants
	seq   int64
	added bool // participants were added or named after the header was sent
}

func newConvState(conv *capture.Conversation) *convState {
	cv := &convState{conv: conv, index: map[string]int{}}
	for i, p := range conv.Participants {
		cv.index[p.ID] = i
	}
	return cv
}

// readDay streams one day file into the sink.
func (r *reader) readDay(rd io.Reader, file string, cv *convState) error {
	return decodeArray(r, rd, file, func(m *message, _ int) error {
		out, err := r.convert(cv, m)
		if err != nil {
			return bad(err)
		}
		cv.seq++
		out.Seq = cv.seq
		r.st.Messages++
		if err := r.sink.Message(out); err != nil {
			return fmt.Errorf("%s: message %s: %w", file, out.ID, err)
		}
		return nil
	})
}

// convert turns one Slack message into the model, or says why it cannot.
func (r *reader) convert(cv *convState, m *message) (*capture.Message, error) {
	out, err := common(cv.conv.ID, m)
	if err != nil {
		return nil, err
	}
	switch {
	case m.Hidden || m.Subtype == "tombstone":
		out.Kind, out.Text = capture.KindSystem, deletedText
	case normal[m.Subtype]:
		name, err := r.written(out, m)
		if err != nil {
			return nil, err
		}
		if err := out.Validate(); err != nil {
			return nil, err
		}
		// Only a message that is delivered makes its sender a participant.
		r.sender(cv, out.Sender, name)
		return out, nil
	default:
		out.Kind, out.Text = capture.KindSystem, r.notice(m)
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}

// common reads what every kind of message has: id and time, thread, edit
// and files.
func common(conv string, m *message) (*capture.Message, error) {
	if m.Type != "" && m.Type != "message" {
		return nil, fmt.Errorf("type %q is not a message", m.Type)
	}
	t, ok := parseTS(m.TS)
	if !ok {
		return nil, fmt.Errorf(`"ts" %q is not a Slack timestamp (seconds.microseconds)`, m.TS)
	}
	out := &capture.Message{Conversation: conv, ID: m.TS, Time: t, Kind: capture.KindMessage}
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		out.ReplyTo = m.ThreadTS
	}
	if m.Edited != nil {
		// An unreadable edit time loses the edit time, not the message.
		if e, ok := parseTS(m.Edited.TS); ok {
			out.Edited = e
		}
	}
	files := m.Files
	if m.File != nil {
		files = append(files, *m.File)
	}
	for _, f := range files {
		out.Attachments = append(out.Attachments, attachment(&f))
	}
	return out, nil
}

// written fills the sender and text of a message a person or bot wrote,
// and returns the name the message gives its sender, if any.
func (r *reader) written(out *capture.Message, m *message) (name string, err error) {
	out.Sender = m.User
	if m.UserProfile != nil {
		name = displayName(m.UserProfile.RealName, "", m.UserProfile.DisplayName, m.UserProfile.Name)
	}
	if out.Sender == "" {
		// A bot or integration posting as itself.
		switch {
		case m.BotID != "":
			out.Sender = m.BotID
		case m.Username != "":
			out.Sender = "bot:" + m.Username
		default:
			return "", errors.New(`no sender: neither "user", "bot_id" nor "username"`)
		}
		name = m.Username
		if name == "" && m.BotProfile != nil {
			name = m.BotProfile.Name
		}
	}
	text := m.Text
	if text == "" {
		// Bots often put everything in legacy attachments.
		var parts []string
		for _, a := range m.Attachments {
			if s := firstOf(a.Fallback, a.Text); s != "" {
				parts = append(parts, s)
			}
		}
		text = strings.Join(parts, "\n")
	}
	out.Text = r.render(text, false)
	return name, nil
}

// notice renders the text of a notice Slack generated: "<@U1> has joined
// the channel", "<@U1> set the channel topic: …". The actor is no sender,
// so its id stays in the text, added when the text does not mention it.
func (r *reader) notice(m *message) string {
	text := m.Text
	if actor := firstOf(m.User, m.BotID); actor != "" && !strings.Contains(text, "<@"+actor) {
		text = strings.TrimSpace("<@" + actor + "> " + text)
	}
	return r.render(firstOf(text, m.Subtype), true)
}

// firstOf returns the first of ss that is not empty.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// sender makes id a participant of cv, named name if users.json did not
// name it.
func (r *reader) sender(cv *convState, id, name string) {
	if r.names[id] == "" && name != "" {
		r.names[id] = name // mentions of id render with it from now on
	}
	name = r.names[id]
	i, ok := cv.index[id]
	switch {
	case !ok:
		cv.index[id] = len(cv.conv.Participants)
		cv.conv.Participants = append(cv.conv.Participants, capture.Participant{ID: id, Name: name})
		cv.added = true
	case cv.conv.Participants[i].Name == "" && name != "":
		cv.conv.Participants[i].Name = name
		cv.added = true
	}
}

func attachment(f *file) capture.Attachment {
	a := capture.Attachment{Name: firstOf(f.Name, f.Title, f.ID, "file"), Type: f.Mimetype, Size: int64(f.Size)}
	switch f.Mode {
	case "tombstone":
		a.Name += " (deleted)"
	case "hidden_by_limit":
		a.Name += " (hidden by Slack's plan limit)"
	}
	return a
}

// parseTS reads a Slack timestamp, "1736500000.000200": Unix seconds, a
// dot and microseconds (up to nine digits are read as a fraction).
func parseTS(ts string) (time.Time, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	if sec == "" || len(sec) > 12 || len(frac) > 9 || !digits(sec) || !digits(frac) {
		return time.Time{}, false
	}
	s, _ := strconv.ParseInt(sec, 10, 64)
	var ns int64
	if frac != "" {
		ns, _ = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
	}
	return time.Unix(s, ns).UTC(), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
