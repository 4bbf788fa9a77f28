package pii

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Han names: participants' names in scripts without spaces between words
// are found as substrings; other Han names only in a strong context (see
// the comment at the top of names.go for why).

// Han context: titles after a name and introductions before one.
var (
	zhTitles = []string{"先生", "女士", "小姐", "太太", "老师", "老師", "经理", "經理", "律师", "律師", "医生", "醫生"}
	zhIntros = []string{"我叫", "名叫", "我姓", "姓名：", "姓名:", "联系人：", "聯絡人："}
)

// hanNames finds participants' names in scripts without spaces, and Han
// names in a strong context.
func (s *scanner) hanNames() {
	text := s.text
	for _, p := range s.d.other {
		for off := 0; ; {
			k := strings.Index(text[off:], p.name)
			if k < 0 {
				break
			}
			s.emit(Name, off+k, off+k+len(p.name), p.score)
			off += k + len(p.name)
		}
	}
	if !s.cue {
		return
	}
	for k := 0; k+6 <= len(text); {
		c := text[k]
		if c < 0xE0 || c >= 0xF0 || text[k+1]&0xC0 != 0x80 || text[k+2]&0xC0 != 0x80 {
			k++
			continue
		}
		if hanCue[cueKey(text[k+1], text[k+2])] {
			s.hanContext(k)
		}
		k += 3
	}
}

// hanCue marks the first characters of zhTitles and zhIntros by the low
// six bits of their second and third bytes: a filter the scanner applies to
// every three-byte character, exact but for the rare character that shares
// both bytes under another lead byte.
var hanCue = func() (t [4096]bool) {
	for _, w := range slices.Concat(zhTitles, zhIntros) {
		t[cueKey(w[1], w[2])] = true
	}
	return t
}()

func cueKey(b1, b2 byte) int { return int(b1&0x3F)<<6 | int(b2&0x3F) }

// hanContext checks for a title or an introduction at text[k], which
// starts a three-byte character that passed hanCue.
func (s *scanner) hanContext(k int) {
	rest := s.text[k:]
	for _, t := range zhTitles {
		if rest[2] == t[2] && rest[1] == t[1] && strings.HasPrefix(rest, t) {
			s.hanBefore(k)
			return
		}
	}
	for _, t := range zhIntros {
		if rest[2] == t[2] && rest[1] == t[1] && strings.HasPrefix(rest, t) {
			s.hanAfter(k+len(t), t == "我姓")
			return
		}
	}
}

// hanBefore emits the Han name ending at k, before a title: a surname and
// at most two more characters, the longest that fits.
func (s *scanner) hanBefore(k int) {
	var starts [5]int // starts[m]: the start of the m runes before k
	starts[0] = k
	m := 0
	for m < 4 {
		r, n := utf8.DecodeLastRuneInString(s.text[:starts[m]])
		if n == 0 || !unicode.Is(unicode.Han, r) {
			break
		}
		m++
		starts[m] = starts[m-1] - n
	}
	for l := m; l >= 1; l-- {
		name := s.text[starts[l]:k]
		if sl := s.surnameLen(name); sl > 0 && utf8.RuneCountInString(name[sl:]) <= 2 {
			s.emit(Name, starts[l], k, 0.7)
			return
		}
	}
}

// hanAfter emits the Han name starting at p, after an introduction: a
// surname and up to two more Han characters, or the surname alone.
func (s *scanner) hanAfter(p int, surnameOnly bool) {
	sl := s.surnameLen(s.text[p:])
	if sl == 0 {
		return
	}
	end := p + sl
	for range 2 {
		if surnameOnly {
			break
		}
		r, n := utf8.DecodeRuneInString(s.text[end:])
		if n == 0 || !unicode.Is(unicode.Han, r) {
			break
		}
		end += n
	}
	s.emit(Name, p, end, 0.7)
}

// surnameLen returns the length in bytes of the Han surname that starts
// name, or 0.
func (s *scanner) surnameLen(name string) int {
	for _, c := range s.d.gaz.zh2 {
		if strings.HasPrefix(name, c) {
			return len(c)
		}
	}
	r, n := utf8.DecodeRuneInString(name)
	if s.d.gaz.zh[r] {
		return n
	}
	return 0
}
