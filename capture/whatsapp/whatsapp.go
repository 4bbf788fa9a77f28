// Package whatsapp reads WhatsApp's "Export chat": the _chat.txt (or
// "WhatsApp Chat with NAME.txt") text file, alone or in the .zip WhatsApp
// makes with the media. Both families (Android "D/M/YY, HH:MM - Name:
// text" and iOS "[D/M/YY, HH:MM:SS] Name: text") and the locales the
// formats note lists are read by one header scanner (header.go); the
// day/month order is decided per date layout from the whole file, in a
// first pass that reads only headers. Memory does not grow with the file.
package whatsapp

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"sealroom/capture"
)

// MaxLine bounds one line; a longer line is reported and skipped.
const MaxLine = 1 << 20

// Sniff says whether path is a WhatsApp export: a .txt whose first
// headers parse, or a .zip holding one.
func Sniff(path string) (bool, string) {
	src, err := open(path)
	if err != nil {
		return false, err.Error()
	}
	defer src.close()
	r, err := src.chat()
	if err != nil {
		return false, err.Error()
	}
	defer r.Close()
	// A header is at a line's start: 4 KiB of each line do, and a folder
	// of thousands of chats is sniffed file by file (64 KiB buffers were
	// a twentieth of importing 4,358 chats).
	br := bufio.NewReaderSize(r, 4<<10)
	headers, lines := 0, 0
	for lines < 50 {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			lines++
			if _, ok := parseLine(trimEOL(line)); ok {
				headers++
			}
		}
		for err == bufio.ErrBufferFull { // the rest of a long line
			_, err = br.ReadSlice('\n')
		}
		if err != nil {
			break
		}
	}
	switch {
	case headers == 0:
		return false, fmt.Sprintf("%s: no line of the first %d starts with a WhatsApp date and time", src.chatName, lines)
	case headers*2 < lines && lines > 4:
		return true, fmt.Sprintf("%s: %d of the first %d lines start with a WhatsApp date and time (the rest continue messages)", src.chatName, headers, lines)
	}
	return true, fmt.Sprintf("%s: lines start with WhatsApp dates and times", src.chatName)
}

// Read imports the chat at path (a .txt file or a .zip export). The media
// files of a .zip can be opened from their attachments until Read
// returns: a sink that stores them (a capture.Flusher) is flushed before
// the zip closes, and computes their size and SHA-256 as it reads them;
// for any other sink Read computes them.
func Read(path string, sink capture.Sink, opts capture.Options) (st capture.Stats, err error) {
	src, err := open(path)
	if err != nil {
		return st, err
	}
	defer src.close()
	if f, ok := sink.(capture.Flusher); ok && src.zr != nil {
		src.stored = true
		defer func() { // before the zip closes
			if ferr := f.Flush(); err == nil {
				err = ferr
			}
		}()
	}
	orders, err := src.dayOrders(opts)
	if err != nil {
		return st, err
	}
	p := &parser{src: src, sink: sink, opts: opts, st: &st, orders: orders, loc: opts.ZoneOrLocal(),
		conv: &capture.Conversation{ID: opts.ConversationID("whatsapp", src.title), Channel: "whatsapp", Title: src.title},
		seen: map[string]bool{}, names: map[string]int{}}
	p.zone = p.loc.String()
	_, p.reuse = sink.(capture.Copier)
	p.fixedValid = p.conv.ID != "" && utf8.ValidString(p.conv.ID) && utf8.ValidString(p.zone)
	if err := p.run(); err != nil {
		return st, err
	}
	return st, nil
}

// source is an opened export: a text file, or a zip with the chat and media.
type source struct {
	path     string
	title    string // the chat's name, from the file names
	chatName string // the text file's name, for messages
	zr       *zip.ReadCloser
	chatFile *zip.File
	media    map[string]*zip.File
	stored   bool // the sink reads the media itself: no hashing here
}

