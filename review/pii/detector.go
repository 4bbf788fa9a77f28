package pii

import (
	"slices"
	"time"
)

// Options configures a Detector.
type Options struct {
	// Names are the participants' names from the conversation's metadata
	// ("Alice Martin", "王小明"). Each Latin-script token of two or more
	// letters is matched on its own, in any case; a name in another script
	// is matched as a whole, and a three-character Chinese name also by
	// its two-character given name.
	Names []string
	// Now is the day a Chinese resident ID's birth date may not follow.
	// The zero value means time.Now() when New is called.
	Now time.Time
}

// Detector finds personal data in message text. It holds no mutable state
// after New, so one Detector may be used by any number of goroutines.
//
// New is cheap (it splits Options.Names into a handful of tokens; the
// gazetteer is parsed once per process, on first use), so the intended use
// is one Detector per conversation, built from that conversation's
// participants. Passing names per Detect call instead would split them for
// every message.
type Detector struct {
	today      int           // yyyymmdd, the latest birth date a resident ID may hold
	latin      []token       // participants' Latin tokens
	latinFirst [256]bool     // first bytes of latin, both cases: a cheap filter per word
	other      []participant // participants' names in other scripts, matched as substrings
	gaz        *gazetteer
}

// participant is a name in a script without spaces between words.
type participant struct {
	name  string
	score float32
}

// New returns a Detector for one conversation.
func New(o Options) *Detector {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := &Detector{
		today: now.Year()*10000 + int(now.Month())*100 + now.Day(),
		gaz:   loadGazetteer(),
	}
	d.addParticipants(o.Names)
	return d
}

// Detect appends to dst the entities found in text and returns the
// extended slice. The appended entities are sorted by Start and do not
// overlap: where two candidates overlap, the longer wins, then the one
// with the higher score. Entities already in dst are left alone.
func (d *Detector) Detect(text string, dst []Entity) []Entity {
	base := len(dst)
	s := scanner{d: d, text: text, out: dst}
	s.scan()
	if s.han && (len(d.other) > 0 || s.cue) {
		s.hanNames()
	}
	return resolve(s.out, base)
}

// scanner is one Detect call's state.
type scanner struct {
	d    *Detector
	text string
	out  []Entity
	high bool // the text has a non-ASCII byte
	han  bool // the text has a byte that may lead a Han character
	cue  bool // the text may hold a Han title or introduction (see hanCue)
}

func (s *scanner) emit(t Type, start, end int, score float32) {
	s.out = append(s.out, Entity{Type: t, Start: start, End: end, Score: score})
}

// scan is the single pass over the bytes: each trigger byte dispatches to
// the validators that may start there, which return where to resume.
// Bytes that trigger nothing, and well-formed three-byte UTF-8 sequences
// (Han, kana, most punctuation of CJK text), are skipped inline.
func (s *scanner) scan() {
	text := s.text
	han, cue := false, false
	for i := 0; i < len(text); {
		c := text[i]
		switch class[c] {
		case cNone:
			i++
			for i < len(text) && class[text[i]] == cNone {
				i++
			}
		case cDigit:
			i = s.digitWord(i)
		case cLower:
			// Fast path: a lower-case ASCII word that is no participant's
			// name and is followed by a byte that triggers nothing can
			// start nothing (bc1 wallets and IPv6 need a digit or ':',
			// e-mail local parts are read back from the '@').
			if !s.d.latinFirst[c] {
				j := i + 1
				for j < len(text) && isLower(text[j]) {
					j++
				}
				if j == len(text) || class[text[j]] == cNone {
					i = j
					continue
				}
			}
			i = s.letterWord(i)
		case cUpper:
			i = s.letterWord(i)
		case cAt:
			i = s.email(i)
		case cPlus:
			i = s.plus(i, 1)
		case cParen:
			i = s.paren(i)
		case cHigh:
			s.high = true
			if c >= 0xE0 && c < 0xEF && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
				if c >= 0xE3 && c <= 0xE9 {
					han = true
					cue = cue || hanCue[cueKey(text[i+1], text[i+2])]
				}
				i += 3
				continue
			}
			i = s.nonASCII(i)
		case cColon:
			i = s.colon(i)
		}
	}
	s.han = s.han || han
	s.cue = cue
}

