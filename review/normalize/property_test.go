package normalize

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"sealroom/internal/ascii"
)

// pieces are what random messages are made of: the runes each rule acts on,
// and their neighbours.
var pieces = []string{
	"a", "B", "e", "i", "Z", "1", "3", "4", "0", "9", "@", "$", "!", " ", "  ", "\t", "\n", ".", "-", "_", "*", "·",
	",", ":", "+", "%", "ｇ", "Ａ", "，", "！", "𝐛", "ⓑ", "①", "ﬁ", "Ĳ", "㍿", "ß", "ẞ", "ς", "Σ", "İ", "ı", "ø", "Æ",
	"é", "ï", "ç", "ã", "ñ", "\u0301", "\u0308", "\u0338", "\u0345", "\u3099", "\u200b", "\u200d", "\u202e", "\u00ad",
	"\ufe0f", "\u00a0", "\u2028", "і", "е", "о", "В", "п", "α", "ν", "ά", "й", "内", "幕", "交易", "。", "「",
	"ｲ", "ﾞ", "ガ", "न", "ि", "्", "٣", "😉", "\xff", "\xe4\xb8", "\xed\xa0\x80",
}

// randomMessage returns up to n pieces, and now and then a random rune.
func randomMessage(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range rng.IntN(n + 1) {
		if rng.IntN(8) == 0 {
			b.WriteRune(rng.Int32N(unicode.MaxRune + 1))
			continue
		}
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// TestRandom checks, on random messages, that Normalize does not panic,
// that the offset map keeps its invariants, that a reused Text gives what a
// new one gives, and that Fold agrees with Normalize.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var reused Text
	for range 5000 {
		s := randomMessage(rng, 24)
		var fresh Text
		Normalize(&fresh, s)
		checkOffsets(t, s, &fresh)
		Normalize(&reused, s)
		if !bytes.Equal(reused.Norm, fresh.Norm) || !slices.Equal(reused.spans, fresh.spans) {
			t.Fatalf("%q: a reused Text gives %q, a new one %q", s, reused.Norm, fresh.Norm)
		}
		if got := Fold(s); got != string(fresh.Norm) {
			t.Fatalf("%q: Fold = %q, Normalize = %q", s, got, fresh.Norm)
		}
		if !utf8.ValidString(s) {
			continue
		}
		if !utf8.Valid(fresh.Norm) {
			t.Fatalf("%q: Norm %q is not UTF-8", s, fresh.Norm)
		}
	}
}

// TestASCIIPaths checks that the ASCII fast path and the rune rules give
// the same text and map for random ASCII messages.
func TestASCIIPaths(t *testing.T) {
	const alphabet = "abcxyzABCXYZ0134579@$!.-_*/|~+ \t\n,:;'\"%&()"
	rng := rand.New(rand.NewPCG(5, 6))
	var fast, slow Text
	for range 5000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if rng.IntN(10) == 0 {
			b = append(b, byte(rng.IntN(utf8.RuneSelf)))
		}
		s := string(b)
		fast.normalize(s, true)
		slow.normalize(s, false)
		if !bytes.Equal(fast.Norm, slow.Norm) || !slices.Equal(fast.spans, slow.spans) {
			t.Fatalf("%q: fast path %q %v, rune rules %q %v", s, fast.Norm, fast.spans, slow.Norm, slow.spans)
		}
		checkOffsets(t, s, &fast)
	}
}

