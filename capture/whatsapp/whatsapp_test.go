package whatsapp

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sealroom/capture"
)

type collect struct {
	conv *capture.Conversation
	msgs []*capture.Message
}

func (c *collect) Conversation(v *capture.Conversation) error { c.conv = v; return nil }
func (c *collect) Message(m *capture.Message) error           { c.msgs = append(c.msgs, m); return nil }

// want is one expected message: time in UTC (RFC 3339), sender, text,
// kind ("" = message), attachment names.
type want struct {
	time, sender, text string
	kind               capture.Kind
	atts               []string
}

func read(t *testing.T, name, content string, opts capture.Options) (*collect, capture.Stats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	var c collect
	st, err := Read(path, &c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &c, st
}

func check(t *testing.T, got []*capture.Message, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for _, m := range got {
			t.Logf("got %s %q %q %s %v", m.Time.Format(time.RFC3339), m.Sender, m.Text, m.Kind, m.Attachments)
		}
		t.Fatalf("%d messages, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		m := got[i]
		kind := w.kind
		if kind == "" {
			kind = capture.KindMessage
		}
		var names []string
		for _, a := range m.Attachments {
			names = append(names, a.Name)
		}
		if m.Time.Format(time.RFC3339) != w.time || m.Sender != w.sender || m.Text != w.text || m.Kind != kind || !reflect.DeepEqual(names, w.atts) {
			t.Errorf("message %d:\n got %s %q %q %s %q\nwant %s %q %q %s %q", i+1,
				m.Time.Format(time.RFC3339), m.Sender, m.Text, m.Kind, names, w.time, w.sender, w.text, kind, w.atts)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("message %d: %v", i+1, err)
		}
	}
}

// TestLayouts reads the same two messages written in each header layout
// the formats note lists; the second message's day (28) makes the day
// order certain, the first's is 27 March 2022, 21:41.
func TestLayouts(t *testing.T) {
	const nnbsp, lrm = "\u202f", "\u200e"
	layouts := []struct {
		name, first, second string
		secs                bool
	}{
		{"android en-GB", "27/03/2022, 21:41 - ", "28/03/2022, 08:05 - ", false},
		{"android en-US 12h", "3/27/22, 9:41" + nnbsp + "PM - ", "3/28/22, 8:05" + nnbsp + "AM - ", false},
		{"android de", "27.03.22, 21:41 - ", "28.03.22, 08:05 - ", false},
		{"android es p. m.", "27/3/22, 9:41 p. m. - ", "28/3/22, 8:05 a. m. - ", false},
		{"android de nachm.", "27.03.22, 9:41 nachm. - ", "28.03.22, 8:05 vorm. - ", false},
		{"android ISO", "2022-03-27, 21:41 - ", "2022-03-28, 08:05 - ", false},
		{"android time first (vi)", "21:41, 27/03/2022 - ", "08:05, 28/03/2022 - ", false},
		{"android fi klo", "27.3.2022 klo 21.41 - ", "28.3.2022 klo 8.05 - ", false},
		{"android ar digits", "٢٧/٣/٢٠٢٢، ٩:٤١ م - ", "٢٨/٣/٢٠٢٢، ٨:٠٥ ص - ", false},
		{"android zh 下午", "2022/3/27 下午9:41 - ", "2022/3/28 上午8:05 - ", false},
		{"android ko 오후", "2022. 3. 27. 오후 9:41 - ", "2022. 3. 28. 오전 8:05 - ", false},
		{"android en dash", "27/03/2022, 21:41 – ", "28/03/2022, 08:05 – ", false},
		{"android dashed date", "27-03-2022 21:41 - ", "28-03-2022 08:05 - ", false},
		{"ios en-GB", "[27/03/2022, 21:41:55] ", "[28/03/2022, 08:05:00] ", true},
		{"ios en-US 12h", "[3/27/22, 9:41:55" + nnbsp + "PM] ", "[3/28/22, 8:05:00" + nnbsp + "AM] ", true},
		{"ios de", lrm + "[27.03.22, 21:41:55] ", lrm + "[28.03.22, 08:05:00] ", true},
		{"ios ja era", "[R4/03/27 21:41:55] ", "[R4/03/28 8:05:00] ", true},
		{"ios th buddhist", "[27/3/2565 21:41:55] ", "[28/3/2565 8:05:00] ", true},
		{"ios persian digits", "[۲۷/۳/۲۰۲۲, ۲۱:۴۱:۵۵] ", "[۲۸/۳/۲۰۲۲, ۸:۰۵:۰۰] ", true},
	}
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			chat := l.first + "Ann Lee: Hello\n" + l.second + "+44 7700 900123: Good morning 🙂\n"
			c, st := read(t, "WhatsApp Chat with Desk.txt", chat, capture.Options{Zone: time.UTC})
			first := "2022-03-27T21:41:00Z"
			if l.secs {
				first = "2022-03-27T21:41:55Z"
			}
			check(t, c.msgs, []want{
				{first, "Ann Lee", "Hello", "", nil},
				{"2022-03-28T08:05:00Z", "+44 7700 900123", "Good morning 🙂", "", nil},
			})
			if st.Messages != 2 || st.Bad != 0 || c.conv.ID != "whatsapp:Desk" || len(c.conv.Participants) != 2 {
				t.Fatalf("stats %+v conv %+v", st, c.conv)
			}
		})
	}
}

