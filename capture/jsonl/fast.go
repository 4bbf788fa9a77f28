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
// 86% of reading a file, 2.7 µs a message.
//
// When it reports true, r is what encoding/json would have made of the
// line: TestDecodeFast and FuzzDecodeFast compare the two.
func decodeFast(line []byte, r *record) bool {
	d := fastDecoder{b: line}
	if !d.object(func(key []byte) bool { return d.recordField(key, r) }) {
		return false
	}
	d.space()
	return d.i == len(d.b)
}

type fastDecoder struct {
	b    []byte
	i    int
	seen uint32 // the record's fields read so far, by bit
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

// object reads {"key": value, …}, handing each key to field, which reads
// its value.
func (d *fastDecoder) object(field func(key []byte) bool) bool {
	if !d.expect('{') {
		return false
	}
	if d.expect('}') {
		return true
	}
	for {
		key, ok := d.rawKey()
		if !ok || !d.expect(':') || !field(key) {
			return false
		}
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

// once marks field bit as read, refusing a repeat.
func (d *fastDecoder) once(bit uint32) bool {
	if d.seen&bit != 0 {
		return false
	}
	d.seen |= bit
	return true
}

func (d *fastDecoder) recordField(key []byte, r *record) bool {
	var s *string
	var bit uint32
	switch string(key) {
	case "type":
		s, bit = &r.Type, 1<<0
	case "id":
		s, bit = &r.ID, 1<<1
	case "channel":
		s, bit = &r.Channel, 1<<2
	case "title":
		s, bit = &r.Title, 1<<3
	case "conversation":
		s, bit = &r.Conversation, 1<<4
	case "time":
		s, bit = &r.Time, 1<<5
	case "zone":
		s, bit = &r.Zone, 1<<6
	case "sender":
		s, bit = &r.Sender, 1<<7
	case "text":
		s, bit = &r.Text, 1<<8
	case "kind":
		s, bit = &r.Kind, 1<<9
	case "reply_to":
		s, bit = &r.ReplyTo, 1<<10
	case "edited":
		s, bit = &r.Edited, 1<<11
	case "seq":
		var ok bool
		if r.Seq, ok = d.int(); !ok {
			return false
		}
		return d.once(1 << 12)
	case "forwarded":
		var ok bool
		if r.Forwarded, ok = d.bool(); !ok {
			return false
		}
		return d.once(1 << 13)
	case "participants":
		if !d.once(1<<14) || !d.expect('[') {
			return false
		}
		r.Participants = []participant{} // "[]" too is an empty slice, not nil
		return d.array(func() bool {
			var p participant
			var seen uint32
			ok := d.object(func(key []byte) bool {
				var s *string
				var bit uint32
				switch string(key) {
				case "id":
					s, bit = &p.ID, 1
				case "name":
					s, bit = &p.Name, 2
				default:
					return false
				}
				if seen&bit != 0 {
					return false
				}
				seen |= bit
				var ok bool
				*s, ok = d.string()
				return ok
			})
			r.Participants = append(r.Participants, p)
			return ok
		})
	case "attachments":
		if !d.once(1<<15) || !d.expect('[') {
			return false
		}
		r.Attachments = []attachment{}
		return d.array(func() bool {
			var a attachment
			var seen uint32
			ok := d.object(func(key []byte) bool {
				var s *string
				var bit uint32
				switch string(key) {
				case "name":
					s, bit = &a.Name, 1
				case "type":
					s, bit = &a.Type, 2
				case "sha256":
					s, bit = &a.SHA256, 4
				case "size":
					if seen&8 != 0 {
						return false
					}
					seen |= 8
					var ok bool
					a.Size, ok = d.int()
					return ok
				default:
					return false
				}
				if seen&bit != 0 {
					return false
				}
				seen |= bit
				var ok bool
				*s, ok = d.string()
				return ok
			})
			r.Attachments = append(r.Attachments, a)
			return ok
		})
	default:
		return false
	}
	if !d.once(bit) {
		return false
	}
	var ok bool
	*s, ok = d.string()
	return ok
}

// array reads the elements of an array whose '[' is read, each by elem.
func (d *fastDecoder) array(elem func() bool) bool {
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
