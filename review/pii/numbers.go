package pii

// A number is read as a run of digit groups joined by the separators people
// type: "4111 1111 1111 1111", "123.456.789-09", "+55 (11) 91234-5678",
// "１３８００１３８０００". Digits may be ASCII or full-width; a group may be
// wrapped in parentheses. The run's digits are copied out as ASCII and each
// group keeps its byte span, so a validator sees "12345678909" while the
// entity covers the text as written.
//
// Candidates are the run's prefixes, longest first; a prefix may end before
// the run does only at a space (the "4111 1111 1111 1111" of
// "4111 1111 1111 1111 12/25"). Later starts are tried when the scanner
// reaches the next group on its own.

import "unicode"

const (
	maxGroups = 12 // more groups than any format here, with room for a trailing date
	maxDigits = 24 // longer than any value here (IBANs are read elsewhere)
)

type group struct {
	start, end int  // bytes, parentheses included
	d0, d1     int  // the group's digits are run.dig[d0:d1]
	sep        byte // the separator before it: 0 for the first, ' ', '-', '.', '/', or ')' for none next to a parenthesis
	paren      bool
}

type run struct {
	plus bool // the run follows a '+'
	x    bool // a resident ID's check character 'X' ends the only group
	g    [maxGroups]group
	ng   int
	dig  [maxDigits]byte
	nd   int
}

// collect reads the run whose first group starts at p.
func (r *run) collect(text string, p int) {
	var sep byte
	for r.ng < maxGroups {
		q := p
		paren := p < len(text) && text[p] == '('
		if paren {
			q++
		}
		d0 := r.nd
		for {
			d, size := digitAt(text, q)
			if size == 0 {
				break
			}
			if r.nd == maxDigits {
				r.nd = d0
				return
			}
			r.dig[r.nd] = '0' + d
			r.nd++
			q += size
		}
		if r.nd == d0 {
			return
		}
		if paren {
			if q >= len(text) || text[q] != ')' {
				r.nd = d0
				return
			}
			q++
		}
		if r.ng == 0 && !paren && r.nd == 17 && q < len(text) && text[q]|0x20 == 'x' && !nextGlue(text, q+1) {
			r.x = true
			r.g[0] = group{start: p, end: q + 1, d0: 0, d1: 17}
			r.ng = 1
			return
		}
		if nextGlue(text, q) {
			r.nd = d0
			return
		}
		r.g[r.ng] = group{start: p, end: q, d0: d0, d1: r.nd, sep: sep, paren: paren}
		r.ng++
		if q >= len(text) {
			return
		}
		switch c := text[q]; {
		case c == ' ' && q+1 < len(text) && text[q+1] == '(':
			sep, p = ' ', q+1
		case (c == ' ' || numSep(c)):
			if _, size := digitAt(text, q+1); size == 0 {
				return
			}
			sep, p = c, q+1
		case c == '(' || paren:
			if _, size := digitAt(text, q); size == 0 && c != '(' {
				return
			}
			sep, p = ')', q
		default:
			return
		}
	}
}

// shape describes the groups of a candidate: their digit counts and the
// separators between them.
type shape struct {
	n     int // digits
	k     int // groups
	sizes [maxGroups]int
	seps  [maxGroups]byte // seps[i] precedes group i; seps[0] == 0
	paren bool            // some group is in parentheses
	p0    bool            // the first group is in parentheses
	slash bool
}

func (r *run) shape(e int) shape {
	sh := shape{n: r.g[e].d1, k: e + 1, p0: r.g[0].paren}
	for i := 0; i <= e; i++ {
		g := &r.g[i]
		sh.sizes[i] = g.d1 - g.d0
		sh.seps[i] = g.sep
		sh.paren = sh.paren || g.paren
		sh.slash = sh.slash || g.sep == '/'
	}
	return sh
}

// is reports whether the candidate's group sizes are exactly sizes.
func (sh *shape) is(sizes ...int) bool {
	if sh.k != len(sizes) {
		return false
	}
	for i, n := range sizes {
		if sh.sizes[i] != n {
			return false
		}
	}
	return true
}

// uniform returns the one separator used between all groups, or 0 when
// there is one group, a parenthesis, or several kinds.
func (sh *shape) uniform() byte {
	if sh.k < 2 || sh.paren {
		return 0
	}
	c := sh.seps[1]
	for i := 2; i < sh.k; i++ {
		if sh.seps[i] != c {
			return 0
		}
	}
	return c
}

// plain reports whether the candidate is one group of bare digits.
func (sh *shape) plain() bool { return sh.k == 1 && !sh.paren }

