package capture

import (
	"encoding/binary"
	"fmt"
	"time"
)

// The binary form is what the vault seals inside a chunk: compact, with
// every string length-prefixed (uvarint) so no value can run into the next.
//
//	conversation = 0x01 id channel title uvarint(n) n×(id name)
//	message      = 0x01 conversation id varint(seq) varint(unixnano)
//	               zone sender text kind reply_to flags varint(edited unixnano, 0 = never)
//	               uvarint(n) n×(name type uvarint(size) sha256)
//
// flags bit 0 is Forwarded. kind is 0 message, 1 system.
const codecV1 = 1

// AppendConversation appends c's binary form to dst.
func AppendConversation(dst []byte, c *Conversation) []byte {
	dst = append(dst, codecV1)
	dst = appendString(dst, c.ID)
	dst = appendString(dst, c.Channel)
	dst = appendString(dst, c.Title)
	dst = binary.AppendUvarint(dst, uint64(len(c.Participants)))
	for _, p := range c.Participants {
		dst = appendString(dst, p.ID)
		dst = appendString(dst, p.Name)
	}
	return dst
}

// DecodeConversation reads one conversation from b and returns the rest.
func DecodeConversation(b []byte) (Conversation, []byte, error) {
	var c Conversation
	d := decoder{b: b}
	if d.byte() != codecV1 {
		return c, nil, fmt.Errorf("%w: conversation version", ErrCodec)
	}
	c.ID, c.Channel, c.Title = d.string(), d.string(), d.string()
	n := d.count(2)
	for range n {
		c.Participants = append(c.Participants, Participant{ID: d.string(), Name: d.string()})
	}
	if d.err != nil {
		return Conversation{}, nil, fmt.Errorf("%w: conversation: %v", ErrCodec, d.err)
	}
	return c, d.b, nil
}

// AppendMessage appends m's binary form to dst.
func AppendMessage(dst []byte, m *Message) []byte {
	dst = append(dst, codecV1)
	dst = appendString(dst, m.Conversation)
	dst = appendString(dst, m.ID)
	dst = binary.AppendVarint(dst, m.Seq)
	dst = binary.AppendVarint(dst, m.Time.UnixNano())
	dst = appendString(dst, m.Zone)
	dst = appendString(dst, m.Sender)
	dst = appendString(dst, m.Text)
	kind := byte(0)
	if m.Kind == KindSystem {
		kind = 1
	}
	dst = append(dst, kind)
	dst = appendString(dst, m.ReplyTo)
	flags := byte(0)
	if m.Forwarded {
		flags |= 1
	}
	dst = append(dst, flags)
	var edited int64
	if !m.Edited.IsZero() {
		edited = m.Edited.UnixNano()
	}
	dst = binary.AppendVarint(dst, edited)
	dst = binary.AppendUvarint(dst, uint64(len(m.Attachments)))
	for _, a := range m.Attachments {
		dst = appendString(dst, a.Name)
		dst = appendString(dst, a.Type)
		dst = binary.AppendUvarint(dst, uint64(a.Size))
		dst = appendString(dst, a.SHA256)
	}
	return dst
}

// DecodeMessage reads one message from b and returns the rest.
func DecodeMessage(b []byte) (Message, []byte, error) {
	var m Message
	d := decoder{b: b}
	if d.byte() != codecV1 {
		return m, nil, fmt.Errorf("%w: message version", ErrCodec)
	}
	m.Conversation, m.ID = d.string(), d.string()
	m.Seq = d.varint()
	m.Time = time.Unix(0, d.varint()).UTC()
	m.Zone, m.Sender, m.Text = d.string(), d.string(), d.string()
	switch d.byte() {
	case 0:
		m.Kind = KindMessage
	case 1:
		m.Kind = KindSystem
	default:
		d.fail("kind")
	}
	m.ReplyTo = d.string()
	flags := d.byte()
	if flags&^1 != 0 {
		d.fail("flags")
	}
	m.Forwarded = flags&1 != 0
	if e := d.varint(); e != 0 {
		m.Edited = time.Unix(0, e).UTC()
	}
	n := d.count(4)
	for range n {
		a := Attachment{Name: d.string(), Type: d.string()}
		size := d.uvarint()
		if size > 1<<62 {
			d.fail("attachment size")
		}
		a.Size = int64(size)
		a.SHA256 = d.string()
		m.Attachments = append(m.Attachments, a)
	}
	if d.err != nil {
		return Message{}, nil, fmt.Errorf("%w: message: %v", ErrCodec, d.err)
	}
	return m, d.b, nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// decoder reads fields until the first error, after which every read
// returns a zero value; callers check err once.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("bad %s", what)
	}
	d.b = nil
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail("length")
		return 0xff
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("uvarint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail("string length")
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// count reads an element count, refusing one the remaining bytes could not
// hold (each element takes at least minSize bytes), so a forged count cannot
// make the decoder allocate without bound.
func (d *decoder) count(minSize int) int {
	n := d.uvarint()
	if d.err != nil {
		return 0
	}
	if n > uint64(len(d.b)/minSize) {
		d.fail("count")
		return 0
	}
	return int(n)
}
