package normalize

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"sealroom/capture"
	"sealroom/internal/ascii"
	"sealroom/internal/corpus"
)

// sameAsGeneral checks that Normalize (the fast path where it applies)
// gives s the text and offset map of the general path, byte for byte.
func sameAsGeneral(tb testing.TB, s string, got, want *Text) {
	tb.Helper()
	Normalize(got, s)
	want.normalize(s, ascii.Is(s))
	if !bytes.Equal(got.Norm, want.Norm) || !slices.Equal(got.spans, want.spans) {
		tb.Fatalf("%+q:\nNormalize    %+q %v\ngeneral path %+q %v", s, got.Norm, got.spans, want.Norm, want.spans)
	}
}

// fastCases are inputs where the fast path and the general path part ways
// if the fast path gets a detail wrong.
var fastCases = []string{
	"ㄱㅏ", "ㄱ가", "a回\u0947", "回\u0947", "a\u0947", "é\u0301", "ｅ\u0301", "ﬁ\u0308", "a\u200b\u200bb", "\u200ba", "a\u200b",
	"b\u200b r i b e", "谢谢！今晚", "谢谢! 今晚", "回 扣", "回 . 扣", "回 a 扣", "br!be", "br!!be", "a!b", "!ab", "ab!", "q3", "3pm",
	"3PM", "a1回", "回a1", "brіbе", "b r", "b r i", "a\u00a0b", "a\u00a0\u00a0b", "a \u200b b", "\ufdfa", "‼️x", "x‼️",
	"a\nb", "a\n\nb", "a \nb", "a\r\nb", "回\n扣", "回\n\n扣", "x\ty\vz", "\n", "a\n", "\nA", "é\nü", "a\u2028b", "a\u2028\nb",
}

// TestFastCases runs fastCases and the table cases through both paths.
func TestFastCases(t *testing.T) {
	var got, want Text
	for _, s := range fastCases {
		sameAsGeneral(t, s, &got, &want)
	}
	for _, c := range tests {
		sameAsGeneral(t, c.in, &got, &want)
	}
}

// TestHanRun checks what the fast paths for runs of CJK unified ideographs
// (hanEnd) assume of them: each is its own NFKC segment, kept as it is, a
// letter of a script other than Latin, Han.
func TestHanRun(t *testing.T) {
	const want = kSame | latinSet | cLetter<<classShift | lOther<<letterShift | hanBit
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if e := entryOf(r); e != want {
			t.Fatalf("%U: entry %#x, want %#x", r, e, want)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := string(r) + "x"
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		if end := hanEnd(s, 0); end != 0 && (end != 3 || r < 0x4E00 || r > 0x9FFF) {
			t.Fatalf("hanEnd(%+q) = %d", s, end)
		}
	}
}

// TestDecodeFast checks decodeFast against utf8.DecodeRuneInString, on
// every rune and on every two-byte sequence.
func TestDecodeFast(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := string(r) + "x"
		if got, size := decodeFast(s, 0); got != r || size != len(s)-1 {
			t.Fatalf("decodeFast(%+q) = %U, %d", s, got, size)
		}
	}
	for b := range 1 << 16 {
		s := string([]byte{byte(b >> 8), byte(b)})
		for _, s := range []string{s, s[:1]} {
			want, wsize := utf8.DecodeRuneInString(s)
			if got, size := decodeFast(s, 0); got != want || size != wsize {
				t.Fatalf("decodeFast(%+q) = %U, %d, want %U, %d", s, got, size, want, wsize)
			}
		}
	}
}

// TestFastCorpus runs the generated corpus through both paths.
func TestFastCorpus(t *testing.T) {
	n := 60000
	if testing.Short() || raceEnabled {
		n = 5000
	}
	var got, want Text
	fast := 0
	err := corpus.Stream(11, n, func(_ *capture.Conversation, m *capture.Message, _ *corpus.Label) error {
		sameAsGeneral(t, m.Text, &got, &want)
		if _, ok := got.fastFold(m.Text); ok && plainWords(got.Norm) {
			fast++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d corpus messages are plain for the fast path", fast, n)
}

// TestFastBlocks runs random text from every 128-rune block of the code
// space that has an assigned rune through both paths: the block's runes
// among ASCII letters, digits, spaces and separators, CJK, marks and
// ignorables, so that every rune meets the neighbours the rules care about.
func TestFastBlocks(t *testing.T) {
	per := 40
	if testing.Short() || raceEnabled {
		per = 4
	}
	neighbours := []string{"a", "Z", "e", "3", "0", "!", "@", "$", " ", "  ", "\t", ".", "-", "·", "内", "幕", "。",
		"\u0301", "\u0308", "\u200b", "\ufe0f", "\u00a0", "ｂ", "é", "і", "ß", "ﬁ", "\u3099", "ㅏ", "\u1161", "\xff"}
	rng := rand.New(rand.NewPCG(21, 22))
	var got, want Text
	var b strings.Builder
	for lo := rune(0); lo <= unicode.MaxRune; lo += 128 {
		var block []rune
		for r := lo; r < lo+128; r++ {
			if unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C) && !unicode.Is(unicode.Cs, r) {
				block = append(block, r)
			}
		}
		if len(block) == 0 {
			continue
		}
		for range per {
			b.Reset()
			for range 1 + rng.IntN(12) {
				switch rng.IntN(3) {
				case 0:
					b.WriteString(neighbours[rng.IntN(len(neighbours))])
				default:
					b.WriteRune(block[rng.IntN(len(block))])
				}
			}
			sameAsGeneral(t, b.String(), &got, &want)
		}
	}
}

// TestFastRunes puts every code point of the BMP, and every hundredth one
// above it, in a few contexts and runs them through both paths.
func TestFastRunes(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("every rune takes a while")
	}
	contexts := []string{"%s", "a%sb", "内%s幕", "%s%s", "x %s y", "%s\u0301", "b%s\u200b", "é%s!", "%s \t%s", "1%s2", "ㄱ%s"}
	var got, want Text
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0x10000 && r%100 != 0 || r >= 0xD800 && r < 0xE000 {
			continue
		}
		for _, c := range contexts {
			sameAsGeneral(t, strings.ReplaceAll(c, "%s", string(r)), &got, &want)
		}
	}
}

