// Package policy reads compliance policies (docs/formats/policy.md) and
// finds them in messages.
//
// A policy file is line-oriented text an analyst edits: a version line,
// then policies with an id, name, category, severity, languages, terms
// (a trailing '*' makes a prefix), NEAR rules, exclusions and min_hits.
// The built-in packs are in sealroom/assets/policies.
//
// Matching runs in two steps over text that is already normalized:
//
//	m, err := policy.Compile(pols, normalize.Fold)
//	hits := m.Match(norm, hits[:0])   // one pass of the automaton, fuzzy words, detectors
//	findings := m.Evaluate(norm, hits) // boundaries of prefixes, exclusions, NEAR, min_hits
//
// Terms and text must be folded by the same function: Compile takes it as a
// parameter (review/normalize.Fold in Sealroom) and Match takes text it
// produced. Offsets in hits and findings are into that normalized text;
// the caller maps them back to the original.
//
// Matching rules:
//
//   - Every term, NEAR operand and exclusion is one pattern of a single
//     Aho–Corasick automaton (automaton.go says why it is our own).
//   - A term whose first rune is a letter or digit of a spaced script
//     (Latin, Devanagari …) must start a word; one whose last rune is must
//     end a word, unless it ends in '*'. Han, kana, Hangul and Thai terms
//     match anywhere.
//   - Latin-script single words of six or more letters also match words
//     within one edit (two for nine or more letters): fuzzy.go.
//   - A term or NEAR operand overlapping an exclusion of its policy does
//     not count.
//   - "A NEAR/n B": A and B in either order, apart, with at most n words
//     between them (a Han character counts as a word).
//   - A policy flags a message when at least min_hits distinct terms, NEAR
//     rules and detections count.
//   - Policies that list detectors also own the phishing detectors'
//     findings: URL shorteners, punycode hosts, brand look-alikes and
//     executable file names (detect.go).
//
// A Matcher is immutable and safe for concurrent use. Nothing here logs.
package policy
