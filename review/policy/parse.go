package policy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that keep a hostile or mistaken file from costing much: policy
// files are small, hand-written text.
const (
	maxFileSize = 4 << 20 // bytes per file
	maxTermLen  = 200     // bytes per term, exclusion or NEAR operand
	maxNear     = 50      // the largest N in NEAR/N
	maxMinHits  = 100
	maxIDLen    = 64
)

const header = "sealroom-policy"

// Parse reads the policies of one file; name is used in error messages.
// Every syntax error is a *ParseError naming the file and line.
func Parse(name string, r io.Reader) ([]*Policy, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("failed to read policy file %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, &ParseError{name, 1, fmt.Sprintf("file larger than %d bytes", maxFileSize)}
	}
	p := parser{file: name}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxFileSize+1)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Text()); err != nil {
			return nil, err
		}
	}
	if p.line == 0 {
		p.line = 1
		return nil, p.errorf("empty file: the first line must be %q", fmt.Sprintf("%s %d", header, Version))
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	return p.pols, nil
}

// ParseFS reads every *.policy file of fsys's top directory, in name order.
func ParseFS(fsys fs.FS) ([]*Policy, error) {
	names, err := fs.Glob(fsys, "*.policy")
	if err != nil {
		return nil, fmt.Errorf("failed to list policy files: %w", err)
	}
	var all []*Policy
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return nil, fmt.Errorf("failed to open policy file: %w", err)
		}
		pols, err := Parse(n, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		all = append(all, pols...)
	}
	return all, nil
}

type parser struct {
	file string
	line int
	pols []*Policy
	cur  *Policy
	seen map[string]bool // single-valued keys set in cur, and terms per language
}

func (p *parser) errorf(format string, a ...any) error {
	return &ParseError{p.file, p.line, fmt.Sprintf(format, a...)}
}

func (p *parser) parseLine(s string) error {
	if !utf8.ValidString(s) {
		return p.errorf("invalid UTF-8")
	}
	s = strings.TrimSpace(s)
	if p.line == 1 {
		return p.parseHeader(s)
	}
	if s == "" || s[0] == '#' {
		return nil
	}
	k, v, ok := strings.Cut(s, ":")
	if !ok {
		return p.errorf("expected \"key: value\"")
	}
	v = strings.TrimSpace(v)
	key, lang, hasLang := strings.Cut(strings.TrimSpace(k), " ")
	lang = strings.TrimSpace(lang)
	switch key {
	case "term", "near", "exclude":
		if !hasLang || lang == "" {
			return p.errorf("%s needs a language: \"%s LANG: …\"", key, key)
		}
	case "policy", "name", "category", "severity", "languages", "min_hits", "detect":
		if hasLang {
			return p.errorf("%s takes no language", key)
		}
	default:
		return p.errorf("unknown key %q", key)
	}
	if key == "policy" {
		return p.startPolicy(v)
	}
	if p.cur == nil {
		return p.errorf("%s before the first \"policy:\" line", key)
	}
	if v == "" {
		return p.errorf("%s has no value", key)
	}
	return p.setField(key, lang, v)
}

func (p *parser) parseHeader(s string) error {
	s = strings.TrimPrefix(s, "\uFEFF") // a BOM some editors add
	h, ver, ok := strings.Cut(s, " ")
	if !ok || h != header {
		return p.errorf("the first line must be %q", fmt.Sprintf("%s %d", header, Version))
	}
	n, err := strconv.Atoi(strings.TrimSpace(ver))
	if err != nil || n != Version {
		return p.errorf("unsupported version %q: this build reads version %d", strings.TrimSpace(ver), Version)
	}
	return nil
}

func (p *parser) startPolicy(id string) error {
	if err := p.finish(); err != nil {
		return err
	}
	if !validID(id) {
		return p.errorf("invalid policy id %q: use 1 to %d of a-z 0-9 . - _, starting with a letter or digit", id, maxIDLen)
	}
	for _, q := range p.pols {
		if q.ID == id {
			return p.errorf("policy %q already defined at line %d", id, q.Line)
		}
	}
	p.cur = &Policy{ID: id, File: p.file, Line: p.line}
	p.seen = map[string]bool{}
	return nil
}

func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i, c := range []byte(id) {
		alnum := 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '-' && c != '_') {
			return false
		}
	}
	return true
}

func (p *parser) setField(key, lang, v string) error {
	single := key != "term" && key != "near" && key != "exclude"
	if single {
		if p.seen[key] {
			return p.errorf("%s set twice", key)
		}
		p.seen[key] = true
	}
	c := p.cur
	switch key {
	case "name":
		c.Name = v
	case "category":
		if !slices.Contains(Categories, Category(v)) {
			return p.errorf("unknown category %q (one of %s)", v, joinAny(Categories))
		}
		c.Category = Category(v)
	case "severity":
		if !slices.Contains(severities, Severity(v)) {
			return p.errorf("unknown severity %q (one of %s)", v, joinAny(severities))
		}
		c.Severity = Severity(v)
	case "languages":
		for _, l := range strings.Fields(v) {
			if !slices.Contains(Languages, l) {
				return p.errorf("unknown language %q (one of %s)", l, strings.Join(Languages, " "))
			}
			if slices.Contains(c.Languages, l) {
				return p.errorf("language %s listed twice", l)
			}
			c.Languages = append(c.Languages, l)
		}
	case "min_hits":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxMinHits {
			return p.errorf("min_hits %q: want a number from 1 to %d", v, maxMinHits)
		}
		c.MinHits = n
	case "detect":
		for _, d := range strings.Fields(v) {
			if !slices.Contains(detectors[:], Detector(d)) {
				return p.errorf("unknown detector %q (one of %s)", d, joinAny(detectors[:]))
			}
			if slices.Contains(c.Detect, Detector(d)) {
				return p.errorf("detector %s listed twice", d)
			}
			c.Detect = append(c.Detect, Detector(d))
		}
	default: // term, near, exclude
		return p.addLexeme(key, lang, v)
	}
	return nil
}

