package capture

import (
	"strings"
	"time"
)

// Occurrences numbers messages that are identical in time, sender and
// text, for StableID's seq: the first is 1, a repeat in the same instant
// 2, and so on. Unlike a position in the file, the number is the same in
// every export that holds the message, so importing an overlapping export
// (one that starts earlier or later) adds nothing twice. Messages are
// expected in time order; only the current instant is remembered.
type Occurrences struct {
	t    time.Time
	few  []occurrence        // the instant's first distinct messages, searched in order
	many map[[2]string]int64 // the rest, once few is full
}

// occurrence is one distinct message of the current instant.
type occurrence struct {
	sender, text string
	n            int64
}

// maxFew bounds the messages of one instant looked up by a linear search
// (most instants hold one or two, where a map costs more than comparing).
const maxFew = 8

// Next returns the occurrence number of a message.
func (o *Occurrences) Next(t time.Time, sender, text string) int64 {
	if !t.Equal(o.t) {
		o.t = t
		o.few = o.few[:0]
		if len(o.many) > 0 {
			clear(o.many)
		}
	}
	for i := range o.few {
		if e := &o.few[i]; e.sender == sender && e.text == text {
			e.n++
			return e.n
		}
	}
	if len(o.few) < maxFew {
		o.few = append(o.few, occurrence{sender, text, 1})
		return 1
	}
	if o.many == nil {
		o.many = map[[2]string]int64{}
	}
	k := [2]string{sender, text}
	o.many[k]++
	return o.many[k]
}

// AttachmentNames folds a message's attachment names into one string, to
// add to the text given to StableID: a photo and a video sent by the same
// person in the same instant, without text, then get different ids.
func AttachmentNames(atts []Attachment) string {
	if len(atts) == 0 {
		return ""
	}
	var b strings.Builder
	for _, a := range atts {
		b.WriteString("\x00")
		b.WriteString(a.Name)
	}
	return b.String()
}
