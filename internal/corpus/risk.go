package corpus

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Obfuscations applied to planted risk phrases, as labels.jsonl names them.
const (
	ObfNone      = "none"
	ObfLeet      = "leet"      // k1ckb4ck
	ObfDotted    = "dotted"    // k.i.c.k.b.a.c.k
	ObfSpaced    = "spaced"    // k i c k b a c k
	ObfHomoglyph = "homoglyph" // Cyrillic а е о с р х for their Latin look-alikes
	ObfFullwidth = "fullwidth" // ｋｉｃｋｂａｃｋ
	ObfZWJ       = "zwj"       // U+200D between the letters
)

// riskLexicon is the small per-language list of phrases a surveillance
// policy would look for: moving talk off recorded channels, destroying
// records, bribes, off-book money and front-running.
var riskLexicon = map[string][]string{
	LangEN: {"keep this off email", "delete this after reading", "front-run", "kickback",
		"move this to my personal phone", "don't tell compliance", "off the books", "wipe the chat"},
	LangZhHans: {"回扣", "别留记录", "私下交易", "删掉聊天记录", "好处费", "老规矩办"},
	LangZhHant: {"別留紀錄", "回扣", "私下處理", "刪掉對話", "好處費"},
	LangPtBR:   {"caixa dois", "propina", "por fora", "apaga essa conversa", "não coloca no email"},
	LangES:     {"mordida", "por debajo de la mesa", "borra este chat", "sin factura", "no lo pongas por correo"},
	LangHiLatn: {"setting ho jayegi", "cut milega", "kisi ko mat batana", "chat delete kar do", "upar ka paisa"},
}

var (
	leet       = map[rune]rune{'a': '4', 'e': '3', 'i': '1', 'o': '0', 's': '5', 't': '7'}
	homoglyphs = map[rune]rune{'a': 'а', 'e': 'е', 'o': 'о', 'c': 'с', 'p': 'р', 'x': 'х'}
)

// latinObfuscations apply to phrases written in Latin letters; the others
// also to Chinese.
var (
	latinObfuscations = []string{ObfLeet, ObfDotted, ObfSpaced, ObfHomoglyph, ObfFullwidth, ObfZWJ}
	hanObfuscations   = []string{ObfDotted, ObfSpaced, ObfZWJ}
)

// riskPhrase picks a phrase of lang and, 45% of the time, an obfuscation;
// it returns the phrase, the obfuscation and the phrase as written.
func riskPhrase(r *rand.Rand, lang string) (phrase, obf, written string) {
	list := riskLexicon[lang]
	phrase = list[r.IntN(len(list))]
	if r.IntN(100) >= 45 {
		return phrase, ObfNone, phrase
	}
	kinds := latinObfuscations
	if !isLatin(phrase) {
		kinds = hanObfuscations
	}
	obf = kinds[r.IntN(len(kinds))]
	return phrase, obf, obfuscate(r, phrase, obf)
}

func isLatin(s string) bool {
	for _, c := range s {
		if c > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, c) {
			return false
		}
	}
	return true
}

// obfuscate rewrites phrase. Letter-splitting kinds (dotted, spaced, zwj)
// act on the longest word only, as people do: "keep this off e.m.a.i.l".
// The result always differs from phrase.
func obfuscate(r *rand.Rand, phrase, kind string) string {
	switch kind {
	case ObfLeet:
		return mapLetters(phrase, func(c rune) rune { return leet[c] })
	case ObfHomoglyph:
		out := mapLetters(phrase, func(c rune) rune {
			if h, ok := homoglyphs[c]; ok && r.IntN(3) > 0 {
				return h
			}
			return 0
		})
		if out == phrase { // no letter drew a swap: force the first one
			return mapLetters(phrase, func(c rune) rune { return homoglyphs[c] })
		}
		return out
	case ObfFullwidth:
		return mapLetters(phrase, func(c rune) rune {
			if c > ' ' && c < 0x7f {
				return c - 0x21 + 0xFF01
			}
			return 0
		})
	case ObfDotted:
		return splitWord(phrase, ".")
	case ObfSpaced:
		return splitWord(phrase, " ")
	case ObfZWJ:
		return splitWord(phrase, "\u200d")
	}
	panic("corpus: internal error: unknown obfuscation " + kind)
}

// mapLetters replaces each rune f maps to non-zero.
func mapLetters(s string, f func(rune) rune) string {
	var sb strings.Builder
	for _, c := range s {
		if m := f(c); m != 0 {
			sb.WriteRune(m)
		} else {
			sb.WriteRune(c)
		}
	}
	return sb.String()
}

// splitWord puts sep between the letters of s's longest space-separated
// word (Chinese phrases have no spaces: the whole phrase).
func splitWord(s, sep string) string {
	words := strings.Split(s, " ")
	longest := 0
	for i, w := range words {
		if utf8.RuneCountInString(w) > utf8.RuneCountInString(words[longest]) {
			longest = i
		}
	}
	var sb strings.Builder
	for i, c := range words[longest] {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteRune(c)
	}
	words[longest] = sb.String()
	return strings.Join(words, " ")
}
