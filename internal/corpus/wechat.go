package corpus

import (
	"encoding/csv"
	"path/filepath"
	"strconv"
	"strings"
)

// weChatCSVWriter writes what MemoTrace (LC044/WeChatMsg) exports per
// chat: <folder>/<title>_utf8.csv, UTF-8 with a BOM, CRLF rows, columns
//
//	localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
//
// Type 1 text, 3 image, 34 voice, 49/6 file, 10000 system notice.
// CreateTime is Unix seconds, StrTime the local wall clock. MemoTrace's
// columns include Status and Remark beside the ten commonly cited.
type weChatCSVWriter struct {
	dir string
	f   *outFile
	cw  *csv.Writer
	n   int
	row [12]string
}

var weChatCSVHeader = []string{"localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status",
	"StrContent", "StrTime", "Remark", "NickName", "Sender"}

func (w *weChatCSVWriter) name() string { return "wechat-csv" }
func (w *weChatCSVWriter) count() int   { return w.n }

func (w *weChatCSVWriter) begin(c *conv) (err error) {
	w.f, err = create(filepath.Join(w.dir, c.folder, c.Title+"_utf8.csv"))
	if err != nil {
		return err
	}
	w.f.w.WriteString("\ufeff")
	w.cw = csv.NewWriter(w.f.w)
	w.cw.UseCRLF = true
	return w.cw.Write(weChatCSVHeader)
}

func (w *weChatCSVWriter) end(*conv) error {
	if w.f == nil {
		return nil
	}
	w.cw.Flush()
	err := w.cw.Error()
	if cerr := w.f.close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}

func (w *weChatCSVWriter) close() error { return w.end(nil) }

func (w *weChatCSVWriter) message(c *conv, ev *event) error {
	w.n++
	typ, sub, content := "1", "0", ev.msg.Text
	switch {
	case ev.sys != sysNone:
		typ, content = "10000", weChatSystem(c, ev)
	case ev.att == attImage:
		a := ev.msg.Attachments[0]
		typ = "3"
		content = `<?xml version="1.0"?><msg><img length="` + strconv.FormatInt(a.Size, 10) + `" md5="` + a.SHA256[:32] + `" /></msg>`
	case ev.att == attVoice:
		typ = "34"
		content = `<msg><voicemsg voicelength="` + itoa(ev.dur*1000) + `" length="` + strconv.FormatInt(ev.msg.Attachments[0].Size, 10) + `" /></msg>`
	case ev.att == attPDF:
		typ, sub = "49", "6"
		content = `<msg><appmsg><title>` + ev.msg.Attachments[0].Name + `</title><type>6</type></appmsg></msg>`
	}
	isSender, nick, sender := "0", "", ""
	if ev.from != nil {
		nick, sender = ev.from.name, ev.from.wxid
		if ev.from == c.members[0] {
			isSender = "1"
		}
	}
	r := &w.row
	r[0], r[1], r[2], r[3], r[4] = itoa(int(ev.msg.Seq)), itoa(c.idx), typ, sub, isSender
	r[5], r[6], r[7] = strconv.FormatInt(ev.msg.Time.Unix(), 10), "2", content
	r[8], r[9], r[10], r[11] = ev.local.Format("2006-01-02 15:04:05"), c.Title, nick, sender
	return w.cw.Write(r[:])
}

// weChatSystem renders a membership notice as WeChat words it, in Chinese
// for Chinese conversations.
func weChatSystem(c *conv, ev *event) string {
	zh := c.lang == LangZhHans || c.lang == LangZhHant
	switch ev.sys {
	case sysCreated:
		var names []string
		for _, p := range c.members[1:] {
			names = append(names, p.name)
		}
		if zh {
			return `"` + ev.actor.name + `"邀请"` + strings.Join(names, "、") + `"加入了群聊`
		}
		return `"` + ev.actor.name + `" invited "` + strings.Join(names, ", ") + `" to the group chat`
	case sysAdded:
		if zh {
			return `"` + ev.actor.name + `"邀请"` + ev.target.name + `"加入了群聊`
		}
		return `"` + ev.actor.name + `" invited "` + ev.target.name + `" to the group chat`
	default:
		if zh {
			return `"` + ev.target.name + `"退出了群聊`
		}
		return `"` + ev.target.name + `" left the group chat`
	}
}

// weChatTXTWriter writes what WechatExporter (BlueMatthew) writes as text:
// <folder>/<title>.txt opening with "<title> - WeChat Chat History", then
// "NAME (YYYY-MM-DD HH:MM:SS):MESSAGE" per message in local time,
// continuation lines for multi-line text, "System Message: …" notices.
type weChatTXTWriter struct {
	dir string
	f   *outFile
	n   int
	buf []byte
}

func (w *weChatTXTWriter) name() string { return "wechat-txt" }
func (w *weChatTXTWriter) count() int   { return w.n }

func (w *weChatTXTWriter) begin(c *conv) (err error) {
	w.f, err = create(filepath.Join(w.dir, c.folder, c.Title+".txt"))
	if err != nil {
		return err
	}
	title := " - WeChat Chat History\n\n"
	if c.lang == LangZhHans || c.lang == LangZhHant {
		title = " - 微信聊天记录\n\n"
	}
	_, err = w.f.w.WriteString(c.Title + title)
	return err
}

func (w *weChatTXTWriter) end(*conv) error {
	err := w.f.close()
	w.f = nil
	return err
}

func (w *weChatTXTWriter) close() error { return w.end(nil) }

func (w *weChatTXTWriter) message(c *conv, ev *event) error {
	w.n++
	b := w.buf[:0]
	if ev.sys != sysNone {
		b = append(b, "System Message: "...)
		b = append(b, weChatSystem(c, ev)...)
	} else {
		zh := c.lang == LangZhHans || c.lang == LangZhHant
		b = append(b, ev.from.name...)
		b = append(b, " ("...)
		b = ev.local.AppendFormat(b, "2006-01-02 15:04:05")
		b = append(b, "):"...)
		switch {
		case ev.att == attImage && zh:
			b = append(b, "[图片]"...)
		case ev.att == attImage:
			b = append(b, "[Photo]"...)
		case ev.att == attVoice && zh:
			b = append(b, "[语音]"...)
		case ev.att == attVoice:
			b = append(b, "[Audio]"...)
		case ev.att == attPDF && zh:
			b = append(b, "[文件: "+ev.msg.Attachments[0].Name+"]"...)
		case ev.att == attPDF:
			b = append(b, "[File: "+ev.msg.Attachments[0].Name+"]"...)
		default:
			b = append(b, ev.msg.Text...)
		}
	}
	b = append(b, '\n')
	w.buf = b
	_, err := w.f.w.Write(b)
	return err
}
