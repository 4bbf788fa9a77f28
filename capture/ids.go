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
	seen map[[2]string]int64
}

// Next returns the occurrence number of a message.
func (o *Occurrences) Next(t time.Time, sender, text string) int64 {
	if o.seen == nil {
		o.seen = map[[2]string]int64{}
	}
	if !t.Equal(o.t) {
		o.t = t
		clear(o.seen)
	}
	k := [2]string{sender, text}
	o.seen[k]++
	return o.seen[k]
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
