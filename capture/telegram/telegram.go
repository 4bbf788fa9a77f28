// Package telegram reads Telegram Desktop's "Export chat history" in its
// machine-readable form: result.json, either one chat
// ({name, type, id, messages}) or a whole account ({about, …,
// chats: {about, list: [chat…]}, left_chats: {…}}). The layout is the one
// Telegram Desktop's JSON writer (export_output_json.cpp) produces, with
// its one departure from JSON: control characters escaped as \xHH, which
// a filter rewrites before decoding (see xFilter).
//
// Read streams: it walks the file's structure token by token and decodes
// one message object at a time, so memory does not grow with the number
// of messages. Each chat becomes a conversation "telegram:<chat id>";
// its header goes to the sink before the chat's first message and, when
// participants were met after that, once more at the end of the chat
// (Stats.Conversations counts the chat once). A chat without a readable
// message still gets its header.
//
// Mapping of a message:
//
//	id                     → ID (decimal), unique within the chat
//	position in the chat   → Seq (1-based, unreadable messages counted, so
//	                         it is the same on every read)
//	date_unixtime          → Time (UTC), Zone "" — an absolute instant
//	date (no unixtime)     → Time read in Options.Zone, Zone = its name
//	from_id / from         → Sender / participant name
//	text or text_entities  → Text (entity runs concatenated; a text_link
//	                         whose href differs from its text is written
//	                         "text (href)" so the target is not lost)
//	type "service"         → Kind system, Text rendered from action, actor, members, title
//	reply_to_message_id    → ReplyTo (only when the reply is in the same chat)
//	forwarded_from         → Forwarded
//	edited_unixtime        → Edited
//	photo, file, …         → Attachments (no SHA256: the export has none)
//	poll, contact, location, sticker, game → a line of Text each
package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sealroom/capture"
)

// Channel is the Conversation.Channel of every Telegram conversation.
const Channel = "telegram"

// ResultFile is the name Telegram Desktop gives the export's JSON file.
const ResultFile = "result.json"

// sniffLimit bounds how much of a file Sniff reads: in a full-account
// export the contacts and sessions come before the chats.
const sniffLimit = 8 << 20

// resolve turns path (result.json or the folder holding it) into the file
// to read.
func resolve(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		p := filepath.Join(path, ResultFile)
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("folder %s holds no %s", path, ResultFile)
		}
		return p, nil
	}
	return path, nil
}

// Sniff reports whether path is a Telegram Desktop JSON export: a .json
// file, or a folder holding result.json, whose top-level object has a
// chat's keys (type, id, messages) or an account's (chats, left_chats,
// personal_information).
func Sniff(path string) (ok bool, why string) {
	if htmlExport(path) {
		return false, `a Telegram Desktop export in HTML, which cannot be imported: export again with Format "Machine-readable JSON"`
	}
	file, err := resolve(path)
	if err != nil {
		return false, fmt.Sprintf("not a Telegram export: %v", err)
	}
	if !strings.EqualFold(filepath.Ext(file), ".json") {
		return false, "not a Telegram export: Telegram Desktop writes result.json; choose that file or the folder holding it"
	}
	f, err := os.Open(file)
	if err != nil {
		return false, fmt.Sprintf("cannot open %s: %v", file, err)
	}
	defer f.Close()
	dec := json.NewDecoder(newXFilter(io.LimitReader(f, sniffLimit)))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false, fmt.Sprintf("%s is not a JSON object; a Telegram export starts with {", filepath.Base(file))
	}
	var sawType, sawID bool
	name := ""
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := t.(string)
		switch key {
		case "chats", "left_chats", "personal_information", "frequent_contacts":
			return true, "Telegram Desktop export of a whole account"
		case "type", "id":
			v, err := scalar(dec)
			if err != nil {
				return false, fmt.Sprintf("%s is not valid JSON: %v", filepath.Base(file), err)
			}
			sawType = sawType || key == "type" && v != ""
			sawID = sawID || key == "id" && v != ""
			continue
		case "name":
			if name, err = scalar(dec); err != nil {
				return false, fmt.Sprintf("%s is not valid JSON: %v", filepath.Base(file), err)
			}
			continue
		case "messages":
			if sawType && sawID {
				if t, err := dec.Token(); err == nil && t == json.Delim('[') {
					if name == "" {
						return true, "Telegram Desktop export of one chat"
					}
					return true, fmt.Sprintf("Telegram Desktop export of the chat %q", name)
				}
			}
			return false, `JSON with "messages", but not a Telegram chat: no chat "type" and "id" before them`
		}
		if err := skipValue(dec, nil); err != nil {
			break
		}
	}
	return false, fmt.Sprintf(`%s is JSON but not a Telegram Desktop export: no "messages" or "chats" at its top level`, filepath.Base(file))
}

