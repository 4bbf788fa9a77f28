package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// testFold stands in for review/normalize.Fold, which Sealroom uses: NFKC
// and lower case only, so these tests do not depend on that package.
func testFold(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

func mustCompile(t testing.TB, src string) *Matcher {
	t.Helper()
	pols, err := Parse("test.policy", strings.NewReader("sealroom-policy 1\n"+src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(pols, testFold)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const testPolicies = `
policy: bribe
name: Bribery
category: bribery
severity: critical
languages: en zh-Hans
term en: kickback
term en: cash
term en: brib*
term en: guarantee
term en: under the table
term zh-Hans: 回扣
near en: guarantee NEAR/3 return*
exclude en: anti-bribery policy
exclude en: kickback clause

policy: pair
name: Two hits
category: market-abuse
severity: low
languages: en
min_hits: 2
term en: insider
term en: merger
term en: insider*

policy: fish
name: Phish
category: phishing
severity: high
languages: en
detect: shortener punycode lookalike executable
term en: verify your account
`

// findings scans testFold(text) and returns "policy:hit,hit" strings.
func findings(m *Matcher, text string) []string {
	n := testFold(text)
	var out []string
	for _, f := range m.Scan(n) {
		var hs []string
		for _, h := range f.Hits {
			hs = append(hs, n[h.Start:h.End])
		}
		out = append(out, f.Policy+":"+strings.Join(hs, ","))
	}
	return out
}

var matchCases = []struct {
	text string
	want []string
}{
	{"he wants a kickback", []string{"bribe:kickback"}},
	{"KICKBACK!", []string{"bribe:kickback"}},
	{"ｋｉｃｋｂａｃｋ", []string{"bribe:kickback"}},        // NFKC by the fold
	{"cashback and acash", nil},                     // whole word unless '*', and word start
	{"cash, CASH", []string{"bribe:cash,cash"}},     // both spans, one distinct term
	{"kickbacks", []string{"bribe:kickbacks"}},      // not whole, but within one edit: fuzzy
	{"the bribery case", []string{"bribe:bribery"}}, // prefix term
	{"subribe", nil}, // a prefix term still starts a word
	{"money under the table", []string{"bribe:under the table"}},         // phrase
	{"under the tables", nil},                                            // phrase end is a word end
	{"给他回扣吧", []string{"bribe:回扣"}},                                      // CJK anywhere
	{"回扣", []string{"bribe:回扣"}},                                         //
	{"guarantee you a nice return", []string{"bribe:guarantee,return"}},  // NEAR: term and rule, 2 words apart
	{"returns we guarantee", []string{"bribe:returns,guarantee"}},        // either order, prefix B
	{"guarantee one two three four return", []string{"bribe:guarantee"}}, // 4 words: only the term
	{"see our anti-bribery policy", nil},                                 // exclusion
	{"the kickback clause applies", nil},                                 // exclusion overlapping a term
	{"anti-bribery policy, but a kickback", []string{"bribe:kickback"}},  // only the overlapped hit goes
	{"insider", nil},         // min_hits 2
	{"insider insider", nil}, // distinct terms, not occurrences
	{"insider news before the merger", []string{"pair:insider,merger"}}, // two patterns for one span count once
	{"insiders and the merger", []string{"pair:insiders,merger"}},
	{"please verify your account at bit.ly/x9", []string{"fish:verify your account,bit.ly"}},
	{"nothing to see here", nil},
	{"", nil},
}

func TestMatch(t *testing.T) {
	m := mustCompile(t, testPolicies)
	for _, c := range matchCases {
		if got := findings(m, c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}

func TestFinding(t *testing.T) {
	m := mustCompile(t, testPolicies)
	n := testFold("Kickback and a kickbak")
	fs := m.Scan(n)
	if len(fs) != 1 {
		t.Fatalf("got %d findings", len(fs))
	}
	f := fs[0]
	if f.Policy != "bribe" || f.Category != Bribery || f.Severity != Critical {
		t.Errorf("finding %+v", f)
	}
	if f.Score != 1 { // kickback exact and fuzzy: one distinct term, the best weight
		t.Errorf("score %v, want 1", f.Score)
	}
	if len(f.Hits) != 2 || f.Hits[1].Kind != KindFuzzy || f.Hits[1].Dist != 1 || n[f.Hits[1].Start:f.Hits[1].End] != "kickbak" {
		t.Errorf("hits %+v", f.Hits)
	}
	fs = m.Scan(testFold("a kickbak"))
	if len(fs) != 1 || fs[0].Score != 1-fuzzyPenalty {
		t.Errorf("fuzzy only: %+v", fs)
	}
}

func TestFuzzy(t *testing.T) {
	m := mustCompile(t, `
policy: f
name: F
category: bribery
severity: low
languages: en
term en: kickback
term en: guarantee
term en: confidential
term en: bribe
term en: hacked*
`)
	for _, c := range []struct {
		word string
		term string // "" for no match
		dist int
	}{
		{"kickbak", "kickback", 1},    // deletion, 8 letters: one edit
		{"kickbakc", "", 0},           // a transposition is two edits: too many for 8 letters
		{"kikcbak", "", 0},            // three edits
		{"kockbeck", "", 0},           // two edits on an 8-letter term
		{"guarentee", "guarantee", 1}, // 9 letters: up to two
		{"garentee", "guarantee", 2},  //
		{"gaurentey", "", 0},          // three
		{"confidentail", "confidential", 2},
		{"brube", "", 0},    // 5-letter term: exact only
		{"hackd", "", 0},    // prefix terms are not fuzzy
		{"inside", "", 0},   // a stop word
		{"kick", "", 0},     // under 5 bytes
		{"kickback", "", 0}, // exact, not fuzzy
	} {
		var got []Hit
		for _, h := range m.Match(c.word, nil) {
			if h.Kind == KindFuzzy {
				got = append(got, h)
			}
		}
		if c.term == "" {
			if len(got) != 0 {
				t.Errorf("%s: fuzzy hit %+v, want none", c.word, got)
			}
			continue
		}
		if len(got) != 1 || m.Term(got[0]) != c.term || int(got[0].Dist) != c.dist {
			t.Errorf("%s: got %+v, want %s at distance %d", c.word, got, c.term, c.dist)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"回扣", "回拍", 1}, {"flaw", "lawn", 2}} {
		if d := levenshtein(c.a, c.b); d != c.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}

func TestDetectors(t *testing.T) {
	m := mustCompile(t, testPolicies)
	for _, c := range []struct {
		text string
		want []HitKind
	}{
		{"go to https://bit.ly/3xYz now", []HitKind{KindShortener}},
		{"t.co/abc", []HitKind{KindShortener}},
		{"www.tinyurl.com/abc.", []HitKind{KindShortener}},
		{"http://xn--80ak6aa92e.com/login", []HitKind{KindPunycode}},
		{"login at paypa1.com", []HitKind{KindLookalike}},
		{"g00gle.com", []HitKind{KindLookalike}},
		{"micros0ft-support.com", []HitKind{KindLookalike}},
		{"https://app1e-id.com/verify", []HitKind{KindLookalike}},
		{"microsoft-support.net", []HitKind{KindLookalike}},
		{"micorsoft.com", []HitKind{KindLookalike}},
		{"paypal.com.secure-login.ru", []HitKind{KindLookalike}},
		{"amazon.evil.io", []HitKind{KindLookalike}},
		{"install whatsapp_update.apk", []HitKind{KindExecutable}},
		{"see Invoice.PDF.exe", []HitKind{KindExecutable}},
		{"https://files.example.com/setup.msi?x=1", []HitKind{KindExecutable}},
		{"run fix.bat and update.scr", []HitKind{KindExecutable, KindExecutable}},
		// Real domains and ordinary text are not flagged.
		{"paypal.com google.com mail.google.com support.microsoft.com apple.com", nil},
		{"amazon.co.uk amazon.de www.netflix.com login.microsoftonline.com", nil},
		{"see example.com, e.g. 1.5 or i.e. this", nil},
		{"we use node.js and vue.js", nil},
		{"report.pdf and notes.docx", nil},
		{"the paypal account", nil},
		{"hi@paypal.com", nil},
	} {
		var got []HitKind
		for _, h := range m.Match(testFold(c.text), nil) {
			if h.Kind >= KindShortener {
				got = append(got, h.Kind)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	for _, c := range matchCases {
		f.Add(c.text)
	}
	f.Add("guarentee kickbak bit.ly/x paypa1.com a.exe 回扣回扣")
	f.Add("\xff\xfe kick\x00back")
	m := mustCompile(f, testPolicies)
	f.Fuzz(func(t *testing.T, text string) {
		hits := m.Match(text, nil)
		for i, h := range hits {
			if h.Start < 0 || h.End > len(text) || h.Start >= h.End {
				t.Fatalf("hit %+v outside text of %d bytes", h, len(text))
			}
			if h.Kind == KindTerm && text[h.Start:h.End] != m.Term(h) {
				t.Fatalf("hit %+v is %q", h, text[h.Start:h.End])
			}
			if i > 0 && (hits[i-1].Start > h.Start || hits[i-1].Start == h.Start && hits[i-1].End > h.End) {
				t.Fatalf("hits not sorted: %+v then %+v", hits[i-1], h)
			}
		}
		// Every occurrence of a term at word boundaries is found.
		for _, term := range []string{"kickback", "回扣"} {
			for off := 0; ; {
				k := strings.Index(text[off:], term)
				if k < 0 {
					break
				}
				s := off + k
				if term == "回扣" || boundaryBefore(text, s) && boundaryAfter(text, s+len(term)) {
					if !slices.ContainsFunc(hits, func(h Hit) bool { return h.Start == s && m.Term(h) == term }) {
						t.Fatalf("%q at %d not found", term, s)
					}
				}
				off = s + 1
			}
		}
		for _, f := range m.Evaluate(text, hits) {
			if len(f.Hits) == 0 || f.Score <= 0 {
				t.Fatalf("empty finding %+v", f)
			}
		}
	})
}

// A policy may have more NEAR rules than the 64 bits that mark which were
// hit: rules from 63 on share the last bit, and each is still judged by its
// own operands and distance.
func TestManyNearRules(t *testing.T) {
	var src strings.Builder
	src.WriteString("policy: many\nname: Many\ncategory: bribery\nseverity: low\nlanguages: en\n")
	for i := range 70 {
		fmt.Fprintf(&src, "near en: alpha%d NEAR/1 beta%d\n", i, i)
	}
	m := mustCompile(t, src.String())
	for _, c := range []struct {
		text  string
		score float64
	}{
		{"alpha5 x beta5", 1},
		{"alpha5 x y beta5", 0},      // too far apart
		{"alpha63 beta63", 1},        // the shared bit's first rule
		{"alpha69 beta69", 1},        // and its last
		{"alpha66 beta67", 0},        // both sides of the shared bit, different rules
		{"alpha66 beta67 beta66", 1}, // one of them complete
		{"alpha2 beta2 alpha65 beta65 alpha68 x beta68", 3},
	} {
		var score float64
		for _, f := range m.Scan(c.text) {
			score += f.Score
		}
		if score != c.score {
			t.Errorf("%q: score %v, want %v", c.text, score, c.score)
		}
	}
}