// TestRunesMatchXText checks rules 1 to 5 against the x/text chain of the
// tech notes (NFKC, width.Fold, white space, ignorables, cases.Fold, Latin
// marks stripped after NFD), on random text from the scripts both handle
// alike: Latin, basic Greek and Cyrillic, CJK, kana, full-width and
// mathematical letters, marks and format characters. (cases.Fold differs on
// a few runes this package folds otherwise, such as ᾳ and Cherokee, and
// makes U+0345 ι where this package drops it after a Latin letter.)
func TestRunesMatchXText(t *testing.T) {
	var alphabet []rune
	for _, r := range [][2]rune{
		{0x20, 0x7e}, {0xa0, 0x24f}, {0x300, 0x344}, {0x346, 0x36f}, {0x391, 0x3c9}, {0x400, 0x45f}, {0x1e00, 0x1eff},
		{0x2000, 0x206f}, {0x3000, 0x30ff}, {0x4e00, 0x4e3f}, {0xfb00, 0xfb06}, {0xfe00, 0xfe0f},
		{0xff01, 0xffef}, {0x1d400, 0x1d4ff}, {0x24b6, 0x24e9},
	} {
		for c := r[0]; c <= r[1]; c++ {
			alphabet = append(alphabet, c)
		}
	}
	ref := transform.Chain(norm.NFKC, width.Fold,
		runes.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return ' '
			}
			return r
		}),
		runes.Remove(runes.Predicate(ignorable)),
		cases.Fold(), norm.NFD)
	rng := rand.New(rand.NewPCG(7, 8))
	var txt Text
	for range 3000 {
		rs := make([]rune, rng.IntN(12))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(rs)
		txt.foldRunes(s)
		d, _, err := transform.String(ref, s)
		if err != nil {
			t.Fatal(err)
		}
		// NFC puts back in canonical order the marks that became
		// neighbours when an ignorable between them was dropped (rule 3
		// runs after NFKC; the chain's NFD runs after Cf removal).
		if want := stripLatin(d); norm.NFC.String(string(txt.fold)) != want {
			t.Fatalf("%q (%+q): rune rules give %+q, x/text %+q", s, s, txt.fold, want)
		}
	}
}

// stripLatin finishes the reference of TestRunesMatchXText on the NFD text
// d: it drops the nonspacing marks after Latin letters, composes, and
// applies the letters of rule 5 that have no decomposition.
func stripLatin(d string) string {
	var b strings.Builder
	latin := false
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			if latin {
				continue
			}
		case unicode.IsMark(r): // a spacing mark is kept, and does not end the letter
		default:
			latin = unicode.Is(unicode.Latin, r)
		}
		b.WriteRune(r)
	}
	return strings.NewReplacer("ø", "o", "ł", "l", "đ", "d", "ħ", "h", "ŧ", "t", "ı", "i", "æ", "ae", "œ", "oe").
		Replace(norm.NFC.String(b.String()))
}

// TestSimple checks what simple and its fast decode assume of each rune
// they pass: a segment of its own that NFKC maps to the rune given, with
// nothing for rules 2 to 5 but ASCII case.
func TestSimple(t *testing.T) {
	for r := rune(0); r <= 0xFFFF; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := string(r)
		if got, size := decode(s+"x", 0); got != r || size != len(s) {
			t.Fatalf("decode(%U) = %U, %d", r, got, size)
		}
		got, size, ok := simple(s, 0)
		if !ok {
			continue
		}
		props := norm.NFKC.PropertiesString(s)
		if want := norm.NFKC.String(s); string(got) != want || size != len(s) || !props.BoundaryBefore() {
			t.Fatalf("simple(%U) = %U, %d; NFKC gives %+q, boundary before %v", r, got, size, want, props.BoundaryBefore())
		}
		if got >= utf8.RuneSelf && (!props.BoundaryAfter() || unicode.ToLower(unicode.ToUpper(got)) != got ||
			unicode.IsSpace(got) || ignorable(got) || unicode.IsMark(got)) {
			t.Fatalf("simple(%U): needs more than ASCII case", r)
		}
	}
}

// TestLatin1Letters checks what latin1Letter's fast path assumes: NFKC
// leaves each letter as it is, and a letter after any rune that is its own
// segment (ASCII, CJK, another such letter) stays apart from it.
func TestLatin1Letters(t *testing.T) {
	n := 0
	for r := rune(0x80); r <= 0x7FF; r++ {
		s := string(r)
		got, ok := latin1Letter(s, 0)
		if !ok {
			continue
		}
		n++
		if got != r || r < 0xC0 || r > 0xFF || !unicode.IsLetter(r) {
			t.Fatalf("latin1Letter(%U) = %U, true", r, got)
		}
		if norm.NFKC.String(s) != s || !norm.NFKC.PropertiesString(s).BoundaryBefore() {
			t.Fatalf("%U: NFKC gives %+q, boundary before %v", r, norm.NFKC.String(s), norm.NFKC.PropertiesString(s).BoundaryBefore())
		}
		for _, before := range []string{"a", "E", " ", "1", "内", "。", "é", "Ø", "ÿ"} {
			if norm.NFKC.String(before+s) != norm.NFKC.String(before)+s {
				t.Fatalf("NFKC(%q) joins %U with what comes before", before+s, r)
			}
		}
	}
	if n != 62 {
		t.Fatalf("latin1Letter accepts %d runes, want the 62 letters À…ÿ but × and ÷", n)
	}
}

