// Package importers lists the export formats Sealroom reads and picks the
// one a file is in. It is the only package that knows them all; sealctl
// and the workbench go through it.
package importers

import (
	"fmt"
	"strings"

	"sealroom/capture"
	"sealroom/capture/jsonl"
	"sealroom/capture/signal"
	"sealroom/capture/slack"
	"sealroom/capture/telegram"
	"sealroom/capture/wechat"
	"sealroom/capture/whatsapp"
)

// Format is one export format.
type Format struct {
	Name  string // as --format takes it
	Desc  string // what it reads
	Sniff func(path string) (bool, string)
	Read  func(path string, sink capture.Sink, opts capture.Options) (capture.Stats, error)
}

// Formats are the formats in the order Detect asks them.
var Formats = []*Format{
	{"jsonl", "Sealroom JSONL, the normalized model (docs/formats/jsonl.md)", jsonl.Sniff, jsonl.ReadFile},
	{"whatsapp", "WhatsApp \"Export chat\": the .txt, or the .zip with media", whatsapp.Sniff, whatsapp.Read},
	{"telegram", "Telegram Desktop export, machine-readable JSON (result.json or its folder)", telegram.Sniff, telegram.Read},
	{"slack", "Slack workspace export: the folder or the .zip", slack.Sniff, slack.Read},
	{"signal", "signal-export: a chat folder (data.json or chat.md) or a folder of them", signal.Sniff, signal.Read},
	{"wechat", "WeChat exporters: TXT, HTML, MemoTrace CSV, PyWxDump CSV/JSON (UTF-8 or GB18030)", wechat.Sniff, wechat.Read},
}

// Names lists the format names, for help texts.
func Names() string {
	var n []string
	for _, f := range Formats {
		n = append(n, f.Name)
	}
	return strings.Join(n, ", ")
}

// Lookup returns the format called name.
func Lookup(name string) (*Format, error) {
	for _, f := range Formats {
		if f.Name == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q; known: auto, %s", name, Names())
}

// Detect returns the one format that recognizes path. When none or more
// than one does, the error says what each format made of it, so the user
// can pick with --format.
func Detect(path string) (*Format, error) {
	var yes []*Format
	var why []string
	for _, f := range Formats {
		ok, reason := f.Sniff(path)
		if ok {
			yes = append(yes, f)
		}
		verdict := "no"
		if ok {
			verdict = "yes"
		}
		why = append(why, fmt.Sprintf("  %-9s %s: %s", f.Name, verdict, reason))
	}
	switch len(yes) {
	case 1:
		return yes[0], nil
	case 0:
		return nil, fmt.Errorf("%s is in no format Sealroom reads:\n%s", path, strings.Join(why, "\n"))
	}
	var names []string
	for _, f := range yes {
		names = append(names, f.Name)
	}
	return nil, fmt.Errorf("%s could be %s; choose with --format:\n%s", path, strings.Join(names, " or "), strings.Join(why, "\n"))
}
