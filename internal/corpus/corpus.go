package corpus

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"sealroom/capture"
)

// Formats lists every format Generate can write, in the order the command
// line documents them.
var Formats = []string{"whatsapp-android", "whatsapp-ios", "telegram", "slack", "signal", "wechat-csv", "wechat-txt", "jsonl"}

// Config says what Generate makes.
type Config struct {
	Messages int      // messages in each format
	Seed     uint64   // the same seed gives the same bytes
	Formats  []string // of Formats; empty means all
	Out      string   // folder to write into; created if missing

	// Start is the earliest a conversation starts; they spread over the
	// 300 days after it. Zero means 6 January 2025, which the tests, the
	// evaluation and the benchmarks use; the demo starts a year ago so
	// that the workbench's dashboard has recent weeks to show.
	Start time.Time
	// Until, when set, leaves out the messages after it (and the
	// conversations that would start after it): the corpus then holds
	// fewer than Messages. The demo sets it to now, so that none of its
	// messages is from the future.
	Until time.Time
}

// Label is the ground truth for one message that carries anything: one
// line of labels.jsonl.
type Label struct {
	Conversation string `json:"conversation"` // the conversation id as the JSONL export writes it
	ID           string `json:"id"`           // the message id as the JSONL export writes it
	Risk         []Risk `json:"risk,omitempty"`
	PII          []PII  `json:"pii,omitempty"`
	Canary       string `json:"canary,omitempty"`
}

// Risk is one planted risk phrase.
type Risk struct {
	Phrase      string `json:"phrase"`      // as the lexicon has it
	Obfuscation string `json:"obfuscation"` // one of the Obf constants
	Language    string `json:"language"`
	Written     string `json:"written"` // as it appears in the message text
}

// PII is one planted personal datum, written in the text exactly as Value.
type PII struct {
	Type  string `json:"type"` // one of the PII constants
	Value string `json:"value"`
}

// Manifest describes a generated corpus; Generate writes it as corpus.json.
type Manifest struct {
	Seed          uint64         `json:"seed"`
	Messages      int            `json:"messages"` // asked for, per format
	Formats       []string       `json:"formats"`
	Counts        map[string]int `json:"counts"`    // messages written, per format
	Languages     map[string]int `json:"languages"` // messages per language (notices: the conversation's)
	Labelled      int            `json:"labelled"`  // lines of labels.jsonl
	Risks         int            `json:"risks"`
	PIIs          int            `json:"pii"`
	Canaries      int            `json:"canaries"`
	Conversations []ConvInfo     `json:"conversations"`
}

// ConvInfo records one conversation: its zone is the phone's, in which the
// formats without a zone (WhatsApp, Signal, WeChat, Telegram's "date")
// write local wall-clock times.
type ConvInfo struct {
	ID           string `json:"id"` // as the JSONL export writes it
	Folder       string `json:"folder"`
	Title        string `json:"title"`
	Language     string `json:"language"`
	Zone         string `json:"zone"`
	Group        bool   `json:"group"`
	Participants int    `json:"participants"`
	Messages     int    `json:"messages"`
	SlackID      string `json:"slack_id"`
	TelegramID   int64  `json:"telegram_id"`
}

// ErrFormat is returned for a format name Generate does not know.
var ErrFormat = errors.New("unknown format")

// Stream generates n messages from seed without writing files, calling fn
// with each message, its conversation and its label (nil when the message
// carries nothing). The conversation and message are not reused after fn
// returns. An error from fn stops Stream and is returned.
func Stream(seed uint64, n int, fn func(*capture.Conversation, *capture.Message, *Label) error) error {
	return run(seed, n, time.Time{}, func(c *conv, ev *event) error { return fn(&c.Conversation, &ev.msg, ev.label) }, nil)
}