// number reads the run starting at start (a '+', '(' or the first digit;
// the first group begins at p) and emits its longest valid candidate. It
// returns the candidate's end, or -1.
func (s *scanner) number(start, p int, plus bool) int {
	var r run
	r.plus = plus
	r.collect(s.text, p)
	if r.nd < 4 {
		return -1
	}
	for e := r.ng - 1; e >= 0 && r.g[e].d1 >= 4; e-- {
		if e < r.ng-1 && r.g[e+1].sep != ' ' {
			continue
		}
		end := r.g[e].end
		if !rightOK(s.text, end) {
			continue
		}
		if t, score := s.classify(&r, e, start); t != "" {
			s.emit(t, start, end, score)
			return end
		}
	}
	return -1
}

// classify names the candidate made of groups 0..e, most specific
// (checksummed) types first.
func (s *scanner) classify(r *run, e, start int) (Type, float32) {
	sh := r.shape(e)
	d := r.dig[:sh.n]
	switch {
	case r.plus:
		if phoneE164(r, e) {
			return Phone, scoreShape
		}
		return "", 0
	case r.x:
		if cnResidentID(d, 'X', s.d.today) {
			return IDCN, scoreChecksum
		}
		return "", 0
	case sh.k == 4 && sh.n <= 12 && sh.uniform() == '.':
		if ipv4(&sh, d) {
			return IP, scoreShape
		}
	}
	if t, score := s.identifier(&sh, d, start); t != "" {
		return t, score
	}
	if sh.slash && !sh.is(sh.sizes[0], sh.n-sh.sizes[0]) {
		return "", 0 // a slash joins only an area code to a phone number
	}
	if sh.n >= 8 && phoneNational(&sh, d) {
		return Phone, scoreNational
	}
	if sh.n >= 7 && sh.n <= 15 && !sh.slash && hasWordBefore(s.text, start, 32, phoneWords, phoneFirst) {
		return Phone, scoreContext
	}
	return "", 0
}

// identifier checks the numeric identifiers and cards, each by its length
// and layouts first.
func (s *scanner) identifier(sh *shape, d []byte, start int) (Type, float32) {
	switch sh.n {
	case 18:
		if sh.plain() && cnResidentID(d, 0, s.d.today) {
			return IDCN, scoreChecksum
		}
	case 14:
		if cnpjShape(sh) && cnpj(d) {
			return CNPJ, scoreChecksum
		}
	case 11:
		// About one bare Chinese mobile number in 100 also passes the CPF
		// check: written bare, 1[3-9] and 11 digits in Chinese text is a
		// phone unless "CPF" comes before it. The context decides, so the
		// phone scores as context-found.
		if cpfShape(sh) && cpf(d) {
			if sh.plain() && d[0] == '1' && d[1] >= '3' && hanBefore(s.text, start, 48) &&
				!hasWordBefore(s.text, start, 24, cpfWords, cpfFirst) {
				return Phone, scoreContext
			}
			return CPF, scoreChecksum
		}
	case 12:
		if aadhaarShape(sh) && aadhaar(d) {
			return Aadhaar, scoreChecksum
		}
	case 9:
		if ssnArea(d) {
			if sh.is(3, 2, 4) && spaceOrDash(sh.uniform()) {
				return SSN, scoreShape
			}
			if sh.plain() && hasWordBefore(s.text, start, 24, ssnWords, ssnFirst) {
				return SSN, scoreContext
			}
		}
	}
	if sh.n >= 12 && sh.n <= 19 && cardShape(sh) && card(d) {
		return Card, scoreLuhn
	}
	return "", 0
}

func spaceOrDash(c byte) bool { return c == ' ' || c == '-' }

// ssnWords and phoneWords are context words that make a bare run of digits
// an SSN or a phone number. ASCII words must start a word of the text.
var (
	ssnWords   = []string{"ssn", "social security", "ss#"}
	phoneWords = []string{
		"tel", "phone", "mobile", "cell", "call", "whatsapp", "sms", "mob", "contact",
		"número", "numero", "telefone", "teléfono", "celular", "móvil", "movil", "fone", "zap",
		"电话", "電話", "手机", "手機", "联系", "聯繫", "聯絡", "号码", "號碼",
	}
	cpfWords             = []string{"cpf"}
	ssnFirst, phoneFirst = firstBytes(ssnWords), firstBytes(phoneWords)
	cpfFirst             = firstBytes(cpfWords)
)

// hanBefore reports whether a Han character is among the window bytes
// before i.
func hanBefore(text string, i, window int) bool {
	for _, r := range text[max(0, i-window):i] {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
