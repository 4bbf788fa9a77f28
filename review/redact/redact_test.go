package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// span finds sub in text and marks it.
func span(t testing.TB, text, sub string, k Kind, label string) Span {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	return Span{Start: i, End: i + len(sub), Kind: k, Label: label}
}

func TestLevels(t *testing.T) {
	text := "Ann: text me on my personal, +44 7700 900123, and bring the guaranteed returns sheet"
	spans := []Span{
		span(t, text, "text me on my personal", Term, ""),
		span(t, text, "+44 7700 900123", Entity, "[PHONE]"),
		span(t, text, "Ann", Name, "P-7Q4MZK1A"),
		span(t, text, "guaranteed returns", Term, ""),
	}
	cases := []struct {
		level Level
		want  string
	}{
		{Sealed, ""},
		{Redacted, "P-7Q4MZK1A: text me on my personal, [PHONE], and bring the guaranteed returns sheet"},
		{Masked, "P-7Q4MZK1A: text me on my personal, [PHONE], ••• ••••• ••• guaranteed returns •••••"},
	}
	for _, c := range cases {
		got, err := Make(c.level, text, spans, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.level, got.Text, c.want)
		}
		if c.level == Sealed {
			if len(got.Marks) != 0 {
				t.Errorf("sealed: %d marks", len(got.Marks))
			}
			continue
		}
		var marked []string
		for _, m := range got.Marks {
			marked = append(marked, got.Text[m.Start:m.End])
		}
		if want := []string{"P-7Q4MZK1A", "text me on my personal", "[PHONE]", "guaranteed returns"}; strings.Join(marked, "|") != strings.Join(want, "|") {
			t.Errorf("%s: marks %q, want %q", c.level, marked, want)
		}
	}
}

