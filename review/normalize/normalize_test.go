package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// tests holds one or more cases for each rule, on its own and combined. The
// fuzz target starts from them too.
var tests = []struct {
	name, in, want string
}{
	{"empty", "", ""},
	{"plain", "meet me at noon", "meet me at noon"},

	// Rule 1: NFKC, with width folding.
	{"full-width", "ｇｕａｒａｎｔｅｅ", "guarantee"},
	{"full-width space and bang", "ｆｒｅｅ　ｍｏｎｅｙ！", "free money!"},
	{"half-width katakana", "ｲﾝｻｲﾀﾞｰ", "インサイダー"},
	{"math bold", "𝐛𝐫𝐢𝐛𝐞", "bribe"},
	{"circled", "ⓑⓡⓘⓑⓔ", "bribe"},
	{"ligature", "ﬁnancial ﬂow", "financial flow"},
	{"several starters", "Ĳssel", "ijssel"},
	{"composes", "cafe\u0301", "cafe"},
	{"expands", "㍿", "株式会社"},

	// Rule 2: white space.
	{"nbsp", "cash\u00a0only", "cash only"},
	{"line separator", "cash\u2028only", "cash only"},

	// Rule 3: default-ignorables.
	{"zero-width space", "b\u200bribe", "bribe"},
	{"zero-width joiners", "b\u200dr\u200ci\u2060be", "bribe"},
	{"bidi controls", "\u202ebribe\u202c", "bribe"},
	{"soft hyphen", "kick\u00adback", "kickback"},
	{"variation selector", "ok\ufe0f", "ok"},
	{"only ignorables", "\u200b\u200b", ""},

	// Rule 4: case.
	{"ascii case", "BRIBE Bribe", "bribe bribe"},
	{"sharp s", "Straße STRASSE STRAẞE", "strasse strasse strasse"},
	{"sigma", "ΣΊΣΥΦΟΣ σίσυφος", "σίσυφοσ σίσυφοσ"},
	{"dotted I", "İstanbul", "istanbul"},
	{"cyrillic case", "ПРИВЕТ", "привет"},

	// Rule 5: Latin diacritics.
	{"accents", "brïbé", "bribe"},
	{"portuguese", "AÇÃO Informação", "acao informacao"},
	{"spanish", "Señor, ¿está?", "senor, ¿esta?"},
	{"stroke and ligatures", "Øre łódź đ Æther œuvre ǿ", "ore lodz d aether oeuvre o"},
	{"loose mark after latin", "x\u0303 b\u0338r\u0338", "x br"},
	{"vietnamese", "Tiếng Việt", "tieng viet"},
	{"dakuten kept", "ガ ダ", "ガ ダ"},
	{"devanagari marks kept", "नमस्ते", "नमस्ते"},
	{"greek tonos kept", "ά", "ά"},
	{"cyrillic short i kept", "й", "й"},
	{"mark after digit kept", "1\u0301", "1\u0301"},

	// Rule 6: spaced-out letters.
	{"spaced", "b r i b e", "bribe"},
	{"dotted", "g.u.a.r.a.n.t.e.e", "guarantee"},
	{"hyphened", "g-u-a-r-a-n-t-e-e", "guarantee"},
	{"underscored", "b_r_i_b_e", "bribe"},
	{"starred with spaces", "b * r * i * b * e", "bribe"},
	{"middle dot", "b·r·i·b·e", "bribe"},
	{"double spaces", "b  r  i  b  e", "bribe"},
	{"three letters", "x y z", "xyz"},
	{"in a sentence", "pay the b r i b e now", "pay the bribe now"},
	{"trailing separator kept", "g.u.a.r.d.", "guard."},
	{"mixed separators stop", "a.b c.d", "a.b c.d"},
	{"spaced cjk", "洗 钱 罪", "洗钱罪"},
	{"two letters", "a b", "a b"},
	{"english", "I am a good man", "i am a good man"},
	{"initials", "U.S. A.", "u.s. a."},
	{"numbers", "1.2.3 1 2 3", "1.2.3 1 2 3"},
	{"comma list", "a, b, c", "a, b, c"},
	{"long white space", "a     b \n c", "abc"},
	{"long separator", "a.....b.....c", "a.....b.....c"},

	// Rule 7: homoglyphs.
	{"cyrillic i and e", "brіbе", "bribe"},
	{"upper-case lookalikes", "BRІBЕ КICKBACK", "bribe kickback"},
	{"greek omicron", "lοan", "loan"},
	{"all cyrillic kept", "рое привет", "рое привет"},
	{"all greek kept", "ακο", "ακο"},
	{"mixed with real cyrillic kept", "bпb", "bпb"},

	// Rule 8: leetspeak.
	{"leet", "gu@r4nteed", "guaranteed"},
	{"leet digit first", "1nsider", "insider"},
	{"leet digit last", "br1b3", "bribe"},
	{"leet dollar", "$ell ca$h", "sell cash"},
	{"leet bang inside", "br!be", "bribe"},
	{"bang at end kept", "bribe!", "bribe!"},
	{"year", "2024", "2024"},
	{"time", "13:45", "13:45"},
	{"phone", "+44 7700 900123", "+44 7700 900123"},
	{"dollars", "$500", "$500"},
	{"three digits", "US$500 h264", "us$500 h264"},
	{"quantities", "4pm 3rd 10AM $5k 10kg", "4pm 3rd 10am $5k 10kg"},
	{"leet digits then letters", "0ff 73ll", "off tell"},
	{"leet with a digit run", "d3l373 53771ng", "delete setting"},
	{"one letter and a digit run", "m354 a380", "m354 a380"},
	{"email", "bob@example.com", "bob@example.com"},
	{"mention", "@bob", "@bob"},
	{"cjk with digits", "3月5日", "3月5日"},
	{"spaced han", "说回 扣的事", "说回扣的事"},
	{"dotted han", "回.扣", "回扣"},
	{"han then latin", "回 abc", "回 abc"},

	// Rule 9: white space runs.
	{"space run", "cash \t\n only", "cash only"},
	{"edge spaces", "  cash  ", " cash "},

	// Combined.
	{"full-width leet", "ｇｕ＠ｒ４ｎｔｅｅｄ", "guaranteed"},
	{"spaced leet", "b r 1 b e", "bribe"},
	{"spaced full-width", "ｂ ｒ ｉ ｂ ｅ", "bribe"},
	{"zero-width in spaced", "b\u200b r i b e", "bribe"},
	{"accented spaced", "b.r.ï.b.é", "bribe"},
	{"homoglyph and leet", "brіb3", "bribe"},
	{"spaced homoglyph", "b r і b е", "bribe"},
	{"math leet", "𝐛𝐫𝟏𝐛𝐞", "bribe"},
	{"chinese sentence", "我们可以保证收益，内幕交易！", "我们可以保证收益,内幕交易!"},
	{"mixed", "Olá, GARANTIMOS 100% de retorno — 保证 ｂｒｉｂｅ", "ola, garantimos 100% de retorno — 保证 bribe"},
	{"hinglish", "Paisa d0 aur k@am ho jayega", "paisa do aur kaam ho jayega"},
	{"invalid utf-8", "br\xffibe", "br\ufffdibe"},
}