func open(p string) (*source, error) {
	s := &source{path: p}
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder; give the chat's .txt file or the export's .zip", p)
	}
	base := filepath.Base(p)
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		s.zr = zr
		s.media = map[string]*zip.File{}
		var txts []*zip.File
		for _, f := range zr.File {
			if f.FileInfo().IsDir() {
				continue
			}
			name := path.Base(f.Name)
			if strings.EqualFold(path.Ext(name), ".txt") {
				txts = append(txts, f)
			}
			s.media[name] = f
		}
		sort.Slice(txts, func(i, j int) bool { return rank(txts[i].Name) < rank(txts[j].Name) })
		if len(txts) == 0 {
			zr.Close()
			return nil, fmt.Errorf("%s holds no chat text file (_chat.txt or \"WhatsApp Chat with ….txt\")", p)
		}
		s.chatFile = txts[0]
		s.chatName = base + ":" + txts[0].Name
		s.title = chatTitle(path.Base(txts[0].Name))
		if s.title == "" {
			s.title = chatTitle(base)
		}
		return s, nil
	}
	s.chatName = p
	s.title = chatTitle(base)
	return s, nil
}

// rank orders a zip's text files: the chat first.
func rank(name string) int {
	b := path.Base(name)
	switch {
	case b == "_chat.txt":
		return 0
	case strings.HasPrefix(b, "WhatsApp"):
		return 1
	}
	return 2
}

// chatTitle derives the chat's name from an export file name:
// "WhatsApp Chat with Desk.txt", "WhatsApp Chat - Desk.zip", "Desk.txt".
func chatTitle(name string) string {
	name = strings.TrimSuffix(name, filepath.Ext(name))
	if name == "_chat" {
		return ""
	}
	for _, p := range []string{"WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-Chat mit ", "Conversa do WhatsApp com ",
		"Chat de WhatsApp con ", "Discussion WhatsApp avec ", "Chat WhatsApp con ", "WhatsApp 聊天 - ", "与", "WhatsApp Chat mit "} {
		if t, ok := strings.CutPrefix(name, p); ok {
			return strings.TrimSpace(t)
		}
	}
	return name
}

func (s *source) chat() (io.ReadCloser, error) {
	if s.zr != nil {
		return s.chatFile.Open()
	}
	return os.Open(s.path)
}

func (s *source) close() {
	if s.zr != nil {
		s.zr.Close()
	}
}

// attachment lets a's file in the zip, if there, be opened, and fills its
// size and SHA-256 unless the sink will.
func (s *source) attachment(a *capture.Attachment) error {
	f := s.media[a.Name]
	if f == nil {
		return nil
	}
	a.Open = f.Open
	if s.stored {
		a.Size = int64(f.UncompressedSize64)
		return nil
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return fmt.Errorf("reading %s in %s: %w", f.Name, s.path, err)
	}
	a.Size, a.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return nil
}

// orderVotes gathers, for one date layout, what decides its day order.
type orderVotes struct {
	maxA, maxB  int
	last        header
	have        bool
	downDF, dnM int // how often the date goes backwards if read day-first, month-first
}

// dayOrders reads the file's headers once and decides, per date layout,
// whether dates are day-first: a first or second number over 12 decides;
// otherwise the reading under which dates run forward; otherwise
// opts.DayOrder, otherwise day-first (most locales).
func (s *source) dayOrders(opts capture.Options) (map[signature]bool, error) {
	out := map[signature]bool{}
	if opts.DayOrder != capture.DayOrderAuto {
		return out, nil
	}
	r, err := s.chat()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	votes := map[signature]*orderVotes{}
	var lastSig signature
	var v *orderVotes // votes[lastSig]: a file rarely changes layout
	// The last header's date, with what came before it on its line: a
	// line that starts with it casts no new vote (see sameDate).
	var date []byte
	br := getReader(r)
	defer putReader(br)
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			continue
		}
		line = trimEOL(line)
		var hd header
		ok := false
		if !sameDate(line, date) {
			hd, ok = parseLine(line)
		}
		if ok && !hd.sig.yearFirst {
			if v == nil || hd.sig != lastSig {
				lastSig, v = hd.sig, votes[hd.sig]
				if v == nil {
					v = &orderVotes{}
					votes[hd.sig] = v
				}
			}
			v.maxA, v.maxB = max(v.maxA, hd.a), max(v.maxB, hd.b)
			if v.have {
				if less(hd.y, hd.b, hd.a, v.last.y, v.last.b, v.last.a) {
					v.downDF++
				}
				if less(hd.y, hd.a, hd.b, v.last.y, v.last.a, v.last.b) {
					v.dnM++
				}
			}
			v.last, v.have = hd, true
			date = date[:0]
			if n := datePrefix(line); n > 0 && !hd.sig.timeFirst {
				date = append(date, line[:n]...)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", s.chatName, err)
		}
	}
	for sig, v := range votes {
		switch {
		case v.maxA > 12 && v.maxB <= 12:
			out[sig] = true
		case v.maxB > 12 && v.maxA <= 12:
			out[sig] = false
		case v.downDF != v.dnM:
			out[sig] = v.downDF < v.dnM
		default:
			out[sig] = true
		}
	}
	return out, nil
}

