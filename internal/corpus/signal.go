package corpus

import "path/filepath"

// signalWriter writes what signal-export (carderne/signal-export) makes of
// each chat: <folder>/data.json, one JSON object per line in its key order
// and Python's json.dumps spacing, dates ISO 8601 in local time without a
// zone. Deleted messages keep no body; notices have no sender.
type signalWriter struct {
	dir string
	f   *outFile
	n   int
	buf []byte
}

func (w *signalWriter) name() string { return "signal" }
func (w *signalWriter) count() int   { return w.n }

func (w *signalWriter) begin(c *conv) (err error) {
	w.f, err = create(filepath.Join(w.dir, c.folder, "data.json"))
	return err
}

func (w *signalWriter) end(*conv) error {
	err := w.f.close()
	w.f = nil
	return err
}

func (w *signalWriter) close() error { return w.end(nil) }

func (w *signalWriter) message(_ *conv, ev *event) error {
	w.n++
	sender, body := "", ev.msg.Text
	if ev.from != nil {
		sender = ev.from.name
	}
	deleted := ev.deleted
	if deleted {
		body = ""
	}
	b := append(w.buf[:0], `{"date": "`...)
	b = ev.local.AppendFormat(b, "2006-01-02T15:04:05")
	b = append(b, `", "sender": `...)
	b = appendJSON(b, sender, false)
	b = append(b, `, "body": `...)
	b = appendJSON(b, body, false)
	b = append(b, `, "quote": "", "sticker": null, "reactions": [], "attachments": [`...)
	for i, a := range ev.msg.Attachments {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"name": `...)
		b = appendJSON(b, a.Name, false)
		b = append(b, `, "path": `...)
		b = appendJSON(b, "media/"+a.Name, false)
		b = append(b, '}')
	}
	b = append(b, `], "deleted": `...)
	if deleted {
		b = append(b, "true"...)
	} else {
		b = append(b, "false"...)
	}
	b = append(b, ", \"call\": false, \"missed\": false}\n"...)
	w.buf = b
	_, err := w.f.w.Write(b)
	return err
}
