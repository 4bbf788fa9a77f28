package wechat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// PyWxDump's JSON export is an array of records with the CSV's fields
// (id, MsgSvrID, type_name, is_sender, talker, room_name, msg, src,
// extra, CreateTime). It is read one element at a time; an object whose
// first array-valued key holds the records is read the same way.

// flex is a JSON string, number or bool as text: ids such as MsgSvrID are
// 64-bit numbers that float64 would round.
type flex string

func (f *flex) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flex(s)
	case string(b) == "null":
	default:
		*f = flex(b)
	}
	return nil
}

// lineCounter remembers where the newlines are in what the JSON decoder
// has read but not yet passed, to name a record's line.
type lineCounter struct {
	r    io.Reader
	off  int64
	nl   []int64 // offsets of newlines not yet passed
	base int     // newlines before nl[0]
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			c.nl = append(c.nl, c.off+int64(i))
		}
	}
	c.off += int64(n)
	return n, err
}

// lineAt returns the 1-based line of the byte at off; off must not
// decrease between calls.
func (c *lineCounter) lineAt(off int64) int {
	i := 0
	for i < len(c.nl) && c.nl[i] < off {
		i++
	}
	c.base += i
	c.nl = c.nl[i:]
	return c.base + 1
}

func readPyJSON(in *input, e *emitter) error {
	lc := &lineCounter{r: in.r}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("reading %s: %w", in.path, err)
	}
	if tok == json.Delim('{') {
		for {
			if !dec.More() {
				return fmt.Errorf("%s: no array of messages in the JSON object", in.path)
			}
			if _, err := dec.Token(); err != nil { // the key
				return fmt.Errorf("reading %s: %w", in.path, err)
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return fmt.Errorf("reading %s line %d: %w", in.path, lc.lineAt(dec.InputOffset()), err)
			}
			if v = bytes.TrimSpace(v); len(v) > 0 && v[0] == '[' {
				// Read this array's elements from memory: an object
				// wrapper is the small-export case.
				lc2 := &lineCounter{r: bytes.NewReader(v), base: lc.lineAt(dec.InputOffset()) - 1 - bytes.Count(v, []byte{'\n'})}
				return readPyArray(in, e, json.NewDecoder(lc2), lc2, true)
			}
		}
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("%s: a PyWxDump JSON export is an array of messages", in.path)
	}
	return readPyArray(in, e, dec, lc, false)
}

func readPyArray(in *input, e *emitter, dec *json.Decoder, lc *lineCounter, open bool) error {
	if open {
		if _, err := dec.Token(); err != nil {
			return fmt.Errorf("reading %s: %w", in.path, err)
		}
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("reading %s line %d: %w", in.path, lc.lineAt(dec.InputOffset()), err)
		}
		line := lc.lineAt(dec.InputOffset()) - bytes.Count(raw, []byte{'\n'})
		var rec map[string]flex
		if err := json.Unmarshal(raw, &rec); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				err = fmt.Errorf("a message is a JSON object of fields, not %s", te.Value)
			}
			if err := e.skip(line, err); err != nil {
				return err
			}
			continue
		}
		low := make(map[string]string, len(rec))
		for k, v := range rec {
			low[strings.ToLower(k)] = string(v)
		}
		rw := pyRow(func(n string) string { return low[n] })
		if err := e.record(&rw, line); err != nil {
			return err
		}
	}
	return nil
}