// datePrefix returns the length of line up to the end of its third
// number, if what comes before is ASCII (after invisible marks); else 0.
// For a header that starts with its date, not year first, that is the
// date: in ASCII, the numbers are the runs of digits.
func datePrefix(line []byte) int {
	runs := 0
	for i := len(line) - len(trimInvisible(line)); i < len(line) && i < maxHeader; i++ {
		c := line[i]
		if c >= 0x80 {
			return 0
		}
		if isDigit(c) && (i+1 == len(line) || !isDigit(line[i+1])) {
			if runs++; runs == 3 {
				return i + 1
			}
		}
	}
	return 0
}

// sameDate reports whether line starts with date (a datePrefix of the
// last header, day or month first, that dayOrders counted) and the
// date's last number ends there. Then the line is no header, or a header
// with that date in the same layout (or a year-first one, for an era
// letter after the date, which dayOrders ignores): the tokens of the date
// are the same, and they are the first three numbers. A header that
// repeats the last one's date changes none of the votes.
func sameDate(line, date []byte) bool {
	if len(date) == 0 || !bytes.HasPrefix(line, date) {
		return false
	}
	return len(line) == len(date) || line[len(date)] < 0x80 && !isDigit(line[len(date)])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func less(y1, m1, d1, y2, m2, d2 int) bool {
	if y1 != y2 {
		return y1 < y2
	}
	if m1 != m2 {
		return m1 < m2
	}
	return d1 < d2
}

// parser is the second pass: it assembles messages and sends them.
type parser struct {
	src        *source
	sink       capture.Sink
	opts       capture.Options
	st         *capture.Stats
	orders     map[signature]bool
	loc        *time.Location
	zone       string // loc.String()
	conv       *capture.Conversation
	seen       map[string]bool // participants not in authors
	lastSender string          // the last message's sender: a participant, unless ""
	names      map[string]int  // authors read so far (up to maxNames), by their index in authors
	authors    []knownAuthor
	// fixedValid says the fields Validate checks that are the same for
	// every message (conversation id, zone) are valid; see validate.
	fixedValid bool

	// the message being assembled
	curFam   family
	curTime  time.Time
	curLine  int
	author   string
	authorAt int // author's index in authors, or -1
	lines    []byte
	open     bool
	seq      int64
	sentConv bool

	// the last header's date, and its time: messages of the same minute
	// share a header
	lastDate dateKey
	lastTime time.Time
	day      dayStart // the last day's midnight, for the other headers of the day

	occ capture.Occurrences // messages identical in time, sender and text get distinct ids

	msgs  []capture.Message // messages not yet handed out; see newMessage
	reuse bool              // the sink is a capture.Copier: every message is msg
	msg   capture.Message
	strs  strings.Builder // holds the strings of messages; see keep
}

// knownAuthor is one sender's name, shared by all their messages, and whether
// they are a participant yet.
type knownAuthor struct {
	name string
	seen bool
}

// msgBlock is how many messages newMessage allocates at once.
const msgBlock = 32

// newMessage returns a new, zero message. Each message is sent to the
// sink as its own pointer, which the sink may keep, but they are
// allocated msgBlock at a time: a capture.Message is 200 bytes holding
// pointers, and allocating each alone was about 7% of BenchmarkRead. The
// cost is that a block stays in memory while the sink keeps any one of
// its messages; the sinks that keep pointers (tests, collecting) keep
// them all. A sink that copies (a capture.Copier: vault.Ingester, sealctl
// parse) is given one message, refilled each time, instead.
func (p *parser) newMessage() *capture.Message {
	if len(p.msgs) == 0 {
		p.msgs = make([]capture.Message, msgBlock)
	}
	m := &p.msgs[0]
	p.msgs = p.msgs[1:]
	return m
}

// strBlock is the size of the blocks keep takes strings from.
const strBlock = 16 << 10

// keep returns b as a string. The texts and ids of messages are copied
// one after the other into a block of strBlock bytes, which a strings.Builder
// hands out without copying again and never changes: one allocation for
// some 200 messages where there were two a message (10% of BenchmarkRead).
// As with the message blocks, a block stays in memory while any of its
// strings is kept.
func (p *parser) keep(b []byte) string {
	if len(b) > strBlock/8 {
		return string(b)
	}
	if p.strs.Cap()-p.strs.Len() < len(b) {
		p.strs.Reset()
		p.strs.Grow(strBlock)
	}
	n := p.strs.Len()
	p.strs.Write(b)
	return p.strs.String()[n:]
}

func (p *parser) daysFirst(sig signature) bool {
	switch p.opts.DayOrder {
	case capture.DaysFirst:
		return true
	case capture.MonthsFirst:
		return false
	}
	df, ok := p.orders[sig]
	return !ok || df
}

// dateKey is what header.date reads, with the layout that decides the
// day order (the numbers fit: parse checked them).
type dateKey struct {
	a, b, y, h, m, s uint16
	sig              signature
}

// date is hd.date, remembering the last answer.
func (p *parser) date(hd *header) (time.Time, bool) {
	k := dateKey{uint16(hd.a), uint16(hd.b), uint16(hd.y), uint16(hd.h), uint16(hd.m), uint16(hd.s), hd.sig}
	if k == p.lastDate && !p.lastTime.IsZero() {
		return p.lastTime, true
	}
	daysFirst := p.daysFirst(hd.sig)
	t, ok := time.Time{}, false
	if mo, d, valid := hd.monthDay(daysFirst); valid {
		t, ok = p.day.at(hd.y, mo, d, hd.h, hd.m, hd.s, p.loc)
	}
	if !ok {
		t, ok = hd.date(daysFirst, p.loc)
	}
	if ok {
		p.lastDate, p.lastTime = k, t
	}
	return t, ok
}

func (p *parser) run() error {
	r, err := p.src.chat()
	if err != nil {
		return err
	}
	defer r.Close()
	p.st.Files++
	br := getReader(r)
	defer putReader(br)
	var long []byte
	n := 0
	skipping := false // continuation lines of a skipped message
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(line) <= MaxLine {
				long = append(long, line...)
			} else {
				long = long[:0]
				long = append(long, 0) // mark as over-long
			}
			continue
		}
		if len(long) > 0 {
			if long[0] == 0 && len(long) == 1 {
				n++
				long = long[:0]
				if serr := p.st.Skip(p.opts, p.src.chatName, n, fmt.Errorf("line longer than %d bytes", MaxLine)); serr != nil {
					return serr
				}
				if err == io.EOF {
					break
				}
				continue
			}
			line = append(long, line...)
			long = long[:0]
		}
		if len(line) > 0 {
			n++
			if n == 1 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			line = trimEOL(line)
			if hd, ok := parseLine(line); ok {
				if ferr := p.flush(); ferr != nil {
					return ferr
				}
				t, ok := p.date(&hd)
				if !ok {
					skipping = true
					if serr := p.st.Skip(p.opts, p.src.chatName, n, fmt.Errorf("impossible date in %q", truncate(line, 40))); serr != nil {
						return serr
					}
				} else {
					skipping = false
					p.start(&hd, t, n)
				}
			} else if p.open {
				p.lines = append(p.lines, '\n')
				p.lines = append(p.lines, line...)
			} else if !skipping && len(bytes.TrimSpace(line)) > 0 {
				if serr := p.st.Skip(p.opts, p.src.chatName, n, errors.New("text before the first message header")); serr != nil {
					return serr
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", p.src.chatName, err)
		}
	}
	if err := p.flush(); err != nil {
		return err
	}
	if p.sentConv { // again, now with every participant
		return p.sink.Conversation(p.conv)
	}
	return nil
}

// trimEOL is bytes.TrimRight(b, "\r\n"), without the set bytes.TrimRight
// builds on every call.
func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// trimSpaceRight is bytes.TrimRight(b, "\n\r\t "), as trimEOL.
func trimSpaceRight(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case '\n', '\r', '\t', ' ':
			b = b[:len(b)-1]
		default:
			return b
		}
	}
	return b
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strings.ToValidUTF8(string(b), "")
}

