package telegram

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"sealroom/capture"
)

// genExport writes a full-account export of chats chats with perChat
// messages each, laid out as Telegram Desktop writes it, and returns its
// size. The messages mix plain text, entity arrays, service messages,
// replies, photos and \xHH escapes.
func genExport(tb testing.TB, path string, chats, perChat int) int64 {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, "{\n \"about\": \"Here is the data you requested.\",\n \"chats\": {\n  \"about\": \"This page lists all chats from this export.\",\n  \"list\": [")
	for c := range chats {
		if c > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, "\n   {\n    \"name\": \"Chat %d\",\n    \"type\": \"private_supergroup\",\n    \"id\": %d,\n    \"messages\": [", c, 1000+c)
		for i := range perChat {
			if i > 0 {
				w.WriteString(",")
			}
			id, t := i+1, 1700000000+i*7
			user := 100 + i%5
			head := fmt.Sprintf("\n     {\n      \"id\": %d,\n      \"type\": \"%%s\",\n      \"date\": \"2023-11-14T23:13:20\",\n      \"date_unixtime\": \"%d\",\n", id, t)
			switch i % 10 {
			case 0:
				fmt.Fprintf(w, head, "service")
				fmt.Fprintf(w, "      \"actor\": \"User %d\",\n      \"actor_id\": \"user%d\",\n      \"action\": \"invite_members\",\n      \"members\": [\n       \"User %d\"\n      ],\n      \"text\": \"\",\n      \"text_entities\": []\n     }", user, user, user+1)
			case 3:
				fmt.Fprintf(w, head, "message")
				fmt.Fprintf(w, "      \"from\": \"User %d\",\n      \"from_id\": \"user%d\",\n      \"reply_to_message_id\": %d,\n      \"text\": [\n       \"see \",\n       {\n        \"type\": \"text_link\",\n        \"text\": \"this\",\n        \"href\": \"https://example.com/%d\"\n       },\n       \" now\"\n      ],\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": \"see \"\n       },\n       {\n        \"type\": \"text_link\",\n        \"text\": \"this\",\n        \"href\": \"https://example.com/%d\"\n       },\n       {\n        \"type\": \"plain\",\n        \"text\": \" now\"\n       }\n      ]\n     }", user, user, id-1, id, id)
			case 6:
				fmt.Fprintf(w, head, "message")
				fmt.Fprintf(w, "      \"from\": \"User %d\",\n      \"from_id\": \"user%d\",\n      \"photo\": \"photos/photo_%d@14-11-2023_23-13-20.jpg\",\n      \"width\": 1280,\n      \"height\": 960,\n      \"text\": \"a photo\\x1f with a unit separator\",\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": \"a photo\\x1f with a unit separator\"\n       }\n      ]\n     }", user, user, id)
			default:
				fmt.Fprintf(w, head, "message")
				fmt.Fprintf(w, "      \"from\": \"User %d\",\n      \"from_id\": \"user%d\",\n      \"text\": \"Message number %d, with some ordinary words in it to make it typical.\",\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": \"Message number %d, with some ordinary words in it to make it typical.\"\n       }\n      ]\n     }", user, user, id, id)
			}
		}
		w.WriteString("\n    ]\n   }")
	}
	w.WriteString("\n  ]\n }\n}\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	f.Close()
	return fi.Size()
}

type discard struct{}

func (discard) Conversation(*capture.Conversation) error { return nil }
func (discard) Message(*capture.Message) error           { return nil }

func BenchmarkRead(b *testing.B) {
	path := filepath.Join(b.TempDir(), "result.json")
	// About 500 bytes a message: 4 chats of 10,000 make 20 MB.
	size := genExport(b, path, 4, 10000)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	msgs := 0
	for b.Loop() {
		st, err := Read(path, discard{}, capture.Options{})
		if err != nil || st.Bad != 0 {
			b.Fatal(err, st.Bad)
		}
		msgs += st.Messages
	}
	b.ReportMetric(float64(msgs)/time.Since(start).Seconds(), "msgs/s")
}

// sampling is a Sink that samples the heap as messages stream past.
type sampling struct {
	n       int
	maxHeap uint64
}

func (s *sampling) Conversation(*capture.Conversation) error { return nil }
func (s *sampling) Message(*capture.Message) error {
	s.n++
	if s.n%5000 == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.maxHeap = max(s.maxHeap, ms.HeapInuse)
	}
	return nil
}

func TestReadMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 100 MB export")
	}
	path := filepath.Join(t.TempDir(), "result.json")
	size := genExport(t, path, 2, 100000)
	runtime.GC()
	s := &sampling{}
	st, err := Read(path, s, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 200000 || st.Bad != 0 {
		t.Fatalf("stats %+v", st)
	}
	const limit = 32 << 20
	t.Logf("export of %d MB, %d messages: heap in use peaked at %.1f MiB", size>>20, st.Messages, float64(s.maxHeap)/(1<<20))
	if s.maxHeap > limit {
		t.Fatalf("heap in use reached %d bytes while reading, over %d", s.maxHeap, limit)
	}
}
