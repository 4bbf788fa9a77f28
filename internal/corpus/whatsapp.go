package corpus

import (
	"fmt"
	"path/filepath"
	"strings"
)

// whatsAppWriter writes one "Export chat" text file per conversation:
//
//	android: <folder>/WhatsApp Chat with <title>.txt   28/04/25, 14:03 - Name: text
//	ios:     <folder>/_chat.txt                        [28/04/25, 14:03:05] Name: text
//
// in the phone's wall-clock time, continuation lines for multi-line text.
// Conversations exported without media write "<Media omitted>" (Android)
// or "image omitted" (iOS) instead of the file names.
type whatsAppWriter struct {
	dir string
	ios bool
	f   *outFile
	n   int
	buf []byte
}

const lrm = "\u200e"

func (w *whatsAppWriter) name() string {
	if w.ios {
		return "whatsapp-ios"
	}
	return "whatsapp-android"
}

func (w *whatsAppWriter) count() int { return w.n }

func (w *whatsAppWriter) begin(c *conv) (err error) {
	file := "_chat.txt"
	if !w.ios {
		file = "WhatsApp Chat with " + c.Title + ".txt"
	}
	w.f, err = create(filepath.Join(w.dir, c.folder, file))
	return err
}

func (w *whatsAppWriter) end(*conv) error {
	err := w.f.close()
	w.f = nil
	return err
}

func (w *whatsAppWriter) close() error { return w.end(nil) }

// waName is how the custodian's phone shows p: by name, or by number when
// p is not in its contacts.
func waName(p *person) string {
	if p.byPhone {
		return p.phone
	}
	return p.name
}

func (w *whatsAppWriter) message(c *conv, ev *event) error {
	w.n++
	b := w.buf[:0]
	author := ""
	var text string
	if ev.sys != sysNone {
		text = waSystem(c, ev)
		if w.ios {
			author = c.Title
			text = lrm + text
		}
	} else {
		author = waName(ev.from)
		text = ev.msg.Text
		if ev.att != attNone {
			text = w.attachment(c, ev)
		}
	}
	if w.ios {
		if ev.sys != sysNone || ev.att != attNone {
			b = append(b, lrm...)
		}
		b = append(b, '[')
		b = ev.local.AppendFormat(b, "02/01/06, 15:04:05")
		b = append(b, "] "...)
	} else {
		b = ev.local.AppendFormat(b, "02/01/06, 15:04")
		b = append(b, " - "...)
	}
	if author != "" {
		b = append(b, author...)
		b = append(b, ": "...)
	}
	b = append(b, text...)
	b = append(b, '\n')
	w.buf = b
	_, err := w.f.w.Write(b)
	return err
}

// waSystem renders a membership notice with the names the phone shows.
func waSystem(c *conv, ev *event) string {
	switch ev.sys {
	case sysCreated:
		return waName(ev.actor) + ` created group "` + c.Title + `"`
	case sysAdded:
		return waName(ev.actor) + " added " + waName(ev.target)
	default:
		return waName(ev.target) + " left"
	}
}

func (w *whatsAppWriter) attachment(c *conv, ev *event) string {
	a := ev.msg.Attachments[0]
	if !c.media {
		if !w.ios {
			return "<Media omitted>"
		}
		return lrm + [...]string{attImage: "image omitted", attPDF: "document omitted", attVoice: "audio omitted"}[ev.att]
	}
	if !w.ios {
		return a.Name + " (file attached)"
	}
	stamp := ev.local.Format("2006-01-02-15-04-05")
	var name string
	switch ev.att {
	case attImage:
		name = fmt.Sprintf("%08d-PHOTO-%s.jpg", ev.attN, stamp)
	case attVoice:
		name = fmt.Sprintf("%08d-AUDIO-%s.opus", ev.attN, stamp)
	default:
		name = fmt.Sprintf("%08d-%s", ev.attN, strings.TrimSpace(a.Name))
	}
	return lrm + "<attached: " + name + ">"
}
