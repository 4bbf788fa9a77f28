package wechat

import (
	"bufio"
	"bytes"
	"errors"
	"html"
	"io"
	"strings"
)

// A tag scanner for the fixed markup of WechatExporter's HTML: it splits
// the input into tags and text runs, passes over comments, declarations
// and script or style content, and reads quoted attribute values. It is
// not a general HTML parser (golang.org/x/net/html is not a dependency),
// and does not need to be: the blocks it feeds are the exporter's own.

// tagToken is one tag or run of text.
type tagToken struct {
	text  []byte // raw text (entities not decoded) when name is ""
	name  string // lower-case tag name
	end   bool   // a closing tag
	self  bool   // <… />
	attrs []byte
	line  int
}

// tagScanner splits HTML into tags and text.
type tagScanner struct {
	br   *bufio.Reader
	line int
	buf  []byte
	raw  string // after <script> or <style>: skip to its end tag
}

var errTagLong = errors.New("HTML tag or text longer than MaxLine")

// readUntil reads through the first delim, returning what came before it
// (at most MaxLine bytes are kept; longer is errTagLong after consuming).
func (s *tagScanner) readUntil(delim byte) ([]byte, error) {
	s.buf = s.buf[:0]
	long := false
	for {
		part, err := s.br.ReadSlice(delim)
		s.line += bytes.Count(part, []byte{'\n'})
		if !long && len(s.buf)+len(part) <= MaxLine {
			s.buf = append(s.buf, part...)
		} else {
			long = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if long && err == nil {
			err = errTagLong
		}
		return bytes.TrimSuffix(s.buf, []byte{delim}), err
	}
}

// next returns the next token; io.EOF at the end.
func (s *tagScanner) next() (tagToken, error) {
	for {
		if s.raw != "" {
			if err := s.skipRaw(); err != nil {
				return tagToken{}, err
			}
		}
		line := s.line + 1
		b, err := s.br.Peek(1)
		if err != nil {
			return tagToken{}, err
		}
		if b[0] != '<' {
			text, err := s.readUntil('<')
			if err == nil || err == errTagLong {
				s.br.UnreadByte()
			}
			if err != nil && err != io.EOF {
				return tagToken{}, err
			}
			return tagToken{text: text, line: line}, nil
		}
		b, _ = s.br.Peek(4)
		switch {
		case bytes.HasPrefix(b, []byte("<!--")):
			if err := s.skipTo("-->"); err != nil {
				return tagToken{}, err
			}
			continue
		case len(b) > 1 && (b[1] == '!' || b[1] == '?'):
			if _, err := s.readUntil('>'); err != nil {
				return tagToken{}, err
			}
			continue
		case len(b) > 1 && b[1] != '/' && !isLetter(b[1]), len(b) > 2 && b[1] == '/' && !isLetter(b[2]):
			s.br.Discard(1) // a lone '<' is text
			return tagToken{text: []byte("&lt;"), line: line}, nil
		}
		s.br.Discard(1)
		tag, err := s.readTag()
		if err != nil {
			return tagToken{}, err
		}
		t := tagToken{line: line}
		if t.end = bytes.HasPrefix(tag, []byte("/")); t.end {
			tag = tag[1:]
		}
		if t.self = bytes.HasSuffix(tag, []byte("/")); t.self {
			tag = tag[:len(tag)-1]
		}
		i := bytes.IndexAny(tag, " \t\r\n")
		if i < 0 {
			i = len(tag)
		}
		t.name, t.attrs = strings.ToLower(string(tag[:i])), tag[i:]
		if !t.end && !t.self && (t.name == "script" || t.name == "style") {
			s.raw = t.name
		}
		return t, nil
	}
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// readTag reads to the '>' that ends a tag, passing over quoted values.
func (s *tagScanner) readTag() ([]byte, error) {
	s.buf = s.buf[:0]
	var quote byte
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return nil, err
		}
		if c == '\n' {
			s.line++
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return s.buf, nil
		}
		if len(s.buf) >= MaxLine {
			return nil, errTagLong
		}
		s.buf = append(s.buf, c)
	}
}

// skipTo consumes input through end.
func (s *tagScanner) skipTo(end string) error {
	var win []byte
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return err
		}
		if c == '\n' {
			s.line++
		}
		win = append(win, c)
		if len(win) > len(end) {
			win = win[1:]
		}
		if string(win) == end {
			return nil
		}
	}
}

// skipRaw passes over a script or style element's content.
func (s *tagScanner) skipRaw() error {
	end := "</" + s.raw
	for {
		if _, err := s.readUntil('<'); err != nil && err != errTagLong {
			return err
		}
		b, err := s.br.Peek(len(end) - 1)
		if err != nil && err != io.EOF {
			return err
		}
		if len(b) == 0 {
			return io.EOF
		}
		if strings.EqualFold(string(b), end[1:]) {
			s.br.UnreadByte()
			s.raw = ""
			return nil
		}
	}
}

// attr returns the value of attribute name (case-insensitive) in attrs.
func attr(attrs []byte, name string) (string, bool) {
	a := attrs
	for len(a) > 0 {
		a = bytes.TrimLeft(a, " \t\r\n/")
		i := bytes.IndexAny(a, "= \t\r\n")
		if i < 0 {
			return "", bytes.EqualFold(a, []byte(name))
		}
		key := a[:i]
		a = bytes.TrimLeft(a[i:], " \t\r\n")
		var val []byte
		if len(a) > 0 && a[0] == '=' {
			a = bytes.TrimLeft(a[1:], " \t\r\n")
			if len(a) > 0 && (a[0] == '"' || a[0] == '\'') {
				q := a[0]
				j := bytes.IndexByte(a[1:], q)
				if j < 0 {
					val, a = a[1:], nil
				} else {
					val, a = a[1:j+1], a[j+2:]
				}
			} else {
				j := bytes.IndexAny(a, " \t\r\n")
				if j < 0 {
					j = len(a)
				}
				val, a = a[:j], a[j:]
			}
		}
		if bytes.EqualFold(key, []byte(name)) {
			return html.UnescapeString(string(val)), true
		}
	}
	return "", false
}

func hasClass(attrs []byte, class string) bool {
	v, _ := attr(attrs, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}
