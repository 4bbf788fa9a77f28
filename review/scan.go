// Package review runs the compliance policies over messages: it
// normalizes a message once (review/normalize), matches the policies
// (review/policy), finds personal data (review/pii) and returns findings
// with spans over the original text, which the vault turns into redacted
// risk events (review/redact). Pure functions: no storage, no GUI, no logs.
package review

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"sealroom/assets/policies"
	"sealroom/capture"
	"sealroom/review/normalize"
	"sealroom/review/pii"
	"sealroom/review/policy"
	"sealroom/review/redact"
)

// Scanner finds risk in messages. It is safe for concurrent use: the
// vault's import calls it from every sealing goroutine.
type Scanner struct {
	m       *policy.Matcher
	scratch sync.Pool // of *scratch

	mu        sync.Mutex
	detectors map[string]*convDetector // by conversation id
}

type convDetector struct {
	parts int // participants when it was made
	d     *pii.Detector
}

type scratch struct {
	text normalize.Text // the message's
	name normalize.Text // an attachment name's
	hits []policy.Hit
	ents []pii.Entity
	// A message's policy findings and their hits, which become its
	// Findings' spans: kept here, not allocated for each flagged message.
	found   []policy.Finding
	hitsBuf []policy.Hit
	eval    *policy.Evaluator
}

// New compiles policies into a Scanner.
func New(pols []*policy.Policy) (*Scanner, error) {
	m, err := policy.Compile(pols, normalize.Fold)
	if err != nil {
		return nil, err
	}
	s := &Scanner{m: m, detectors: map[string]*convDetector{}}
	s.scratch.New = func() any { return &scratch{eval: m.Evaluator()} }
	return s, nil
}

// Load reads every policy file of fsys (nil: the built-in packs).
func Load(fsys fs.FS) (*Scanner, error) {
	if fsys == nil {
		fsys = policies.FS
	}
	pols, err := policy.ParseFS(fsys)
	if err != nil {
		return nil, err
	}
	return New(pols)
}

// Policies returns the compiled policies.
func (s *Scanner) Policies() []*policy.Policy { return s.m.Policies() }

// Result is everything found in one text.
type Result struct {
	Findings []Finding    // policy findings; spans over the original text
	Entities []pii.Entity // personal data, over the original text
}

// Analyze scans text: the policies, and personal data with names the
// participants' (their display names). Analyze finds personal data in
// every text; Scan only in flagged ones.
func (s *Scanner) Analyze(text string, names []string) Result {
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	var r Result
	r.Entities = pii.New(pii.Options{Names: names}).Detect(text, nil)
	sc.hitsBuf = sc.hitsBuf[:0]
	fs := s.findings(sc, &sc.text, text, sc.found[:0])
	spans := make([]redact.Span, 0, spanCount(fs, r.Entities))
	types := entityTypes(r.Entities)
	if len(fs) > 0 {
		r.Findings = make([]Finding, len(fs))
	}
	for i := range fs {
		spans = s.finding(&r.Findings[i], sc, &fs[i], text, r.Entities, types, nil, nil, spans)
	}
	sc.found = fs[:0]
	return r
}

// Scan implements vault.Scanner: the findings of m, with personal data
// and participants' names marked for redaction (names labeled with their
// pseudonyms from p).
func (s *Scanner) Scan(c *capture.Conversation, m *capture.Message, p *redact.Pseudonyms) []Finding {
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	return s.scan(sc, c, m, p, nil)
}

// A Worker is a Scanner for one goroutine at a time that reuses its
// memory: the findings its Scan returns, and their spans, are valid only
// until its next Scan (each message's Entities list is its own). Of a
// scan of chat messages of which a third are flagged, allocating them
// and collecting the garbage was a sixth. The vault's sealing goroutines
// each keep one.
type Worker struct {
	s     *Scanner
	sc    scratch
	reuse reused
}

// reused is what a Worker's findings are made in.
type reused struct {
	out   []Finding
	spans []redact.Span
}

// Worker returns a new Worker of s.
func (s *Scanner) Worker() *Worker {
	return &Worker{s: s, sc: scratch{eval: s.m.Evaluator()}}
}

// Scan is Scanner.Scan, with findings that last until the next call.
func (w *Worker) Scan(c *capture.Conversation, m *capture.Message, p *redact.Pseudonyms) []Finding {
	return w.s.scan(&w.sc, c, m, p, &w.reuse)
}

// scan finds m's findings with sc, in the memory of reuse, or in new
// memory when reuse is nil.
func (s *Scanner) scan(sc *scratch, c *capture.Conversation, m *capture.Message, p *redact.Pseudonyms, reuse *reused) []Finding {
	sc.hitsBuf = sc.hitsBuf[:0]
	fs := s.findings(sc, &sc.text, m.Text, sc.found[:0])
	defer func() { sc.found = fs[:0] }()
	// Attached files' names (setup.apk, invoice.pdf.exe): a policy they
	// trigger is a finding on the message, with no term in its text.
	for _, a := range m.Attachments {
		if benignMedia(a.Name) {
			continue // most attachments: no policy looks at a photo's name
		}
		n := len(fs)
		fs = s.findings(sc, &sc.name, a.Name, fs)
		kept := n
		for _, f := range fs[n:] {
			if !slices.ContainsFunc(fs[:kept], func(o policy.Finding) bool { return o.Policy == f.Policy }) {
				f.Hits = nil
				fs[kept] = f
				kept++
			}
		}
		fs = fs[:kept]
	}
	if len(fs) == 0 {
		return nil
	}
	sc.ents = s.detector(c).Detect(m.Text, sc.ents[:0])
	var out []Finding
	var spans []redact.Span
	if n := spanCount(fs, sc.ents); reuse == nil {
		out, spans = make([]Finding, len(fs)), make([]redact.Span, 0, n)
	} else {
		if cap(reuse.out) < len(fs) {
			reuse.out = make([]Finding, len(fs))
		}
		if cap(reuse.spans) < n {
			reuse.spans = make([]redact.Span, 0, n)
		}
		out, spans = reuse.out[:len(fs)], reuse.spans[:0]
	}
	types := entityTypes(sc.ents)
	for i := range fs {
		spans = s.finding(&out[i], sc, &fs[i], m.Text, sc.ents, types, c, p, spans)
	}
	return out
}