// chatWords are what TestFastWords builds messages from: words each word
// rule acts on or must leave alone, in the scripts of the corpus.
var chatWords = []string{
	"ok", "see", "you", "at", "the", "Desk", "a", "I", "b", "c", "x", "3", "7", "42", "2024", "13:45", "3pm", "4PM", "10kg",
	"$5k", "$500", "US$500", "Q3", "h264", "m354", "d3l373", "0ff", "73ll", "gu@r4nteed", "br!be", "br1b3", "a!b", "bribe!",
	"wow!!", "!x", "x!", "bob@example.com", "@bob", "brіbе", "КICK", "lοan", "рое", "ακο", "bпb", "Olá", "Mañana", "AÇÃO",
	"Straße", "ｂｒｉｂｅ", "ｇｕ＠ｒ４ｎｔｅｅｄ", "𝐛𝐫𝟏𝐛𝐞", "ﬁnance", "‼️", "😉", "👍🏽", "明天", "回", "扣", "谢谢！今晚", "3月5日",
	"收益，只要", "。", "「好」", "ｲﾝｻｲﾀﾞｰ", "नमस्ते", "١٢٣", "й", "ά", "e\u0301", "b\u200bribe", "\u00ad", "ok\ufe0f",
	"٣a", "a٣", "a\u0947", "\u0947", "Ⅻ", "½", "㍿", "…", "—", "·", "・", "I'm", "it's",
}

// chatSeps go between chatWords.
var chatSeps = []string{" ", " ", " ", " ", "", ", ", ". ", "-", ".", "_", " - ", "  ", "\t", "\n", "? ", "/", "·", "\u00a0", "\u3000", "、", " • ", "—"}

// TestFastWords runs chat-like messages heavy in what the word rules act
// on through both paths, so that plainWords meets every rule.
func TestFastWords(t *testing.T) {
	n := 300000
	if testing.Short() || raceEnabled {
		n = 20000
	}
	rng := rand.New(rand.NewPCG(23, 24))
	var got, want Text
	var b strings.Builder
	for range n {
		b.Reset()
		for i := range 1 + rng.IntN(8) {
			if i > 0 {
				b.WriteString(chatSeps[rng.IntN(len(chatSeps))])
			}
			b.WriteString(chatWords[rng.IntN(len(chatWords))])
		}
		sameAsGeneral(t, b.String(), &got, &want)
	}
}

// TestFastRandom runs TestRandom's messages through both paths.
func TestFastRandom(t *testing.T) {
	n := 200000
	if testing.Short() || raceEnabled {
		n = 10000
	}
	rng := rand.New(rand.NewPCG(25, 26))
	var got, want Text
	for range n {
		sameAsGeneral(t, randomMessage(rng, 16), &got, &want)
	}
}

// TestPlainWords checks plainWords against the word rules on its own: for
// random text of the rune rules' output, when plainWords says the word
// rules leave it alone, they do.
func TestPlainWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	var txt Text
	var b strings.Builder
	plain := 0
	for range 100000 {
		b.Reset()
		for i := range 1 + rng.IntN(8) {
			if i > 0 {
				b.WriteString(chatSeps[rng.IntN(len(chatSeps))])
			}
			b.WriteString(chatWords[rng.IntN(len(chatWords))])
		}
		// Fold the message with the general rune rules: words reads
		// their output.
		txt.foldRunes(b.String())
		f := string(txt.fold)
		if !plainWords(txt.fold) {
			continue
		}
		plain++
		txt.ascii = false
		txt.words(f)
		if string(txt.Norm) != f || !slices.Equal(txt.spans, txt.fspans) {
			t.Fatalf("%+q: plainWords says plain, the word rules make %+q", f, txt.Norm)
		}
	}
	if plain < 10000 {
		t.Fatalf("only %d of 100,000 messages were plain", plain)
	}
}

// TestTableRunes checks the table against the general path rune by rune:
// every rune the table folds makes, alone, what its entry says.
func TestTableRunes(t *testing.T) {
	var txt Text
	for r := rune(0); r <= unicode.MaxRune; r++ {
		e := entryOf(r)
		if e&kindMask == kGeneral {
			continue
		}
		s := string(r)
		want := ""
		switch e & kindMask {
		case kSame:
			want = s
		case kMapped:
			want = mapped(e)
		}
		// The word rules may change a lone rune too (a run of white
		// space, a leet digit): fold only.
		txt.foldRunes(s)
		if string(txt.fold) != want {
			t.Fatalf("%U: table says %+q, the rune rules %+q", r, want, txt.fold)
		}
		if !utf8.ValidString(want) {
			t.Fatalf("%U: table output %+q is not UTF-8", r, want)
		}
	}
}
