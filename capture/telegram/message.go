package telegram

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"sealroom/capture"
)

// numStr is Telegram's integer fields: json.Number takes both 12 and
// "12" (date_unixtime is written as a string).
type numStr = json.Number

// tgMessage is one message object as Telegram Desktop writes it; fields
// the importer does not use are left out and ignored.
type tgMessage struct {
	ID         numStr `json:"id"`
	Type       string `json:"type"`
	Date       string `json:"date"`
	DateUnix   numStr `json:"date_unixtime"`
	Edited     string `json:"edited"`
	EditedUnix numStr `json:"edited_unixtime"`

	From            string          `json:"from"`
	FromID          idStr           `json:"from_id"`
	ForwardedFrom   json.RawMessage `json:"forwarded_from"`
	ForwardedFromID idStr           `json:"forwarded_from_id"`
	ReplyTo         numStr          `json:"reply_to_message_id"`
	ReplyToPeer     idStr           `json:"reply_to_peer_id"`

	Text richText `json:"text"`
	// Entities repeats Text in flat form; it is parsed only when Text is
	// absent, which spares the decoder an array per message.
	Entities json.RawMessage `json:"text_entities"`

	// service messages
	Action          string   `json:"action"`
	Actor           string   `json:"actor"`
	ActorID         idStr    `json:"actor_id"`
	Title           string   `json:"title"`
	NewTitle        string   `json:"new_title"`
	Members         []string `json:"members"` // null names decode as ""
	Inviter         string   `json:"inviter"`
	MessageID       numStr   `json:"message_id"`
	Duration        numStr   `json:"duration_seconds"`
	GroupCallLength numStr   `json:"duration"`
	DiscardReason   string   `json:"discard_reason"`
	Period          numStr   `json:"period"`
	Emoticon        string   `json:"emoticon"`
	Score           numStr   `json:"score"`
	Amount          numStr   `json:"amount"`
	Currency        string   `json:"currency"`
	Info            string   `json:"information_text"`
	To              string   `json:"to"`
	Distance        numStr   `json:"distance"`

	// media
	Photo        string          `json:"photo"`
	PhotoSize    numStr          `json:"photo_file_size"`
	File         string          `json:"file"`
	FileName     string          `json:"file_name"`
	FileSize     numStr          `json:"file_size"`
	MediaType    string          `json:"media_type"`
	MimeType     string          `json:"mime_type"`
	StickerEmoji string          `json:"sticker_emoji"`
	Contact      *contactInfo    `json:"contact_information"`
	Location     *locationInfo   `json:"location_information"`
	PlaceName    string          `json:"place_name"`
	Address      string          `json:"address"`
	GameTitle    string          `json:"game_title"`
	Poll         *pollInfo       `json:"poll"`
	Invoice      json.RawMessage `json:"invoice_information"`
	LivePeriod   numStr          `json:"live_location_period_seconds"`
}

type contactInfo struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Phone     string `json:"phone_number"`
}

type locationInfo struct {
	Latitude  numStr `json:"latitude"`
	Longitude numStr `json:"longitude"`
}

type pollInfo struct {
	Question string `json:"question"`
	Closed   bool   `json:"closed"`
	Answers  []struct {
		Text   string `json:"text"`
		Voters numStr `json:"voters"`
	} `json:"answers"`
}

// idStr is a peer id: "user123" in current exports, a bare number in
// exports from before 2021.
type idStr struct{ s string }

func (v *idStr) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &v.s)
	case string(b) == "null":
		v.s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("peer id %s is neither a string nor a number", clip(b))
	}
	v.s = n.String()
	return nil
}

// richText is a text field: a string, or an array of strings and entity
// objects {type, text[, href]}, concatenated.
type richText struct{ s string }

func (v *richText) String() string { return v.s }

func (v *richText) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		return unquote(b, &v.s)
	case 'n': // null
		v.s = ""
		return nil
	case '[':
	default:
		return fmt.Errorf("text %s is neither a string nor an array", clip(b))
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	var sb strings.Builder
	for _, p := range parts {
		if len(p) > 0 && p[0] == '"' {
			var s string
			if err := unquote(p, &s); err != nil {
				return err
			}
			sb.WriteString(s)
			continue
		}
		var e struct {
			Type string `json:"type"`
			Text string `json:"text"`
			Href string `json:"href"`
		}
		if err := json.Unmarshal(p, &e); err != nil {
			return fmt.Errorf("text entity %s: %v", clip(p), err)
		}
		sb.WriteString(e.Text)
		if e.Type == "text_link" && e.Href != "" && e.Href != e.Text {
			sb.WriteString(" (" + e.Href + ")")
		}
		if sb.Len() > capture.MaxText {
			break // Validate will refuse it; stop building
		}
	}
	v.s = sb.String()
	return nil
}

