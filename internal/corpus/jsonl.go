package corpus

import (
	"path/filepath"

	"sealroom/capture/jsonl"
)

// jsonlWriter writes Sealroom's own JSONL (docs/formats/jsonl.md) to
// messages.jsonl through capture/jsonl's Writer: the model itself, times
// in UTC with the phone's zone in "zone". That Writer flushes after each
// message, so it writes into our buffered file, not the file itself.
type jsonlWriter struct {
	f *outFile
	w *jsonl.Writer
	n int
}

func newJSONLWriter(dir string) (*jsonlWriter, error) {
	f, err := create(filepath.Join(dir, "messages.jsonl"))
	if err != nil {
		return nil, err
	}
	return &jsonlWriter{f: f, w: jsonl.NewWriter(f.w)}, nil
}

func (w *jsonlWriter) name() string      { return "jsonl" }
func (w *jsonlWriter) count() int        { return w.n }
func (w *jsonlWriter) begin(*conv) error { return nil }
func (w *jsonlWriter) end(*conv) error   { return nil }

func (w *jsonlWriter) message(c *conv, ev *event) error {
	w.n++
	return w.w.Write(&c.Conversation, &ev.msg)
}

func (w *jsonlWriter) close() error {
	err := w.w.Flush()
	if cerr := w.f.close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}
