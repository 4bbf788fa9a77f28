// Package wechat reads what third-party WeChat exporters write. WeChat has
// no export of its own; firms receive one of these shapes, each recognised
// from the file's content, not its name:
//
//   - TXT of WechatExporter: an optional "NAME - WeChat Chat History"
//     frame line, then "NAME (YYYY-MM-DD HH:MM:SS):MESSAGE" headers whose
//     text runs on over the following lines, "System Message: …" lines,
//     the reply block "「name：quoted」" + a dashed rule before the reply,
//     and placeholders such as [Photo]/[图片] for media (txt.go);
//   - HTML of WechatExporter: one <div class="msg …" msgid=… msgtype=…>
//     block per message, read by a small tolerant tag scanner (html.go);
//   - MemoTrace (WeChatMsg) CSV: localId, TalkerId, Type, SubType,
//     IsSender, CreateTime, StrContent, StrTime, NickName, Sender …,
//     UTF-8 with a BOM (csv.go);
//   - PyWxDump CSV and JSON: id, MsgSvrID, type_name, is_sender, talker,
//     room_name, msg, src, CreateTime (csv.go, pyjson.go).
//
// Older files may be GB18030/GBK rather than UTF-8. The encoding is
// decided from the first 64 KiB (a BOM, else valid UTF-8, else bytes that
// decode as GB18030 without a replacement character) and the rest is
// decoded as it streams; a record the decoder could not read cleanly is
// skipped and reported rather than imported with U+FFFD in it.
//
// Times the export writes as a wall clock are read in Options.Zone and
// recorded with its name; CreateTime in unix seconds is absolute and gets
// no zone. Memory stays bounded whatever the file's size.
package wechat

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"sealroom/capture"
)

// MaxLine bounds one line of a TXT export or one tag or text run of an
// HTML export; a longer one is reported and skipped.
const MaxLine = 1 << 20

// sniffSize is how much of the file decides its encoding and shape.
const sniffSize = 64 << 10

// shape is the kind of export a file holds.
type shape int

const (
	shapeUnknown shape = iota
	shapeTXT
	shapeHTML
	shapeMemoCSV
	shapePyCSV
	shapePyJSON
)

func (s shape) String() string {
	return [...]string{"unknown", "WechatExporter TXT", "WechatExporter HTML", "MemoTrace CSV",
		"PyWxDump CSV", "PyWxDump JSON"}[s]
}

// Sniff says whether path looks like one of the WeChat exports this
// package reads, and why or why not.
func Sniff(path string) (bool, string) {
	in, err := open(path, sniffSize)
	if err != nil {
		return false, err.Error()
	}
	defer in.close()
	if in.shape == shapeUnknown {
		return false, fmt.Sprintf("%s: not a WeChat export this reader knows: %s", path, in.why)
	}
	return true, fmt.Sprintf("%s: a %s export (%s): %s", path, in.shape, in.enc, in.why)
}

// Read imports the WeChat export at path into sink.
func Read(path string, sink capture.Sink, opts capture.Options) (capture.Stats, error) {
	var st capture.Stats
	in, err := open(path, 256<<10)
	if err != nil {
		return st, err
	}
	defer in.close()
	if in.shape == shapeUnknown {
		return st, fmt.Errorf("%s: not a WeChat export this reader knows: %s", path, in.why)
	}
	st.Files = 1
	e := newEmitter(in, sink, opts, &st)
	switch in.shape {
	case shapeTXT:
		err = readTXT(in, e)
	case shapeHTML:
		err = readHTML(in, e)
	case shapeMemoCSV, shapePyCSV:
		err = readCSV(in, e)
	case shapePyJSON:
		err = readPyJSON(in, e)
	}
	if err != nil {
		return st, err
	}
	return st, e.finish()
}

// input is an opened export: its decoded text and what it was found to be.
type input struct {
	path  string
	base  string // file name without folder and extension
	f     *os.File
	r     *bufio.Reader // the decoded text, UTF-8
	enc   string        // the encoding found, for messages
	lossy bool          // decoded from another charset: U+FFFD marks bytes it could not read
	shape shape
	why   string
}

func (in *input) close() { in.f.Close() }

// open opens the export at path and finds its encoding and shape; its
// decoded text is read through a buffer of size bytes (at least
// sniffSize): Sniff, which reads no further, needs no more, and a folder
// of thousands of chats is sniffed file by file.
func open(path string, size int) (*input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder; give the exported chat file (.txt, .html, .csv or .json)", path)
	}
	base := filepath.Base(path)
	in := &input{path: path, base: strings.TrimSuffix(base, filepath.Ext(base)), f: f}
	raw := bufio.NewReaderSize(f, sniffSize)
	head, err := raw.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var dec io.Reader = raw
	in.enc, dec, in.lossy = detectEncoding(raw, head, len(head) < sniffSize)
	in.r = bufio.NewReaderSize(dec, max(size, sniffSize))
	text, err := in.r.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	in.shape, in.why = detectShape(text)
	return in, nil
}