func (p *parser) start(hd *header, t time.Time, line int) {
	p.curFam, p.curTime, p.curLine, p.open = hd.fam, t, line, true
	p.lines = p.lines[:0]
	author, text, ok := splitAuthor(hd.rest)
	if !ok {
		p.author, p.authorAt = "", -1
		p.lines = append(p.lines, hd.rest...)
		return
	}
	p.author, p.authorAt = p.name(author)
	p.lines = append(p.lines, text...)
}

// maxNames bounds the authors name keeps: a chat has a few, a damaged
// file may seem to have many. Up to maxScan, name compares the new one
// with each instead of looking it up (35 ns a message with 12 authors).
const (
	maxNames = 1024
	maxScan  = 16
)

// name returns author as a string, the same string for the same author,
// and its index in p.authors (-1 beyond maxNames authors).
func (p *parser) name(author []byte) (string, int) {
	if string(author) == p.author { // people often write several in a row
		return p.author, p.authorAt
	}
	if len(p.authors) <= maxScan { // most chats: comparing beats hashing
		for i := range p.authors {
			if a := p.authors[i].name; len(a) == len(author) && a == string(author) {
				return a, i
			}
		}
	} else if i, ok := p.names[string(author)]; ok {
		return p.authors[i].name, i
	}
	s := string(author)
	if len(p.names) < maxNames {
		p.names[s] = len(p.authors)
		p.authors = append(p.authors, knownAuthor{name: s})
		return s, len(p.authors) - 1
	}
	return s, -1
}

