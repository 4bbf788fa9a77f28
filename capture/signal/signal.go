// Package signal reads the chat export that signal-export
// (github.com/carderne/signal-export) writes, the common way to get chats
// out of Signal Desktop, which has no export of its own.
//
// signal-export writes one folder per chat, named after the chat:
//
//	export/
//	├── Ann/
//	│   ├── chat.md      [2024-05-01 09:30:00] Ann: hello   (one message per header line)
//	│   ├── data.json    {"date": "2024-05-01T09:30:00", "sender": "Ann", "body": "hello", …}
//	│   ├── index.html   (not read)
//	│   └── media/       (attachments; only their names are read)
//	└── Family/
//	    └── …
//
// Read takes data.json, chat.md, one chat folder or the export folder.
// A folder with both files is read from data.json, which says more
// (fractions of seconds, and deleted and call flags where the version of
// signal-export sets them). Older versions wrote chat.md headers as
// "[2020-01-02, 10:11] Sender: text"; those are read too.
//
// The export gives no message ids and no time zone: times are the wall
// clock of the exporting computer, read in Options.Zone, and ids are
// capture.StableID of conversation, time, sender, text and position in
// the chat (Message.Seq, counting unreadable records too).
//
// Each message becomes a capture.Message:
//
//   - Sender is the export's name or number for the sender, "Me" for the
//     exporting account; the conversation's participants are the senders
//     seen, sent in a header before the first message and again at the
//     end if more turned up.
//   - Text is the body, less the two spaces signal-export appends (all
//     trailing white space goes). A quote is not copied into Text: ReplyTo
//     is the id of the latest earlier message with the quoted text, when
//     there is one (the export keeps only the quoted text).
//   - A deleted message is Text "[deleted]"; a sticker "[sticker] 😀";
//     reactions are dropped (the model has no place for them).
//   - Calls ("Missed voice call", "Outgoing video call (accepted, 1m
//     5s)", or a line flagged call/missed) are KindSystem notices that
//     keep their sender.
//   - Attachments are named; their Type is guessed from the extension.
package signal

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

	"sealroom/capture"
)

// MaxLine bounds one input line; a longer line is reported and skipped
// (in chat.md, with the rest of its message).
const MaxLine = 4 << 20

// The file names signal-export gives each chat's outputs.
const (
	jsonName = "data.json"
	mdName   = "chat.md"
)

// chatFile is one chat to read.
type chatFile struct {
	path  string
	title string // the chat folder's name
	json  bool   // data.json lines, else chat.md
}

// Sniff says whether path is a signal-export chat file, chat folder or
// export folder, and why or why not.
func Sniff(path string) (bool, string) {
	chats, err := locate(path)
	if err != nil {
		return false, err.Error()
	}
	c := chats[0]
	f, err := os.Open(c.path)
	if err != nil {
		return false, err.Error()
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	good, lines := 0, 0
	for lines < 50 {
		line, err := br.ReadSlice('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			lines++
			line = bytes.TrimPrefix(bytes.TrimRight(line, "\r\n"), bom)
			if c.json {
				if _, jerr := parseJSON(line); jerr == nil {
					good++
				}
			} else if _, ok, _ := parseHeader(string(line), time.UTC); ok {
				good++
			}
		}
		if err != nil {
			break
		}
	}
	what := fmt.Sprintf("%s looks like a signal-export chat", c.path)
	if len(chats) > 1 {
		what = fmt.Sprintf("%s holds %d signal-export chat folders; %s looks like one", path, len(chats), c.path)
	}
	switch {
	case lines == 0:
		return false, fmt.Sprintf("%s is empty", c.path)
	case good == 0 && c.json:
		return false, fmt.Sprintf("%s: no line of the first %d is a signal-export message (a JSON object with \"date\" and \"sender\")", c.path, lines)
	case good == 0:
		return false, fmt.Sprintf("%s: no line of the first %d starts with \"[YYYY-MM-DD HH:MM:SS] Sender:\" as signal-export writes", c.path, lines)
	}
	return true, what
}

// Read imports path: a data.json or chat.md file, a chat folder holding
// one, or an export folder of chat folders (read in name order).
func Read(path string, sink capture.Sink, opts capture.Options) (capture.Stats, error) {
	var st capture.Stats
	chats, err := locate(path)
	if err != nil {
		return st, err
	}
	for _, c := range chats {
		if err := readChat(c, sink, opts, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// locate finds the chats at path.
func locate(path string) ([]chatFile, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		isJSON, err := looksJSON(path)
		if err != nil {
			return nil, err
		}
		return []chatFile{{path: path, title: filepath.Base(filepath.Dir(abs)), json: isJSON}}, nil
	}
	if c, ok := chatIn(path); ok {
		return []chatFile{c}, nil
	}
	entries, err := os.ReadDir(path) // sorted by name
	if err != nil {
		return nil, err
	}
	var chats []chatFile
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if c, ok := chatIn(filepath.Join(path, e.Name())); ok {
			chats = append(chats, c)
		}
	}
	if len(chats) == 0 {
		return nil, fmt.Errorf("%s holds no %s or %s, nor do its folders: give a chat folder signal-export wrote, or the export folder holding them", path, jsonName, mdName)
	}
	return chats, nil
}

// chatIn returns the chat in folder dir, preferring data.json.
func chatIn(dir string) (chatFile, bool) {
	title := filepath.Base(dir)
	if abs, err := filepath.Abs(dir); err == nil {
		title = filepath.Base(abs)
	}
	for _, name := range []string{jsonName, mdName} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return chatFile{path: p, title: title, json: name == jsonName}, true
		}
	}
	return chatFile{}, false
}

// looksJSON tells data.json from chat.md by name, or else by the first
// byte that is not white space: '{' starts a JSON line, '[' a header.
func looksJSON(path string) (bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".jsonl":
		return true, nil
	case ".md", ".txt", ".markdown":
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var buf [512]byte
	n, err := io.ReadFull(f, buf[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(buf[:n], bom), " \t\r\n")
	return len(b) > 0 && b[0] == '{', nil
}

var bom = []byte("\xef\xbb\xbf")

var errLong = fmt.Errorf("line longer than %d bytes", MaxLine)

// lineReader yields lines without their line ending (LF or CRLF) and
// counts them. An over-long line is consumed and reported as errLong.
type lineReader struct {
	br   *bufio.Reader
	n    int
	long []byte
	head []byte // the start of the last over-long line
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 256<<10)}
}

// next returns the next line; io.EOF once no line is left. The slice is
// valid until the next call.
func (lr *lineReader) next() ([]byte, error) {
	lr.long = lr.long[:0]
	tooLong := false
	for {
		part, err := lr.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(lr.long) == 0 && !tooLong {
				lr.head = append(lr.head[:0], part[:min(len(part), 128)]...)
			}
			if !tooLong && len(lr.long)+len(part) <= MaxLine {
				lr.long = append(lr.long, part...)
			} else {
				tooLong = true
			}
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(part) == 0 && len(lr.long) == 0 && !tooLong && err == io.EOF {
			return nil, io.EOF
		}
		lr.n++
		if len(lr.long) > 0 && !tooLong {
			lr.long = append(lr.long, part...)
			part = lr.long
		}
		if tooLong || len(part) > MaxLine+2 {
			return nil, errLong
		}
		if lr.n == 1 {
			part = bytes.TrimPrefix(part, bom)
		}
		part = bytes.TrimSuffix(part, []byte{'\n'})
		return bytes.TrimSuffix(part, []byte{'\r'}), nil
	}
}

// isLong reports an over-long line, which callers skip.
func isLong(err error) bool { return errors.Is(err, errLong) }
