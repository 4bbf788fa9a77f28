package signal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sealroom/capture"
)

// seed adds every testdata file named name, and the edge cases for it;
// finding no file is an error, so the corpus cannot silently vanish.
func seed(f *testing.F, name string) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*", name))
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata/*/*/%s seeds (%v)", name, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")))
		f.Add(b[:len(b)/2]) // truncated
	}
	for _, c := range edgeCases {
		if c.file == name {
			f.Add([]byte(c.in))
		}
	}
}

// fuzz reads data as the chat file name: it must not panic, and every
// message delivered must be valid.
func fuzz(t *testing.T, name string, data []byte) {
	var c collect
	st := &capture.Stats{}
	err := readStream(bytes.NewReader(data), chatFile{path: name, title: "F", json: name == jsonName}, &c,
		capture.Options{Zone: time.UTC}, st)
	if err != nil {
		t.Fatal(err) // only sink and read errors stop a lenient read
	}
	for _, m := range c.msgs {
		if err := m.Validate(); err != nil {
			t.Fatalf("delivered an invalid message: %v", err)
		}
	}
	if st.Messages != len(c.msgs) {
		t.Fatalf("stats count %d messages, sink got %d", st.Messages, len(c.msgs))
	}
}

func FuzzReadJSON(f *testing.F) {
	seed(f, jsonName)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz(t, jsonName, data) })
}

func FuzzReadMarkdown(f *testing.F) {
	seed(f, mdName)
	f.Fuzz(func(t *testing.T, data []byte) { fuzz(t, mdName, data) })
}

// BenchmarkRead reads a generated data.json of about 20 MB.
func BenchmarkRead(b *testing.B) {
	for _, name := range []string{jsonName, mdName} {
		b.Run(name, func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "Bench")
			os.Mkdir(dir, 0o700)
			path := filepath.Join(dir, name)
			size, msgs := generate(b, path, 20<<20)
			b.SetBytes(size)
			b.ResetTimer()
			for b.Loop() {
				var n counter
				st, err := Read(path, &n, capture.Options{Zone: time.UTC})
				if err != nil || st.Bad != 0 || int(n) != msgs {
					b.Fatalf("%d of %d messages, %+v, %v", n, msgs, st, err)
				}
			}
			b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

type counter int

func (c *counter) Conversation(*capture.Conversation) error { return nil }
func (c *counter) Message(*capture.Message) error           { *c++; return nil }

// generate writes a chat of about size bytes as signal-export would, with
// replies, reactions and attachments mixed in.
func generate(b *testing.B, path string, size int64) (int64, int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	t0 := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	senders := []string{"Me", "Ann", "+44 7700 900123", "Bob"}
	words := strings.Fields("the quick brown fox jumps over the lazy dog and then some more words about lunch plans 🍕 für später")
	n := 0
	var written int64
	for written < size {
		t := t0.Add(time.Duration(n) * 37 * time.Second)
		body := strings.Join(words[n%7:n%7+3+n%11], " ")
		if n%9 == 0 {
			body += "\nsecond line\n\nthird line"
		}
		quote := ""
		if n%13 == 5 {
			quote = "\n\n> reply target\n\n"
		}
		var atts []map[string]string
		if n%17 == 3 {
			atts = []map[string]string{{"name": fmt.Sprintf("%d_photo.jpg", n), "path": fmt.Sprintf("media/%d_photo.jpg", n)}}
		}
		var reactions [][2]string
		if n%5 == 0 {
			reactions = [][2]string{{"Ann", "👍"}}
		}
		buf.Reset()
		if strings.HasSuffix(path, jsonName) {
			line, _ := json.Marshal(map[string]any{"date": t.Format("2006-01-02T15:04:05"), "sender": senders[n%4],
				"body": body + "  ", "quote": quote, "sticker": "", "reactions": reactions, "attachments": atts,
				"deleted": false, "call": false, "missed": false})
			buf.Write(line)
			buf.WriteByte('\n')
		} else {
			fmt.Fprintf(&buf, "[%s] %s: %s%s  ", t.Format("2006-01-02 15:04:05"), senders[n%4], quote, body)
			for _, r := range reactions {
				fmt.Fprintf(&buf, "\n(- %s: %s -)", r[0], r[1])
			}
			for _, a := range atts {
				fmt.Fprintf(&buf, "![%s](./%s)  ", a["name"], a["path"])
			}
			buf.WriteString("\n\n")
		}
		k, err := f.Write(buf.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		written += int64(k)
		n++
	}
	return written, n
}
