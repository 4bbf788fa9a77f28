package corpus

import (
	"path/filepath"
	"strconv"
	"strings"
)

// slackWriter writes a Slack workspace export folder:
//
//	users.json      every member seen, written at the end (the pool is bounded)
//	channels.json   group conversations → folder <channel name>/
//	dms.json        one-to-one conversations → folder <D… id>/
//	<folder>/YYYY-MM-DD.json   one JSON array per UTC day
//
// channels.json and dms.json grow as conversations come; a day file is
// open only while its day's messages are written, and its array is
// written element by element. A message's "ts" is its Unix time with the
// conversation's sequence number as microseconds, unique in the channel.
// Text has &, < and > escaped and slashes written "\/", as Slack does.
type slackWriter struct {
	dir      string
	channels *outFile
	dms      *outFile
	nch, ndm int
	day      *outFile
	dayName  string
	dayMsgs  int
	users    []*person
	seen     map[*person]bool
	n        int
	buf      []byte
}

const slackTeam = "T0SEALRM1"

func newSlackWriter(dir string, _ uint64) (*slackWriter, error) {
	w := &slackWriter{dir: dir, seen: map[*person]bool{}}
	var err error
	if w.channels, err = create(filepath.Join(dir, "channels.json")); err != nil {
		return nil, err
	}
	if w.dms, err = create(filepath.Join(dir, "dms.json")); err != nil {
		w.channels.close()
		return nil, err
	}
	w.channels.w.WriteString("[")
	w.dms.w.WriteString("[")
	return w, nil
}

func (w *slackWriter) name() string { return "slack" }
func (w *slackWriter) count() int   { return w.n }

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func (w *slackWriter) begin(c *conv) error {
	for _, p := range c.members {
		if !w.seen[p] {
			w.seen[p] = true
			w.users = append(w.users, p)
		}
	}
	created := strconv.FormatInt(c.created.Unix(), 10)
	b := w.buf[:0]
	out := w.dms
	if c.group {
		out = w.channels
		if w.nch > 0 {
			b = append(b, ',')
		}
		w.nch++
		b = append(b, "\n    {\n        \"id\": \""+c.slackID+"\",\n        \"name\": \""+c.slack+"\",\n        \"created\": "+created+
			",\n        \"creator\": \""+c.members[0].slackID+"\",\n        \"is_archived\": false,\n        \"is_general\": false,\n        \"members\": ["...)
	} else {
		if w.ndm > 0 {
			b = append(b, ',')
		}
		w.ndm++
		b = append(b, "\n    {\n        \"id\": \""+c.slackID+"\",\n        \"created\": "+created+",\n        \"members\": ["...)
	}
	for i, p := range c.members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n            \""+p.slackID+"\""...)
	}
	b = append(b, "\n        ]"...)
	if c.group {
		b = append(b, ",\n        \"topic\": {\n            \"value\": \"\",\n            \"creator\": \"\",\n            \"last_set\": 0\n        },\n        \"purpose\": {\n            \"value\": "...)
		b = appendJSON(b, c.Title, true)
		b = append(b, ",\n            \"creator\": \""+c.members[0].slackID+"\",\n            \"last_set\": "+created+"\n        }"...)
	}
	b = append(b, "\n    }"...)
	w.buf = b
	_, err := out.w.Write(b)
	return err
}

func (w *slackWriter) folder(c *conv) string {
	if c.group {
		return c.slack
	}
	return c.slackID
}

func (w *slackWriter) closeDay() error {
	if w.day == nil {
		return nil
	}
	w.day.w.WriteString("\n]")
	err := w.day.close()
	w.day, w.dayName = nil, ""
	return err
}

func (w *slackWriter) end(*conv) error { return w.closeDay() }