func (p *parser) addLexeme(key, lang, v string) error {
	c := p.cur
	if !slices.Contains(c.Languages, lang) {
		return p.errorf("language %q is not in this policy's languages line (which must come first)", lang)
	}
	if key == "near" {
		n, err := p.parseNear(lang, v)
		if err != nil {
			return err
		}
		c.Near = append(c.Near, n)
		p.seen["lang "+lang] = true
		return nil
	}
	t, err := p.checkTerm(v)
	if err != nil {
		return err
	}
	dup := key + " " + lang + ": " + t
	if p.seen[dup] {
		return p.errorf("duplicate %s", key)
	}
	p.seen[dup] = true
	if key == "term" {
		c.Terms = append(c.Terms, Term{lang, t, p.line})
		p.seen["lang "+lang] = true
	} else {
		c.Exclude = append(c.Exclude, Term{lang, t, p.line})
	}
	return nil
}

// checkTerm collapses a term's inner white space and checks its length and
// its '*', which may only end it.
func (p *parser) checkTerm(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || s == "*" {
		return "", p.errorf("empty term")
	}
	if len(s) > maxTermLen {
		return "", p.errorf("term longer than %d bytes", maxTermLen)
	}
	if i := strings.IndexByte(s, '*'); i >= 0 && i != len(s)-1 {
		return "", p.errorf("'*' may only end a term (a prefix)")
	}
	if strings.HasSuffix(s, " *") {
		return "", p.errorf("'*' must follow a letter: \"word*\"")
	}
	return s, nil
}

// parseNear reads "A NEAR/N B".
func (p *parser) parseNear(lang, v string) (Near, error) {
	a, rest, ok := strings.Cut(v, " NEAR/")
	if !ok {
		return Near{}, p.errorf("near: expected \"A NEAR/N B\"")
	}
	num, b, ok := strings.Cut(rest, " ")
	if !ok {
		return Near{}, p.errorf("near: expected \"A NEAR/N B\"")
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > maxNear {
		return Near{}, p.errorf("near: N %q: want a number from 0 to %d", num, maxNear)
	}
	if strings.Contains(b, " NEAR/") {
		return Near{}, p.errorf("near: one NEAR per rule")
	}
	if a, err = p.checkTerm(a); err != nil {
		return Near{}, err
	}
	if b, err = p.checkTerm(b); err != nil {
		return Near{}, err
	}
	return Near{Lang: lang, A: a, B: b, N: n, Line: p.line}, nil
}

// finish checks the policy being read is complete.
func (p *parser) finish() error {
	c := p.cur
	if c == nil {
		return nil
	}
	p.cur = nil
	fail := func(msg string, a ...any) error {
		return &ParseError{p.file, c.Line, fmt.Sprintf("policy %s: ", c.ID) + fmt.Sprintf(msg, a...)}
	}
	switch {
	case c.Name == "":
		return fail("no name")
	case c.Category == "":
		return fail("no category")
	case c.Severity == "":
		return fail("no severity")
	case len(c.Languages) == 0:
		return fail("no languages")
	}
	for _, l := range c.Languages {
		if !p.seen["lang "+l] {
			return fail("language %s has no term or near rule", l)
		}
	}
	if c.MinHits == 0 {
		c.MinHits = 1
	}
	p.pols = append(p.pols, c)
	return nil
}

func joinAny[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, " ")
}

// Format writes pols in the canonical form Parse reads back to equal
// policies: the header, then each policy's keys in a fixed order.
func Format(w io.Writer, pols []*Policy) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d\n", header, Version)
	for _, c := range pols {
		fmt.Fprintf(&b, "\npolicy: %s\nname: %s\ncategory: %s\nseverity: %s\nlanguages: %s\nmin_hits: %d\n",
			c.ID, c.Name, c.Category, c.Severity, strings.Join(c.Languages, " "), c.MinHits)
		if len(c.Detect) > 0 {
			fmt.Fprintf(&b, "detect: %s\n", joinAny(c.Detect))
		}
		for _, t := range c.Terms {
			fmt.Fprintf(&b, "term %s: %s\n", t.Lang, t.Text)
		}
		for _, n := range c.Near {
			fmt.Fprintf(&b, "near %s: %s NEAR/%d %s\n", n.Lang, n.A, n.N, n.B)
		}
		for _, t := range c.Exclude {
			fmt.Fprintf(&b, "exclude %s: %s\n", t.Lang, t.Text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
