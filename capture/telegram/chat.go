package telegram

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sealroom/capture"
)

// chat is what Read knows of the chat being read.
type chat struct {
	ordinal     int // 1-based position among the objects Read walked
	name, typ   string
	chatID      string
	convID      string // fixed when the first message is built
	seq         int64
	sawMessages bool

	parts []capture.Participant
	index map[string]int // participant id → index in parts

	headerSent bool
	sentParts  int
	sentTitle  string

	dir string // the export's folder, where its media files are; "" for none
}

func newChat(ordinal int, dir string) *chat {
	return &chat{ordinal: ordinal, index: map[string]int{}, dir: dir}
}

func (c *chat) set(key, v string) {
	switch key {
	case "name":
		c.name = v
	case "type":
		c.typ = v
	case "id":
		c.chatID = v
	}
}

// id is the conversation id: "telegram:<chat id>", else the chat's name,
// else its position in the file. Once a message carries it, it stays.
func (c *chat) id() string {
	if c.convID != "" {
		return c.convID
	}
	switch {
	case c.chatID != "":
		return "telegram:" + c.chatID
	case c.name != "":
		return "telegram:" + c.name
	}
	return "telegram:chat-" + strconv.Itoa(c.ordinal)
}

// label names the chat in error messages.
func (c *chat) label() string {
	if c.name != "" {
		return strconv.Quote(c.name)
	}
	return c.id()
}

// title is the chat's name; Telegram writes none for Saved Messages and
// Replies.
func (c *chat) title() string {
	switch {
	case c.name != "":
		return c.name
	case c.typ == "saved_messages":
		return "Saved Messages"
	case c.typ == "replies":
		return "Replies"
	}
	return ""
}

func (c *chat) conversation() *capture.Conversation {
	return &capture.Conversation{
		ID: c.id(), Channel: Channel, Title: c.title(),
		Participants: append([]capture.Participant(nil), c.parts...),
	}
}

// participant records id as a member, keeping the first non-empty name.
func (c *chat) participant(id, name string) {
	if id == "" {
		return
	}
	if i, ok := c.index[id]; ok {
		if c.parts[i].Name == "" && name != "" {
			c.parts[i].Name = name
			c.sentParts = -1 // the header changed
		}
		return
	}
	c.index[id] = len(c.parts)
	c.parts = append(c.parts, capture.Participant{ID: id, Name: name})
}

// message turns one decoded message object into the model. The caller
// validates the result.
func (c *chat) message(raw *tgMessage, opts capture.Options) (*capture.Message, error) {
	if c.convID == "" {
		c.convID = c.id()
	}
	id, err := decimal(string(raw.ID))
	if err != nil {
		return nil, fmt.Errorf("message %d of %s: id %q is not an integer", c.seq, c.label(), string(raw.ID))
	}
	m := &capture.Message{Conversation: c.convID, ID: id, Seq: c.seq, Kind: capture.KindMessage}
	if err := c.times(m, raw, opts); err != nil {
		return nil, fmt.Errorf("message %s of %s: %v", id, c.label(), err)
	}

	var text []string
	if t := raw.Text.String(); t != "" {
		text = append(text, t)
	} else if len(raw.Entities) > 2 { // not [] or null
		var e richText
		if err := e.UnmarshalJSON(raw.Entities); err != nil {
			return nil, fmt.Errorf("message %s of %s: text_entities: %v", id, c.label(), err)
		}
		if e.s != "" {
			text = append(text, e.s)
		}
	}
	switch raw.Type {
	case "service":
		m.Kind = capture.KindSystem
		text = append([]string{serviceText(raw)}, text...)
		c.participant(raw.ActorID.s, raw.Actor)
	case "unsupported":
		text = append(text, "(message of a kind this Telegram version could not export)")
	}
	if m.Kind == capture.KindMessage {
		m.Sender = raw.FromID.s
		if m.Sender == "" {
			m.Sender = raw.From // some hand-made or old exports have no from_id
		}
	}
	text = append(text, mediaText(raw)...)
	m.Text = strings.Join(text, "\n")
	m.Attachments = attachments(raw, c.dir)
	if raw.ReplyTo != "" && c.samePeer(raw.ReplyToPeer.s) {
		if m.ReplyTo, err = decimal(string(raw.ReplyTo)); err != nil {
			return nil, fmt.Errorf("message %s of %s: reply_to_message_id %q is not an integer", id, c.label(), string(raw.ReplyTo))
		}
	}
	m.Forwarded = len(raw.ForwardedFrom) > 0 || raw.ForwardedFromID.s != ""
	if m.Kind == capture.KindMessage && m.Sender != "" {
		c.participant(m.Sender, raw.From)
	}
	return m, nil
}

// samePeer reports whether the peer id of a reply ("channel123", or empty
// for this chat) is this chat: a reply to another chat's message must not
// point at a message of this one.
func (c *chat) samePeer(peer string) bool {
	return peer == "" || strings.TrimLeft(peer, "abcdefghijklmnopqrstuvwxyz") == c.chatID
}

// times sets m.Time, m.Zone and m.Edited.
func (c *chat) times(m *capture.Message, raw *tgMessage, opts capture.Options) error {
	t, zoned, err := instant(raw.DateUnix, raw.Date, opts)
	if err != nil {
		return err
	}
	if t.IsZero() {
		return errors.New("no date")
	}
	m.Time = t
	if zoned {
		m.Zone = opts.ZoneOrLocal().String()
	}
	e, _, err := instant(raw.EditedUnix, raw.Edited, opts)
	if err != nil {
		return fmt.Errorf("edited: %v", err)
	}
	m.Edited = e
	return nil
}

// dateLayout is Qt::ISODate without a zone, as Telegram writes "date".
const dateLayout = "2006-01-02T15:04:05"

// instant reads the unixtime field, else the zone-less date in the
// import's zone (zoned true). Both absent is the zero time.
func instant(unix numStr, date string, opts capture.Options) (t time.Time, zoned bool, err error) {
	if unix != "" {
		n, err := strconv.ParseInt(string(unix), 10, 64)
		if err != nil || n <= 0 || n > 1<<40 {
			return t, false, fmt.Errorf("unixtime %q is not a time", string(unix))
		}
		return time.Unix(n, 0).UTC(), false, nil
	}
	if date == "" {
		return t, false, nil
	}
	t, err = time.ParseInLocation(dateLayout, date, opts.ZoneOrLocal())
	if err != nil {
		return t, false, fmt.Errorf("date %q is not YYYY-MM-DDTHH:MM:SS", date)
	}
	return t.UTC(), true, nil
}

// decimal returns s, an integer in decimal, in canonical form.
func decimal(s string) (string, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(n, 10), nil
}