// htmlExport reports Telegram Desktop's other format: messages.html, or a
// folder holding it and no result.json.
func htmlExport(path string) bool {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		if _, err := os.Stat(filepath.Join(path, ResultFile)); err == nil {
			return false
		}
		path = filepath.Join(path, "messages.html")
	}
	_, err := os.Stat(path)
	return err == nil && filepath.Base(path) == "messages.html"
}

// Read streams the export at path (result.json or the folder holding it)
// into sink. A message that cannot be read is reported through Stats.Skip
// with its line and skipped; broken JSON, which leaves nothing to resync
// on, stops Read with an error naming the line.
func Read(path string, sink capture.Sink, opts capture.Options) (capture.Stats, error) {
	var st capture.Stats
	file, err := resolve(path)
	if err != nil {
		return st, fmt.Errorf("failed to open Telegram export: %w", err)
	}
	f, err := os.Open(file)
	if err != nil {
		return st, fmt.Errorf("failed to open Telegram export: %w", err)
	}
	defer f.Close()
	st.Files++
	err = read(f, file, sink, opts, &st)
	return st, err
}

// read streams one result.json from r, named name in errors.
func read(r io.Reader, name string, sink capture.Sink, opts capture.Options, st *capture.Stats) error {
	return newReader(r, name, sink, opts, st).run()
}

// reader walks one result.json.
type reader struct {
	name  string
	f     *xFilter
	dec   *json.Decoder
	sink  capture.Sink
	opts  capture.Options
	st    *capture.Stats
	dir   string // the folder media paths are relative to
	chats int    // chats begun, for fallback ids
	found bool   // a message list or chat list was met
}

func newReader(r io.Reader, name string, sink capture.Sink, opts capture.Options, st *capture.Stats) *reader {
	f := newXFilter(r)
	dec := json.NewDecoder(f)
	dec.UseNumber()
	return &reader{name: name, f: f, dec: dec, sink: sink, opts: opts, st: st, dir: filepath.Dir(name)}
}

// ErrNotExport is returned by Read for JSON that is not shaped like a
// Telegram Desktop export: no chat and no chat list at its top level.
var ErrNotExport = errors.New("not a Telegram Desktop export")

func (r *reader) run() error {
	t, err := r.dec.Token()
	if err != nil {
		return r.syntax(err)
	}
	if t != json.Delim('{') {
		return fmt.Errorf("%s: %w: the top level is not an object", r.name, ErrNotExport)
	}
	if err := r.chat(true); err != nil {
		return err
	}
	if !r.found {
		return fmt.Errorf("%s: %w: no \"messages\" or \"chats\" at the top level", r.name, ErrNotExport)
	}
	if _, err := r.dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("data after the top-level object")
		}
		return r.syntax(err)
	}
	return nil
}

// syntax wraps an error from the decoder with the line it stopped at.
func (r *reader) syntax(err error) error {
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	line := r.f.lineAt(r.dec.InputOffset())
	return fmt.Errorf("failed to read Telegram export: %w", &capture.LineError{File: r.name, Line: line, Err: err})
}

// chat reads the members of an object whose '{' was just read: a chat,
// or at the top, a chat or a whole account. It returns after the '}'.
func (r *reader) chat(top bool) error {
	r.chats++
	c := newChat(r.chats, r.dir)
	for r.dec.More() {
		t, err := r.dec.Token()
		if err != nil {
			return r.syntax(err)
		}
		key, _ := t.(string)
		switch {
		case key == "name" || key == "type" || key == "id":
			v, err := scalar(r.dec)
			if err != nil {
				return r.syntax(err)
			}
			c.set(key, v)
		case key == "messages":
			if err := r.messages(c); err != nil {
				return err
			}
		case top && (key == "chats" || key == "left_chats"):
			if err := r.section(); err != nil {
				return err
			}
		default:
			if err := skipValue(r.dec, r.f); err != nil {
				return r.syntax(err)
			}
		}
	}
	if _, err := r.dec.Token(); err != nil { // '}'
		return r.syntax(err)
	}
	if c.sawMessages {
		return r.finish(c)
	}
	return nil
}