// Personal data inside or across a matched term is replaced, never shown.
func TestEntityBeatsTerm(t *testing.T) {
	text := "call 13800138000 now"
	spans := []Span{
		{Start: 0, End: len(text), Kind: Term},
		span(t, text, "13800138000", Entity, "[PHONE]"),
	}
	for _, level := range []Level{Masked, Redacted} {
		got, err := Make(level, text, spans, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != "call [PHONE] now" {
			t.Errorf("%s: %q", level, got.Text)
		}
	}
	// Two overlapping entities: the longer label wins, the union is covered.
	text = "mail ann.lee@example.com today"
	spans = []Span{span(t, text, "ann.lee@example.com", Entity, "[EMAIL]"), span(t, text, "ann.lee", Name, "P-AAAA")}
	got, _ := Make(Redacted, text, spans, Options{})
	if got.Text != "mail [EMAIL] today" {
		t.Errorf("overlapping entities: %q", got.Text)
	}
}

func TestWindow(t *testing.T) {
	text := strings.Repeat("lorem ipsum ", 20) + "insider tip" + strings.Repeat(" dolor sit", 20)
	got, err := Make(Redacted, text, []Span{span(t, text, "insider tip", Term, "")}, Options{Context: 12})
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "…lorem ipsum insider tip dolor sit d…" {
		t.Errorf("window: %q", got.Text)
	}
	// Max bounds the runes from the first span on.
	long := "start " + strings.Repeat("x", 100) + " end"
	spans := []Span{span(t, long, "start", Term, ""), span(t, long, "end", Term, "")}
	got, _ = Make(Redacted, long, spans, Options{Context: 5, Max: 20})
	if utf8.RuneCountInString(got.Text) != 20+1 || strings.Contains(got.Text, "end") { // 20 runes and the ellipsis
		t.Errorf("max: %q (%d runes)", got.Text, utf8.RuneCountInString(got.Text))
	}
	// CJK: runes are masked one by one and never cut.
	zh := "老板说加我私人微信，明天再谈回扣的事情"
	got, _ = Make(Masked, zh, []Span{span(t, zh, "加我私人微信", Term, ""), span(t, zh, "回扣", Term, "")}, Options{Context: 3})
	if got.Text != "•••加我私人微信，••••回扣•••" {
		t.Errorf("cjk: %q", got.Text)
	}
}

func TestBadSpans(t *testing.T) {
	text := "héllo"
	for _, s := range []Span{{Start: -1, End: 2, Kind: Term}, {Start: 0, End: 9, Kind: Term}, {Start: 2, End: 3, Kind: Term}, {Start: 3, End: 1, Kind: Term}, {Start: 0, End: 1}} {
		if _, err := Make(Masked, text, []Span{s}, Options{}); err == nil {
			t.Errorf("span %+v accepted", s)
		}
	}
	if _, err := Make("open", text, nil, Options{}); err == nil {
		t.Error("unknown level accepted")
	}
}

// Property: at the masked level the excerpt holds no letter or digit
// outside the marks; at every level each mark's text is the term or the
// label; no rune is cut.
func TestMaskedProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []rune("abc xyz 123 .,!é 中文字 @+-\u200b")
	for range 2000 {
		var rs []rune
		for range 1 + r.IntN(80) {
			rs = append(rs, alphabet[r.IntN(len(alphabet))])
		}
		text := string(rs)
		var spans []Span
		for range r.IntN(4) {
			a, b := r.IntN(len(rs)+1), r.IntN(len(rs)+1)
			if a > b {
				a, b = b, a
			}
			s := Span{Start: len(string(rs[:a])), End: len(string(rs[:b])), Kind: Kind(1 + r.IntN(3))}
			if s.Kind != Term {
				s.Label = "[X]"
			}
			spans = append(spans, s)
		}
		for _, level := range []Level{Masked, Redacted} {
			got, err := Make(level, text, spans, Options{Context: 1 + r.IntN(20), Max: 1 + r.IntN(60)})
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.ValidString(got.Text) {
				t.Fatalf("invalid UTF-8 from %q", text)
			}
			prev := 0
			for _, m := range got.Marks {
				if m.Start < prev || m.End < m.Start || m.End > len(got.Text) {
					t.Fatalf("marks out of order: %+v in %q", got.Marks, got.Text)
				}
				if level == Masked {
					checkMasked(t, got.Text[prev:m.Start], text)
				}
				if m.Kind != Term && got.Text[m.Start:m.End] != "[X]" {
					t.Fatalf("replacement %q", got.Text[m.Start:m.End])
				}
				prev = m.End
			}
			if level == Masked {
				checkMasked(t, got.Text[prev:], text)
			}
		}
	}
}

func checkMasked(t *testing.T, s, text string) {
	t.Helper()
	for _, r := range strings.TrimSuffix(strings.TrimPrefix(s, Ellipsis), Ellipsis) {
		if r != Mask && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			t.Fatalf("masked excerpt shows %q outside the marks (text %q)", r, text)
		}
	}
}

func TestPseudonyms(t *testing.T) {
	p, err := NewPseudonyms([]byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := NewPseudonyms([]byte("fedcba9876543210"))
	a, b := p.Of("+44 7700 900123"), p.Of(" +44 7700 900123 ")
	if a != b || len(a) != 10 || !strings.HasPrefix(a, "P-") {
		t.Fatalf("pseudonym %q, %q", a, b)
	}
	if a == p.Of("+44 7700 900124") || a == q.Of("+44 7700 900123") {
		t.Fatal("pseudonyms collide across people or vaults")
	}
	seen := map[string]bool{}
	for i := range 10000 {
		seen[p.Of(string(rune('a'+i%26))+strings.Repeat("x", i/26))] = true
	}
	if len(seen) != 10000 {
		t.Fatalf("%d distinct pseudonyms for 10000 people", len(seen))
	}
	if _, err := NewPseudonyms([]byte("short")); err == nil {
		t.Fatal("short key accepted")
	}
}