func (w *slackWriter) message(c *conv, ev *event) error {
	w.n++
	day := ev.msg.Time.UTC().Format("2006-01-02")
	if day != w.dayName {
		if err := w.closeDay(); err != nil {
			return err
		}
		f, err := create(filepath.Join(w.dir, w.folder(c), day+".json"))
		if err != nil {
			return err
		}
		w.day, w.dayName, w.dayMsgs = f, day, 0
		f.w.WriteString("[")
	}
	b := w.buf[:0]
	if w.dayMsgs > 0 {
		b = append(b, ',')
	}
	w.dayMsgs++
	b = append(b, "\n    {\n        \"type\": \"message\""...)
	user := ev.from
	var text string
	switch ev.sys {
	case sysNone:
		text = slackEscaper.Replace(ev.msg.Text)
	case sysLeft:
		user = ev.target
		b = append(b, ",\n        \"subtype\": \"channel_leave\""...)
		text = "<@" + user.slackID + "> has left the channel"
	case sysAdded:
		user = ev.target
		b = append(b, ",\n        \"subtype\": \"channel_join\",\n        \"inviter\": \""+ev.actor.slackID+"\""...)
		text = "<@" + user.slackID + "> has joined the channel"
	default:
		user = ev.actor
		b = append(b, ",\n        \"subtype\": \"channel_join\""...)
		text = "<@" + user.slackID + "> has joined the channel"
	}
	b = append(b, ",\n        \"text\": "...)
	b = appendJSON(b, text, true)
	b = append(b, ",\n        \"user\": \""+user.slackID+"\",\n        \"ts\": \""...)
	b = strconv.AppendInt(b, ev.msg.Time.Unix(), 10)
	b = append(b, '.')
	us := strconv.AppendInt(nil, 1000000+ev.msg.Seq%1000000, 10)
	b = append(b, us[1:]...)
	b = append(b, '"')
	if ev.att != attNone {
		b = w.files(b, ev)
	}
	b = append(b, ",\n        \"team\": \""+slackTeam+"\",\n        \"user_profile\": {\n            \"real_name\": "...)
	b = appendJSON(b, user.name, true)
	b = append(b, ",\n            \"display_name\": "...)
	b = appendJSON(b, user.first, true)
	b = append(b, ",\n            \"name\": \""+user.handle+"\"\n        }\n    }"...)
	w.buf = b
	_, err := w.day.w.Write(b)
	return err
}

func (w *slackWriter) files(b []byte, ev *event) []byte {
	a := ev.msg.Attachments[0]
	ft := "jpg"
	switch ev.att {
	case attPDF:
		ft = "pdf"
	case attVoice:
		ft = "opus"
	}
	b = append(b, ",\n        \"files\": [\n            {\n                \"id\": \"F"...)
	b = append(b, strings.ToUpper(a.SHA256[:10])...)
	b = append(b, "\",\n                \"created\": "...)
	b = strconv.AppendInt(b, ev.msg.Time.Unix(), 10)
	b = append(b, ",\n                \"name\": "...)
	b = appendJSON(b, a.Name, true)
	b = append(b, ",\n                \"title\": "...)
	b = appendJSON(b, a.Name, true)
	b = append(b, ",\n                \"mimetype\": "...)
	b = appendJSON(b, a.Type, true)
	b = append(b, ",\n                \"filetype\": \""+ft+"\",\n                \"size\": "...)
	b = strconv.AppendInt(b, a.Size, 10)
	return append(b, "\n            }\n        ]"...)
}

// close finishes the lists and writes users.json.
func (w *slackWriter) close() error {
	if w.channels == nil {
		return nil
	}
	err := w.closeDay()
	w.channels.w.WriteString("\n]\n")
	w.dms.w.WriteString("\n]\n")
	for _, e := range []error{w.channels.close(), w.dms.close()} {
		if err == nil {
			err = e
		}
	}
	w.channels, w.dms = nil, nil
	f, ferr := create(filepath.Join(w.dir, "users.json"))
	if ferr != nil {
		if err == nil {
			err = ferr
		}
		return err
	}
	b := []byte("[")
	for i, p := range w.users {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n        \"id\": \""+p.slackID+"\",\n        \"team_id\": \""+slackTeam+"\",\n        \"name\": \""+p.handle+"\",\n        \"deleted\": false,\n        \"real_name\": "...)
		b = appendJSON(b, p.name, true)
		b = append(b, ",\n        \"is_bot\": false,\n        \"profile\": {\n            \"real_name\": "...)
		b = appendJSON(b, p.name, true)
		b = append(b, ",\n            \"display_name\": "...)
		b = appendJSON(b, p.first, true)
		b = append(b, ",\n            \"email\": "...)
		b = appendJSON(b, p.email, true)
		b = append(b, ",\n            \"phone\": "...)
		b = appendJSON(b, p.phone, true)
		b = append(b, "\n        }\n    }"...)
	}
	b = append(b, "\n]\n"...)
	f.w.Write(b)
	if cerr := f.close(); err == nil {
		err = cerr
	}
	return err
}
