package wechat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"sealroom/capture"
)

// WechatExporter's TXT: frame line, then per message
//
//	NAME (YYYY-MM-DD HH:MM:SS):MESSAGE        (more lines of MESSAGE follow)
//	NAME (YYYY-MM-DD HH:MM:SS):「REFERNAME：REFERMSG」
//	- - - - - - - - - - - - - - -
//	MESSAGE                                    (a reply)
//	System Message: MESSAGE                    (no name, no time)

// frameSuffixes end the first line of a chat file: "NAME - WeChat Chat History".
var frameSuffixes = []string{" - WeChat Chat History", " - 微信聊天记录"}

// systemPrefixes start a system line. WechatExporter's zh-Hans strings do
// not translate "System Message:"; the Chinese form is accepted anyway.
var systemPrefixes = []string{"System Message: ", "System Message:", "系统消息：", "系统消息: ", "系统消息:"}

// frameTitle returns the chat's display name from a frame line, or "".
func frameTitle(line string) string {
	line = strings.TrimPrefix(line, "\uFEFF")
	for _, s := range frameSuffixes {
		if t, ok := strings.CutSuffix(line, s); ok && strings.TrimSpace(t) != "" {
			return strings.TrimSpace(t)
		}
	}
	return ""
}

// parseHeader splits "NAME (YYYY-MM-DD HH:MM:SS):REST". The name may
// itself hold " (", so the first " (" followed by a well-formed time and
// "):" ends it.
func parseHeader(line []byte) (name, ts, rest []byte, ok bool) {
	for from := 0; ; {
		i := bytes.Index(line[from:], []byte(" ("))
		if i < 0 {
			return nil, nil, nil, false
		}
		i += from
		if j := i + 2; len(line) >= j+21 && isStamp(line[j:j+19]) && line[j+19] == ')' && line[j+20] == ':' {
			return line[:i], line[j : j+19], line[j+21:], i > 0
		}
		from = i + 2
	}
}

// isStamp reports whether b has the shape "2006-01-02 15:04:05".
func isStamp(b []byte) bool {
	const pat = "dddd-dd-dd dd:dd:dd"
	for i := 0; i < len(pat); i++ {
		if pat[i] == 'd' {
			if b[i] < '0' || b[i] > '9' {
				return false
			}
		} else if b[i] != pat[i] {
			return false
		}
	}
	return true
}

// txtParser assembles messages from lines.
type txtParser struct {
	e      *emitter
	c      *conv
	open   bool
	name   string
	t      time.Time
	line   int
	text   []byte
	long   bool
	broken error // the header's time is invalid
	lastT  time.Time
	held   []heldNotice // system lines before the first timed message
}

type heldNotice struct {
	text string
	line int
}

// maxHeld bounds the system lines kept while no time is known yet.
const maxHeld = 1000

var errNoTime = errors.New("system line before any timed message, and none follows")

func readTXT(in *input, e *emitter) error {
	p := &txtParser{e: e, c: e.conv("", "")}
	lr := &lineReader{br: in.r}
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err == errLong {
			if err := e.skip(lr.line, err); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if lr.line == 1 {
			if t := frameTitle(string(line)); t != "" {
				p.c.c.Title = t
				continue
			}
		}
		if err := p.feed(line, lr.line); err != nil {
			return err
		}
	}
	if err := p.flush(); err != nil {
		return err
	}
	for _, h := range p.held {
		if err := e.skip(h.line, errNoTime); err != nil {
			return err
		}
	}
	return nil
}

func (p *txtParser) feed(line []byte, n int) error {
	if name, ts, rest, ok := parseHeader(line); ok {
		if err := p.flush(); err != nil {
			return err
		}
		t, ok := parseWall(string(ts), p.e.loc)
		if ok {
			p.lastT = t
			if err := p.release(); err != nil {
				return err
			}
			p.broken = nil
		} else {
			// Swallow its continuation lines, then report the message once.
			p.broken = fmt.Errorf("time %q is not a valid date and time", ts)
		}
		p.open, p.name, p.t, p.line, p.long = true, string(name), t, n, false
		p.text = append(p.text[:0], rest...)
		return nil
	}
	for _, pre := range systemPrefixes {
		if rest, ok := bytes.CutPrefix(line, []byte(pre)); ok {
			if err := p.flush(); err != nil {
				return err
			}
			return p.notice(string(rest), n)
		}
	}
	if !p.open {
		if len(bytes.TrimSpace(line)) == 0 {
			return nil
		}
		return p.bad(n, "text before the first %q line", "NAME (YYYY-MM-DD HH:MM:SS):")
	}
	if len(p.text)+1+len(line) > capture.MaxText {
		p.long = true
		return nil
	}
	p.text = append(p.text, '\n')
	p.text = append(p.text, line...)
	return nil
}

func (p *txtParser) bad(n int, f string, args ...any) error {
	return p.e.skip(n, fmt.Errorf(f, args...))
}

// notice sends a system line, at the time of the message before it; one
// before any timed message waits for the first.
func (p *txtParser) notice(text string, n int) error {
	if p.lastT.IsZero() {
		if len(p.held) >= maxHeld {
			return p.e.skip(n, errNoTime)
		}
		p.held = append(p.held, heldNotice{text, n})
		return nil
	}
	m := &capture.Message{Time: p.lastT.UTC(), Zone: p.e.loc.String(), Kind: capture.KindSystem, Text: text}
	return p.e.emit(p.c, m, "", n)
}

func (p *txtParser) release() error {
	held := p.held
	p.held = nil
	for _, h := range held {
		if err := p.notice(h.text, h.line); err != nil {
			return err
		}
	}
	return nil
}

// flush sends the message being assembled.
func (p *txtParser) flush() error {
	if !p.open {
		return nil
	}
	p.open = false
	if p.broken != nil {
		return p.e.skip(p.line, p.broken)
	}
	if p.long {
		return p.bad(p.line, "message longer than %d bytes", capture.MaxText)
	}
	text := strings.TrimRight(string(p.text), "\r\n")
	text = dropQuote(text)
	m := &capture.Message{Time: p.t.UTC(), Zone: p.e.loc.String(), Sender: p.name, Kind: capture.KindMessage, Text: text}
	if k, file, ok := placeholder(text); ok {
		m.Text = ""
		m.Attachments = []capture.Attachment{attachment(k, file)}
	}
	return p.e.emit(p.c, m, p.name, p.line)
}

// dropQuote removes a reply's quote block — "「name：quoted」", which may
// run over several lines, then a dashed rule — and returns the reply.
// Text without the rule is returned whole.
func dropQuote(text string) string {
	if !strings.HasPrefix(text, "「") {
		return text
	}
	prevEnds := false
	for rest := text; rest != ""; {
		line, after, _ := strings.Cut(rest, "\n")
		if prevEnds && isRule(line) {
			return after
		}
		prevEnds = strings.HasSuffix(strings.TrimSpace(line), "」")
		rest = after
	}
	return text
}

// isRule reports whether line is the exporter's dashed rule "- - - - …".
func isRule(line string) bool {
	dashes := 0
	for _, c := range []byte(strings.TrimSpace(line)) {
		switch c {
		case '-':
			dashes++
		case ' ':
		default:
			return false
		}
	}
	return dashes >= 3
}
