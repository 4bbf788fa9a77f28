package slack

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"sealroom/capture"
)

// genExport writes a Slack export of channels × days × perDay messages
// into dir: mentions, links, threads, edits, files and notices in the
// proportions of a busy workspace. It returns the bytes of day files
// written and the number of messages.
func genExport(tb testing.TB, dir string, channels, days, perDay int) (size int64, msgs int) {
	tb.Helper()
	const users = 40
	write := func(name string, body []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	var b bytes.Buffer
	b.WriteString("[")
	for u := range users {
		if u > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"U%03d","name":"user%d","real_name":"User Number %d","profile":{"display_name":"u%d"}}`, u, u, u, u)
	}
	b.WriteString("]\n")
	write("users.json", b.Bytes())
	b.Reset()
	b.WriteString("[")
	for c := range channels {
		if c > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"C%03d","name":"chan-%d","members":[`, c, c)
		for u := range users {
			if u > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"U%03d"`, u)
		}
		b.WriteString("]}")
	}
	b.WriteString("]\n")
	write("channels.json", b.Bytes())

	const t0 = 1736467200
	for c := range channels {
		for d := range days {
			b.Reset()
			w := bufio.NewWriter(&b)
			w.WriteString("[\n")
			for i := range perDay {
				if i > 0 {
					w.WriteString(",\n")
				}
				sec := t0 + d*86400 + i*10
				u := (i*7 + c) % users
				switch i % 10 {
				case 0:
					fmt.Fprintf(w, `{"type":"message","subtype":"channel_join","user":"U%03d","text":"<@U%03d> has joined the channel","ts":"%d.000100"}`, u, u, sec)
				case 1:
					fmt.Fprintf(w, `{"type":"message","subtype":"file_share","user":"U%03d","text":"here is the file","ts":"%d.000100","files":[{"id":"F%d","name":"scan-%d.pdf","title":"Scan","mimetype":"application/pdf","filetype":"pdf","size":%d,"url_private":"https://files.slack.com/files-pri/T1-F%d/scan.pdf"}]}`, u, sec, i, i, 1000+i, i)
				case 2:
					fmt.Fprintf(w, `{"type":"message","user":"U%03d","text":"replying in thread, see <https://example.com/doc/%d|the spec> &amp; tell <@U%03d>","ts":"%d.000100","thread_ts":"%d.000100","parent_user_id":"U000"}`, u, i, (u+1)%users, sec, sec-10)
				case 3:
					fmt.Fprintf(w, `{"type":"message","subtype":"bot_message","bot_id":"B01","username":"ci","text":"build %d passed on <#C%03d|chan-%d>","ts":"%d.000100"}`, i, c, c, sec)
				default:
					fmt.Fprintf(w, `{"client_msg_id":"5e1b8c5e-0000-4000-8000-%012d","type":"message","user":"U%03d","text":"Message %d of the day: we should move the meeting to Thursday afternoon, <@U%03d> what do you think?","ts":"%d.000100","team":"T0001","user_team":"T0001","source_team":"T0001","user_profile":{"real_name":"User Number %d","display_name":"u%d","name":"user%d"},"edited":{"user":"U%03d","ts":"%d.000200"},"blocks":[{"type":"rich_text","block_id":"b%d","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"Message %d of the day"}]}]}]}`,
						i, u, i, (u+3)%users, sec, u, u, u, u, sec+5, i, i)
				}
				msgs++
			}
			w.WriteString("\n]\n")
			w.Flush()
			size += int64(b.Len())
			write(fmt.Sprintf("chan-%d/2025-%02d-%02d.json", c, 1+d/28, 1+d%28), b.Bytes())
		}
	}
	return size, msgs
}

// countSink counts messages and, every sample messages, the heap in use.
type countSink struct {
	msgs, sample int
	maxHeap      uint64
}

func (s *countSink) Conversation(*capture.Conversation) error { return nil }

func (s *countSink) Message(m *capture.Message) error {
	s.msgs++
	if s.sample > 0 && s.msgs%s.sample == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.maxHeap = max(s.maxHeap, ms.HeapInuse)
	}
	return nil
}

func TestReadBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200,000-message export")
	}
	dir := t.TempDir()
	_, n := genExport(t, dir, 10, 40, 500)
	if n != 200_000 {
		t.Fatalf("generated %d messages", n)
	}
	runtime.GC()
	sink := &countSink{sample: 1000}
	st, err := Read(dir, sink, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != n || sink.msgs != n || st.Bad != 0 {
		t.Fatalf("read %d messages (sink %d), %d bad; want %d", st.Messages, sink.msgs, st.Bad, n)
	}
	const limit = 32 << 20
	t.Logf("heap in use at most %.1f MiB over %d messages", float64(sink.maxHeap)/(1<<20), n)
	if sink.maxHeap > limit {
		t.Errorf("heap in use reached %d bytes, over %d", sink.maxHeap, limit)
	}
}

func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	folder := filepath.Join(dir, "export")
	size, n := genExport(b, folder, 8, 25, 240)
	zipPath := filepath.Join(dir, "export.zip")
	if err := zipDir(os.DirFS(folder), zipPath, ""); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, path string }{{"folder", folder}, {"zip", zipPath}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				st, err := Read(bc.path, &countSink{}, capture.Options{})
				if err != nil || st.Messages != n {
					b.Fatalf("Read: %d messages, %v", st.Messages, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
