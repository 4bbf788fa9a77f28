package corpus

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"sealroom/capture"
	"sealroom/capture/jsonl"
)

// corpusOnce shares one generated corpus between the tests that only read.
var corpusOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "corpus-test-")
	if err != nil {
		return "", err
	}
	_, err = Generate(Config{Messages: testMessages, Seed: 42, Out: dir})
	return dir, err
})

const testMessages = 20000

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := corpusOnce(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func sharedCorpus(t *testing.T) string {
	t.Helper()
	dir, err := corpusOnce()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// readTree returns every file under dir by its relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	gen := func(seed uint64) map[string][]byte {
		dir := t.TempDir()
		if _, err := Generate(Config{Messages: 3000, Seed: seed, Out: dir}); err != nil {
			t.Fatal(err)
		}
		return readTree(t, dir)
	}
	a, b, c := gen(7), gen(7), gen(8)
	if len(a) != len(b) {
		t.Fatalf("same seed: %d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("same seed, different bytes in %s", name)
		}
	}
	for _, name := range []string{"labels.jsonl", "jsonl/messages.jsonl", "telegram/result.json"} {
		if bytes.Equal(a[name], c[name]) {
			t.Errorf("seeds 7 and 8 wrote the same %s", name)
		}
	}
}

var (
	androidHeader = regexp.MustCompile(`^(\d{2})/(\d{2})/(\d{2}), ([01]\d|2[0-3]):([0-5]\d) - `)
	androidLine   = regexp.MustCompile(`^\d{2}/\d{2}/\d{2}, \d{2}:\d{2} - (?:[^:\n]+: .+|[^:\n]+ (?:created group ".+"|added .+|left))$`)
	iosHeader     = regexp.MustCompile(`^\x{200e}?\[(\d{2})/(\d{2})/(\d{2}), ([01]\d|2[0-3]):([0-5]\d):([0-5]\d)\] `)
	iosLine       = regexp.MustCompile(`^\x{200e}?\[\d{2}/\d{2}/\d{2}, \d{2}:\d{2}:\d{2}\] [^:\n]+: .+$`)
	weChatHeader  = regexp.MustCompile(`^.+ \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\):|^System Message: `)
)

// countLines counts the lines of the files matching glob under dir that
// start a message, checking each such line against full.
func countLines(t *testing.T, dir, glob string, header, full *regexp.Regexp, skip int) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, glob))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s under %s (%v)", glob, dir, err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if !header.MatchString(lines[skip]) {
			t.Errorf("%s: first line %q is not a message header", f, lines[skip])
		}
		for i, l := range lines[skip:] {
			if !header.MatchString(l) {
				continue // a continuation line
			}
			n++
			if m := header.FindStringSubmatch(l); len(m) > 2 && (m[1] > "31" || m[2] > "12") {
				t.Errorf("%s:%d: date out of range: %q", f, i+1+skip, l)
			}
			if full != nil && !full.MatchString(l) {
				t.Errorf("%s:%d: %q does not have the header shape", f, i+1+skip, l)
			}
		}
	}
	return n
}

func TestCountsPerFormat(t *testing.T) {
	t.Parallel()
	dir := sharedCorpus(t)
	var m Manifest
	if b, err := os.ReadFile(filepath.Join(dir, "corpus.json")); err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("corpus.json: %v", err)
	}
	for _, f := range Formats {
		if m.Counts[f] != testMessages {
			t.Errorf("manifest: %s has %d messages, want %d", f, m.Counts[f], testMessages)
		}
	}
	total := 0
	for _, c := range m.Conversations {
		total += c.Messages
		if c.Zone == "" {
			t.Errorf("conversation %s has no zone", c.ID)
		}
	}
	if total != testMessages {
		t.Errorf("manifest conversations hold %d messages, want %d", total, testMessages)
	}

	counts := map[string]int{
		"whatsapp-android": countLines(t, filepath.Join(dir, "whatsapp-android"), "*/WhatsApp Chat with *.txt", androidHeader, androidLine, 0),
		"whatsapp-ios":     countLines(t, filepath.Join(dir, "whatsapp-ios"), "*/_chat.txt", iosHeader, iosLine, 0),
		"wechat-txt":       countLines(t, filepath.Join(dir, "wechat-txt"), "*/*.txt", weChatHeader, nil, 2),
		"telegram":         countTelegram(t, filepath.Join(dir, "telegram", "result.json")),
		"slack":            countSlack(t, filepath.Join(dir, "slack")),
		"signal":           countSignal(t, filepath.Join(dir, "signal")),
		"wechat-csv":       countWeChatCSV(t, filepath.Join(dir, "wechat-csv")),
		"jsonl":            len(readJSONL(t, filepath.Join(dir, "jsonl", "messages.jsonl"))),
	}
	for f, n := range counts {
		if n != testMessages {
			t.Errorf("%s: counted %d messages, want %d", f, n, testMessages)
		}
	}
}

