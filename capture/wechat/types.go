package wechat

import (
	"html"
	"path"
	"strings"

	"sealroom/capture"
)

// WeChat's message types (the Type column of the MSG table, msgtype in
// WechatExporter's HTML). 49 is an "app message" whose SubType says what
// it carries.
const (
	typeText     = 1
	typeImage    = 3
	typeVoice    = 34
	typeContact  = 42
	typeVideo    = 43
	typeSticker  = 47
	typeLocation = 48
	typeApp      = 49
	typeCall     = 50
	typeSystem   = 10000
	typeSysXML   = 10002
)

// App message (type 49) subtypes that change how a message is read.
const (
	appFile     = 6
	appGIF      = 8
	appForward  = 19
	appQuote    = 57
	appTransfer = 2000
)

// media names an attachment kind, used as the attachment's name when the
// export gives no file name.
type media string

const (
	mediaNone    media = ""
	mediaImage   media = "image"
	mediaVoice   media = "voice"
	mediaVideo   media = "video"
	mediaSticker media = "sticker"
	mediaFile    media = "file"
)

// attachment describes a media message: its file name when known (the
// base name of a path), else the kind.
func attachment(kind media, file string) capture.Attachment {
	name := file
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = string(kind)
	}
	return capture.Attachment{Name: name, Type: mimeType(name)}
}

// mimeTypes are the types of the file extensions WeChat exports carry.
// A fixed table, not mime.TypeByExtension: the result must not depend on
// the machine's mime.types.
var mimeTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
	".mp4": "video/mp4", ".mov": "video/quicktime", ".mp3": "audio/mpeg", ".amr": "audio/amr", ".m4a": "audio/mp4",
	".silk": "audio/silk", ".pdf": "application/pdf", ".txt": "text/plain", ".zip": "application/zip",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

func mimeType(name string) string { return mimeTypes[strings.ToLower(path.Ext(name))] }

// placeholders are the TXT exporter's media strings (en and zh-Hans),
// which stand for a file the text export does not include.
var placeholders = map[string]media{
	"[Photo]": mediaImage, "[图片]": mediaImage,
	"[Video]": mediaVideo, "[视频]": mediaVideo,
	"[Emoji]": mediaSticker, "[表情]": mediaSticker, "[表情包]": mediaSticker, "[动画表情]": mediaSticker,
	"[Audio]": mediaVoice, "[语音]": mediaVoice,
	"[File]": mediaFile, "[文件]": mediaFile,
}

// placeholder reads a whole message text that is a media placeholder:
// "[Photo]", "[Audio 0:03]", "[File: report.pdf]" and their zh-Hans forms.
func placeholder(text string) (media, string, bool) {
	if k, ok := placeholders[text]; ok {
		return k, "", true
	}
	if !strings.HasPrefix(text, "[") || !strings.HasSuffix(text, "]") || strings.Contains(text, "\n") {
		return mediaNone, "", false
	}
	in := text[1 : len(text)-1]
	for _, p := range []string{"Audio ", "语音 "} {
		if strings.HasPrefix(in, p) {
			return mediaVoice, "", true
		}
	}
	for _, p := range []string{"File: ", "文件: ", "文件：", "File:", "文件:"} {
		if name, ok := strings.CutPrefix(in, p); ok && strings.TrimSpace(name) != "" {
			return mediaFile, name, true
		}
	}
	return mediaNone, "", false
}

// pyTypes maps PyWxDump's type_name back to Type and SubType.
var pyTypes = map[string][2]int{
	"文本": {1, 0}, "图片": {3, 0}, "语音": {34, 0}, "添加好友": {37, 0}, "推荐公众号": {42, 0}, "视频": {43, 0},
	"动画表情": {47, 0}, "位置": {48, 0}, "文件": {49, 6}, "粘贴的文本": {49, 1}, "(分享)音乐": {49, 3},
	"(分享)卡片式链接": {49, 5}, "游戏相关": {49, 7}, "用户上传的GIF表情": {49, 8}, "位置共享": {49, 17},
	"合并转发的聊天记录": {49, 19}, "(分享)笔记": {49, 24}, "(分享)小程序": {49, 33}, "(分享)收藏夹": {49, 40},
	"(分享)视频号名片": {49, 50}, "(分享)视频号视频": {49, 51}, "接龙": {49, 53}, "引用回复": {49, 57},
	"视频号直播或直播回放": {49, 63}, "群公告": {49, 87}, "转账": {49, 2000}, "赠送红包封面": {49, 2003},
	"语音通话": {50, 0}, "系统通知": {10000, 0}, "消息撤回1": {10000, 1}, "拍一拍": {10000, 4},
	"消息撤回5": {10000, 5}, "消息撤回6": {10000, 6}, "消息撤回33": {10000, 33}, "消息撤回36": {10000, 36},
	"消息撤回57": {10000, 57}, "邀请加群": {10000, 8000},
}

