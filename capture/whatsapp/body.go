package whatsapp

import (
	"bytes"
	"mime"
	"path"
	"strings"

	"sealroom/capture"
)

// What a message's first line can say instead of text. The tables hold the
// localized forms the formats note lists; matching is on the first line
// with invisible marks removed.

// attachedWords are Android's "(file attached)" in the locales we know.
var attachedWords = map[string]bool{
	"file attached": true, "datei angehängt": true, "文件附件": true, "arquivo anexado": true,
	"archivo adjunto": true, "fichier joint": true, "file allegato": true, "bestand bijgevoegd": true,
	"dosya ekli": true, "файл прикреплен": true, "ファイル添付": true, "첨부 파일": true, "附加檔案": true,
	"plik załączony": true, "tệp đính kèm": true, "ملف مرفق": true, "fil bifogad": true, "fil vedlagt": true,
}

// omitted are the placeholders for media left out of the export.
var omitted = map[string]bool{
	"<media omitted>": true, "<medien ausgeschlossen>": true, "<multimedia omitido>": true, "<mídia oculta>": true,
	"<省略多媒体文件>": true, "<fichier omis>": true, "<media omessi>": true, "<メディアなし>": true,
	"<미디어 파일 제외됨>": true, "<медиа отсутствуют>": true, "<media weggelaten>": true, "<archivo omitido>": true,
	"imagem não revelada": true, "imagen omitida": true, "video omitido": true, "audio omitido": true,
	"sticker omitido": true, "imagem ocultada": true, "vídeo ocultado": true, "áudio ocultado": true,
	"bild weggelassen": true, "video weggelassen": true, "audio weggelassen": true, "sticker weggelassen": true,
	"image absente": true, "vidéo absente": true, "audio omis": true, "immagine omessa": true, "video omesso": true,
	"图片已忽略": true, "视频已忽略": true, "音频已忽略": true, "贴图已忽略": true,
}

// deleted are the notices of deleted messages.
var deleted = map[string]bool{
	"this message was deleted": true, "you deleted this message": true,
	"esta mensagem foi apagada": true, "você apagou esta mensagem": true,
	"se eliminó este mensaje": true, "eliminaste este mensaje": true,
	"diese nachricht wurde gelöscht": true, "du hast diese nachricht gelöscht": true,
	"ce message a été supprimé": true, "vous avez supprimé ce message": true,
	"questo messaggio è stato eliminato": true, "hai eliminato questo messaggio": true,
	"此消息已删除": true, "你删除了此消息": true, "此訊息已刪除": true, "このメッセージは削除されました": true,
}

// waMedia are the prefixes of the names WhatsApp gives media files.
var waMedia = []string{"IMG-", "VID-", "AUD-", "PTT-", "DOC-", "STK-", "GIF-"}

// classify turns a message's lines into text, kind and attachments.
// author is "" for a line without one (an Android system notice).
func classify(fam family, author string, text string) (kind capture.Kind, out string, atts []capture.Attachment, system bool) {
	first, rest, _ := strings.Cut(text, "\n")
	clean := strings.TrimSpace(first)
	// The three marks all start with the byte E2: most lines have none.
	if strings.IndexByte(first, 0xE2) >= 0 && (strings.Contains(first, "\u200e") || strings.Contains(first, "\u200f") || strings.Contains(first, "\u202a")) {
		clean = strings.TrimSpace(strings.Map(dropInvisible, first))
	}
	lower := "" // for the placeholder tables; every placeholder is short
	if len(clean) <= 64 && mayBePlaceholder(clean) {
		lower = strings.ToLower(clean)
	}
	switch {
	case author == "":
		return capture.KindSystem, strings.Map(dropInvisible, text), nil, true
	case isIOSAttachment(clean):
		name := clean[strings.IndexByte(clean, ':')+1 : len(clean)-1]
		name = strings.TrimSpace(name)
		return capture.KindMessage, rest, []capture.Attachment{{Name: name, Type: mimeOf(name)}}, false
	case isAndroidAttachment(clean):
		name := strings.TrimSpace(clean[:strings.LastIndexByte(clean, '(')])
		return capture.KindMessage, rest, []capture.Attachment{{Name: name, Type: mimeOf(name)}}, false
	case lower != "" && (omitted[lower] || isIOSOmitted(lower)):
		return capture.KindMessage, rest, []capture.Attachment{{Name: clean}}, false
	case lower != "" && deleted[strings.TrimRight(lower, ".")]:
		return capture.KindSystem, clean, nil, false
	case fam == ios && first != clean && strings.HasPrefix(first, "\u200e"):
		// iOS writes service notices as the chat's own lines, marked
		// with a leading LRM: "Chat: ‎Messages and calls are …".
		return capture.KindSystem, strings.Map(dropInvisible, text), nil, true
	}
	return capture.KindMessage, text, nil, false
}

