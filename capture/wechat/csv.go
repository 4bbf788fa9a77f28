package wechat

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"sealroom/capture"
)

// Database-style exports (MemoTrace CSV, PyWxDump CSV and JSON) write one
// row of WeChat's MSG table per message. The header's names decide which
// column is which, so reordered or extra columns read the same.

// columns maps a CSV header to the fields a row is read from; -1 is absent.
type columns struct {
	shape shape
	found string // the names that decided the shape, for Sniff
	idx   map[string]int
}

// csvColumns recognises a header row.
func csvColumns(names []string) columns {
	c := columns{idx: map[string]int{}}
	for i, n := range names {
		n = strings.ToLower(strings.Trim(strings.TrimSpace(strings.TrimPrefix(n, "\uFEFF")), `"`))
		if _, dup := c.idx[n]; !dup && n != "" {
			c.idx[n] = i
		}
	}
	has := func(n string) bool { _, ok := c.idx[n]; return ok }
	switch {
	case has("strcontent") && has("type") && (has("createtime") || has("strtime")):
		c.shape, c.found = shapeMemoCSV, "MemoTrace's columns Type, StrContent and CreateTime/StrTime"
	case has("type_name") && has("msg") && (has("createtime") || has("create_time")):
		c.shape, c.found = shapePyCSV, "PyWxDump's columns type_name, msg and CreateTime"
	}
	return c
}

// get returns the named field of rec, or "".
func (c *columns) get(rec []string, name string) string {
	if i, ok := c.idx[name]; ok && i < len(rec) {
		return rec[i]
	}
	return ""
}

func splitHeader(line string) []string {
	r := csv.NewReader(strings.NewReader(line))
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return strings.Split(line, ",")
	}
	return rec
}

// row is one message of a database-style export, by meaning.
type row struct {
	id, svrID        string
	talker           string // the chat (MemoTrace TalkerId, PyWxDump room_name)
	sender, name     string // who wrote it, and their display name
	isSender         bool
	typ, sub         string // numeric Type and SubType, or
	typeName         string // PyWxDump's type_name
	content, src     string
	createTime, wall string // unix seconds or a wall clock; a wall clock
	title            string // the conversation's title, if the row names it
}

func readCSV(in *input, e *emitter) error {
	r := csv.NewReader(in.r)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err != nil {
		return fmt.Errorf("reading %s: header: %w", in.path, err)
	}
	cols := csvColumns(hdr)
	if cols.shape == shapeUnknown {
		return fmt.Errorf("%s: the header does not name WeChat columns", in.path)
	}
	width := len(hdr)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if err := e.skip(pe.StartLine, pe.Err); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", in.path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < width {
			if err := e.skip(line, fmt.Errorf("%d fields where the header has %d", len(rec), width)); err != nil {
				return err
			}
			continue
		}
		var rw row
		if cols.shape == shapeMemoCSV {
			rw = memoRow(&cols, rec, in.base)
		} else {
			rw = pyRow(func(n string) string { return cols.get(rec, n) })
		}
		if err := e.record(&rw, line); err != nil {
			return err
		}
	}
}

// memoRow reads a MemoTrace row: localId, TalkerId, Type, SubType,
// IsSender, CreateTime, Status, StrContent, StrTime, Remark, NickName,
// Sender.
func memoRow(c *columns, rec []string, base string) row {
	g := func(n string) string { return strings.TrimSpace(c.get(rec, n)) }
	r := row{
		id: g("localid"), svrID: g("msgsvrid"), talker: g("talkerid"), sender: g("sender"),
		isSender: truthy(g("issender")), typ: g("type"), sub: g("subtype"),
		content: c.get(rec, "strcontent"), createTime: g("createtime"), wall: g("strtime"),
		title: strings.TrimSuffix(base, "_utf8"),
	}
	r.name = g("remark")
	if r.name == "" {
		r.name = g("nickname")
	}
	if r.sender == "" && !r.isSender {
		r.sender = r.name
	}
	return r
}

// pyRow reads a PyWxDump record: id, MsgSvrID, type_name, is_sender,
// talker, room_name, msg, src, CreateTime.
func pyRow(get func(string) string) row {
	g := func(n string) string { return strings.TrimSpace(get(n)) }
	r := row{
		id: g("id"), svrID: g("msgsvrid"), talker: g("room_name"), sender: g("talker"),
		isSender: truthy(g("is_sender")), typeName: g("type_name"), typ: g("type"), sub: g("subtype"),
		content: get("msg"), src: g("src"), createTime: g("createtime"),
	}
	if r.createTime == "" {
		r.createTime = g("create_time")
	}
	r.title = r.talker
	return r
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// record turns a row into a message.
func (e *emitter) record(r *row, line int) error {
	key := r.talker
	c := e.conv(key, r.title)
	m := &capture.Message{}
	t, zone, err := e.rowTime(r)
	if err != nil {
		return e.skip(line, err)
	}
	m.Time, m.Zone = t, zone
	ct := content{text: r.content, src: r.src}
	switch {
	case r.typeName != "" && r.typ == "":
		if ts, ok := pyTypes[r.typeName]; ok {
			ct.typ, ct.sub = ts[0], ts[1]
		} else {
			ct.typ = -1 // unknown: the content is kept as text
		}
	default:
		if ct.typ, err = strconv.Atoi(r.typ); err != nil {
			return e.skip(line, fmt.Errorf("column Type: %q is not a number", r.typ))
		}
		if r.sub != "" {
			if ct.sub, err = strconv.Atoi(r.sub); err != nil {
				return e.skip(line, fmt.Errorf("SubType %q is not a number", r.sub))
			}
		}
	}
	classify(ct, m)
	m.Sender = r.sender
	name := r.name
	if r.isSender && (m.Sender == "" || m.Sender == "我") {
		m.Sender, name = "self", ""
	}
	if m.Sender == "" && m.Kind == capture.KindMessage {
		m.Sender = c.key // a one-to-one chat's other side
	}
	switch {
	case r.svrID != "" && r.svrID != "0" && (r.id == "" || r.typeName != ""):
		m.ID = r.svrID
	case r.id != "":
		m.ID = r.id
	}
	return e.emit(c, m, name, line)
}

// rowTime reads CreateTime (unix seconds, or milliseconds) as an
// absolute time, else the wall clock in the import zone.
func (e *emitter) rowTime(r *row) (time.Time, string, error) {
	if n, err := strconv.ParseInt(r.createTime, 10, 64); err == nil && n > 0 {
		if n > 1e11 {
			return time.UnixMilli(n).UTC(), "", nil
		}
		return time.Unix(n, 0).UTC(), "", nil
	}
	for _, s := range []string{r.createTime, r.wall} {
		if s == "" {
			continue
		}
		if t, ok := parseWall(s, e.loc); ok {
			return t.UTC(), e.loc.String(), nil
		}
		return time.Time{}, "", fmt.Errorf("time %q is neither unix seconds nor YYYY-MM-DD HH:MM:SS", s)
	}
	return time.Time{}, "", errors.New("no CreateTime or StrTime")
}
