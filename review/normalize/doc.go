// Package normalize makes the one form of a message that the review engine
// matches on, and maps every byte of that form back to the original text so
// that redaction spans are exact.
//
// Both sides of a match go through the same function: review/policy folds its
// lexicon terms with [Fold], and scans each message's [Text.Norm] made by
// [Normalize]. A finding at Norm[i:j] is redacted at [Text.Original](i, j).
//
// # Rules, in the order they apply
//
// Rune rules (skipped for pure-ASCII messages, where only rule 4 can apply):
//
//  1. NFKC (Unicode compatibility composition). This also folds widths
//     (ｇｕａｒａｎｔｅｅ → guarantee, ｲﾝｻｲﾀﾞｰ → インサイダー), circled and
//     mathematical letters (ⓑⓡⓘⓑⓔ, 𝐛𝐫𝐢𝐛𝐞 → bribe), ligatures (ﬁ → fi)
//     and superscripts. golang.org/x/text's width.Fold adds nothing after it
//     (TestNFKCFoldsWidth checks every rune).
//  2. White space (unicode.IsSpace) becomes ' '.
//  3. Default-ignorable code points are dropped: format characters (Cf:
//     zero-width space and joiners, bidi controls, soft hyphen, BOM, tags),
//     variation selectors, the combining grapheme joiner, the Hangul fillers
//     and the rest of Other_Default_Ignorable_Code_Point.
//  4. Case folding: the lower case of the upper case of each rune
//     (unicode.ToUpper, then unicode.ToLower), so that Σ, σ and ς all
//     become σ and İ becomes i; and ß, ẞ → ss. Every rune folds like the
//     other runes of its case orbit (TestFoldCaseOrbits checks every rune).
//  5. Latin diacritics: a Latin letter of U+00C0–U+024F or U+1E00–U+1EFF
//     loses its marks (brïbé → bribe, ação → acao, ǯ → ʒ), and so do ø, ł,
//     đ, ħ, ŧ, ı; æ → ae, œ → oe. A nonspacing mark (Mn) that follows a
//     Latin letter is dropped (x̃ → x, Zalgo text). Marks on other scripts
//     are kept: Devanagari vowel signs, Japanese dakuten, Greek tonos and
//     Cyrillic й all stay as they are.
//
// Word rules, on the result of the rune rules:
//
//  6. Spaced-out letters are joined: three or more one-rune words separated
//     each time by the same short separator (up to four runes of space,
//     tab, . - _ * / | ~ + · • ‧ ・ ‐ – —, where white space of any length
//     counts as one space), at least two of them letters, become one word
//     (b r i b e, g.u.a.r.a.n.t.e.e, g - u - a → bribe, guarantee, gua).
//     "a b", "I am a", "U.S. A.", "a, b, c" and "1.2.3" stay as they are.
//     The separators are dropped; a joined word is then an ordinary word for
//     rules 7 and 8. Between two Han characters any such separator is
//     dropped (回 扣, 回.扣 → 回扣): Chinese is written without spaces.
//  7. Homoglyphs: in a word whose letters are Latin except for Cyrillic or
//     Greek look-alikes (brіbе with Cyrillic і and е), the look-alikes become
//     Latin letters. All-Cyrillic and all-Greek words are left alone.
//  8. Leetspeak: in a word of Latin letters that also holds digits or the
//     symbols @ $ !, these become letters (0→o 1→i 3→e 4→a 5→s 7→t 8→b 9→g,
//     @→a $→s !→i): gu@r4nteed → guaranteed, 1nsider → insider. A word here
//     is a run of letters and digits; @ and ! join it only between two word
//     characters, $ also at its start ($ell). Numbers are not words and stay
//     as they are (2024, 13:45, +44 7700 900123, $500), and so are words
//     with a run of three or more digits unless they also have two Latin
//     letters and no $ (US$500, h264, m354 stay; d3l373 → delete), quantities
//     made of digits and a unit (4pm, 3rd, 10am, $5k, 10kg; but 0ff → off and
//     73ll → tell), words in other
//     scripts (3月) and e-mail addresses (a@b.com).
//  9. Each run of white space becomes one space.
//
// Everything else (punctuation, CJK, other scripts) is kept as the rune rules
// left it.
//
// # Offsets
//
// Every byte of Norm comes from a whole number of original runes: an NFKC
// segment (a base rune and its marks, a ligature), a rune, or a run of white
// space. All bytes from one source share its span; runes that rules 3 and 5
// drop belong to the span of the output before them (or to no byte, at the
// start of a message); separators that rule 6 drops belong to no byte, so
// they fall inside the span of the joined word. Spans never decrease, and
// two bytes' spans are either the same or disjoint (checkOffsets in the
// tests holds every case, random message and fuzz input to this).
//
// Fold(Fold(s)) == Fold(s) holds for the table cases (TestIdempotent); it
// is not promised for every input.
//
// # Speed
//
// A pure-ASCII message skips the rune rules and is normalized in one byte
// loop. In other messages, ASCII runs, CJK ideographs and punctuation and
// full-width ASCII are folded without x/text (each is an NFKC segment of its
// own, TestSimple checks them); the rest goes through
// norm.NFKC.QuickSpanString, which passes already-normal text without
// copying, and a hand-written per-rune fold: x/text's cases.Fold and
// mark-stripping chain runs at about 34 MB/s, too slow for a scan that must
// reach 100 MB/s. On one core of the project's VM: English about 350 MB/s,
// Chinese 135 MB/s, mixed chat 98 MB/s (BenchmarkEnglish and so on).
package normalize