// detectEncoding picks the decoder for a file starting with head (all of
// it when whole). A BOM decides; else valid UTF-8 is UTF-8; else bytes
// that decode as GB18030 (a superset of GBK and GB2312) without U+FFFD are
// GB18030; else the file is read as UTF-8 and records with invalid bytes
// are skipped.
func detectEncoding(raw *bufio.Reader, head []byte, whole bool) (string, io.Reader, bool) {
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		raw.Discard(3)
		return "UTF-8 with BOM", raw, false
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		return "UTF-16LE", transform.NewReader(raw, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), true
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		return "UTF-16BE", transform.NewReader(raw, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), true
	}
	if utf8.Valid(head) || !whole && utf8.Valid(trimCut(head)) {
		return "UTF-8", raw, false
	}
	// Decode without atEOF unless the head is the whole file, so a
	// character cut at the end of the head is not counted as invalid. A
	// few bad sequences (at most 1 in 20 characters) are tolerated: a
	// GBK file with one damaged message is still GBK, and that message is
	// skipped when read; random bytes fail far more often.
	dst := make([]byte, 2*len(head)+16)
	n, _, err := simplifiedchinese.GB18030.NewDecoder().Transform(dst, head, whole)
	if err == nil || !whole && err == transform.ErrShortSrc {
		bad, wide := 0, 0
		for _, r := range string(dst[:n]) {
			switch {
			case r == utf8.RuneError:
				bad++
			case r >= utf8.RuneSelf:
				wide++
			}
		}
		if bad*20 <= wide {
			return "GB18030", transform.NewReader(raw, simplifiedchinese.GB18030.NewDecoder()), true
		}
	}
	return "UTF-8 with invalid bytes", raw, false
}