func countTelegram(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var export struct {
		Chats struct {
			List []struct {
				Name     string
				Type     string
				ID       int64
				Messages []struct {
					ID           int64
					Type         string
					Date         string
					DateUnixtime string `json:"date_unixtime"`
					From         string
					Actor        string
					Text         json.RawMessage
					TextEntities []struct{ Type, Text string } `json:"text_entities"`
				}
			}
		}
	}
	if err := json.Unmarshal(b, &export); err != nil {
		t.Fatalf("result.json: %v", err)
	}
	n := 0
	for _, c := range export.Chats.List {
		for i, m := range c.Messages {
			n++
			if m.ID != int64(i+1) || m.DateUnixtime == "" || (m.From == "") == (m.Actor == "") {
				t.Errorf("chat %d message %d: bad id, date or author: %+v", c.ID, i, m)
			}
			var joined strings.Builder
			for _, e := range m.TextEntities {
				joined.WriteString(e.Text)
			}
			var s string
			if json.Unmarshal(m.Text, &s) == nil && s != joined.String() {
				t.Errorf("chat %d message %d: text %q, entities %q", c.ID, m.ID, s, joined.String())
			}
		}
	}
	return n
}

func countSlack(t *testing.T, dir string) int {
	for _, f := range []string{"users.json", "channels.json", "dms.json"} {
		var v []map[string]any
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || json.Unmarshal(b, &v) != nil || len(v) == 0 {
			t.Errorf("%s: unreadable or empty (%v)", f, err)
		}
	}
	days, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	n := 0
	seen := map[string]bool{}
	for _, d := range days {
		b, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []struct{ Type, User, Text, Ts string }
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		for _, m := range msgs {
			key := filepath.Dir(d) + "/" + m.Ts
			if seen[key] || m.User == "" || m.Type != "message" {
				t.Errorf("%s: duplicate ts or no user: %+v", d, m)
			}
			seen[key] = true
			n++
		}
	}
	return n
}

func countSignal(t *testing.T, dir string) int {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "data.json"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			var m struct {
				Date, Sender, Body string
				Attachments        []struct{ Name, Path string }
			}
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%s: %v in %q", f, err, line)
			}
			if _, err := time.Parse("2006-01-02T15:04:05", m.Date); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			n++
		}
	}
	return n
}

func countWeChatCSV(t *testing.T, dir string) int {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*_utf8.csv"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\ufeff")) {
			t.Errorf("%s: no BOM", f)
		}
		rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if strings.Join(rows[0], ",") != strings.Join(weChatCSVHeader, ",") {
			t.Errorf("%s: header %v", f, rows[0])
		}
		n += len(rows) - 1
	}
	return n
}

type collect struct {
	convs map[string]*capture.Conversation
	msgs  []*capture.Message
}

func (c *collect) Conversation(cv *capture.Conversation) error { c.convs[cv.ID] = cv; return nil }
func (c *collect) Message(m *capture.Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	c.msgs = append(c.msgs, m)
	return nil
}