// nonASCII handles a UTF-8 lead byte: a full-width digit or plus sign may
// start a number, a Latin letter a word; anything else is skipped whole
// when well formed and byte by byte when not, so no ASCII byte is skipped.
func (s *scanner) nonASCII(i int) int {
	text := s.text
	s.high = true
	c := text[i]
	switch {
	case c == 0xEF && i+2 < len(text) && text[i+1] == 0xBC:
		if text[i+2]-0x90 < 10 { // full-width digit
			if leftOK(text, i) {
				if end := s.number(i, i, false); end > 0 {
					return end
				}
			}
			return i + 3
		}
		if text[i+2] == 0x8B { // full-width plus sign
			return s.plus(i, 3)
		}
		return i + 3
	case c >= 0xC3 && c <= 0xC9:
		if i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			if isLatinLetter(rune(c&0x1F)<<6 | rune(text[i+1]&0x3F)) {
				return s.letterWord(i)
			}
			return i + 2
		}
	case c >= 0xE0 && c < 0xF0:
		if c >= 0xE3 && c <= 0xE9 {
			s.han = true
		}
		if i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			return i + 3
		}
	case c < 0xE0:
		if i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			return i + 2
		}
	default:
		if i+3 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 && text[i+3]&0xC0 == 0x80 {
			return i + 4
		}
	}
	return i + 1
}

// digitWord handles a word that starts with an ASCII digit.
func (s *scanner) digitWord(i int) int {
	text := s.text
	j, _, letter, latin := wordEnd(text, i)
	if latin || !leftOK(text, i) || (i > 0 && text[i-1] == '+') {
		return j // a '+' before was tried as a phone's, and failed
	}
	if !letter && j-i < 4 && (j == len(text) || !continuesNumber(text[j])) {
		return j // "5", "12", "300": too short, and no group follows
	}
	if !letter || (j-i == 18 && text[j-1]|0x20 == 'x') {
		if end := s.number(i, i, false); end > 0 {
			return end
		}
	} else if end := s.wallet(i, j); end > 0 {
		return end
	}
	if j < len(text) && text[j] == ':' {
		if end := s.ipv6(i); end > 0 {
			return end
		}
	}
	return j
}

// continuesNumber reports whether c may join a digit group to the next:
// a separator, a parenthesis, a colon (IPv6) or a full-width digit's lead.
func continuesNumber(c byte) bool {
	return c == ' ' || numSep(c) || c == '(' || c == ':' || c == 0xEF
}

// letterWord handles a word that starts with a letter.
func (s *scanner) letterWord(i int) int {
	text := s.text
	j, digit, _, latin := wordEnd(text, i)
	if (i > 0 && (text[i-1] == '_' || text[i-1] >= 0x80 && prevGlueRune(text, i))) || (j < len(text) && text[j] == '_') {
		return j
	}
	if digit {
		if latin {
			return j
		}
		if end := s.idWord(i, j); end > 0 {
			return end
		}
	} else if end := s.name(i, j); end > 0 {
		return end
	}
	if j < len(text) && text[j] == ':' && !latin {
		if end := s.ipv6(i); end > 0 {
			return end
		}
	}
	return j
}

// idWord tries the letter-led identifiers on the word text[i:j].
func (s *scanner) idWord(i, j int) int {
	w := s.text[i:j]
	switch {
	case len(w) >= 4 && isUpper(w[0]) && isUpper(w[1]) && isDigit(w[2]) && isDigit(w[3]):
		if end := s.iban(i, j); end > 0 {
			return end
		}
	case len(w) > 3 && (w[:3] == "bc1" || w[:3] == "BC1"):
		return s.wallet(i, j)
	}
	if end := s.pan(i, j); end > 0 {
		return end
	}
	return s.hkid(i, j)
}

// plus handles a '+' (n = 1) or a full-width '＋' (n = 3) at i.
func (s *scanner) plus(i, n int) int {
	if _, size := digitAt(s.text, i+n); size > 0 && !prevGlue(s.text, i) {
		if end := s.number(i, i+n, true); end > 0 {
			return end
		}
	}
	return i + n
}

// paren handles '(' followed by a digit: "(11) 91234-5678".
func (s *scanner) paren(i int) int {
	if _, size := digitAt(s.text, i+1); size > 0 && !prevGlue(s.text, i) {
		if end := s.number(i, i, false); end > 0 {
			return end
		}
	}
	return i + 1
}

// colon handles "::" starting an IPv6 address ("::1", "::ffff:1.2.3.4").
func (s *scanner) colon(i int) int {
	if i+2 < len(s.text) && s.text[i+1] == ':' && !prevGlue(s.text, i) && (i == 0 || s.text[i-1] != ':') {
		if end := s.ipv6(i); end > 0 {
			return end
		}
	}
	return i + 1
}

// resolve sorts the entities appended after base by Start and drops
// overlaps: of two overlapping entities the longer stays, then the one
// with the higher score.
func resolve(dst []Entity, base int) []Entity {
	es := dst[base:]
	if len(es) < 2 {
		return dst
	}
	slices.SortFunc(es, func(a, b Entity) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := es[:0]
	for _, e := range es {
		if n := len(out); n > 0 && e.Start < out[n-1].End {
			// Kept entities do not overlap and start no later than e, so
			// e can overlap only the last.
			if k := out[n-1]; e.End-e.Start > k.End-k.Start || (e.End-e.Start == k.End-k.Start && e.Score > k.Score) {
				out[n-1] = e
			}
			continue
		}
		out = append(out, e)
	}
	return dst[:base+len(out)]
}
