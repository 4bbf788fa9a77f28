package corpus

import (
	"path/filepath"
	"strconv"
	"strings"
)

// telegramWriter writes one Telegram Desktop full-account export,
// result.json, with every conversation under chats.list, written as it
// comes: the file is never held whole. Layout and field order follow
// tdesktop's export_output_json.cpp: one-space indentation, "date" in the
// local wall clock without a zone, "date_unixtime" as a string, "text" a
// string or, when the message carries an e-mail address, phone number or
// card number, an array of strings and entity objects; "text_entities"
// always the flat array.
type telegramWriter struct {
	f        *outFile
	n        int
	chats    int
	msgs     int // in the current chat
	buf      []byte
	entities []tgEntity
}

type tgEntity struct{ typ, text string }

func newTelegramWriter(dir string, seed uint64) (*telegramWriter, error) {
	f, err := create(filepath.Join(dir, "result.json"))
	if err != nil {
		return nil, err
	}
	w := &telegramWriter{f: f}
	b := append([]byte(nil), "{\n \"about\": \"Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data, and it lets you choose what to keep.\",\n"...)
	b = append(b, " \"personal_information\": {\n  \"user_id\": "...)
	b = strconv.AppendUint(b, 100000000+seed%900000000, 10)
	b = append(b, ",\n  \"first_name\": \"Compliance\",\n  \"last_name\": \"Export\",\n  \"phone_number\": \"+44 7700 900000\",\n  \"bio\": \"\"\n },\n"...)
	b = append(b, " \"chats\": {\n  \"about\": \"This page lists all chats from this export.\",\n  \"list\": ["...)
	_, err = f.w.Write(b)
	return w, err
}

func (w *telegramWriter) name() string { return "telegram" }
func (w *telegramWriter) count() int   { return w.n }

func (w *telegramWriter) begin(c *conv) error {
	b := w.buf[:0]
	if w.chats > 0 {
		b = append(b, ',')
	}
	w.chats++
	w.msgs = 0
	b = append(b, "\n   {\n    \"name\": "...)
	b = appendJSON(b, c.Title, false)
	typ := "personal_chat"
	if c.group {
		typ = "private_group"
	}
	b = append(b, ",\n    \"type\": \""+typ+"\",\n    \"id\": "...)
	b = strconv.AppendInt(b, c.tgID, 10)
	b = append(b, ",\n    \"messages\": ["...)
	w.buf = b
	_, err := w.f.w.Write(b)
	return err
}

func (w *telegramWriter) end(*conv) error {
	_, err := w.f.w.WriteString("\n    ]\n   }")
	return err
}

func (w *telegramWriter) close() error {
	if w.f == nil {
		return nil
	}
	_, err := w.f.w.WriteString("\n  ]\n }\n}\n")
	if cerr := w.f.close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}

// field appends `,\n     "key": ` — the caller appends the value.
func field(b []byte, key string) []byte {
	b = append(b, ",\n     \""...)
	b = append(b, key...)
	return append(b, "\": "...)
}

func (w *telegramWriter) message(c *conv, ev *event) error {
	w.n++
	b := w.buf[:0]
	if w.msgs > 0 {
		b = append(b, ',')
	}
	w.msgs++
	b = append(b, "\n    {\n     \"id\": "...)
	b = strconv.AppendInt(b, ev.msg.Seq, 10)
	if ev.sys != sysNone {
		b = append(b, ",\n     \"type\": \"service\""...)
	} else {
		b = append(b, ",\n     \"type\": \"message\""...)
	}
	b = field(b, "date")
	b = append(b, '"')
	b = ev.local.AppendFormat(b, "2006-01-02T15:04:05")
	b = append(b, '"')
	b = field(b, "date_unixtime")
	b = append(b, '"')
	b = strconv.AppendInt(b, ev.msg.Time.Unix(), 10)
	b = append(b, '"')
	if ev.sys != sysNone {
		b = w.service(b, c, ev)
	} else {
		b = field(b, "from")
		b = appendJSON(b, ev.from.name, false)
		b = field(b, "from_id")
		b = append(b, "\"user"...)
		b = strconv.AppendInt(b, ev.from.tgID, 10)
		b = append(b, '"')
		if ev.att != attNone {
			b = w.media(b, ev)
		}
	}
	b = w.text(b, ev)
	b = append(b, "\n    }"...)
	w.buf = b
	_, err := w.f.w.Write(b)
	return err
}