func TestNFKCFoldsWidth(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		if s := norm.NFKC.String(string(r)); width.Fold.String(s) != s {
			t.Errorf("width.Fold(NFKC(%U)) = %+q, want %+q", r, width.Fold.String(s), s)
		}
	}
}

func TestFoldCaseOrbits(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		for o := unicode.SimpleFold(r); o != r; o = unicode.SimpleFold(o) {
			if a, b := Fold(string(r)), Fold(string(o)); a != b {
				t.Errorf("Fold(%U) = %+q, Fold(%U) = %+q", r, a, o, b)
			}
		}
	}
}

// TestNoCaseRange checks the claim of noCase for the runes foldRune sees.
func TestNoCaseRange(t *testing.T) {
	for r := rune(0x3100); r < 0xA640; r++ {
		if norm.NFKC.String(string(r)) != string(r) {
			continue // foldRune sees only NFKC runes
		}
		if unicode.ToLower(r) != r || unicode.ToUpper(r) != r || unicode.SimpleFold(r) != r ||
			unicode.IsSpace(r) || ignorable(r) || unicode.Is(unicode.Mn, r) {
			t.Errorf("%U is not a rune noCase may pass", r)
		}
	}
}

// TestIdempotent checks that folding folded text changes nothing, on the
// table cases and random messages.
func TestIdempotent(t *testing.T) {
	for _, c := range tests {
		if twice := Fold(c.want); twice != c.want {
			t.Errorf("%s: Fold(%q) = %q", c.name, c.want, twice)
		}
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts need a normal build")
	}
	msgs := []string{"Hello World 4pm b r i b e gu@r4nteed", "我可以保证收益，ｂｒｉｂｅ", "Olá brïbé brіbе ﬁ"}
	var txt Text
	for _, m := range msgs {
		Normalize(&txt, m+m+m) // grow the buffers
	}
	if n := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			Normalize(&txt, m)
		}
	}); n != 0 {
		t.Errorf("Normalize allocates %v times per run with grown buffers", n)
	}
}

// FuzzNormalize checks the offset map's invariants and Fold on any input.
func FuzzNormalize(f *testing.F) {
	for _, c := range tests {
		f.Add(c.in)
	}
	for _, s := range fastCases {
		f.Add(s)
	}
	// Cases found by fuzzing:
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		var txt Text
		Normalize(&txt, s)
		checkOffsets(t, s, &txt)
		if got := Fold(s); got != string(txt.Norm) {
			t.Fatalf("%q: Fold = %q, Normalize = %q", s, got, txt.Norm)
		}
		var general Text
		general.normalize(s, ascii.Is(s))
		if !bytes.Equal(general.Norm, txt.Norm) || !slices.Equal(general.spans, txt.spans) {
			t.Fatalf("%+q: Normalize %+q %v, general path %+q %v", s, txt.Norm, txt.spans, general.Norm, general.spans)
		}
		if ascii.Is(s) {
			var slow Text
			slow.normalize(s, false)
			if !bytes.Equal(slow.Norm, txt.Norm) || !slices.Equal(slow.spans, txt.spans) {
				t.Fatalf("%q: fast path %q, rune rules %q", s, txt.Norm, slow.Norm)
			}
		}
	})
}

// TestPlainPath checks the plain-ASCII shortcut against the word rules on
// random chat-like ASCII that mostly passes plain: every message plain
// accepts must normalize as the word rules make it.
func TestPlainPath(t *testing.T) {
	words := []string{"ok", "see", "you", "at", "the", "Desk", "a", "I", "3", "42", "pm", "e-mail", "re:", "x", "b", "c", "it's", "(fine)", "U.S.", "g.u.a.r.d", "a/b"}
	seps := []string{" ", " ", " ", ", ", ". ", "-", "  ", "\t", "? ", "/"}
	rng := rand.New(rand.NewPCG(9, 10))
	var fast, slow Text
	plainSeen := 0
	for range 20000 {
		var b strings.Builder
		for i := range 1 + rng.IntN(8) {
			if i > 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		s := b.String()
		if !plain(s) {
			continue
		}
		plainSeen++
		fast.lowerASCII(s)
		slow.ascii = true
		slow.words(s)
		if !bytes.Equal(fast.Norm, slow.Norm) || !slices.Equal(fast.spans, slow.spans) {
			t.Fatalf("%q: plain path %q, word rules %q", s, fast.Norm, slow.Norm)
		}
	}
	if plainSeen < 2000 {
		t.Fatalf("only %d of 20,000 messages took the plain path", plainSeen)
	}
}
