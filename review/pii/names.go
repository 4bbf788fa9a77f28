package pii

import (
	"embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"sealroom/internal/ascii"
)

// Names come from two sources.
//
// Participants (Options.Names) are matched wherever they appear, in any
// case: they are the people of this conversation, so "alice" in a
// message among Alice Martin's is her.
//
// The gazetteer (gazetteer/*.txt: common given names and surnames in
// English, Brazilian Portuguese, Spanish, Hindi in Latin script and
// Chinese) is matched more carefully, because many names are also words:
//
//   - Latin script: a title-case token ("Maria", not "maria" or "MARIA").
//     A given name or surname alone is flagged at a low score, unless the
//     list marks it as a common word ("Will", "Rosa", "Brown"); such a
//     name needs a title before it ("Mr Brown") or a surname after it
//     ("Will Smith"). A given name or surname followed by surnames (with
//     da, de, dos … between) is one span: "João da Silva".
//   - Chinese: surname plus one or two characters matches a large part of
//     ordinary Chinese text (王 is "king", 高 "tall", 金 "gold"), so a Han
//     name is flagged only when it is a participant's, or when a strong
//     context marks it: a title after it (王先生, 李小姐, 陈老师) or an
//     introduction before it (我叫…, 姓名：…).

//go:embed gazetteer/*.txt
var gazetteerFS embed.FS

// nameKind is a gazetteer entry's role.
type nameKind uint8

const (
	givenName nameKind = 1 << iota
	surname
	ambiguous // also a common word: never flagged alone
)

type gazetteer struct {
	latin map[string]nameKind       // title case as written
	shape [26 * 32 * 16 / 64]uint64 // shapeKey of each ASCII entry: a filter before the map
	zh    map[rune]bool             // one-character Han surnames
	zh2   []string                  // compound Han surnames
}

// loadGazetteer parses the embedded lists once per process. The result is
// never modified, so sharing it between Detectors and goroutines is safe;
// parsing lazily keeps a program that never detects from paying for it.
var loadGazetteer = sync.OnceValue(func() *gazetteer {
	g := &gazetteer{latin: make(map[string]nameKind), zh: make(map[rune]bool)}
	read := func(file string, kind nameKind) {
		b, err := gazetteerFS.ReadFile(file)
		if err != nil {
			panic("pii: internal error: " + err.Error())
		}
		for line := range strings.Lines(string(b)) {
			line = strings.TrimSpace(line)
			if line == "" || line[0] == '#' {
				continue
			}
			k := kind
			if strings.HasSuffix(line, "*") {
				line, k = line[:len(line)-1], k|ambiguous
			}
			g.latin[line] |= k
			if key, ok := shapeKey(line); ok {
				g.shape[key/64] |= 1 << (key % 64)
			}
		}
	}
	read("gazetteer/given.txt", givenName)
	read("gazetteer/surnames.txt", surname)
	b, err := gazetteerFS.ReadFile("gazetteer/zh_surnames.txt")
	if err != nil {
		panic("pii: internal error: " + err.Error())
	}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		switch n := utf8.RuneCountInString(line); {
		case line == "" || line[0] == '#':
		case n == 1:
			r, _ := utf8.DecodeRuneInString(line)
			g.zh[r] = true
		default:
			g.zh2 = append(g.zh2, line)
		}
	}
	return g
})

// shapeKey combines a title-case word's first letter (A-Z), its last
// byte's low five bits and its length mod 16: most capitalised words of a
// sentence ("The", "Please", "Meeting") share no key with a name, so the
// map is not consulted for them. Words starting with a non-ASCII letter
// have no key and always go to the map.
func shapeKey(w string) (int, bool) {
	if !isUpper(w[0]) {
		return 0, false
	}
	return (int(w[0]-'A')*32+int(w[len(w)-1]&31))*16 + len(w)%16, true
}

// lookup returns the gazetteer's entry for a title-case word.
func (g *gazetteer) lookup(w string) nameKind {
	if key, ok := shapeKey(w); ok && g.shape[key/64]&(1<<(key%64)) == 0 {
		return 0
	}
	return g.latin[w]
}

