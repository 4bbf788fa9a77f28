package importers

import (
	"fmt"

	"sealroom/capture"
)

// Titles watches one import for chats that share a title across
// folders. WhatsApp, Signal and WeChat name a chat only by its title, so
// without a custodian (capture.Options.Custodian) two phones' chats with
// the same contact become one conversation, and a message sent to both in
// the same instant is stored once. Whoever runs the import tells it, after
// the fact, that this happened and how to keep them apart.
type Titles struct {
	from    map[string]string // conversation id → the folder of its first export
	shared  map[string]bool
	example string
}

// Note records that the export in folder (Input.Folder) holds c.
func (t *Titles) Note(folder string, c *capture.Conversation) {
	switch c.Channel {
	case "whatsapp", "signal", "wechat":
	default:
		return // their exports name chats by ids of their own
	}
	if t.from == nil {
		t.from, t.shared = map[string]string{}, map[string]bool{}
	}
	f, ok := t.from[c.ID]
	switch {
	case !ok:
		t.from[c.ID] = folder
	case f != folder && !t.shared[c.ID]:
		if len(t.shared) == 0 {
			t.example = fmt.Sprintf("%q in %s/ and %s/", c.Title, f, folder)
		}
		t.shared[c.ID] = true
	}
}

// Shared returns how many conversations were read from exports in more
// than one folder, and the first of them as an example.
func (t *Titles) Shared() (n int, example string) { return len(t.shared), t.example }
