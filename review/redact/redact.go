// Package redact makes what a vault keeps of a flagged message for its
// reviewers: an excerpt around the findings at the vault's redaction level,
// and stable pseudonyms for the people in it.
//
// The three levels (fixed per vault at creation, docs/DESIGN.md):
//
//   - sealed: no text at all; the event keeps policy, severity, time,
//     channel, direction and pseudonyms only.
//   - masked (the default): the excerpt's shape, every letter and digit
//     masked with '•' except in the matched risk terms; personal data
//     becomes a typed placeholder ([PHONE]) and participants' names their
//     pseudonyms.
//   - redacted: the excerpt as written, with personal data replaced by
//     typed placeholders and names by pseudonyms.
//
// Callers give spans over the original text: matched terms (kept), and
// entities and names (replaced). Where spans overlap, replacing wins over
// keeping: personal data is never shown because it is also a risk term.
package redact

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Level is a vault's redaction level.
type Level string

// The levels, from least to most shown.
const (
	Sealed   Level = "sealed"
	Masked   Level = "masked"
	Redacted Level = "redacted"
)

// ParseLevel checks a level's name.
func ParseLevel(s string) (Level, error) {
	switch l := Level(s); l {
	case Sealed, Masked, Redacted:
		return l, nil
	}
	return "", fmt.Errorf("redaction level %q; want sealed, masked or redacted", s)
}

// Kind says what a span is.
type Kind uint8

const (
	Term   Kind = iota + 1 // a matched risk term: shown at masked and redacted levels
	Entity                 // personal data: replaced by Label, a typed placeholder such as "[PHONE]"
	Name                   // a participant's name: replaced by Label, their pseudonym
)

// Span marks bytes [Start, End) of the original text.
type Span struct {
	Start, End int
	Kind       Kind
	Label      string // the replacement, for Entity and Name
}

// Mark locates a kept term or a replacement in an excerpt (byte offsets
// into Excerpt.Text), for highlighting.
type Mark struct {
	Start, End int
	Kind       Kind
}

// Excerpt is what the vault stores of a message.
type Excerpt struct {
	Text  string
	Marks []Mark
}

// Mask replaces each masked letter or digit.
const Mask = '•'

// Ellipsis marks text cut off at either end of an excerpt.
const Ellipsis = "…"

// Options bound an excerpt.
type Options struct {
	Context int // runes kept either side of the spans' extent; 0 means 60
	Max     int // most runes of original text covered; 0 means 400
}

func (o Options) context() int {
	if o.Context <= 0 {
		return 60
	}
	return o.Context
}

func (o Options) max() int {
	if o.Max <= 0 {
		return 400
	}
	return o.Max
}

// Make returns the excerpt of text that level allows, around spans (which
// need not be sorted; spans out of range or inside a rune are an error).
// The window runs from Context runes before the first span to Context runes
// after the last one, at most Max runes from the first span on.
func Make(level Level, text string, spans []Span, o Options) (Excerpt, error) {
	if _, err := ParseLevel(string(level)); err != nil {
		return Excerpt{}, err
	}
	for _, s := range spans {
		if s.Start < 0 || s.End > len(text) || s.Start > s.End || !boundary(text, s.Start) || !boundary(text, s.End) {
			return Excerpt{}, fmt.Errorf("redact: span [%d,%d) is not a rune range of a %d-byte text", s.Start, s.End, len(text))
		}
		if s.Kind != Term && s.Kind != Entity && s.Kind != Name {
			return Excerpt{}, fmt.Errorf("redact: span [%d,%d) has no kind", s.Start, s.End)
		}
	}
	if level == Sealed {
		return Excerpt{}, nil
	}
	spans = resolve(spans)
	lo, hi := window(text, spans, o)

	var b strings.Builder
	var marks []Mark
	if lo > 0 {
		b.WriteString(Ellipsis)
	}
	i := lo
	for _, s := range spans {
		if s.End <= lo || s.Start >= hi {
			continue
		}
		start, end := max(s.Start, lo), min(s.End, hi)
		plain(&b, level, text[i:start])
		m := Mark{Start: b.Len(), Kind: s.Kind}
		if s.Kind == Term {
			b.WriteString(text[start:end])
		} else {
			b.WriteString(s.Label)
		}
		m.End = b.Len()
		marks = append(marks, m)
		i = end
	}
	plain(&b, level, text[i:hi])
	if hi < len(text) {
		b.WriteString(Ellipsis)
	}
	return Excerpt{Text: b.String(), Marks: marks}, nil
}

// plain writes text outside every span: as written at the redacted level,
// masked at the masked level.
func plain(b *strings.Builder, level Level, s string) {
	if level == Redacted {
		b.WriteString(s)
		return
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.IsSymbol(r) {
			b.WriteRune(Mask)
		} else {
			b.WriteRune(r)
		}
	}
}

// resolve sorts spans and removes overlaps: a replacement (Entity, Name)
// takes the bytes it covers from any Term; of two overlapping replacements
// the longer (then the earlier) wins, and the other is merged into it.
func resolve(spans []Span) []Span {
	var repl, terms []Span
	for _, s := range spans {
		if s.Start == s.End {
			continue
		}
		if s.Kind == Term {
			terms = append(terms, s)
		} else {
			repl = append(repl, s)
		}
	}
	sort.Slice(repl, func(i, j int) bool {
		if repl[i].Start != repl[j].Start {
			return repl[i].Start < repl[j].Start
		}
		return repl[i].End > repl[j].End
	})
	var out []Span
	for _, s := range repl {
		if n := len(out); n > 0 && s.Start < out[n-1].End {
			last := &out[n-1]
			if s.End-s.Start > last.End-last.Start {
				last.Label, last.Kind = s.Label, s.Kind
			}
			last.End = max(last.End, s.End)
			continue
		}
		out = append(out, s)
	}
	// Terms keep only what no replacement covers; overlapping terms merge.
	for _, t := range terms {
		pieces := []Span{t}
		for _, r := range out {
			var next []Span
			for _, p := range pieces {
				if r.End <= p.Start || r.Start >= p.End {
					next = append(next, p)
					continue
				}
				if p.Start < r.Start {
					next = append(next, Span{Start: p.Start, End: r.Start, Kind: Term})
				}
				if r.End < p.End {
					next = append(next, Span{Start: r.End, End: p.End, Kind: Term})
				}
			}
			pieces = next
		}
		out = append(out, pieces...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Kind == Term && merged[n-1].Kind == Term && s.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// window returns the byte range of text an excerpt covers.
func window(text string, spans []Span, o Options) (lo, hi int) {
	if len(spans) == 0 {
		return 0, advance(text, 0, o.max())
	}
	first, last := spans[0].Start, spans[0].End
	for _, s := range spans {
		last = max(last, s.End)
	}
	lo = back(text, first, o.context())
	hi = min(advance(text, last, o.context()), advance(text, first, o.max()))
	return lo, max(hi, first)
}

// advance returns the offset n runes after i (or the end).
func advance(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// back returns the offset n runes before i (or 0).
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

func boundary(s string, i int) bool {
	return i == 0 || i == len(s) || utf8.RuneStart(s[i])
}