// readJSONL reads a JSONL export strictly; every message must validate.
func readJSONL(t *testing.T, path string) []*capture.Message {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := &collect{convs: map[string]*capture.Conversation{}}
	st, err := jsonl.Read(f, path, c, jsonl.Options{Strict: true})
	if err != nil || st.Bad != 0 {
		t.Fatalf("jsonl.Read: %v (%d bad lines)", err, st.Bad)
	}
	for _, m := range c.msgs {
		if c.convs[m.Conversation] == nil {
			t.Fatalf("message %s of unknown conversation %s", m.ID, m.Conversation)
		}
	}
	return c.msgs
}

// TestLabelsMatchJSONL checks labels.jsonl against the JSONL export: every
// label names a message whose text carries what the label says.
func TestLabelsMatchJSONL(t *testing.T) {
	t.Parallel()
	dir := sharedCorpus(t)
	texts := map[[2]string]string{}
	for _, m := range readJSONL(t, filepath.Join(dir, "jsonl", "messages.jsonl")) {
		texts[[2]string{m.Conversation, m.ID}] = m.Text
	}
	f, err := os.Open(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		var l Label
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("labels line %d: %v", n, err)
		}
		text, ok := texts[[2]string{l.Conversation, l.ID}]
		if !ok {
			t.Fatalf("label %d names no message: %s %s", n, l.Conversation, l.ID)
		}
		checkLabel(t, &l, text)
	}
	if n == 0 {
		t.Fatal("labels.jsonl is empty")
	}
}