// unquote decodes the JSON string b, skipping encoding/json for the common
// string without escapes.
func unquote(b []byte, s *string) error {
	if len(b) >= 2 && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && utf8.Valid(b) {
		*s = string(b[1 : len(b)-1])
		return nil
	}
	return json.Unmarshal(b, s)
}

// clip shortens a JSON value for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// mediaText renders what a message carries besides its text as lines:
// polls, contacts, locations, games, stickers.
func mediaText(m *tgMessage) []string {
	var out []string
	if p := m.Poll; p != nil {
		var sb strings.Builder
		sb.WriteString("poll: " + p.Question)
		if p.Closed {
			sb.WriteString(" (closed)")
		}
		for _, a := range p.Answers {
			sb.WriteString("\n- " + a.Text)
			if a.Voters != "" {
				sb.WriteString(" (" + plural(string(a.Voters), "vote") + ")")
			}
		}
		out = append(out, sb.String())
	}
	if c := m.Contact; c != nil {
		name := strings.TrimSpace(c.FirstName + " " + c.LastName)
		out = append(out, "contact: "+joinNonEmpty(", ", name, c.Phone))
	}
	if l := m.Location; l != nil && (l.Latitude != "" || l.Longitude != "") {
		s := "location: " + string(l.Latitude) + ", " + string(l.Longitude)
		if m.LivePeriod != "" {
			s = "live " + s
		}
		if place := joinNonEmpty(", ", m.PlaceName, m.Address); place != "" {
			s += " (" + place + ")"
		}
		out = append(out, s)
	} else if place := joinNonEmpty(", ", m.PlaceName, m.Address); place != "" {
		out = append(out, "location: "+place)
	}
	if m.GameTitle != "" {
		out = append(out, "game: "+m.GameTitle)
	}
	if len(m.Invoice) > 0 && string(m.Invoice) != "null" {
		var inv struct {
			Title    string `json:"title"`
			Amount   numStr `json:"amount"`
			Currency string `json:"currency"`
		}
		if json.Unmarshal(m.Invoice, &inv) == nil {
			out = append(out, "invoice: "+joinNonEmpty(" ", inv.Title, string(inv.Amount), inv.Currency))
		}
	}
	if m.MediaType == "sticker" && m.StickerEmoji != "" {
		out = append(out, m.StickerEmoji)
	}
	return out
}

// Telegram's placeholders for files it did not write into the export all
// start with "(File " ("(File not included. …)", "(File unavailable, …)",
// "(File exceeds maximum size. …)"); photos' start with "(Photo ".
func notIncluded(p string) bool {
	return strings.HasPrefix(p, "(File ") || strings.HasPrefix(p, "(Photo ")
}

// attachments lists the photo and file a message carries. Files the
// export holds, under dir, can be opened.
func attachments(m *tgMessage, dir string) []capture.Attachment {
	var out []capture.Attachment
	if m.Photo != "" {
		a := capture.Attachment{Name: "photo", Type: "image/jpeg"}
		if !notIncluded(m.Photo) {
			a.Name = base(m.Photo)
			a.Size = size(m.PhotoSize)
			a.Open = opener(dir, m.Photo)
		}
		out = append(out, a)
	}
	if m.File != "" || m.MediaType != "" || m.MimeType != "" {
		a := capture.Attachment{Name: m.FileName, Type: m.MimeType}
		if m.File != "" && !notIncluded(m.File) {
			if a.Name == "" {
				a.Name = base(m.File)
			}
			a.Size = size(m.FileSize)
			a.Open = opener(dir, m.File)
		}
		if a.Name == "" {
			a.Name = m.MediaType
		}
		if a.Name == "" {
			a.Name = "file"
		}
		if a.Type == "" && m.MediaType == "sticker" {
			a.Type = stickerType(m.File)
		}
		out = append(out, a)
	}
	return out
}

// opener returns a function that opens the export's file at rel, a path
// relative to dir, or nil when the file is not there, or rel is not a
// plain relative path inside the export.
func opener(dir, rel string) func() (io.ReadCloser, error) {
	if dir == "" || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	return func() (io.ReadCloser, error) { return os.Open(p) }
}

// stickerType guesses a sticker's type from its file name: Telegram
// writes no mime_type for stickers.
func stickerType(p string) string {
	switch {
	case strings.HasSuffix(p, ".webp"):
		return "image/webp"
	case strings.HasSuffix(p, ".tgs"):
		return "application/x-tgsticker"
	case strings.HasSuffix(p, ".webm"):
		return "video/webm"
	}
	return ""
}

// base is the last element of a path the export wrote with / (or, from
// Windows, \).
func base(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	if p == "" {
		return "file"
	}
	return p
}

func size(n numStr) int64 {
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func plural(n, word string) string {
	if n == "1" {
		return n + " " + word
	}
	return n + " " + word + "s"
}