func TestDayOrder(t *testing.T) {
	// No day over 12 in the first lines; a later one decides for the file.
	df := "03/04/22, 10:00 - A: one\n05/04/22, 10:00 - A: two\n13/04/22, 10:00 - A: three\n"
	c, _ := read(t, "x.txt", df, capture.Options{Zone: time.UTC})
	check(t, c.msgs, []want{{"2022-04-03T10:00:00Z", "A", "one", "", nil}, {"2022-04-05T10:00:00Z", "A", "two", "", nil}, {"2022-04-13T10:00:00Z", "A", "three", "", nil}})
	mf := "03/04/22, 10:00 - A: one\n04/13/22, 10:00 - A: two\n"
	c, _ = read(t, "x.txt", mf, capture.Options{Zone: time.UTC})
	check(t, c.msgs, []want{{"2022-03-04T10:00:00Z", "A", "one", "", nil}, {"2022-04-13T10:00:00Z", "A", "two", "", nil}})
	// Nothing over 12: the reading under which dates run forward.
	// 01/03, 02/01, 02/03 runs forward only month-first (Jan 3, Feb 1, Feb 3).
	fw := "01/03/22, 10:00 - A: one\n02/01/22, 10:00 - A: two\n02/03/22, 10:00 - A: three\n"
	c, _ = read(t, "x.txt", fw, capture.Options{Zone: time.UTC})
	if c.msgs[2].Time.Month() != time.February || c.msgs[2].Time.Day() != 3 {
		t.Fatalf("forward dates: %v", c.msgs[2].Time)
	}
	// The option overrides the inference.
	c, _ = read(t, "x.txt", df, capture.Options{Zone: time.UTC, DayOrder: capture.MonthsFirst})
	if c.msgs[0].Time.Month() != time.March {
		t.Fatalf("months-first option: %v", c.msgs[0].Time)
	}
	// A file that switches layout halfway: each layout decided alone.
	sw := "13/04/22, 10:00 - A: android day-first\n[4/14/22, 9:00:00 AM] A: ios month-first\n[4/15/22, 9:00:00 AM] A: again\n"
	c, _ = read(t, "x.txt", sw, capture.Options{Zone: time.UTC})
	check(t, c.msgs, []want{{"2022-04-13T10:00:00Z", "A", "android day-first", "", nil},
		{"2022-04-14T09:00:00Z", "A", "ios month-first", "", nil}, {"2022-04-15T09:00:00Z", "A", "again", "", nil}})
}

