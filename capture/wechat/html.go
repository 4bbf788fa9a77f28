package wechat

import (
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"sealroom/capture"
)

// WechatExporter's HTML writes each message as one block from fixed
// templates:
//
//	<div class="msg chat left" msgid="…" msgtype="1">
//	  <div class="avatar-box">…</div>
//	  <div class="nt-box"><span class="dspname left" wxId="wxid_…">NAME</span> TIME</div>
//	  <div class="content-box">… <span class="dont-break-out msg-text"><pre>TEXT</pre></span></div>
//	</div>
//
// Media blocks carry the file in <img rawUrl=…>, <source src=…>, a
// voicebox's audio=… or an emoji's rawsrc=…; replies put the quote in a
// "refermsg" span; notices and system messages are "msg chat-notice"
// blocks with no name or time. A small tag scanner walks the file one
// block at a time: no DOM is built, and markup outside the blocks (head,
// scripts, styles) is passed over.

// htmlBlock gathers what one message block says.
type htmlBlock struct {
	line            int
	id, typ         string
	notice          bool
	wxid, name, ts  string
	title, app, url string
	cardType        string
	msgs            []string
	msgElem         int // element the last msgs entry came from
	file            string
	media           media
}

type elem struct {
	name, class string
	id          int
}

// textRole says what a text run inside a block is, from its open elements.
func textRole(stack []elem) string {
	for i := len(stack) - 1; i >= 0; i-- {
		e := stack[i]
		cls := " " + e.class + " "
		switch {
		case strings.Contains(cls, " refermsg "), strings.Contains(cls, " voicetime "), e.name == "video",
			strings.Contains(cls, " avatar-box "), e.name == "script", e.name == "style":
			return ""
		case strings.Contains(cls, " dspname "):
			return "name"
		case strings.Contains(cls, " nt-box "):
			return "time"
		case strings.Contains(cls, " card-type "):
			return "cardtype"
		case strings.Contains(cls, " app-name "):
			return "app"
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].name == "a" {
			return "title"
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		cls := " " + stack[i].class + " "
		if strings.Contains(cls, " msg-text ") || strings.Contains(cls, " chat-notice ") {
			return "msg"
		}
	}
	return ""
}

// msgElem returns the id of the element a msg text belongs to.
func msgElem(stack []elem) int {
	for i := len(stack) - 1; i >= 0; i-- {
		if strings.Contains(" "+stack[i].class+" ", " msg-text ") || stack[i].name == "span" || stack[i].name == "pre" {
			return stack[i].id
		}
	}
	return 0
}

func inPre(stack []elem) bool {
	for _, e := range stack {
		if e.name == "pre" {
			return true
		}
	}
	return false
}

var voidTags = map[string]bool{"img": true, "br": true, "source": true, "input": true, "meta": true,
	"link": true, "hr": true, "wbr": true, "area": true, "base": true, "col": true, "embed": true, "track": true}

func readHTML(in *input, e *emitter) error {
	s := &tagScanner{br: in.r}
	h := &htmlReader{e: e, c: e.conv("", "")}
	for {
		t, err := s.next()
		if err == io.EOF {
			break
		}
		if err == errTagLong {
			if err := e.skip(s.line, err); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if h.b == nil {
			h.outside(t)
		} else if err := h.inside(t); err != nil {
			return err
		}
	}
	if h.b != nil {
		if err := h.block(h.b); err != nil {
			return err
		}
	}
	return h.finish()
}

// maxTitle bounds the <title> text kept.
const maxTitle = 1 << 10

// outside handles a token between blocks: the page title, or the start
// of a block.
func (h *htmlReader) outside(t tagToken) {
	switch {
	case t.name == "title" && !t.end && !h.c.sent:
		h.inTitle = true
	case t.name == "title" && t.end:
		h.inTitle = false
		if v := strings.TrimSpace(html.UnescapeString(h.title.String())); v != "" && !h.c.sent {
			h.c.c.Title = v
		}
	case t.name == "" && h.inTitle && h.title.Len() < maxTitle:
		h.title.Write(t.text)
	case t.name == "div" && !t.end && !t.self && hasClass(t.attrs, "msg"):
		cls, _ := attr(t.attrs, "class")
		h.b = &htmlBlock{line: t.line, notice: hasClass(t.attrs, "chat-notice")}
		h.b.id, _ = attr(t.attrs, "msgid")
		h.b.typ, _ = attr(t.attrs, "msgtype")
		h.nextID++
		h.stack = append(h.stack[:0], elem{"div", cls, h.nextID})
		h.depth = 1
	}
}

// inside handles a token of the current block, and sends the block when
// its <div> closes.
func (h *htmlReader) inside(t tagToken) error {
	b := h.b
	switch {
	case t.name == "":
		h.text(t)
	case t.end:
		if t.name == "div" {
			h.depth--
		}
		for i := len(h.stack) - 1; i >= 0; i-- {
			if h.stack[i].name == t.name {
				h.stack = h.stack[:i]
				break
			}
		}
		if h.depth == 0 || len(h.stack) == 0 {
			h.b = nil
			return h.block(b)
		}
	default:
		b.tag(t, h.stack)
		if t.name == "div" && !t.self {
			h.depth++
		}
		if !t.self && !voidTags[t.name] {
			cls, _ := attr(t.attrs, "class")
			h.nextID++
			h.stack = append(h.stack, elem{t.name, cls, h.nextID})
		}
	}
	return nil
}

// text files a text run of the block under its role.
func (h *htmlReader) text(t tagToken) {
	b := h.b
	text := string(t.text)
	if !inPre(h.stack) {
		text = strings.Join(strings.Fields(text), " ")
	}
	text = html.UnescapeString(text)
	if text == "" {
		return
	}
	switch textRole(h.stack) {
	case "name":
		b.name += text
	case "time":
		b.ts += text
	case "cardtype":
		b.cardType += text
	case "app":
		b.app += text
	case "title":
		b.title += text
	case "msg":
		b.addMsg(msgElem(h.stack), text)
	}
}

func (b *htmlBlock) addMsg(id int, text string) {
	if len(b.msgs) > 0 && b.msgElem == id {
		b.msgs[len(b.msgs)-1] += text
		return
	}
	b.msgElem = id
	b.msgs = append(b.msgs, text)
}

// tag notes what a start tag inside the block says.
func (b *htmlBlock) tag(t tagToken, stack []elem) {
	switch t.name {
	case "span":
		if w, ok := attr(t.attrs, "wxid"); ok && b.wxid == "" {
			b.wxid = w
		}
	case "img":
		if hasClass(t.attrs, "wxemoji") {
			raw, _ := attr(t.attrs, "rawemoji")
			if raw != "" && textRole(stack) == "msg" {
				b.addMsg(msgElem(stack), "["+strings.Trim(raw, "[]")+"]")
			}
			return
		}
		if hasClass(t.attrs, "avatar") || hasClass(t.attrs, "card-avatar") || hasClass(t.attrs, "app-icon") ||
			hasClass(t.attrs, "transfer-icon") || hasClass(t.attrs, "channel-poster") {
			return
		}
		if v, ok := attr(t.attrs, "rawurl"); ok && b.media == mediaNone {
			b.media, b.file = mediaImage, v
		} else if v, ok := attr(t.attrs, "rawsrc"); ok && b.media == mediaNone {
			// src is the copy in the export's folder, rawsrc where it came from.
			b.media, b.file = mediaSticker, v
			if src, _ := attr(t.attrs, "src"); src != "" {
				b.file = src
			}
		} else if b.typ == "47" && b.media == mediaNone {
			b.media = mediaSticker
			b.file, _ = attr(t.attrs, "src")
		}
	case "a":
		if v, ok := attr(t.attrs, "href"); ok && b.url == "" && b.media == mediaNone && !strings.HasPrefix(v, "javascript:") {
			b.url = v
		}
	case "br":
		if textRole(stack) == "msg" && inPre(stack) {
			b.addMsg(msgElem(stack), "\n")
		}
	case "video":
		if b.media == mediaNone {
			b.media = mediaVideo
		}
	case "source":
		if v, ok := attr(t.attrs, "src"); ok && (b.media == mediaNone || b.media == mediaVideo) {
			b.media, b.file = mediaVideo, v
		}
	case "div":
		if v, ok := attr(t.attrs, "audio"); ok && b.media == mediaNone {
			b.media, b.file = mediaVoice, v
		}
	}
}

// htmlReader turns blocks into messages.
type htmlReader struct {
	e     *emitter
	c     *conv
	lastT time.Time
	held  []*htmlBlock // notices before the first timed block

	b       *htmlBlock // the block being read, or nil between blocks
	stack   []elem     // its open elements
	depth   int        // its open divs
	nextID  int
	inTitle bool
	title   strings.Builder
}

func (h *htmlReader) block(b *htmlBlock) error {
	// Read as the TXT templates write the same messages: a card is
	// "CARDTYPE CARDNAME", a transfer "Weixin Transfer MESSAGE", a share
	// its title, text and link.
	text := strings.Join(b.msgs, "\n")
	switch {
	case b.cardType != "":
		text = strings.TrimSpace(b.cardType + " " + text)
	case b.app == "Weixin Transfer" || b.app == "微信转账":
		text = strings.TrimSpace(b.app + " " + text)
	}
	text = joinLines(b.title, text, b.url)
	m := &capture.Message{ID: b.id, Kind: capture.KindMessage, Text: text}
	if b.notice {
		m.Kind = capture.KindSystem
		for _, p := range systemPrefixes {
			if rest, ok := strings.CutPrefix(m.Text, p); ok {
				m.Text = rest
				break
			}
		}
	}
	ts := strings.TrimSpace(b.ts)
	if ts == "" && b.notice {
		if h.lastT.IsZero() {
			if len(h.held) >= maxHeld {
				return h.e.skip(b.line, errNoTime)
			}
			h.held = append(h.held, b)
			return nil
		}
		m.Time = h.lastT
	} else {
		t, ok := parseWall(ts, h.e.loc)
		if !ok {
			return h.e.skip(b.line, fmt.Errorf("time %q is not YYYY-MM-DD HH:MM:SS", ts))
		}
		m.Time = t.UTC()
		h.lastT = m.Time
		if err := h.release(); err != nil {
			return err
		}
	}
	m.Zone = h.e.loc.String()
	name := strings.TrimSpace(b.name)
	m.Sender = strings.TrimSpace(b.wxid)
	if m.Sender == "" {
		m.Sender = name
	}
	switch {
	case b.media != mediaNone:
		m.Attachments = []capture.Attachment{attachment(b.media, b.file)}
	default:
		if k, file, ok := placeholder(m.Text); ok {
			m.Text = ""
			m.Attachments = []capture.Attachment{attachment(k, file)}
		}
	}
	return h.e.emit(h.c, m, name, b.line)
}

func (h *htmlReader) release() error {
	held := h.held
	h.held = nil
	for _, b := range held {
		if err := h.block(b); err != nil {
			return err
		}
	}
	return nil
}

func (h *htmlReader) finish() error {
	for _, b := range h.held {
		if err := h.e.skip(b.line, errNoTime); err != nil {
			return err
		}
	}
	return nil
}