// spanCount is how many spans the findings fs of a message with personal
// data ents can have.
func spanCount(fs []policy.Finding, ents []pii.Entity) int {
	n := 0
	for _, f := range fs {
		n += len(f.Hits) + len(ents)
	}
	return n
}

// findings normalizes text into t, evaluates the policies on it and
// appends the findings to dst (their hits to sc.hitsBuf).
func (s *Scanner) findings(sc *scratch, t *normalize.Text, text string, dst []policy.Finding) []policy.Finding {
	normalize.Normalize(t, text)
	// A view, not a copy: t.Norm is not written until the next Normalize
	// into t, and neither Match nor Evaluate keeps a piece of norm (hits
	// hold offsets; terms are the Matcher's strings).
	norm := unsafe.String(unsafe.SliceData(t.Norm), len(t.Norm))
	sc.hits = s.m.Match(norm, sc.hits[:0])
	if len(sc.hits) == 0 {
		return dst
	}
	dst, sc.hitsBuf = sc.eval.Append(dst, sc.hitsBuf, norm, sc.hits)
	return dst
}

// finding maps a policy finding back to the original text and adds the
// message's personal data (ents, of the types given) and names as spans
// to replace, into out. The spans are appended to buf (returned), and the
// finding's Spans are that piece of it.
func (s *Scanner) finding(out *Finding, sc *scratch, f *policy.Finding, text string, ents []pii.Entity, types []string, c *capture.Conversation, p *redact.Pseudonyms, buf []redact.Span) []redact.Span {
	*out = Finding{Policy: f.Policy, Category: string(f.Category), Severity: string(f.Severity), Score: f.Score}
	first := len(buf)
	for _, h := range f.Hits {
		start, end := sc.text.Original(h.Start, h.End)
		buf = append(buf, redact.Span{Start: start, End: end, Kind: redact.Term})
	}
	for _, e := range ents {
		sp := redact.Span{Start: e.Start, End: e.End, Kind: redact.Entity, Label: e.Type.Placeholder()}
		if e.Type == pii.Name {
			sp.Kind = redact.Name
			if id := participant(c, text[e.Start:e.End]); id != "" && p != nil {
				sp.Label = p.Of(id)
			}
		}
		buf = append(buf, sp)
	}
	out.Spans = buf[first:len(buf):len(buf)]
	out.Entities = types
	return buf
}

// entityTypes lists the distinct types of ents, in order of first
// appearance; the findings of a message share the list.
func entityTypes(ents []pii.Entity) []string {
	var types []string
	for _, e := range ents {
		if t := string(e.Type); !slices.Contains(types, t) {
			if types == nil {
				types = make([]string, 0, len(ents))
			}
			types = append(types, t)
		}
	}
	return types[:len(types):len(types)]
}

// benignMedia reports whether name ends in a photo, audio, video or
// office extension, which the policies' file-name rules (executables,
// scripts, installers) never flag.
func benignMedia(name string) bool {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return false
	}
	switch strings.ToLower(name[i+1:]) {
	case "jpg", "jpeg", "png", "gif", "webp", "heic", "mp4", "mov", "3gp", "opus", "ogg", "mp3", "m4a", "aac", "wav",
		"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "vcf", "csv":
		return true
	}
	return false
}

// participant returns the id of the participant whose display name holds
// name (a whole name or one of its words), or "".
func participant(c *capture.Conversation, name string) string {
	if c == nil {
		return ""
	}
	for _, pt := range c.Participants {
		if strings.EqualFold(pt.Name, name) {
			return pt.ID
		}
		for _, w := range strings.Fields(pt.Name) {
			if strings.EqualFold(w, name) {
				return pt.ID
			}
		}
	}
	return ""
}

// detector returns the conversation's PII detector, made again when its
// participants changed.
func (s *Scanner) detector(c *capture.Conversation) *pii.Detector {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cd := s.detectors[c.ID]; cd != nil && cd.parts == len(c.Participants) {
		return cd.d
	}
	// Display names only: WhatsApp names an unsaved contact by its number,
	// which the phone detector finds.
	names := make([]string, 0, len(c.Participants))
	for _, pt := range c.Participants {
		if pt.Name != "" && !strings.ContainsAny(pt.Name, "0123456789@") {
			names = append(names, pt.Name)
		}
	}
	d := pii.New(pii.Options{Names: names})
	s.detectors[c.ID] = &convDetector{parts: len(c.Participants), d: d}
	return d
}