// checkLabel checks one label against its message text.
func checkLabel(t *testing.T, l *Label, text string) {
	t.Helper()
	for _, r := range l.Risk {
		if !strings.Contains(text, r.Written) {
			t.Errorf("%s/%s: planted %q not in %q", l.Conversation, l.ID, r.Written, text)
		}
		if (r.Obfuscation == ObfNone) != (r.Written == r.Phrase) {
			t.Errorf("%s/%s: obfuscation %s but written %q for %q", l.Conversation, l.ID, r.Obfuscation, r.Written, r.Phrase)
		}
		if !containsString(riskLexicon[r.Language], r.Phrase) {
			t.Errorf("%s/%s: %q is not in the %s lexicon", l.Conversation, l.ID, r.Phrase, r.Language)
		}
	}
	for _, p := range l.PII {
		if !strings.Contains(text, p.Value) {
			t.Errorf("%s/%s: PII %q not in %q", l.Conversation, l.ID, p.Value, text)
		}
		if !validPII(p) {
			t.Errorf("%s/%s: invalid %s %q", l.Conversation, l.ID, p.Type, p.Value)
		}
	}
	if l.Canary != "" && !strings.Contains(text, l.Canary) {
		t.Errorf("%s/%s: canary %q not in %q", l.Conversation, l.ID, l.Canary, text)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func validPII(p PII) bool {
	switch p.Type {
	case PIICard:
		d := onlyDigits(p.Value)
		return (len(d) == 15 || len(d) == 16) && validLuhn(d)
	case PIIIBAN:
		return validIBAN(p.Value)
	case PIICNID:
		return validCNID(p.Value)
	case PIICPF:
		return validCPF(p.Value)
	case PIIAadhaar:
		return validAadhaar(p.Value)
	case PIISSN:
		return validSSN(p.Value)
	case PIIEmail:
		return emailRe.MatchString(p.Value)
	case PIIPhone:
		return phoneRe.MatchString(p.Value)
	}
	return false
}

// TestStreamLabels runs a large stream without files: every label checks
// out, canaries are unique, rates are near their targets, and every
// language, PII type and obfuscation occurs.
func TestStreamLabels(t *testing.T) {
	t.Parallel()
	const n = 200000
	canaries := map[string]bool{}
	types, obfs, langs := map[string]int{}, map[string]int{}, map[string]int{}
	var risky, pii, att, multi, system, labelled int
	err := Stream(99, n, func(c *capture.Conversation, m *capture.Message, l *Label) error {
		if m.Conversation != c.ID {
			t.Fatalf("message %s in %s handed with conversation %s", m.ID, m.Conversation, c.ID)
		}
		if len(m.Attachments) > 0 {
			att++
		}
		if strings.Contains(m.Text, "\n") {
			multi++
		}
		if m.Kind == capture.KindSystem {
			system++
		}
		if l == nil {
			return nil
		}
		labelled++
		if l.Conversation != m.Conversation || l.ID != m.ID {
			t.Fatalf("label %s/%s on message %s/%s", l.Conversation, l.ID, m.Conversation, m.ID)
		}
		checkLabel(t, l, m.Text)
		if len(l.Risk) > 0 {
			risky++
		}
		if len(l.PII) > 0 {
			pii++
		}
		for _, r := range l.Risk {
			obfs[r.Obfuscation]++
			langs[r.Language]++
		}
		for _, p := range l.PII {
			types[p.Type]++
		}
		if l.Canary != "" {
			if canaries[l.Canary] {
				t.Errorf("canary %s twice", l.Canary)
			}
			canaries[l.Canary] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	near := func(what string, got int, rate float64) {
		if want := rate * n; float64(got) < want*0.7 || float64(got) > want*1.3 {
			t.Errorf("%s: %d messages, want about %.0f", what, got, want)
		}
	}
	near("risk", risky, rateRisk)
	near("pii", pii, ratePII)
	near("canary", len(canaries), rateCanary)
	near("attachments", att, rateAttachment)
	near("multi-line", multi, rateMultiline+ratePII/2) // PII is often on a line of its own
	if system == 0 {
		t.Error("no system notices")
	}
	for _, typ := range []string{PIIEmail, PIIPhone, PIICard, PIIIBAN, PIICNID, PIICPF, PIIAadhaar, PIISSN} {
		if types[typ] == 0 {
			t.Errorf("no %s planted", typ)
		}
	}
	for _, o := range []string{ObfNone, ObfLeet, ObfDotted, ObfSpaced, ObfHomoglyph, ObfFullwidth, ObfZWJ} {
		if obfs[o] == 0 {
			t.Errorf("no %s obfuscation", o)
		}
	}
	for _, l := range Languages {
		if langs[l] == 0 {
			t.Errorf("no risk phrase in %s", l)
		}
	}
	t.Logf("%d labelled, %d risk %v, %d PII %v, %d canaries", labelled, risky, obfs, pii, types, len(canaries))
}

// TestCanariesInEveryFormat: every canary of labels.jsonl is in the
// plaintext of every format, so a disk scan for it finds a leak whatever
// was imported.
func TestCanariesInEveryFormat(t *testing.T) {
	t.Parallel()
	dir := sharedCorpus(t)
	var canaries []string
	b, err := os.ReadFile(filepath.Join(dir, "labels.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		var l Label
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if l.Canary != "" {
			canaries = append(canaries, l.Canary)
		}
	}
	if len(canaries) == 0 {
		t.Fatal("no canaries")
	}
	for _, f := range Formats {
		var all bytes.Buffer
		for _, data := range readTree(t, filepath.Join(dir, f)) {
			all.Write(data)
		}
		for _, c := range canaries {
			if !bytes.Contains(all.Bytes(), []byte(c)) {
				t.Errorf("%s: canary %s missing", f, c)
			}
		}
	}
}

func TestStreamMatchesGenerate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Generate(Config{Messages: 2000, Seed: 5, Out: dir, Formats: []string{"jsonl"}}); err != nil {
		t.Fatal(err)
	}
	written := readJSONL(t, filepath.Join(dir, "jsonl", "messages.jsonl"))
	i := 0
	err := Stream(5, 2000, func(_ *capture.Conversation, m *capture.Message, _ *Label) error {
		w := written[i]
		i++
		if w.ID != m.ID || w.Conversation != m.Conversation || w.Text != m.Text || !w.Time.Equal(m.Time) || w.Zone != m.Zone {
			t.Fatalf("message %d: stream %+v, file %+v", i, m, w)
		}
		return nil
	})
	if err != nil || i != len(written) {
		t.Fatalf("stream: %v after %d of %d", err, i, len(written))
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	if _, err := Generate(Config{Messages: 10, Out: t.TempDir(), Formats: []string{"fax"}}); !errors.Is(err, ErrFormat) {
		t.Errorf("unknown format: %v", err)
	}
	if _, err := Generate(Config{Messages: 10}); err == nil {
		t.Error("no output folder: no error")
	}
	stop := errors.New("stop")
	calls := 0
	if err := Stream(1, 1000, func(*capture.Conversation, *capture.Message, *Label) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Stream: %v after %d calls", err, calls)
	}
	// A file where a format's folder should be: the writer fails, Generate reports it.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "signal"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(Config{Messages: 100, Out: dir, Formats: []string{"signal"}}); err == nil {
		t.Error("unwritable format folder: no error")
	}
}

func TestSmallCorpora(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 7} {
		dir := t.TempDir()
		m, err := Generate(Config{Messages: n, Seed: 3, Out: dir})
		if err != nil {
			t.Fatalf("%d messages: %v", n, err)
		}
		for _, f := range Formats {
			if m.Counts[f] != n {
				t.Errorf("%d messages: %s wrote %d", n, f, m.Counts[f])
			}
		}
		var v any
		b, _ := os.ReadFile(filepath.Join(dir, "telegram", "result.json"))
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%d messages: result.json: %v", n, err)
		}
	}
}

// TestMemoryBounded generates 200,000 messages in every format and samples
// the heap meanwhile.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200,000 messages in 8 formats")
	}
	const limit = 64 << 20
	done := make(chan struct{})
	var peak uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	_, err := Generate(Config{Messages: 200000, Seed: 11, Out: t.TempDir()})
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("peak HeapInuse %.1f MiB", float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak HeapInuse %d bytes, over %d", peak, limit)
	}
}

func BenchmarkGenerate(b *testing.B) {
	const n = 20000
	dir := b.TempDir()
	start := time.Now()
	for b.Loop() {
		if _, err := Generate(Config{Messages: n, Seed: 1, Out: dir}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "msgs/s")
}

func BenchmarkStream(b *testing.B) {
	const n = 20000
	start := time.Now()
	for b.Loop() {
		if err := Stream(1, n, func(*capture.Conversation, *capture.Message, *Label) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "msgs/s")
}

// Until leaves out the later messages, in every format alike, and the
// manifest counts what was written.
func TestUntil(t *testing.T) {
	dir := t.TempDir()
	until := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	m, err := Generate(Config{Messages: 3000, Seed: 4, Formats: []string{"jsonl", "whatsapp-android"}, Out: dir, Until: until})
	if err != nil {
		t.Fatal(err)
	}
	if m.Messages == 0 || m.Messages >= 3000 {
		t.Fatalf("%d messages written of 3000, want some left out", m.Messages)
	}
	if m.Counts["jsonl"] != m.Messages || m.Counts["whatsapp-android"] != m.Messages {
		t.Fatalf("counts %v, manifest %d", m.Counts, m.Messages)
	}
	sum := 0
	for _, c := range m.Conversations {
		sum += c.Messages
	}
	if sum != m.Messages {
		t.Fatalf("conversations hold %d messages, manifest %d", sum, m.Messages)
	}
	f, err := os.Open(filepath.Join(dir, "jsonl", "messages.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	_, err = jsonl.Read(f, "messages.jsonl", sinkFunc(func(msg *capture.Message) {
		n++
		if msg.Time.After(until) {
			t.Errorf("message %s at %v, after %v", msg.ID, msg.Time, until)
		}
	}), jsonl.Options{Strict: true})
	if err != nil || n != m.Messages {
		t.Fatalf("read %d messages (%v), want %d", n, err, m.Messages)
	}
}

type sinkFunc func(*capture.Message)

func (f sinkFunc) Conversation(*capture.Conversation) error { return nil }
func (f sinkFunc) Message(m *capture.Message) error         { f(m); return nil }