func TestMessages(t *testing.T) {
	const lrm = "\u200e"
	chat := strings.Join([]string{
		"27/03/2022, 21:40 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
		"27/03/2022, 21:40 - Ann created group \"Desk\"",
		"27/03/2022, 21:41 - Ann: first line",
		"",
		"third line after a blank one",
		"27/03/2022, 21:42 - Bob: IMG-20220327-WA0001.jpg (file attached)",
		"the caption",
		"27/03/2022, 21:43 - Bob: <Media omitted>",
		"27/03/2022, 21:44 - Ann: This message was deleted",
		"27/03/2022, 21:45 - Bob: Bericht.pdf (Datei angehängt)",
		"27/03/2022, 21:46 - Ann: location: https://maps.google.com/?q=48.85,2.35",
		"27/03/2022, 21:47 - Ann: time: 10:30 works",
		"27/03/2022, 21:48 - Bob added Carla",
		"27/03/2022, 21:49 - Carla: PTT-20220327-WA0002.opus (文件附件)",
		"27/03/2022, 21:50 - Carla:",
	}, "\r\n") + "\r\n"
	c, st := read(t, "WhatsApp Chat with Desk.txt", chat, capture.Options{Zone: time.UTC})
	check(t, c.msgs, []want{
		{"2022-03-27T21:40:00Z", "", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.", capture.KindSystem, nil},
		{"2022-03-27T21:40:00Z", "", "Ann created group \"Desk\"", capture.KindSystem, nil},
		{"2022-03-27T21:41:00Z", "Ann", "first line\n\nthird line after a blank one", "", nil},
		{"2022-03-27T21:42:00Z", "Bob", "the caption", "", []string{"IMG-20220327-WA0001.jpg"}},
		{"2022-03-27T21:43:00Z", "Bob", "", "", []string{"<Media omitted>"}},
		{"2022-03-27T21:44:00Z", "Ann", "This message was deleted", capture.KindSystem, nil},
		{"2022-03-27T21:45:00Z", "Bob", "", "", []string{"Bericht.pdf"}},
		{"2022-03-27T21:46:00Z", "Ann", "location: https://maps.google.com/?q=48.85,2.35", "", nil},
		{"2022-03-27T21:47:00Z", "Ann", "time: 10:30 works", "", nil},
		{"2022-03-27T21:48:00Z", "", "Bob added Carla", capture.KindSystem, nil},
		{"2022-03-27T21:49:00Z", "Carla", "", "", []string{"PTT-20220327-WA0002.opus"}},
		{"2022-03-27T21:50:00Z", "Carla", "", "", nil},
	})
	if c.msgs[3].Attachments[0].Type != "image/jpeg" || c.msgs[10].Attachments[0].Type != "audio/ogg" {
		t.Fatalf("types %q %q", c.msgs[3].Attachments[0].Type, c.msgs[10].Attachments[0].Type)
	}
	if st.Bad != 0 || len(c.conv.Participants) != 3 {
		t.Fatalf("stats %+v, participants %v", st, c.conv.Participants)
	}

	ios := strings.Join([]string{
		"[27/03/2022, 21:40:00] Desk: " + lrm + "Messages and calls are end-to-end encrypted.",
		lrm + "[27/03/2022, 21:41:00] Ann: " + lrm + "<attached: 00000035-PHOTO-2022-03-27-21-41-00.jpg>",
		lrm + "[27/03/2022, 21:42:00] Ann: " + lrm + "<anexado: 00000036-AUDIO-2022-03-27-21-42-00.opus>",
		"[27/03/2022, 21:43:00] Bob: " + lrm + "image omitted",
		"[27/03/2022, 21:44:00] Bob: " + lrm + "This message was deleted.",
		"[27/03/2022, 21:45:00] Bob: hello",
	}, "\n")
	c, _ = read(t, "_chat.txt", ios, capture.Options{Zone: time.UTC})
	check(t, c.msgs, []want{
		{"2022-03-27T21:40:00Z", "", "Messages and calls are end-to-end encrypted.", capture.KindSystem, nil},
		{"2022-03-27T21:41:00Z", "Ann", "", "", []string{"00000035-PHOTO-2022-03-27-21-41-00.jpg"}},
		{"2022-03-27T21:42:00Z", "Ann", "", "", []string{"00000036-AUDIO-2022-03-27-21-42-00.opus"}},
		{"2022-03-27T21:43:00Z", "Bob", "", "", []string{"image omitted"}},
		{"2022-03-27T21:44:00Z", "Bob", "This message was deleted.", capture.KindSystem, nil},
		{"2022-03-27T21:45:00Z", "Bob", "hello", "", nil},
	})
}

func TestZoneAndIDs(t *testing.T) {
	chat := "27/03/2022, 21:41 - Ann: hi\n27/03/2022, 21:41 - Ann: hi\n27/03/2022, 21:42 - Bob: yo\n"
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	c, _ := read(t, "x.txt", chat, capture.Options{Zone: tokyo})
	if got := c.msgs[0].Time.Format(time.RFC3339); got != "2022-03-27T12:41:00Z" || c.msgs[0].Zone != "Asia/Tokyo" {
		t.Fatalf("tokyo: %s %s", got, c.msgs[0].Zone)
	}
	// Two identical messages in the same minute get two ids; an export
	// that overlaps (starts later) gives the shared messages the same ids.
	if c.msgs[0].ID == c.msgs[1].ID {
		t.Fatal("identical messages share an id")
	}
	later, _ := read(t, "x.txt", "27/03/2022, 21:41 - Ann: hi\n27/03/2022, 21:41 - Ann: hi\n27/03/2022, 21:42 - Bob: yo\n27/03/2022, 21:43 - Bob: more\n", capture.Options{Zone: tokyo})
	for i := range c.msgs {
		if c.msgs[i].ID != later.msgs[i].ID {
			t.Fatalf("message %d: id differs between overlapping exports", i)
		}
	}
	tail, _ := read(t, "x.txt", "27/03/2022, 21:42 - Bob: yo\n", capture.Options{Zone: tokyo})
	if tail.msgs[0].ID != c.msgs[2].ID {
		t.Fatal("an export starting later gives a shared message another id")
	}
	// Another custodian's chat of the same name is another conversation.
	other, _ := read(t, "x.txt", chat, capture.Options{Zone: tokyo, Custodian: "ann-phone"})
	if other.conv.ID != "whatsapp:ann-phone/x" || other.msgs[0].Conversation != other.conv.ID || other.msgs[0].ID == c.msgs[0].ID {
		t.Fatalf("custodian: %s %s", other.conv.ID, other.msgs[0].ID)
	}
}

func TestBadLines(t *testing.T) {
	chat := "garbage before the chat\n31/02/2022, 10:00 - A: impossible date\ncontinues it\n27/03/2022, 21:41 - A: fine\n"
	c, st := read(t, "x.txt", chat, capture.Options{Zone: time.UTC})
	if st.Bad != 2 || st.Errors[0].Line != 1 || st.Errors[1].Line != 2 || len(c.msgs) != 1 {
		t.Fatalf("stats %+v, %d messages: %v", st, len(c.msgs), st.Errors)
	}
	path := filepath.Join(t.TempDir(), "x.txt")
	os.WriteFile(path, []byte(chat), 0o600)
	_, err := Read(path, &collect{}, capture.Options{Strict: true})
	var le *capture.LineError
	if !errors.As(err, &le) || le.Line != 1 {
		t.Fatalf("strict: %v", err)
	}
}

// Three zip layouts: iOS (_chat.txt and media at the root), Android
// ("WhatsApp Chat with ….txt" and media), and a folder inside the zip.
func TestZip(t *testing.T) {
	photo := []byte("\xff\xd8\xff fake jpeg")
	sum := sha256.Sum256(photo)
	for _, l := range []struct{ zipName, chat, media, line string }{
		{"WhatsApp Chat - Desk.zip", "_chat.txt", "00000035-PHOTO-2022-03-27-21-41-00.jpg", "[27/03/2022, 21:41:00] Ann: \u200e<attached: 00000035-PHOTO-2022-03-27-21-41-00.jpg>\n"},
		{"export.zip", "WhatsApp Chat with Desk.txt", "IMG-20220327-WA0001.jpg", "27/03/2022, 21:41 - Ann: IMG-20220327-WA0001.jpg (file attached)\n"},
		{"WhatsApp Chat - Desk.zip", "Desk/_chat.txt", "Desk/IMG-20220327-WA0001.jpg", "27/03/2022, 21:41 - Ann: IMG-20220327-WA0001.jpg (file attached)\n"},
	} {
		path := filepath.Join(t.TempDir(), l.zipName)
		f, _ := os.Create(path)
		zw := zip.NewWriter(f)
		w, _ := zw.Create(l.chat)
		w.Write([]byte(l.line))
		w, _ = zw.Create(l.media)
		w.Write(photo)
		zw.Close()
		f.Close()
		if ok, why := Sniff(path); !ok {
			t.Fatalf("%s: sniff: %s", l.chat, why)
		}
		var c collect
		st, err := Read(path, &c, capture.Options{Zone: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		a := c.msgs[0].Attachments[0]
		if st.Messages != 1 || c.conv.ID != "whatsapp:Desk" || a.Size != int64(len(photo)) || a.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("%s: conv %s, attachment %+v", l.chat, c.conv.ID, a)
		}
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("27/03/2022, 21:41 - Ann: hi\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Dear diary,\ntoday nothing.\n"), 0o600)
	if ok, why := Sniff(filepath.Join(dir, "a.txt")); !ok {
		t.Fatal(why)
	}
	if ok, why := Sniff(filepath.Join(dir, "b.txt")); ok || !strings.Contains(why, "no line") {
		t.Fatalf("%v %s", ok, why)
	}
	// Lines longer than the sniffing buffer count once each.
	long := "27/03/2022, 21:41 - Ann: " + strings.Repeat("x", 20000) + "\n"
	os.WriteFile(filepath.Join(dir, "c.txt"), []byte(long+long+"27/03/2022, 21:42 - Bo: ok\n"+strings.Repeat("more\n", 4)), 0o600)
	if ok, why := Sniff(filepath.Join(dir, "c.txt")); !ok || !strings.Contains(why, "3 of the first 7 lines") {
		t.Fatalf("long lines: %v %s", ok, why)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("27/03/2022, 21:41 - Ann: hi\nmore\n[3/27/22, 9:41:55 PM] Bob: \u200e<attached: x.jpg>\n"))
	f.Add([]byte("٢٧/٣/٢٠٢٢، ٩:٤١ م - Ann: مرحبا\n2022. 3. 27. 오후 9:41 - Ann: 안녕\n"))
	f.Add([]byte("[R4/03/27 21:41:55] A: b\n27.3.2022 klo 21.41 - A: b\n21:41, 27/03/2022 - A: b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "f.txt")
		os.WriteFile(path, b, 0o600)
		var c collect
		st, err := Read(path, &c, capture.Options{Zone: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.msgs {
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		if st.Messages != len(c.msgs) {
			t.Fatal("count")
		}
	})
}

// generate writes an Android export of n messages.
func generate(tb testing.TB, n int) (string, int64) {
	path := filepath.Join(tb.TempDir(), "big.txt")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufioWriter(f)
	t := time.Date(2021, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		t = t.Add(37 * time.Second)
		fmt.Fprintf(w, "%d/%d/%02d, %d:%02d - Hugo Chen: message number %d about the quarterly numbers\n", t.Day(), t.Month(), t.Year()%100, t.Hour(), t.Minute(), i)
		if i%20 == 0 {
			fmt.Fprintf(w, "a second line\n")
		}
	}
	w.Flush()
	f.Close()
	fi, _ := os.Stat(path)
	return path, fi.Size()
}

// counter counts messages and keeps none: a capture.Copier, like the
// vault's Ingester and sealctl parse, so the importer refills one message.
type counter struct{ n int }

func (c *counter) Conversation(*capture.Conversation) error { return nil }
func (c *counter) Message(*capture.Message) error           { c.n++; return nil }
func (c *counter) CopiesMessages()                          {}

func BenchmarkRead(b *testing.B) {
	const n = 200000
	path, size := generate(b, n)
	b.SetBytes(size)
	for b.Loop() {
		var c counter
		if _, err := Read(path, &c, capture.Options{Zone: time.UTC}); err != nil || c.n != n {
			b.Fatal(err, c.n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// TestASCIIFastPath checks that the fast path for common headers reads
// every header it accepts as the general scanner does, on random headers
// made of the pieces both handle.
func TestASCIIFastPath(t *testing.T) {
	pieces := []string{"1", "9", "12", "27", "03", "2022", "22", "59", "0", "123", "12345", "/", ".", "-", ":", ",", " ", "  ",
		"\u202f", "\u00a0", "AM", "PM", "am", "pm", "Am", "a", "p", "m", "p. m.", "x", "klo", "R", "\u200e", "٢"}
	// Half the headers are real layouts with random pieces swapped in.
	layouts := [][]string{
		{"27", "/", "03", "/", "2022", ",", " ", "21", ":", "41"},
		{"3", "/", "27", "/", "22", ",", " ", "9", ":", "41", "\u202f", "PM"},
		{"27", ".", "03", ".", "22", " ", "21", ":", "41", ":", "59"},
		{"21", ":", "41", ",", " ", "27", "/", "03", "/", "2022"},
		{"2022", "-", "03", "-", "27", " ", "9", ":", "41", " ", "am"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	handled, headers := 0, 0
	for range 200000 {
		var b []byte
		if l := layouts[r.IntN(len(layouts))]; r.IntN(2) == 0 {
			for _, p := range l {
				if r.IntN(8) == 0 {
					p = pieces[r.IntN(len(pieces))]
				}
				b = append(b, p...)
			}
		} else {
			for range 1 + r.IntN(14) {
				b = append(b, pieces[r.IntN(len(pieces))]...)
			}
		}
		var buf [6]number
		nums, pm, ok := asciiNums(b, buf[:0])
		if !ok {
			continue
		}
		handled++
		fast := header{fam: android, pm: pm}
		fastOK := fast.fill(nums, 0)
		general := header{fam: android}
		if generalOK := general.parseGeneral(b); fastOK != generalOK || fastOK && !reflect.DeepEqual(fast, general) {
			t.Fatalf("%q: fast %v %+v, general %v %+v", b, fastOK, fast, generalOK, general)
		}
		if fastOK {
			headers++
		}
	}
	if handled < 20000 || headers < 10000 {
		t.Fatalf("only %d headers took the fast path, %d of them valid", handled, headers)
	}
	t.Logf("%d took the fast path, %d of them valid headers", handled, headers)
}

// TestOccurrences checks capture.Occurrences, which numbers the repeats
// StableID separates, against a map of every message of each instant,
// with instants that hold more distinct messages than its short list.
func TestOccurrences(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var o capture.Occurrences
	var now time.Time
	want := map[[2]string]int64{}
	for i := range 100000 {
		if r.IntN(30) == 0 {
			now = now.Add(time.Minute)
			clear(want)
		}
		sender, text := fmt.Sprint(r.IntN(3)), fmt.Sprint(r.IntN(1+r.IntN(20)))
		k := [2]string{sender, text}
		want[k]++
		if got := o.Next(now, sender, text); got != want[k] {
			t.Fatalf("message %d (%q at %v): occurrence %d, want %d", i, k, now, got, want[k])
		}
	}
}

// TestMayBePlaceholder checks that the first test classify makes never
// turns away a line that a placeholder table or isIOSOmitted would match.
func TestMayBePlaceholder(t *testing.T) {
	var keys []string
	for _, set := range []map[string]bool{omitted, deleted} {
		for k := range set {
			keys = append(keys, k)
		}
	}
	pieces := []string{"a", "D", "d", ".", "..", " ", "é", "É", "\u212a", "\u0130", "\xff", "<", ">", "x", "O", " omitted", " OMITTED"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 200000 {
		var s string
		switch r.IntN(3) {
		case 0: // a key with its case changed here and there
			b := []rune(keys[r.IntN(len(keys))])
			for i := range b {
				if r.IntN(3) == 0 {
					b[i] = []rune(strings.ToUpper(string(b[i])))[0]
				}
			}
			s = string(b)
		case 1:
			s = keys[r.IntN(len(keys))]
		}
		for range r.IntN(4) {
			if p := pieces[r.IntN(len(pieces))]; r.IntN(2) == 0 {
				s = p + s
			} else {
				s += p
			}
		}
		lower := strings.ToLower(s)
		if match := omitted[lower] || isIOSOmitted(lower) || deleted[strings.TrimRight(lower, ".")]; match && !mayBePlaceholder(s) {
			t.Fatalf("%q matches a placeholder, mayBePlaceholder says no", s)
		}
	}
}

// TestSameDate checks what dayOrders relies on to skip a line: a line
// that starts with the last header's date is no header, or one with that
// date and layout, or a year-first one.
func TestSameDate(t *testing.T) {
	lines := []string{"27/03/2022, 21:41 - ", "3/27/22, 9:41\u202fPM - ", "27.03.22, 21:41 - ", "27/3/22, 9:41 p. m. - ",
		"[27/03/2022, 21:41:55] ", "[3/27/22, 9:41:55 PM] ", "\u200e[27.03.22, 21:41:55] ", "27-03-2022 21:41 - ", "27.3.2022 klo 21.41 - ", "1/1/19, 9:00 AM - "}
	pieces := []string{"1", "9", "95", "00", "12", "2022", "/", ".", "-", ":", ",", " ", " - ", "]", "[", "\u202f", "AM", "R", "a", "٢", "\u200e", "Ann: hi"}
	r := rand.New(rand.NewPCG(7, 8))
	checked := 0
	for range 200000 {
		first := lines[r.IntN(len(lines))]
		last, ok := parseLine([]byte(first + "A: b"))
		n := datePrefix([]byte(first))
		if !ok || n == 0 {
			t.Fatalf("%q: header %v, date prefix %d", first, ok, n)
		}
		// The rest of the line: the original header's, changed here and
		// there, or pieces.
		rest := first[n:]
		if r.IntN(2) == 0 {
			rest = ""
			for range r.IntN(10) {
				rest += pieces[r.IntN(len(pieces))]
			}
		} else if i := r.IntN(len(rest) + 1); r.IntN(2) == 0 {
			rest = rest[:i] + pieces[r.IntN(len(pieces))] + rest[i:]
		}
		line := []byte(first[:n] + rest + "A: b")
		if !sameDate(line, []byte(first[:n])) {
			continue
		}
		hd, ok := parseLine(line)
		if !ok || hd.sig.yearFirst {
			continue
		}
		checked++
		if hd.sig != last.sig || hd.a != last.a || hd.b != last.b || hd.y != last.y {
			t.Fatalf("%q after %q: %+v, want the date of %+v", line, first, hd, last)
		}
	}
	if checked < 20000 {
		t.Fatalf("only %d headers checked", checked)
	}
}

// TestDayStart checks the shortcut the parser takes around time.Date:
// wherever dayStart.at answers, it answers as time.Date, in zones with
// daylight saving (changes at night, at midnight, by half an hour, a
// skipped day), for every 10 minutes of the days around each change, and
// at random.
func TestDayStart(t *testing.T) {
	zones := []string{"UTC", "Local", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Havana",
		"Asia/Gaza", "America/Sao_Paulo", "Pacific/Apia", "Asia/Tehran", "America/Santiago", "Africa/Casablanca"}
	r := rand.New(rand.NewPCG(9, 10))
	answered, checked := 0, 0
	try := func(c *dayStart, loc *time.Location, y, mo, d, h, m, s int) {
		t.Helper()
		checked++
		hd := header{sig: signature{yearFirst: true}, y: y, a: mo, b: d, h: h, m: m, s: s}
		want, wantOK := hd.date(true, loc)
		got, ok := c.at(y, mo, d, h, m, s, loc)
		if !ok {
			return
		}
		answered++
		if !wantOK || !got.Equal(want) || got.Location() != want.Location() {
			t.Fatalf("%s %d-%02d-%02d %02d:%02d:%02d: at %v, time.Date %v %v", loc, y, mo, d, h, m, s, got, want, wantOK)
		}
	}
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("no zone %s: %v", name, err)
			continue
		}
		if name == "UTC" {
			loc = time.UTC
		}
		var c dayStart
		// Every change of offset from 1990 to 2045, and the days around it.
		for tm := time.Date(1990, 1, 1, 0, 0, 0, 0, loc); tm.Year() < 2045; {
			_, end := tm.ZoneBounds()
			if end.IsZero() {
				break
			}
			if !end.After(tm) { // zones past their last listed change end a span at each new year
				tm = tm.Add(time.Hour)
				continue
			}
			for day := -1; day <= 1; day++ {
				y, mo, d := end.AddDate(0, 0, day).Date()
				for min := 0; min < 24*60; min += 10 {
					try(&c, loc, y, int(mo), d, min/60, min%60, r.IntN(60))
				}
			}
			tm = end
		}
		for range 50000 {
			try(&c, loc, 1990+r.IntN(211), 1+r.IntN(12), 1+r.IntN(31), r.IntN(24), r.IntN(60), r.IntN(60))
		}
	}
	if answered < checked/2 {
		t.Fatalf("dayStart answered %d of %d", answered, checked)
	}
	t.Logf("dayStart answered %d of %d", answered, checked)
}

// copying is a capture.Copier: it keeps copies, and checks that it is
// given one message, refilled.
type copying struct {
	msgs []capture.Message
	last *capture.Message
	new  int // messages given at a new address
}

func (c *copying) CopiesMessages()                          {}
func (c *copying) Conversation(*capture.Conversation) error { return nil }
func (c *copying) Message(m *capture.Message) error {
	if m != c.last {
		c.new++
		c.last = m
	}
	c.msgs = append(c.msgs, *m)
	return nil
}

// TestCopier checks that a capture.Copier, given one message refilled,
// gets what a sink that keeps the pointers gets, system notices, replies
// to nothing and attachments included.
func TestCopier(t *testing.T) {
	path, _ := generate(t, 3000)
	extra := "27/03/2022, 21:40 - Ann created group \"Desk\"\n27/03/2022, 21:42 - Bob: IMG-20220327-WA0001.jpg (file attached)\ncaption\n" +
		"27/03/2022, 21:43 - Bob: <Media omitted>\n27/03/2022, 21:44 - Ann: This message was deleted\n27/03/2022, 21:45 - Bob: hello\n"
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(b, extra...), 0o600); err != nil {
		t.Fatal(err)
	}
	var kept collect
	var copied copying
	for _, sink := range []capture.Sink{&kept, &copied} {
		if _, err := Read(path, sink, capture.Options{Zone: time.UTC, DayOrder: capture.DaysFirst}); err != nil {
			t.Fatal(err)
		}
	}
	if len(kept.msgs) != 3005 || len(copied.msgs) != len(kept.msgs) || copied.new != 1 {
		t.Fatalf("%d and %d messages, %d addresses", len(kept.msgs), len(copied.msgs), copied.new)
	}
	for i, m := range kept.msgs {
		if !reflect.DeepEqual(*m, copied.msgs[i]) {
			t.Fatalf("message %d: %+v, copied %+v", i, *m, copied.msgs[i])
		}
	}
}