// run drives the generator: conversation by conversation, message by
// message, calling onConv before and after each conversation (end true).
func run(seed uint64, n int, start time.Time, onMsg func(*conv, *event) error, onConv func(c *conv, end bool) error) error {
	g := newGen(seed)
	if !start.IsZero() {
		g.start = start.UTC()
	}
	for left := n; left > 0; {
		c := g.nextConv(left)
		left -= c.n
		if onConv != nil {
			if err := onConv(c, false); err != nil {
				return err
			}
		}
		if err := g.messages(c, func(ev *event) error { return onMsg(c, ev) }); err != nil {
			return err
		}
		if onConv != nil {
			if err := onConv(c, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// Generate writes a corpus of cfg.Messages messages in each of cfg.Formats
// into cfg.Out/<format>/, with labels.jsonl and corpus.json beside them.
// Memory stays bounded whatever the size: conversations are generated and
// written one at a time, and only the manifest's per-conversation lines
// grow with the corpus.
func Generate(cfg Config) (*Manifest, error) {
	if cfg.Messages < 0 {
		return nil, fmt.Errorf("negative message count %d", cfg.Messages)
	}
	if cfg.Out == "" {
		return nil, errors.New("no output folder")
	}
	formats := cfg.Formats
	if len(formats) == 0 {
		formats = Formats
	}
	var uniq []string
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("%w %q (known: %v)", ErrFormat, f, Formats)
		}
		if !slices.Contains(uniq, f) {
			uniq = append(uniq, f)
		}
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, fmt.Errorf("failed to create output folder: %w", err)
	}
	m := &Manifest{Seed: cfg.Seed, Messages: cfg.Messages, Formats: uniq, Counts: map[string]int{}, Languages: map[string]int{}}
	var ws []writer
	closeAll := func() error {
		var errs []error
		for _, w := range ws {
			errs = append(errs, w.close())
		}
		return errors.Join(errs...)
	}
	for _, f := range uniq {
		w, err := newWriter(f, filepath.Join(cfg.Out, f), cfg.Seed)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("failed to start %s: %w", f, err)
		}
		ws = append(ws, w)
	}
	labels, err := create(filepath.Join(cfg.Out, "labels.jsonl"))
	if err != nil {
		closeAll()
		return nil, err
	}
	enc := json.NewEncoder(labels.w)
	enc.SetEscapeHTML(false)

	p := newPipeline(ws)
	late := func(t time.Time) bool { return !cfg.Until.IsZero() && t.After(cfg.Until) }
	written, total := 0, 0 // messages written, of the current conversation and in all
	err = run(cfg.Seed, cfg.Messages, cfg.Start, func(c *conv, ev *event) error {
		if late(c.created) || late(ev.msg.Time) {
			return nil
		}
		written++
		total++
		m.Languages[ev.lang]++
		if ev.label != nil {
			m.Labelled++
			m.Risks += len(ev.label.Risk)
			m.PIIs += len(ev.label.PII)
			if ev.label.Canary != "" {
				m.Canaries++
			}
			if err := enc.Encode(ev.label); err != nil {
				return err
			}
		}
		return p.message(c, ev)
	}, func(c *conv, end bool) error {
		if late(c.created) {
			return nil // left out whole
		}
		if !end {
			written = 0
		} else {
			m.Conversations = append(m.Conversations, ConvInfo{ID: c.ID, Folder: c.folder, Title: c.Title, Language: c.lang,
				Zone: c.zoneName, Group: c.group, Participants: len(c.members), Messages: written, SlackID: c.slackID, TelegramID: c.tgID})
		}
		return p.conv(c, end)
	})
	m.Messages = total
	if errors.Is(err, errStopped) {
		err = nil // the failed writer's own error comes from wait
	}
	err = errors.Join(err, p.wait(), closeAll(), labels.close())
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		m.Counts[w.name()] = w.count()
	}
	mf, err := create(filepath.Join(cfg.Out, "corpus.json"))
	if err != nil {
		return nil, err
	}
	enc = json.NewEncoder(mf.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return m, errors.Join(enc.Encode(m), mf.close())
}

// writer writes one format. Calls come in order: begin(c), message(c, …)
// for each of c's messages, end(c), then the next conversation; close once
// at the end, also after an error.
type writer interface {
	name() string
	begin(c *conv) error
	message(c *conv, ev *event) error
	end(c *conv) error
	close() error
	count() int
}

func newWriter(format, dir string, seed uint64) (writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	switch format {
	case "whatsapp-android":
		return &whatsAppWriter{dir: dir, ios: false}, nil
	case "whatsapp-ios":
		return &whatsAppWriter{dir: dir, ios: true}, nil
	case "telegram":
		return newTelegramWriter(dir, seed)
	case "slack":
		return newSlackWriter(dir, seed)
	case "signal":
		return &signalWriter{dir: dir}, nil
	case "wechat-csv":
		return &weChatCSVWriter{dir: dir}, nil
	case "wechat-txt":
		return &weChatTXTWriter{dir: dir}, nil
	case "jsonl":
		return newJSONLWriter(dir)
	}
	panic("corpus: internal error: no writer for " + format)
}

// outFile is a buffered file being written.
type outFile struct {
	f *os.File
	w *bufio.Writer
}

func create(path string) (*outFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &outFile{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// close flushes and closes; safe on nil.
func (o *outFile) close() error {
	if o == nil {
		return nil
	}
	return errors.Join(o.w.Flush(), o.f.Close())
}