// participant reports whether sender, the current message's author, is
// a participant already, and makes it one.
func (p *parser) participant(sender string) bool {
	if p.authorAt >= 0 {
		a := &p.authors[p.authorAt]
		seen := a.seen
		a.seen = true
		return seen
	}
	seen := p.seen[sender]
	p.seen[sender] = true
	return seen
}

// validate is m.Validate() for the messages flush builds. Most of what
// Validate checks holds by construction (an id, a UTC time after 1990, a
// known kind, a sender for each KindMessage) or is the same for every
// message (p.fixedValid): for a message without attachments, only the
// sender and text can be wrong. Anything else, or a failed check, goes to
// Validate, which words the error.
func (p *parser) validate(m *capture.Message) error {
	if p.fixedValid && len(m.Attachments) == 0 && len(m.Text) <= capture.MaxText &&
		(m.Sender != "" || m.Kind == capture.KindSystem) && capture.ValidUTF8(m.Sender) && capture.ValidUTF8(m.Text) {
		return nil
	}
	return m.Validate()
}

// flush sends the message being assembled.
func (p *parser) flush() error {
	if !p.open {
		return nil
	}
	p.open = false
	text := p.keep(trimSpaceRight(p.lines))
	kind, text, atts, system := classify(p.curFam, p.author, text)
	sender := p.author
	if system {
		sender = ""
	}
	for i := range atts {
		if err := p.src.attachment(&atts[i]); err != nil {
			return err
		}
	}
	if sender != "" && sender != p.lastSender && !p.participant(sender) {
		p.conv.Participants = append(p.conv.Participants, capture.Participant{ID: sender, Name: sender})
	}
	p.lastSender = sender
	if !p.sentConv {
		p.sentConv = true
		p.st.Conversations++
		if err := p.sink.Conversation(p.conv); err != nil {
			return err
		}
	}
	p.seq++
	utc := p.curTime.UTC()
	// Field by field: the new message is zero, and copying a whole
	// composite literal into it costs a write barrier on every pointer
	// word of the struct while the garbage collector runs.
	var m *capture.Message
	if p.reuse {
		m = &p.msg
		if m.ReplyTo != "" || m.Forwarded || !m.Edited.IsZero() { // never set here
			*m = capture.Message{}
		}
	} else {
		m = p.newMessage()
	}
	m.Conversation, m.Seq, m.Time, m.Zone = p.conv.ID, p.seq, utc, p.zone
	m.Sender, m.Text, m.Kind, m.Attachments = sender, text, kind, atts
	var id [capture.StableIDSize]byte
	m.ID = p.keep(capture.AppendStableID(id[:0], m.Conversation, utc, sender, text+capture.AttachmentNames(atts), p.occ.Next(utc, sender, text)))
	if err := p.validate(m); err != nil {
		return p.st.Skip(p.opts, p.src.chatName, p.curLine, err)
	}
	p.st.Messages++
	return p.sink.Message(m)
}

// readers keeps the 256 KiB line readers of both passes: an import of
// thousands of small chats made and zeroed two per chat, a tenth of its
// time.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 256<<10) }}

func getReader(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readers.Put(br)
}