func dropInvisible(r rune) rune {
	if invisible(r) {
		return -1
	}
	return r
}

// placeholderEnds holds the first and last bytes of the omitted and
// deleted keys that begin and end with ASCII bytes, for mayBePlaceholder.
var placeholderEnds = func() *[128][128]bool {
	var ends [128][128]bool
	for _, set := range []map[string]bool{omitted, deleted} {
		for k := range set {
			if first, last := k[0], k[len(k)-1]; first < 0x80 && last < 0x80 {
				ends[first][last] = true
			}
		}
	}
	return &ends
}()

// mayBePlaceholder is a cheap first test for classify, which looks up the
// lower case of a message's first line in omitted and deleted (after
// trimming dots) and tests it with isIOSOmitted. It is false only when
// none can match: when the line's first and last bytes are ASCII, so that
// strings.ToLower maps each to its own lower case (it maps runes one by
// one), and no key begins and ends with them, nor does the line end in d
// like "… omitted". Most lines take a few byte tests instead of a
// lowering and two map lookups.
func mayBePlaceholder(s string) bool {
	if s == "" {
		return false
	}
	first, last := asciiLower(s[0]), asciiLower(s[len(s)-1])
	if first >= 0x80 || last >= 0x80 || last == 'd' || placeholderEnds[first][last] {
		return true
	}
	// deleted is looked up without trailing dots; ToLower keeps a dot a
	// dot, and makes no dot of anything else.
	t := strings.TrimRight(s, ".")
	if len(t) == len(s) || t == "" {
		return false
	}
	last = asciiLower(t[len(t)-1])
	return last >= 0x80 || placeholderEnds[first][last]
}

func asciiLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isIOSAttachment matches "<attached: NAME.EXT>" and its translations.
func isIOSAttachment(s string) bool {
	if len(s) < 8 || s[0] != '<' || s[len(s)-1] != '>' {
		return false
	}
	i := strings.IndexByte(s, ':')
	if i < 2 || i > 24 {
		return false
	}
	name := strings.TrimSpace(s[i+1 : len(s)-1])
	return hasExt(name)
}

// isAndroidAttachment matches "NAME.EXT (file attached)" and translations,
// or any parenthetical after a name WhatsApp gives media.
func isAndroidAttachment(s string) bool {
	if !strings.HasSuffix(s, ")") {
		return false
	}
	open := strings.LastIndexByte(s, '(')
	if open < 2 || s[open-1] != ' ' {
		return false
	}
	name := s[:open-1]
	if !hasExt(name) {
		return false
	}
	word := strings.ToLower(s[open+1 : len(s)-1])
	if attachedWords[word] {
		return true
	}
	for _, p := range waMedia {
		if strings.HasPrefix(name, p) && !strings.Contains(name, " ") {
			return true
		}
	}
	return false
}

// isIOSOmitted matches "image omitted", "GIF omitted", "Contact card omitted".
func isIOSOmitted(s string) bool {
	w, ok := strings.CutSuffix(s, " omitted")
	return ok && len(w) > 0 && len(w) <= 16 && strings.Count(w, " ") <= 1
}

func hasExt(name string) bool {
	ext := path.Ext(name)
	if len(ext) < 2 || len(ext) > 6 || len(name) == len(ext) {
		return false
	}
	for _, c := range []byte(ext[1:]) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func mimeOf(name string) string {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".opus":
		return "audio/ogg"
	case ".vcf":
		return "text/vcard"
	case ".webp":
		return "image/webp"
	}
	t := mime.TypeByExtension(ext)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}

// splitAuthor splits "Author: text". ok is false for a line without an
// author (a system notice), judged by what authors look like: a name or
// phone number, not a sentence with quotes.
func splitAuthor(rest []byte) (author, text []byte, ok bool) {
	i := bytes.Index(rest, []byte(": "))
	if i < 0 {
		if bytes.HasSuffix(rest, []byte(":")) && len(rest) > 1 {
			i = len(rest) - 1
		} else {
			return nil, rest, false
		}
	}
	a := rest[:i]
	// “ and ” both start with the byte E2: look for them only if it is there.
	if len(a) == 0 || len(a) > 100 || bytes.IndexByte(a, '"') >= 0 || bytes.IndexByte(a, 0xE2) >= 0 && bytes.ContainsAny(a, "“”") {
		return nil, rest, false
	}
	text = rest[min(i+2, len(rest)):]
	return bytes.TrimSpace(a), text, true
}
