package signal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// jsonLine is one line of data.json, as signal-export's Message.dict_str
// writes it. Fields it may add later are ignored.
type jsonLine struct {
	Date    string          `json:"date"`
	Sender  string          `json:"sender"`
	Body    string          `json:"body"`
	Quote   json.RawMessage `json:"quote"`   // "\n\n> text\n\n", or an object with "text"
	Sticker json.RawMessage `json:"sticker"` // "😀", or an object with "emoji"; "" or null for none
	// "reactions" ([["Name", "👍"], …]) is not read: the model has no place for it.
	Attachments []jsonAttachment `json:"attachments"`
	Deleted     bool             `json:"deleted"`
	Call        bool             `json:"call"`
	Missed      bool             `json:"missed"`
}

type jsonAttachment struct {
	Name string          `json:"name"`
	Path string          `json:"path"`
	Size json.RawMessage `json:"size"` // a number or a numeric string, when given
}

// readJSON reads data.json: one message per line, blank lines skipped.
func (ch *chat) readJSON(lr *lineReader) error {
	for {
		line, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if isLong(err) {
			ch.seq++
			if serr := ch.skip(lr.n, err); serr != nil {
				return serr
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %s line %d: %w", ch.file, lr.n+1, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		ch.seq++
		jl, perr := parseJSON(line)
		var r *record
		if perr == nil {
			r, perr = ch.jsonRecord(jl)
		}
		if perr != nil {
			if serr := ch.skip(lr.n, perr); serr != nil {
				return serr
			}
			continue
		}
		if err := ch.deliver(r, lr.n); err != nil {
			return err
		}
	}
}

var errNoDate = errors.New(`no "date"`)

// parseJSON decodes one line; it must be an object with a date.
func parseJSON(line []byte) (*jsonLine, error) {
	var jl jsonLine
	if err := json.Unmarshal(line, &jl); err != nil {
		return nil, fmt.Errorf("not a signal-export message: %v", err)
	}
	if jl.Date == "" {
		return nil, errNoDate
	}
	return &jl, nil
}

func (ch *chat) jsonRecord(jl *jsonLine) (*record, error) {
	t, zone, err := parseISO(jl.Date, ch.loc)
	if err != nil {
		return nil, err
	}
	r := &record{time: t, zone: zone, sender: jl.Sender, body: jl.Body,
		deleted: jl.Deleted, call: jl.Call, missed: jl.Missed}
	if r.quote, err = jsonQuote(jl.Quote); err != nil {
		return nil, err
	}
	if r.sticker, r.hasStk, err = jsonSticker(jl.Sticker); err != nil {
		return nil, err
	}
	for i, a := range jl.Attachments {
		size, err := jsonSize(a.Size)
		if err != nil {
			return nil, fmt.Errorf("attachment %d: %v", i, err)
		}
		r.atts = append(r.atts, attachment(a.Name, a.Path, size))
		r.paths = append(r.paths, a.Path)
	}
	return r, nil
}

// parseISO reads Python's datetime.isoformat: local wall-clock time
// without a zone, read in loc (zone "" then), or with an offset, which
// then is the zone.
func parseISO(s string, loc *time.Location) (time.Time, string, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, "", nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, t.Format("-07:00"), nil
		}
	}
	return time.Time{}, "", fmt.Errorf("date %q is not YYYY-MM-DDTHH:MM:SS", truncate(s, 40))
}

func jsonQuote(raw json.RawMessage) (string, error) {
	switch {
	case isNull(raw):
		return "", nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return quoteText(s), nil
	case raw[0] == '{':
		var q struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(raw, &q); err != nil {
			return "", fmt.Errorf("quote: %v", err)
		}
		return quoteText(q.Text), nil
	}
	return "", errors.New(`"quote" is neither text nor an object`)
}

func jsonSticker(raw json.RawMessage) (emoji string, ok bool, err error) {
	switch {
	case isNull(raw):
		return "", false, nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		return s, s != "", nil
	case raw[0] == '{':
		var s struct {
			Emoji string `json:"emoji"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, fmt.Errorf("sticker: %v", err)
		}
		return s.Emoji, true, nil
	case string(raw) == "false":
		return "", false, nil
	}
	return "", false, errors.New(`"sticker" is neither text nor an object`)
}

func jsonSize(raw json.RawMessage) (int64, error) {
	if isNull(raw) {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("size %s is not a byte count", truncate(string(raw), 40))
	}
	return n, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

func truncate(s string, n int) string {
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}