// addParticipants splits the participants' names into Latin tokens and
// names in other scripts.
func (d *Detector) addParticipants(names []string) {
	for _, name := range names {
		for _, tok := range strings.FieldsFunc(name, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '\'' && r != '-'
		}) {
			r, _ := utf8.DecodeRuneInString(tok)
			if r < 0x80 || isLatinLetter(r) {
				if utf8.RuneCountInString(tok) < 2 || particle(tok) {
					continue
				}
				d.latin = append(d.latin, token{strings.ToLower(tok), ascii.Is(tok)})
				d.latinFirst[tok[0]] = true
				d.latinFirst[strings.ToUpper(tok[:1])[0]] = true
				d.latinFirst[strings.ToLower(tok[:1])[0]] = true
				continue
			}
			d.other = append(d.other, participant{tok, 0.95})
			if rs := []rune(tok); len(rs) == 3 && unicode.Is(unicode.Han, rs[0]) {
				d.other = append(d.other, participant{string(rs[1:]), 0.8}) // 小明 of 王小明
			}
		}
	}
}

// token is a participant's Latin name token, lower-case.
type token struct {
	s     string
	ascii bool
}

// isParticipant reports whether the word is one of the participants'
// Latin tokens.
func (d *Detector) isParticipant(w string) bool {
	if !d.latinFirst[w[0]] {
		return false
	}
	for _, t := range d.latin {
		// Case folding keeps an ASCII token's length; other tokens may
		// change length by a byte or two (ß, ſ).
		if n := len(t.s); n != len(w) && (t.ascii || n > len(w)+2 || len(w) > n+2) {
			continue
		}
		if strings.EqualFold(t.s, w) {
			return true
		}
	}
	return false
}

// particle reports whether w joins a given name to a surname.
func particle(w string) bool {
	switch w {
	case "da", "de", "do", "das", "dos", "del", "della", "di", "van", "von", "la", "le":
		return true
	}
	return false
}

// titleCase reports whether w has an upper-case first letter and no other
// upper-case ASCII letter.
func titleCase(w string) bool {
	if c := w[0]; c < 0x80 {
		if !isUpper(c) {
			return false
		}
	} else if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
		return false
	}
	for k := 1; k < len(w); k++ {
		if isUpper(w[k]) {
			return false
		}
	}
	return true
}

// name emits a name starting with the word text[i:j].
func (s *scanner) name(i, j int) int {
	w := s.text[i:j]
	if len(w) < 2 {
		return -1
	}
	if len(s.d.latin) > 0 && s.d.isParticipant(w) {
		end := s.moreNames(j)
		s.emit(Name, i, end, 0.95)
		return end
	}
	if (w[0] < 0x80 && !isUpper(w[0])) || !titleCase(w) {
		return -1
	}
	kind := s.d.gaz.lookup(w)
	if kind == 0 {
		return -1
	}
	if end := s.moreNames(j); end > j {
		s.emit(Name, i, end, 0.85)
		return end
	}
	switch {
	case titleBefore(s.text, i):
		s.emit(Name, i, j, 0.8)
	case kind&ambiguous == 0:
		s.emit(Name, i, j, scoreName)
	default:
		return -1
	}
	return j
}

// moreNames extends a name ending at j over the surnames (or participant
// tokens) that follow it, each after one space and optionally a particle:
// "Maria da Silva Santos". It returns the new end.
func (s *scanner) moreNames(j int) int {
	text := s.text
	for range 3 {
		p := j
		if p+1 >= len(text) || text[p] != ' ' {
			break
		}
		p++
		q, _, letter, _ := wordEnd(text, p)
		if q > p && letter && particle(text[p:q]) && q+1 < len(text) && text[q] == ' ' {
			p = q + 1
			q, _, letter, _ = wordEnd(text, p)
		}
		if q-p < 2 || !letter || nextGlue(text, q) {
			break
		}
		w := text[p:q]
		if !(titleCase(w) && s.d.gaz.lookup(w)&surname != 0) && !(len(s.d.latin) > 0 && s.d.isParticipant(w)) {
			break
		}
		j = q
	}
	return j
}

// titleBefore reports whether a title ("Mr", "Sra.", "Shri") and a space
// come right before i.
func titleBefore(text string, i int) bool {
	if i < 3 || text[i-1] != ' ' {
		return false
	}
	e := i - 1
	if text[e-1] == '.' {
		e--
	}
	b := e
	for b > 0 && (isUpper(text[b-1]) || isLower(text[b-1])) {
		b--
	}
	for _, t := range titles {
		if strings.EqualFold(text[b:e], t) {
			return true
		}
	}
	return false
}

// titles are the honorifics titleBefore knows, in the six languages.
var titles = []string{"mr", "mrs", "ms", "miss", "dr", "prof", "sr", "sra", "srta", "dona", "dom", "don", "senhor", "senhora", "shri", "sri", "smt"}
