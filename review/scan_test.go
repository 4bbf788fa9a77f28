package review

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"sealroom/capture"
	"sealroom/internal/corpus"
	"sealroom/review/redact"
)

func mustLoad(t testing.TB) *Scanner {
	t.Helper()
	s, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Findings come back as spans over the original text, obfuscated or not,
// in every pack language; clean chat is not flagged.
func TestScanLanguages(t *testing.T) {
	s := mustLoad(t)
	cases := []struct {
		text, category, term string // term: what a term span must cover in the original
	}{
		{"text me on my personal number", "off-channel", "text me on my personal"},
		{"t.e.x.t me on my p3rs0nal", "off-channel", "t.e.x.t me on my p3rs0nal"},
		{"老板说加我私人微信", "off-channel", "加我私人微信"},
		{"me chama no zap amanhã", "off-channel", "me chama no zap"},
		{"k1ckb4ck for the desk", "bribery", "k1ckb4ck"},
		{"ｋｉｃｋｂａｃｋ", "bribery", "ｋｉｃｋｂａｃｋ"},
		{"kісkbасk", "bribery", "kісkbасk"}, // Cyrillic і, а, с
		{"vamos por fora, caixa dois", "bribery", "caixa dois"},
		{"回扣的事情明天再说", "bribery", "回扣"},
		{"arreglamos con una mordida", "bribery", "mordida"},
		{"setting ho jayegi", "bribery", "setting ho jayegi"},
	}
	for _, c := range cases {
		r := s.Analyze(c.text, nil)
		ok := false
		for _, f := range r.Findings {
			if f.Category != c.category {
				continue
			}
			for _, sp := range f.Spans {
				if sp.Kind == redact.Term && strings.Contains(c.text[sp.Start:sp.End], c.term) {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("%q: no %s finding covering %q: %+v", c.text, c.category, c.term, r.Findings)
		}
	}
	for _, clean := range []string{"lunch?", "ok see you at 3", "the deck is on the shared drive", "收到，谢谢", "obrigado, até amanhã", "price looks fine to me"} {
		if r := s.Analyze(clean, nil); len(r.Findings) != 0 {
			t.Errorf("clean %q flagged: %+v", clean, r.Findings)
		}
	}
}

// Scan marks personal data and participants' names for redaction, names
// labeled with their pseudonyms; unflagged messages cost no PII pass.
func TestScanRedaction(t *testing.T) {
	s := mustLoad(t)
	p, err := redact.NewPseudonyms([]byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	c := &capture.Conversation{ID: "whatsapp:desk", Channel: "whatsapp", Participants: []capture.Participant{
		{ID: "+44 7700 900001", Name: "Hugo Chen"}, {ID: "+44 7700 900002", Name: "Ana Souza"}}}
	m := &capture.Message{Conversation: c.ID, ID: "1", Time: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), Sender: "+44 7700 900001",
		Kind: capture.KindMessage, Text: "Ana, text me on my personal: +44 7700 900123 or ana.souza@gmail.com"}
	fs := s.Scan(c, m, p)
	if len(fs) == 0 {
		t.Fatal("not flagged")
	}
	f := fs[0]
	for _, want := range []string{"PHONE", "EMAIL", "NAME"} {
		if !strings.Contains(strings.Join(f.Entities, ","), want) {
			t.Errorf("entities %v lack %s", f.Entities, want)
		}
	}
	for _, level := range []redact.Level{redact.Masked, redact.Redacted} {
		ex, err := redact.Make(level, m.Text, f.Spans, redact.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"7700", "gmail", "Ana,", "souza"} {
			if strings.Contains(ex.Text, leak) {
				t.Errorf("%s excerpt %q shows %q", level, ex.Text, leak)
			}
		}
		if !strings.Contains(ex.Text, p.Of("+44 7700 900002")) || !strings.Contains(ex.Text, "text me on my personal") {
			t.Errorf("%s excerpt %q lacks the pseudonym or the term", level, ex.Text)
		}
	}
	m.Text = "lunch at 1? call me on +44 7700 900123"
	if fs := s.Scan(c, m, p); fs != nil {
		t.Errorf("clean message flagged: %+v", fs)
	}
}

// A Worker finds what the Scanner finds, message after message, though it
// reuses the memory of its findings.
func TestWorker(t *testing.T) {
	s := mustLoad(t)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	w := s.Worker()
	flagged := 0
	err := corpus.Stream(5, 20000, func(c *capture.Conversation, m *capture.Message, _ *corpus.Label) error {
		want := s.Scan(c, m, p)
		got := w.Scan(c, m, p)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("message %s: worker %+v, scanner %+v", m.ID, got, want)
		}
		if len(got) > 0 {
			flagged++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if flagged < 100 {
		t.Fatalf("only %d flagged messages", flagged)
	}
}

// The Scanner is shared by the import's sealing goroutines.
func TestScanConcurrent(t *testing.T) {
	s := mustLoad(t)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &capture.Conversation{ID: "c" + string(rune('a'+g)), Participants: []capture.Participant{{ID: "x", Name: "Hugo Chen"}}}
			for range 200 {
				m := &capture.Message{Text: "Hugo: k1ckb4ck to 4111 1111 1111 1111 tomorrow", Sender: "x"}
				fs := s.Scan(c, m, p)
				if len(fs) == 0 || !strings.Contains(strings.Join(fs[0].Entities, ","), "CARD") {
					t.Errorf("goroutine %d: %+v", g, fs)
					return
				}
			}
		}()
	}
	wg.Wait()
}

var benchTexts = map[string][]string{
	"English": {"ok see you at the desk at 3", "can you send me the numbers before the close?", "text me on my personal, this is off the books",
		"price looks off to me, who approved the trade", "lunch?", "meeting moved to room 4, bring the deck"},
	"Chinese": {"收到，谢谢", "明天开会前把数据发给我", "加我私人微信，回扣的事情别留记录", "价格看起来不对，谁批准的交易", "午饭吃什么？", "会议改到四号会议室"},
	"Mixed": {"ok 收到 see you at 3", "manda o relatório antes do fechamento", "me chama no zap, caixa dois", "mándame los números antes del cierre",
		"kal meeting hai, setting ho jayegi", "price looks off 价格不对"},
}

// BenchmarkScan: the whole scan of a message (normalization, every pack,
// and PII detection on flagged ones), one core.
func BenchmarkScan(b *testing.B) {
	s := mustLoad(b)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	c := &capture.Conversation{ID: "c", Participants: []capture.Participant{{ID: "x", Name: "Hugo Chen"}}}
	for _, lang := range []string{"English", "Chinese", "Mixed"} {
		b.Run(lang, func(b *testing.B) {
			texts := benchTexts[lang]
			size := 0
			for _, t := range texts {
				size += len(t)
			}
			b.SetBytes(int64(size))
			m := &capture.Message{Sender: "x"}
			w := s.Worker() // as the vault's sealing goroutines scan
			for b.Loop() {
				for _, t := range texts {
					m.Text = t
					w.Scan(c, m, p)
				}
			}
			b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkScanCorpus scans 20,000 messages of the synthetic corpus (all
// six languages, with its planted risk phrases and PII), one core.
func BenchmarkScanCorpus(b *testing.B) {
	s := mustLoad(b)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	type pair struct {
		c *capture.Conversation
		m *capture.Message
	}
	var msgs []pair
	size := 0
	err := corpus.Stream(77, 20000, func(c *capture.Conversation, m *capture.Message, _ *corpus.Label) error {
		cc, mm := *c, *m
		msgs = append(msgs, pair{&cc, &mm})
		size += len(m.Text)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	w := s.Worker()
	for b.Loop() {
		for _, x := range msgs {
			w.Scan(x.c, x.m, p)
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}

// FuzzScan: whatever the text, the scanner's spans lie on rune boundaries
// inside it, and every redaction level makes an excerpt from them.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{"text me on my personal +44 7700 900123", "加我私人微信 回.扣", "k1ckb4ck ｋｉｃｋ b r i b e",
		"mail ana@example.com 4111 1111 1111 1111", "\u200bb\u200dr\u0301ibe", "bit.ly/x paypa1.com setup.exe", "Ana: ok"} {
		f.Add(seed)
	}
	s := mustLoad(f)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	c := &capture.Conversation{ID: "c", Participants: []capture.Participant{{ID: "+44 7700 900001", Name: "Ana Souza"}}}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // importers hand the scanner valid UTF-8 only
		}
		m := &capture.Message{Text: text, Sender: "+44 7700 900001"}
		for _, fd := range s.Scan(c, m, p) {
			for _, sp := range fd.Spans {
				if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End || !utf8.RuneStart(text[sp.Start]) && sp.Start < len(text) {
					t.Fatalf("span %+v outside or inside a rune of %q", sp, text)
				}
			}
			for _, level := range []redact.Level{redact.Sealed, redact.Masked, redact.Redacted} {
				if _, err := redact.Make(level, text, fd.Spans, redact.Options{}); err != nil {
					t.Fatalf("%s excerpt of %q: %v", level, text, err)
				}
			}
		}
	})
}

// An executable sent as an attachment flags the message, though its text
// says nothing.
func TestScanAttachmentNames(t *testing.T) {
	s := mustLoad(t)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	c := &capture.Conversation{ID: "c"}
	m := &capture.Message{Text: "here is the update", Attachments: []capture.Attachment{{Name: "WhatsApp-update.apk"}}}
	fs := s.Scan(c, m, p)
	if len(fs) != 1 || fs[0].Category != "phishing" || len(fs[0].Spans) != 0 {
		t.Fatalf("findings %+v", fs)
	}
	if _, err := redact.Make(redact.Masked, m.Text, fs[0].Spans, redact.Options{}); err != nil {
		t.Fatal(err)
	}
	m.Attachments[0].Name = "IMG-20260203-WA0001.jpg"
	if fs := s.Scan(c, m, p); len(fs) != 0 {
		t.Fatalf("a photo flagged: %+v", fs)
	}
}
