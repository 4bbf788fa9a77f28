package policy

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const minimal = "sealroom-policy 1\npolicy: p\nname: P\ncategory: bribery\nseverity: high\nlanguages: en\n"

// parseCases are used by TestParse and seed FuzzParse.
var parseCases = []struct {
	name, src string
	line      int    // of the error; 0 when the file is valid
	msg       string // in the error
}{
	{"valid", minimal + "term en: kickback\n", 0, ""},
	{"every field", "sealroom-policy 1\n# comment\n\npolicy: all.fields-1\nname: All fields\ncategory: phishing\nseverity: critical\n" +
		"languages: en zh-Hans\nmin_hits: 2\ndetect: shortener lookalike\nterm en: brib*\nterm zh-Hans: 回扣\n" +
		"near en: guarantee NEAR/5 return\nexclude en: anti-bribery   policy\n", 0, ""},
	{"bom and crlf", "\uFEFFsealroom-policy 1\r\n" + strings.ReplaceAll(minimal[18:], "\n", "\r\n") + "term en: x\r\n", 0, ""},
	{"empty", "", 0, "empty file"},
	{"no header", "policy: p\n", 1, "first line"},
	{"version 2", "sealroom-policy 2\n", 1, "unsupported version"},
	{"version text", "sealroom-policy one\n", 1, "unsupported version"},
	{"unknown key", minimal + "colour: red\n", 7, "unknown key"},
	{"no colon", minimal + "term en kickback\n", 7, "key: value"},
	{"before policy", "sealroom-policy 1\nname: x\n", 2, "before the first"},
	{"bad id", "sealroom-policy 1\npolicy: Bad ID\n", 2, "invalid policy id"},
	{"duplicate id", minimal + "term en: a\n" + minimal[18:] + "term en: b\n", 8, "already defined at line 2"},
	{"bad category", strings.Replace(minimal, "bribery", "theft", 1), 4, "unknown category"},
	{"bad severity", strings.Replace(minimal, "high", "severe", 1), 5, "unknown severity"},
	{"bad language", strings.Replace(minimal, "languages: en", "languages: en fr", 1), 6, "unknown language"},
	{"language twice", strings.Replace(minimal, "languages: en", "languages: en en", 1), 6, "listed twice"},
	{"key twice", minimal + "name: Q\n", 7, "set twice"},
	{"empty value", minimal + "name:\n", 7, "no value"},
	{"min_hits zero", minimal + "min_hits: 0\n", 7, "min_hits"},
	{"min_hits text", minimal + "min_hits: two\n", 7, "min_hits"},
	{"bad detector", minimal + "detect: malware\n", 7, "unknown detector"},
	{"term without lang", minimal + "term: x\n", 7, "needs a language"},
	{"lang on name", minimal + "name en: x\n", 7, "takes no language"},
	{"term lang not declared", minimal + "term es: x\n", 7, "not in this policy's languages"},
	{"star inside", minimal + "term en: a*b\n", 7, "may only end"},
	{"lone star", minimal + "term en: *\n", 7, "empty term"},
	{"spaced star", minimal + "term en: abc *\n", 7, "must follow"},
	{"long term", minimal + "term en: " + strings.Repeat("x", 201) + "\n", 7, "longer than"},
	{"duplicate term", minimal + "term en: a\nterm en:  a \n", 8, "duplicate term"},
	{"near syntax", minimal + "near en: a near/3 b\n", 7, "NEAR/N"},
	{"near no b", minimal + "near en: a NEAR/3\n", 7, "NEAR/N"},
	{"near too far", minimal + "near en: a NEAR/51 b\n", 7, "from 0 to 50"},
	{"near twice", minimal + "near en: a NEAR/1 b NEAR/2 c\n", 7, "one NEAR"},
	{"language without terms", strings.Replace(minimal, "languages: en", "languages: en es", 1) + "term en: a\n", 2, "language es has no term"},
	{"no name", "sealroom-policy 1\npolicy: p\ncategory: bribery\nseverity: high\nlanguages: en\nterm en: a\n", 2, "no name"},
	{"no category", "sealroom-policy 1\npolicy: p\nname: P\nseverity: high\nlanguages: en\nterm en: a\n", 2, "no category"},
	{"no severity", "sealroom-policy 1\npolicy: p\nname: P\ncategory: bribery\nlanguages: en\nterm en: a\n", 2, "no severity"},
	{"no languages", "sealroom-policy 1\npolicy: p\nname: P\ncategory: bribery\nseverity: high\n", 2, "no languages"},
	{"invalid utf-8", minimal + "term en: \xff\n", 7, "UTF-8"},
	// Cases found by fuzzing:
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			pols, err := Parse("test.policy", strings.NewReader(c.src))
			if c.msg == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(pols) == 0 {
					t.Fatal("no policies")
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v, want a *ParseError wrapping ErrSyntax", err)
			}
			if c.line != 0 && pe.Line != c.line || pe.File != "test.policy" || !strings.Contains(pe.Msg, c.msg) {
				t.Errorf("error %q at line %d, want line %d containing %q", pe.Msg, pe.Line, c.line, c.msg)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	pols, err := Parse("f", strings.NewReader(parseCases[1].src))
	if err != nil {
		t.Fatal(err)
	}
	want := &Policy{
		ID: "all.fields-1", Name: "All fields", Category: Phishing, Severity: Critical,
		Languages: []string{"en", "zh-Hans"}, MinHits: 2, Detect: []Detector{DetectShortener, DetectLookalike},
		Terms:   []Term{{"en", "brib*", 11}, {"zh-Hans", "回扣", 12}},
		Near:    []Near{{Lang: "en", A: "guarantee", B: "return", N: 5, Line: 13}},
		Exclude: []Term{{"en", "anti-bribery policy", 14}},
		File:    "f", Line: 4,
	}
	if !reflect.DeepEqual(pols[0], want) {
		t.Errorf("got  %+v\nwant %+v", pols[0], want)
	}
	p, _ := Parse("f", strings.NewReader(minimal+"term en: x\n"))
	if p[0].MinHits != 1 {
		t.Errorf("default min_hits %d, want 1", p[0].MinHits)
	}
}

// stripLines clears what Format cannot keep: line numbers.
func stripLines(pols []*Policy) {
	for _, p := range pols {
		p.Line = 0
		for i := range p.Terms {
			p.Terms[i].Line = 0
		}
		for i := range p.Near {
			p.Near[i].Line = 0
		}
		for i := range p.Exclude {
			p.Exclude[i].Line = 0
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.src)
		if len(c.src) > 20 { // truncations and a one-bit flip
			f.Add(c.src[:len(c.src)/2])
			b := []byte(c.src)
			b[len(b)/3] ^= 4
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		pols, err := Parse("f", strings.NewReader(src))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Line > strings.Count(src, "\n")+1 {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		// Format then Parse gives the same policies, and formatting is stable.
		var b1, b2 bytes.Buffer
		if err := Format(&b1, pols); err != nil {
			t.Fatal(err)
		}
		again, err := Parse("f", bytes.NewReader(b1.Bytes()))
		if err != nil {
			t.Fatalf("formatted policies do not parse: %v\n%s", err, b1.Bytes())
		}
		stripLines(pols)
		stripLines(again)
		if !reflect.DeepEqual(pols, again) {
			t.Fatalf("round trip changed the policies:\n%+v\n%+v", pols[0], again[0])
		}
		Format(&b2, again)
		if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Fatal("Format is not stable")
		}
		// Whatever parses compiles or fails with ErrCompile, never panics.
		if _, err := Compile(pols, testFold); err != nil && !errors.Is(err, ErrCompile) {
			t.Fatal(err)
		}
	})
}