func (w *telegramWriter) service(b []byte, c *conv, ev *event) []byte {
	b = field(b, "actor")
	b = appendJSON(b, ev.actor.name, false)
	b = field(b, "actor_id")
	b = append(b, "\"user"...)
	b = strconv.AppendInt(b, ev.actor.tgID, 10)
	b = append(b, '"')
	b = field(b, "action")
	var members []*person
	switch ev.sys {
	case sysCreated:
		b = append(b, "\"create_group\""...)
		b = field(b, "title")
		b = appendJSON(b, c.Title, false)
		members = c.members
	case sysAdded:
		b = append(b, "\"invite_members\""...)
		members = []*person{ev.target}
	default:
		b = append(b, "\"remove_members\""...)
		members = []*person{ev.target}
	}
	b = field(b, "members")
	b = append(b, '[')
	for i, p := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n      "...)
		b = appendJSON(b, p.name, false)
	}
	return append(b, "\n     ]"...)
}

func (w *telegramWriter) media(b []byte, ev *event) []byte {
	a := ev.msg.Attachments[0]
	stamp := ev.local.Format("02-01-2006_15-04-05")
	switch ev.att {
	case attImage:
		b = field(b, "photo")
		b = append(b, "\"photos/photo_"+itoa(ev.attN)+"@"+stamp+".jpg\""...)
		b = field(b, "photo_file_size")
		b = strconv.AppendInt(b, a.Size, 10)
		b = append(b, ",\n     \"width\": 1280,\n     \"height\": 960"...)
	case attVoice:
		name := "audio_" + itoa(ev.attN) + "@" + stamp + ".ogg"
		b = field(b, "file")
		b = append(b, "\"voice_messages/"+name+"\""...)
		b = field(b, "file_name")
		b = append(b, "\""+name+"\""...)
		b = field(b, "file_size")
		b = strconv.AppendInt(b, a.Size, 10)
		b = append(b, ",\n     \"media_type\": \"voice_message\",\n     \"mime_type\": \"audio/ogg\""...)
		b = field(b, "duration_seconds")
		b = strconv.AppendInt(b, int64(ev.dur), 10)
	default:
		b = field(b, "file")
		b = appendJSON(b, "files/"+a.Name, false)
		b = field(b, "file_name")
		b = appendJSON(b, a.Name, false)
		b = field(b, "file_size")
		b = strconv.AppendInt(b, a.Size, 10)
		b = append(b, ",\n     \"mime_type\": \"application/pdf\""...)
	}
	return b
}

// tgEntityTypes are the PII types Telegram itself marks as entities.
var tgEntityTypes = map[string]string{PIIEmail: "email", PIIPhone: "phone", PIICard: "bank_card"}

// text appends "text" and "text_entities". Service messages have empty
// text, as tdesktop writes them.
func (w *telegramWriter) text(b []byte, ev *event) []byte {
	text := ev.msg.Text
	if ev.sys != sysNone {
		text = ""
	}
	ents := w.entities[:0]
	if ev.label != nil && ev.sys == sysNone {
		for _, p := range ev.label.PII {
			typ, ok := tgEntityTypes[p.Type]
			if !ok {
				continue
			}
			if i := strings.Index(text, p.Value); i >= 0 {
				if i > 0 {
					ents = append(ents, tgEntity{"plain", text[:i]})
				}
				ents = append(ents, tgEntity{typ, p.Value})
				if rest := text[i+len(p.Value):]; rest != "" {
					ents = append(ents, tgEntity{"plain", rest})
				}
				break
			}
		}
	}
	if len(ents) == 0 && text != "" {
		ents = append(ents, tgEntity{"plain", text})
	}
	w.entities = ents
	b = field(b, "text")
	if len(ents) == 0 || (len(ents) == 1 && ents[0].typ == "plain") {
		b = appendJSON(b, text, false)
	} else {
		b = append(b, '[')
		for i, e := range ents {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n      "...)
			if e.typ == "plain" {
				b = appendJSON(b, e.text, false)
			} else {
				b = appendEntity(b, e)
			}
		}
		b = append(b, "\n     ]"...)
	}
	b = field(b, "text_entities")
	if len(ents) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, e := range ents {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n      "...)
		b = appendEntity(b, e)
	}
	return append(b, "\n     ]"...)
}

func appendEntity(b []byte, e tgEntity) []byte {
	b = append(b, "{\n       \"type\": \""+e.typ+"\",\n       \"text\": "...)
	b = appendJSON(b, e.text, false)
	return append(b, "\n      }"...)
}