func TestNormalize(t *testing.T) {
	var txt Text // reused across cases, as a scanner would
	for _, c := range tests {
		Normalize(&txt, c.in)
		if got := string(txt.Norm); got != c.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
		if got := Fold(c.in); got != c.want {
			t.Errorf("%s: Fold(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
		checkOffsets(t, c.in, &txt)
	}
}

// TestOriginal checks the spans a redaction would take: the term's bytes
// in Norm map back to exactly the original text of the term.
func TestOriginal(t *testing.T) {
	for _, c := range []struct{ in, term, want string }{
		{"Pay the BRIBE now", "bribe", "BRIBE"},
		{"Pay the ｂｒｉｂｅ now", "bribe", "ｂｒｉｂｅ"},
		{"Pay the b r i b e now", "bribe", "b r i b e"},
		{"Pay the b.r.i.b.e. now", "bribe", "b.r.i.b.e"},
		{"x gu@r4nteed!", "guaranteed", "gu@r4nteed"},
		{"x b\u200bribe\u200b y", "bribe", "b\u200bribe\u200b"},
		{"\u200bbribe", "bribe", "bribe"},
		{"the Straße", "strasse", "Straße"},
		{"the Straße", "stras", "Straß"},
		{"a cafe\u0301 b", "cafe", "cafe\u0301"},
		{"a cafe\u0301 b", "e", "e\u0301"},
		{"𝐛𝐫𝐢𝐛𝐞!", "r", "𝐫"},
		{"brіbе", "i", "і"},
		{"内幕交易 洗钱", "洗钱", "洗钱"},
		{"内幕交易 洗钱", "幕", "幕"},
		{"free   money", "free money", "free   money"},
		{"ﬁnance", "f", "ﬁ"},
		{"ﬁnance", "in", "ﬁn"},
	} {
		var txt Text
		Normalize(&txt, c.in)
		i := strings.Index(string(txt.Norm), c.term)
		if i < 0 {
			t.Errorf("%q: %q not in %q", c.in, c.term, txt.Norm)
			continue
		}
		start, end := txt.Original(i, i+len(c.term))
		if got := c.in[start:end]; got != c.want {
			t.Errorf("%q: Original of %q = %q, want %q", c.in, c.term, got, c.want)
		}
	}
}

func TestOriginalEmpty(t *testing.T) {
	var txt Text
	Normalize(&txt, "ab")
	for i, want := range []int{0, 1, 2} {
		if s, e := txt.Original(i, i); s != want || e != want {
			t.Errorf("Original(%d, %d) = %d, %d, want %d, %d", i, i, s, e, want, want)
		}
	}
	Normalize(&txt, "")
	if s, e := txt.Original(0, 0); s != 0 || e != 0 {
		t.Errorf("Original(0, 0) of empty = %d, %d", s, e)
	}
	defer func() {
		if recover() == nil {
			t.Error("Original(0, 1) of empty did not panic")
		}
	}()
	txt.Original(0, 1)
}

// checkOffsets checks the offset map of txt, made from s:
//   - every span is non-empty, on rune boundaries, inside s;
//   - spans never decrease, and two spans are the same or disjoint;
//   - the bytes of one output rune share a span;
//   - every letter and digit of s is inside some span;
//   - Original agrees with all of that.
func checkOffsets(tb testing.TB, s string, txt *Text) {
	tb.Helper()
	if len(txt.spans) != len(txt.Norm) {
		tb.Fatalf("%q: %d spans for %d bytes", s, len(txt.spans), len(txt.Norm))
	}
	boundary := map[int]bool{len(s): true} // where s's runes start, as range decodes them
	for p := range s {
		boundary[p] = true
	}
	onBoundary := func(p int) bool { return boundary[p] }
	for i, sp := range txt.spans {
		a, b := int(sp.start), int(sp.end)
		if a < 0 || a >= b || b > len(s) || !onBoundary(a) || !onBoundary(b) {
			tb.Fatalf("%q: byte %d has span [%d, %d)", s, i, a, b)
		}
		if start, end := txt.Original(i, i+1); start != a || end != b {
			tb.Fatalf("%q: Original(%d, %d) = %d, %d, want %d, %d", s, i, i+1, start, end, a, b)
		}
		if i == 0 {
			continue
		}
		prev := txt.spans[i-1]
		if prev != sp && prev.end > sp.start {
			tb.Fatalf("%q: spans of bytes %d and %d overlap: %v %v", s, i-1, i, prev, sp)
		}
		if !utf8.RuneStart(txt.Norm[i]) && prev != sp {
			tb.Fatalf("%q: the bytes of the rune at %d have different spans", s, i)
		}
	}
	if n := len(txt.Norm); n > 0 {
		if start, end := txt.Original(0, n); start != int(txt.spans[0].start) || end != int(txt.spans[n-1].end) {
			tb.Fatalf("%q: Original(0, %d) = %d, %d", s, n, start, end)
		}
	}
	k := 0 // the first span that may cover p
	for p, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		for k < len(txt.spans) && int(txt.spans[k].end) <= p {
			k++
		}
		if k == len(txt.spans) || int(txt.spans[k].start) > p {
			tb.Fatalf("%q: %q at %d is in no span", s, r, p)
		}
	}
}