// trimCut drops an incomplete UTF-8 sequence at the end of b.
func trimCut(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// detectShape decides the export's shape from its first decoded bytes.
func detectShape(text []byte) (shape, string) {
	t := bytes.TrimLeft(text, " \t\r\n\uFEFF")
	if len(t) == 0 {
		return shapeUnknown, "the file is empty"
	}
	if t[0] == '[' || t[0] == '{' {
		if bytes.Contains(t, []byte(`"type_name"`)) || bytes.Contains(t, []byte(`"MsgSvrID"`)) {
			return shapePyJSON, `JSON records with PyWxDump's "type_name"/"MsgSvrID" keys`
		}
		return shapeUnknown, `JSON without PyWxDump's "type_name" or "MsgSvrID" keys (users.json is not a chat)`
	}
	if bytes.Contains(t, []byte(`class="msg `)) || t[0] == '<' && bytes.Contains(t, []byte("msgid=")) {
		return shapeHTML, `HTML with WechatExporter's <div class="msg …"> message blocks`
	}
	if t[0] == '<' {
		return shapeUnknown, `HTML or XML without WechatExporter's <div class="msg …" msgid=…> message blocks`
	}
	first, _, _ := bytes.Cut(t, []byte{'\n'})
	if c := csvColumns(splitHeader(string(first))); c.shape != shapeUnknown {
		return c.shape, "the header names " + c.found
	}
	lines := 0
	for len(t) > 0 && lines < 200 {
		var line []byte
		line, t, _ = bytes.Cut(t, []byte{'\n'})
		line = bytes.TrimRight(line, "\r")
		if lines == 0 && frameTitle(string(line)) != "" {
			return shapeTXT, `it starts with WechatExporter's "NAME - WeChat Chat History" line`
		}
		if _, _, _, ok := parseHeader(line); ok {
			return shapeTXT, `lines start "NAME (YYYY-MM-DD HH:MM:SS):"`
		}
		lines++
	}
	return shapeUnknown, `no line starts "NAME (YYYY-MM-DD HH:MM:SS):", no <div class="msg"> blocks, no CSV header with WeChat columns (localId, Type, StrContent, CreateTime / MsgSvrID, type_name, msg)`
}

// emitter turns parsed records into validated messages for the sink,
// sends each conversation's header before its first message and again at
// the end with every participant seen, and derives ids the export lacks.
type emitter struct {
	in    *input
	sink  capture.Sink
	opts  capture.Options
	st    *capture.Stats
	loc   *time.Location
	convs map[string]*conv
	order []*conv
}

type conv struct {
	c    capture.Conversation
	key  string // the talker id or file name the id is made from
	seen map[string]bool
	sent bool
	seq  int64
	occT time.Time        // the second occ counts within
	occ  map[string]int64 // identical messages within occT, for StableID
}

func newEmitter(in *input, sink capture.Sink, opts capture.Options, st *capture.Stats) *emitter {
	return &emitter{in: in, sink: sink, opts: opts, st: st, loc: opts.ZoneOrLocal(), convs: map[string]*conv{}}
}

// conv returns the conversation with the given key ("" for the file's
// own), creating it with title.
func (e *emitter) conv(key, title string) *conv {
	if key == "" {
		key = e.in.base
	}
	if c := e.convs[key]; c != nil {
		return c
	}
	if title == "" {
		title = key
	}
	c := &conv{c: capture.Conversation{ID: e.opts.ConversationID("wechat", key), Channel: "wechat", Title: title}, key: key, seen: map[string]bool{}}
	e.convs[key] = c
	e.order = append(e.order, c)
	return c
}

// skip reports an unreadable record at line.
func (e *emitter) skip(line int, err error) error {
	return e.st.Skip(e.opts, e.in.path, line, err)
}

var errDecode = errors.New("bytes that are not valid in the file's encoding")

// emit completes m (conversation, seq, id) and sends it, or skips it with
// line when it does not validate. name is the sender's display name.
func (e *emitter) emit(c *conv, m *capture.Message, name string, line int) error {
	if e.in.lossy && (strings.ContainsRune(m.Text, utf8.RuneError) || strings.ContainsRune(m.Sender, utf8.RuneError)) {
		return e.skip(line, errDecode)
	}
	if m.Kind == capture.KindSystem {
		m.Sender = ""
	}
	m.Conversation = c.c.ID
	c.seq++
	m.Seq = c.seq
	if m.ID == "" {
		key := m.Sender + "\x00" + m.Text
		for _, a := range m.Attachments {
			key += "\x00" + a.Name
		}
		if !m.Time.Equal(c.occT) {
			c.occT = m.Time
			clear(c.occ)
		}
		if c.occ == nil {
			c.occ = map[string]int64{}
		}
		c.occ[key]++
		m.ID = capture.StableID(m.Conversation, m.Time, m.Sender, m.Text+capture.AttachmentNames(m.Attachments), c.occ[key])
	}
	if err := m.Validate(); err != nil {
		c.seq--
		return e.skip(line, err)
	}
	if m.Sender != "" && !c.seen[m.Sender] {
		c.seen[m.Sender] = true
		c.c.Participants = append(c.c.Participants, capture.Participant{ID: m.Sender, Name: name})
	}
	if !c.sent {
		c.sent = true
		e.st.Conversations++
		cc := c.c // a copy: the sink may keep it while participants grow
		cc.Participants = append([]capture.Participant(nil), c.c.Participants...)
		if err := e.sink.Conversation(&cc); err != nil {
			return err
		}
	}
	e.st.Messages++
	if err := e.sink.Message(m); err != nil {
		return fmt.Errorf("%s:%d: %w", e.in.path, line, err)
	}
	return nil
}

// finish sends each conversation's header again, now with every
// participant.
func (e *emitter) finish() error {
	for _, c := range e.order {
		if c.sent {
			cc := c.c
			cc.Participants = append([]capture.Participant(nil), c.c.Participants...)
			if err := e.sink.Conversation(&cc); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseWall reads "YYYY-MM-DD HH:MM:SS" (or without ":SS") in loc.
func parseWall(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 19 && len(s) != 16 {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	if s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || len(s) == 19 && s[16] != ':' {
		return time.Time{}, false
	}
	y, mo, d, h, mi, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), 0
	if len(s) == 19 {
		sec = num(17, 2)
	}
	if y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
	if t.Day() != d {
		return time.Time{}, false // 31 April
	}
	return t, true
}

// lineReader reads lines of at most MaxLine bytes and counts them.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	line int // number of the line last returned, from 1
}

// next returns the next line without its line ending, valid until the
// next call; a longer line than MaxLine is consumed and returned empty
// with errLong. At the end it returns io.EOF with no line.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	for {
		part, err := lr.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(lr.buf)+len(part) > MaxLine {
				for err == bufio.ErrBufferFull {
					_, err = lr.br.ReadSlice('\n')
				}
				if err != nil && err != io.EOF {
					return nil, err
				}
				lr.line++
				return nil, errLong
			}
			lr.buf = append(lr.buf, part...)
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(lr.buf) > 0 {
			lr.buf = append(lr.buf, part...)
			part = lr.buf
		}
		if len(part) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		lr.line++
		if len(part) > MaxLine {
			return nil, errLong
		}
		part = bytes.TrimSuffix(part, []byte{'\n'})
		return bytes.TrimSuffix(part, []byte{'\r'}), nil
	}
}

var errLong = fmt.Errorf("line longer than %d bytes", MaxLine)
