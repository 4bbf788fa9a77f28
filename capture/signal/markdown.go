package signal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"sealroom/capture"
)

// chat.md holds one message per header line,
//
//	[2024-05-01 09:30:00] Ann: first line of the body
//	more lines of the body, blank ones too
//	(- Bob: 👍, Carla: ❤ -)                       reactions
//	(( 😀 ))![IMG_1.jpg](./media/IMG_1.jpg)  [a.pdf](./media/a.pdf)
//
// as signal-export's Message.to_md writes it: the body gets two trailing
// spaces, then come reactions and a sticker on lines of their own, then
// every attachment as a link on the last line ("!" before images). A reply
// starts with the quoted text: the header line ends after "Ann: ", then a
// blank line, the quote as "> " lines, a blank line, and the body. Each
// message is followed by a blank line.

// mdHeader is a message's first line.
type mdHeader struct {
	time   time.Time
	sender string
	rest   string // the body's first line
}

// parseHeader reads "[YYYY-MM-DD HH:MM:SS] Sender: text", or the older
// "[YYYY-MM-DD, HH:MM] Sender: text". ok says whether line has that shape;
// err, whether its date or time is impossible.
func parseHeader(line string, loc *time.Location) (h mdHeader, ok bool, err error) {
	if len(line) < len("[2006-01-02 15:04] A:") || line[0] != '[' {
		return h, false, nil
	}
	s := line[1:]
	if !digits(s[0:4]) || s[4] != '-' || !digits(s[5:7]) || s[7] != '-' || !digits(s[8:10]) {
		return h, false, nil
	}
	i := 10
	switch {
	case s[i] == ' ':
		i++
	case s[i] == ',' && s[i+1] == ' ':
		i += 2
	default:
		return h, false, nil
	}
	if len(s) < i+5 || !digits(s[i:i+2]) || s[i+2] != ':' || !digits(s[i+3:i+5]) {
		return h, false, nil
	}
	hh, mm, ss := s[i:i+2], s[i+3:i+5], "00"
	i += 5
	if len(s) >= i+3 && s[i] == ':' && digits(s[i+1:i+3]) {
		ss = s[i+1 : i+3]
		i += 3
	}
	rest, found := strings.CutPrefix(s[i:], "] ")
	if !found {
		return h, false, nil
	}
	sender, body, found := strings.Cut(rest, ": ")
	if !found {
		if sender, found = strings.CutSuffix(rest, ":"); !found {
			return h, false, nil
		}
	}
	if sender == "" {
		return h, false, nil
	}
	h.sender, h.rest = sender, body
	y, mo, d := atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	hr, mi, se := atoi(hh), atoi(mm), atoi(ss)
	if mo < 1 || mo > 12 || d < 1 || hr > 23 || mi > 59 || se > 59 {
		return h, true, fmt.Errorf("impossible date or time in %q", truncate(line, 40))
	}
	if _, _, dd := time.Date(y, time.Month(mo), d, 12, 0, 0, 0, time.UTC).Date(); dd != d {
		return h, true, fmt.Errorf("impossible date in %q", truncate(line, 40))
	}
	h.time = time.Date(y, time.Month(mo), d, hr, mi, se, 0, loc)
	return h, true, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// maxPending bounds the text gathered for one message; past it the
// message is reported as too long (capture.MaxText bounds the text, and
// the trailers are short).
const maxPending = capture.MaxText + 64<<10

// pending is the message being gathered from its lines.
type pending struct {
	open    bool
	line    int
	hdr     mdHeader
	buf     []byte
	tooLong bool
}

// readMarkdown reads chat.md. Lines without a header continue the
// message before them.
func (ch *chat) readMarkdown(lr *lineReader) error {
	var cur pending
	discard := false // the lines of a skipped message
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if isLong(err) {
			// An over-long line makes its message unusable: whether it
			// started the message or continued one, its message is skipped.
			if _, ok, _ := parseHeader(string(lr.head), ch.loc); ok {
				if err := ch.flushMarkdown(&cur); err != nil {
					return err
				}
				ch.seq++
			}
			cur.open, discard = false, true
			if serr := ch.skip(lr.n, err); serr != nil {
				return serr
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %s line %d: %w", ch.file, lr.n+1, err)
		}
		if len(line) > 0 && line[0] == '[' {
			if h, ok, herr := parseHeader(string(line), ch.loc); ok {
				if err := ch.flushMarkdown(&cur); err != nil {
					return err
				}
				ch.seq++
				if herr != nil {
					discard = true
					if serr := ch.skip(lr.n, herr); serr != nil {
						return serr
					}
					continue
				}
				discard = false
				cur = pending{open: true, line: lr.n, hdr: h, buf: append(cur.buf[:0], h.rest...)}
				continue
			}
		}
		switch {
		case cur.open:
			if len(cur.buf)+1+len(line) > maxPending {
				cur.tooLong = true
			} else if !cur.tooLong {
				cur.buf = append(cur.buf, '\n')
				cur.buf = append(cur.buf, line...)
			}
		case discard || len(bytes.TrimSpace(line)) == 0:
		default:
			if serr := ch.skip(lr.n, errors.New(`text before the first "[YYYY-MM-DD HH:MM:SS] Sender:" header`)); serr != nil {
				return serr
			}
		}
	}
	return ch.flushMarkdown(&cur)
}

// flushMarkdown delivers the gathered message, if any.
func (ch *chat) flushMarkdown(cur *pending) error {
	if !cur.open {
		return nil
	}
	cur.open = false
	if cur.tooLong {
		return ch.skip(cur.line, fmt.Errorf("message longer than %d bytes", capture.MaxText))
	}
	r := mdRecord(cur.hdr, string(cur.buf))
	return ch.deliver(r, cur.line)
}

var (
	stickerLine  = regexp.MustCompile(`^\(\( (.*) \)\)$`)
	reactionLine = regexp.MustCompile(`^\(- .* -\)$`)
)

// mdRecord takes a message's text apart: quote, body, reactions (dropped),
// sticker and attachments.
func mdRecord(h mdHeader, text string) *record {
	r := &record{time: h.time, sender: h.sender}
	if trimBody(text) == deletedMarkdown {
		r.deleted = true
		return r
	}
	if rest, ok := strings.CutPrefix(text, "\n\n>"); ok {
		r.quote, text = splitQuote(">" + rest)
	}
	text = trimBody(text)

	// Attachments, and a sticker saved as a file, on the last line.
	nl := strings.LastIndexByte(text, '\n')
	last := text[nl+1:]
	for {
		name, p, rest, ok := cutLink(last)
		if !ok {
			break
		}
		if strings.Contains(p, "exported_stickers/") {
			r.sticker, r.hasStk = stickerLabel(name), true
		} else {
			r.atts = append(r.atts, attachment(name, p, 0))
			r.paths = append(r.paths, p)
		}
		last = rest
	}
	slices.Reverse(r.atts)
	slices.Reverse(r.paths)
	text = trimBody(text[:nl+1] + last)

	// A sticker line, then a reactions line, each after a newline.
	if nl = strings.LastIndexByte(text, '\n'); nl >= 0 {
		if last := text[nl+1:]; strings.HasPrefix(last, "((") {
			if m := stickerLine.FindStringSubmatch(last); m != nil {
				r.sticker, r.hasStk = stickerLabel(m[1]), true
				text = trimBody(text[:nl])
			}
		}
	}
	if nl = strings.LastIndexByte(text, '\n'); nl >= 0 && strings.HasPrefix(text[nl+1:], "(-") && reactionLine.MatchString(text[nl+1:]) {
		text = trimBody(text[:nl])
	}
	r.body = text
	return r
}

// splitQuote splits "> quoted\n> lines\n\nbody" into the quoted text and
// the body.
func splitQuote(s string) (quote, body string) {
	var q []string
	for {
		line, after, found := strings.Cut(s, "\n")
		if !strings.HasPrefix(line, ">") {
			break
		}
		q = append(q, line)
		s = after
		if !found {
			s = ""
			break
		}
	}
	if line, after, found := strings.Cut(s, "\n"); strings.TrimSpace(line) == "" {
		if found {
			s = after
		} else {
			s = ""
		}
	}
	return quoteText(strings.Join(q, "\n")), s
}

// stickerLabel is the sticker's emoji; signal-export writes "sticker"
// for one without.
func stickerLabel(s string) string {
	if s == "sticker" {
		return ""
	}
	return s
}

// cutLink takes the link that ends s off it: an attachment, or a sticker
// saved as a file, "[name](./media/f.pdf)", with "!" before images. The
// path is relative and has no spaces (signal-export writes them as %20).
// It works backwards from the end, so taking k links off a line costs
// their length, not k times the line's.
func cutLink(s string) (name, p, rest string, ok bool) {
	s = strings.TrimRight(s, " \t")
	if !strings.HasSuffix(s, ")") {
		return "", "", "", false
	}
	open := strings.LastIndex(s, "](")
	if open < 0 {
		return "", "", "", false
	}
	p = s[open+2 : len(s)-1]
	if strings.ContainsAny(p, "() \t") || !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") {
		return "", "", "", false
	}
	lb := strings.LastIndexByte(s[:open], '[')
	if lb < 0 || strings.IndexByte(s[lb:open], ']') >= 0 {
		return "", "", "", false
	}
	rest = strings.TrimRight(strings.TrimSuffix(s[:lb], "!"), " \t")
	return s[lb+1 : open], p, rest, true
}