// content is one database-style record's message: type, subtype, the
// content column (text or the app's XML) and a media path if any.
type content struct {
	typ, sub int
	text     string
	src      string
}

// classify turns a record into the message's kind, text and attachments
// by WeChat's type table. Nothing the record says is dropped silently: an
// unknown type keeps its content as text.
func classify(c content, m *capture.Message) {
	m.Kind = capture.KindMessage
	isXML := looksXML(c.text)
	mediaMsg := func(k media) {
		src := c.src
		text := c.text
		if isXML || isPlaceholder(text) {
			text = ""
		}
		if src == "" && text != "" && !strings.ContainsAny(text, " \n") && strings.ContainsAny(text, `/\`) {
			src, text = text, "" // the content is the media's path
		}
		m.Text = text
		m.Attachments = append(m.Attachments, attachment(k, src))
	}
	switch c.typ {
	case typeText:
		m.Text = c.text
	case typeImage:
		mediaMsg(mediaImage)
	case typeVoice:
		mediaMsg(mediaVoice)
	case typeVideo:
		mediaMsg(mediaVideo)
	case typeSticker:
		mediaMsg(mediaSticker)
	case typeLocation:
		if isXML {
			m.Text = joinLines(xmlAttr(c.text, "poiname"), xmlAttr(c.text, "label"))
		} else {
			m.Text = c.text
		}
	case typeApp:
		classifyApp(c, isXML, m)
	case typeSystem, typeSysXML:
		m.Kind = capture.KindSystem
		if isXML {
			if r := xmlText(c.text, "replacemsg"); r != "" {
				m.Text = r
				break
			}
		}
		m.Text = stripTags(c.text)
	default:
		if isXML {
			m.Text = stripTags(c.text)
		} else {
			m.Text = c.text
		}
	}
}

func classifyApp(c content, isXML bool, m *capture.Message) {
	title, des, url := c.text, "", ""
	if isXML {
		title, des, url = xmlText(c.text, "title"), xmlText(c.text, "des"), xmlText(c.text, "url")
		if f := xmlText(c.text, "feedesc"); f != "" && c.sub == appTransfer {
			des = f
		}
	}
	switch c.sub {
	case appFile, 0:
		name := title
		if c.src != "" {
			name = c.src
		}
		if isPlaceholder(name) {
			name = ""
		}
		m.Attachments = append(m.Attachments, attachment(mediaFile, name))
	case appGIF:
		m.Attachments = append(m.Attachments, attachment(mediaSticker, c.src))
	case appQuote:
		m.Text = title // the reply; the quoted message is not kept
	case appForward:
		m.Forwarded = true
		m.Text = joinLines(title, des)
	case appTransfer:
		m.Text = joinLines(title, des)
	default:
		if des == title {
			des = ""
		}
		m.Text = joinLines(title, des, url)
	}
}

func isPlaceholder(s string) bool {
	_, _, ok := placeholder(s)
	return ok
}

// looksXML reports whether a non-text message's content is the XML
// WeChat stores for it (<msg>, <sysmsg>, <revokemsg>, <voipmsg>, …).
func looksXML(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">")
}

func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// xmlText returns the text of the first <tag>…</tag> in s, CDATA
// unwrapped and entities decoded. WeChat's XML is machine-written and
// flat enough for this; a full parser would refuse the malformed XML some
// exporters store.
func xmlText(s, tag string) string {
	i := strings.Index(s, "<"+tag+">")
	if i < 0 {
		return ""
	}
	s = s[i+len(tag)+2:]
	j := strings.Index(s, "</"+tag+">")
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(unCDATA(s[:j]))
}

// xmlAttr returns the value of the first attr="…" in s.
func xmlAttr(s, attr string) string {
	i := strings.Index(s, " "+attr+"=\"")
	if i < 0 {
		return ""
	}
	s = s[i+len(attr)+3:]
	j := strings.IndexByte(s, '"')
	if j < 0 {
		return ""
	}
	return html.UnescapeString(s[:j])
}

func unCDATA(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<![CDATA[")
		if i < 0 {
			b.WriteString(html.UnescapeString(s))
			return b.String()
		}
		b.WriteString(html.UnescapeString(s[:i]))
		s = s[i+9:]
		j := strings.Index(s, "]]>")
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:j])
		s = s[j+3:]
	}
}

// stripTags removes XML tags from s, keeping their text: a recall notice
// "<revokemsg>"Ann" 撤回了一条消息</revokemsg>" reads as its sentence.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(html.UnescapeString(s))
			break
		}
		b.WriteString(html.UnescapeString(s[:i]))
		s = s[i:]
		if strings.HasPrefix(s, "<![CDATA[") {
			j := strings.Index(s, "]]>")
			if j < 0 {
				b.WriteString(s[9:])
				break
			}
			b.WriteString(s[9:j])
			s = s[j+3:]
			continue
		}
		j := strings.IndexByte(s, '>')
		if j < 0 {
			b.WriteString(s)
			break
		}
		s = s[j+1:]
	}
	return strings.TrimSpace(b.String())
}