// section reads {about, list: [chat…]}.
func (r *reader) section() error {
	r.found = true
	t, err := r.dec.Token()
	if err != nil {
		return r.syntax(err)
	}
	if t != json.Delim('{') {
		return r.syntax(fmt.Errorf("chats section is %v, not an object", t))
	}
	for r.dec.More() {
		t, err := r.dec.Token()
		if err != nil {
			return r.syntax(err)
		}
		if t != "list" {
			if err := skipValue(r.dec, r.f); err != nil {
				return r.syntax(err)
			}
			continue
		}
		if t, err = r.dec.Token(); err != nil {
			return r.syntax(err)
		} else if t != json.Delim('[') {
			return r.syntax(fmt.Errorf("chat list is %v, not an array", t))
		}
		for r.dec.More() {
			t, err := r.dec.Token()
			if err != nil {
				return r.syntax(err)
			}
			if t != json.Delim('{') {
				return r.syntax(fmt.Errorf("chat is %v, not an object", t))
			}
			if err := r.chat(false); err != nil {
				return err
			}
		}
		if _, err := r.dec.Token(); err != nil { // ']'
			return r.syntax(err)
		}
	}
	if _, err := r.dec.Token(); err != nil { // '}'
		return r.syntax(err)
	}
	return nil
}

// messages reads a chat's message array, one message object at a time.
func (r *reader) messages(c *chat) error {
	c.sawMessages = true
	r.found = true
	t, err := r.dec.Token()
	if err != nil {
		return r.syntax(err)
	}
	if t != json.Delim('[') {
		return r.syntax(fmt.Errorf(`"messages" is %v, not an array`, t))
	}
	var raw tgMessage
	for r.dec.More() {
		line := r.f.lineAt(r.valueStart())
		c.seq++
		raw = tgMessage{}
		before := r.dec.InputOffset()
		if err := r.dec.Decode(&raw); err != nil {
			// A decoder that did not move past the value met broken JSON
			// or a read error: nothing after it can be trusted. One that
			// did read the whole object, which only did not fit.
			if r.dec.InputOffset() == before {
				return r.syntax(err)
			}
			if err := r.skip(line, fmt.Errorf("message %d of %s: %v", c.seq, c.label(), err)); err != nil {
				return err
			}
			continue
		}
		m, err := c.message(&raw, r.opts)
		if err == nil {
			err = m.Validate()
		}
		if err != nil {
			if err := r.skip(line, err); err != nil {
				return err
			}
			continue
		}
		if !c.headerSent {
			if err := r.header(c); err != nil {
				return err
			}
		}
		r.st.Messages++
		if err := r.sink.Message(m); err != nil {
			return fmt.Errorf("%s line %d: %w", r.name, line, err)
		}
	}
	if _, err := r.dec.Token(); err != nil { // ']'
		return r.syntax(err)
	}
	return nil
}

func (r *reader) skip(line int, err error) error {
	return r.st.Skip(r.opts, r.name, line, err)
}

// valueStart is the offset of the next value in the decoder's input:
// InputOffset stops before the whitespace and comma that precede it.
func (r *reader) valueStart() int64 {
	off := r.dec.InputOffset()
	buf, ok := r.dec.Buffered().(interface{ ReadByte() (byte, error) })
	if !ok {
		return off
	}
	for {
		b, err := buf.ReadByte()
		if err != nil || (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != ',') {
			return off
		}
		off++
	}
}

// header sends c's conversation header.
func (r *reader) header(c *chat) error {
	if !c.headerSent {
		r.st.Conversations++
	}
	c.headerSent = true
	c.sentParts = len(c.parts)
	c.sentTitle = c.title()
	if err := r.sink.Conversation(c.conversation()); err != nil {
		return fmt.Errorf("%s: conversation %s: %w", r.name, c.id(), err)
	}
	return nil
}

// finish sends c's header once more if it changed since it was sent, or
// for the first time if the chat has no readable message.
func (r *reader) finish(c *chat) error {
	if c.headerSent && c.sentParts == len(c.parts) && c.sentTitle == c.title() {
		return nil
	}
	return r.header(c)
}

// scalar decodes the next value and returns it as a string when it is a
// string or a number, "" otherwise (null, or a structure, which is
// consumed).
func scalar(dec *json.Decoder) (string, error) {
	var v any
	if err := dec.Decode(&v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return "", nil
		}
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	}
	return "", nil
}

// skipValue consumes the next value token by token, so a large section
// the importer does not use (contacts, sessions) is never held whole.
// When f is not nil its newline records are trimmed as the value passes.
func skipValue(dec *json.Decoder, f *xFilter) error {
	depth := 0
	for n := 0; ; n++ {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if f != nil && n%256 == 255 {
			f.lineAt(dec.InputOffset())
		}
		if depth == 0 {
			return nil
		}
	}
}
