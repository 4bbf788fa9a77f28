package jsonl

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeFast decodes a line as encoding/json decodes it into a record, for
// the lines every writer of this format writes: one object of the known
// fields, each once and spelled as documented, strings with the escapes
// JSON has (\u included), integers, booleans, and the participant and
// attachment arrays. For anything else — a null, a repeated or
// differently cased key, an unknown field, a lone surrogate, invalid
// UTF-8, bytes after the object — it reports false, and parse asks
// encoding/json, which decides and words the errors. encoding/json was
// 86% of reading a file (2.7 µs a message in all); with this, reading
// takes a fifth of that time (BenchmarkRead).
//
// When it reports true, r is what encoding/json would have made of the
// line: TestDecodeFast and FuzzDecodeFast compare the two.
func decodeFast(line []byte, r *record) bool {
	d := fastDecoder{b: line}
	if !d.object(func(key []byte) (uint32, bool) { return d.recordField(key, r) }) {
		return false
	}
	d.space()
	return d.i == len(d.b)
}

type fastDecoder struct {
	b []byte
	i int
}

func (d *fastDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// expect consumes c after any whitespace.
func (d *fastDecoder) expect(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads {"key": value, …}. field reads the value of a key and
// returns the key's bit, one per known key; a key it does not know, or
// one seen before in the object, ends the fast path.
func (d *fastDecoder) object(field func(key []byte) (bit uint32, ok bool)) bool {
	if !d.expect('{') {
		return false
	}
	if d.expect('}') {
		return true
	}
	var seen uint32
	for {
		key, ok := d.rawKey()
		if !ok || !d.expect(':') {
			return false
		}
		bit, ok := field(key)
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if d.expect(',') {
			continue
		}
		return d.expect('}')
	}
}

// rawKey reads a key without escapes.
func (d *fastDecoder) rawKey() ([]byte, bool) {
	if !d.expect('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

func (d *fastDecoder) recordField(key []byte, r *record) (uint32, bool) {
	switch string(key) {
	case "type":
		return 1 << 0, d.stringInto(&r.Type)
	case "id":
		return 1 << 1, d.stringInto(&r.ID)
	case "channel":
		return 1 << 2, d.stringInto(&r.Channel)
	case "title":
		return 1 << 3, d.stringInto(&r.Title)
	case "conversation":
		return 1 << 4, d.stringInto(&r.Conversation)
	case "time":
		return 1 << 5, d.stringInto(&r.Time)
	case "zone":
		return 1 << 6, d.stringInto(&r.Zone)
	case "sender":
		return 1 << 7, d.stringInto(&r.Sender)
	case "text":
		return 1 << 8, d.stringInto(&r.Text)
	case "kind":
		return 1 << 9, d.stringInto(&r.Kind)
	case "reply_to":
		return 1 << 10, d.stringInto(&r.ReplyTo)
	case "edited":
		return 1 << 11, d.stringInto(&r.Edited)
	case "seq":
		return 1 << 12, d.intInto(&r.Seq)
	case "forwarded":
		v, ok := d.bool()
		r.Forwarded = v
		return 1 << 13, ok
	case "participants":
		r.Participants = []participant{} // "[]" too is an empty slice, not nil
		return 1 << 14, d.array(func() bool {
			var p participant
			ok := d.object(func(key []byte) (uint32, bool) {
				switch string(key) {
				case "id":
					return 1, d.stringInto(&p.ID)
				case "name":
					return 2, d.stringInto(&p.Name)
				}
				return 0, false
			})
			r.Participants = append(r.Participants, p)
			return ok
		})
	case "attachments":
		r.Attachments = []attachment{}
		return 1 << 15, d.array(func() bool {
			var a attachment
			ok := d.object(func(key []byte) (uint32, bool) {
				switch string(key) {
				case "name":
					return 1, d.stringInto(&a.Name)
				case "type":
					return 2, d.stringInto(&a.Type)
				case "sha256":
					return 4, d.stringInto(&a.SHA256)
				case "size":
					return 8, d.intInto(&a.Size)
				}
				return 0, false
			})
			r.Attachments = append(r.Attachments, a)
			return ok
		})
	}
	return 0, false
}

// array reads [elem, …], each element by elem.
func (d *fastDecoder) array(elem func() bool) bool {
	if !d.expect('[') {
		return false
	}
	if d.expect(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.expect(',') {
			continue
		}
		return d.expect(']')
	}
}

func (d *fastDecoder) stringInto(s *string) bool {
	v, ok := d.string()
	*s = v
	return ok
}

func (d *fastDecoder) intInto(n *int64) bool {
	v, ok := d.int()
	*n = v
	return ok
}

// string reads a string value.
func (d *fastDecoder) string() (string, bool) {
	if !d.expect('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// escaped reads the rest of a string that has an escape at d.i.
func (d *fastDecoder) escaped(start int) (string, bool) {
	out := append(make([]byte, 0, d.i-start+16), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(out) {
				return "", false
			}
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				// A pair, or encoding/json's replacement: left to it.
				if d.i+1 >= len(d.b) || d.b[d.i] != '\\' || d.b[d.i+1] != 'u' {
					return "", false
				}
				d.i += 2
				lo, ok := d.hex4()
				if !ok {
					return "", false
				}
				if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
					return "", false
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

func (d *fastDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}

// int reads an integer as JSON writes one (no fraction or exponent, no
// leading zero) that fits an int64.
func (d *fastDecoder) int() (int64, bool) {
	d.space()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		d.i++
	}
	switch n := d.i - digits; {
	case n == 0, n > 1 && d.b[digits] == '0':
		return 0, false
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
	return v, err == nil
}

func (d *fastDecoder) bool() (bool, bool) {
	d.space()
	switch {
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		d.i += 4
		return true, true
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		d.i += 5
		return false, true
	}
	return false, false
}
