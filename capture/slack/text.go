package slack

import "strings"

// Slack escapes only these three characters in message text; a bare '<'
// therefore always opens one of its control sequences.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

// render turns Slack's markup into plain text: <@U123> becomes @Name,
// <#C123|general> #general, <https://x|label> "label (https://x)",
// <!here> @here, and &lt; &gt; &amp; their characters. With ids, user
// mentions keep the id as well, "@Ann Lee (U123)": notices have no sender,
// so the id of who joined or set the topic must survive in the text.
func (r *reader) render(s string, ids bool) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(unescape(s))
			return b.String()
		}
		b.WriteString(unescape(s[:i]))
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(unescape(s[i:]))
			return b.String()
		}
		r.control(&b, s[i+1:i+j], ids)
		s = s[i+j+1:]
	}
}

// control writes one <…> sequence, given without its brackets.
func (r *reader) control(b *strings.Builder, inner string, ids bool) {
	target, label, _ := strings.Cut(inner, "|")
	label = unescape(label)
	switch {
	case target == "":
		b.WriteString(unescape("<" + inner + ">"))
	case target[0] == '@':
		id := target[1:]
		name := firstOf(r.names[id], label, id)
		b.WriteString("@" + name)
		if ids && name != id {
			b.WriteString(" (" + id + ")")
		}
	case target[0] == '#':
		id := target[1:]
		b.WriteString("#" + firstOf(label, r.chans[id], id))
	case target[0] == '!':
		// <!here>, <!channel>, <!everyone>, <!subteam^S1|@team>,
		// <!date^1392734382^{date}|Feb 18th>: the label when there is one.
		if label != "" {
			b.WriteString(label)
			break
		}
		cmd, _, _ := strings.Cut(target[1:], "^")
		b.WriteString("@" + cmd)
	default:
		url := unescape(target)
		if label == "" || label == url {
			b.WriteString(url)
		} else {
			b.WriteString(label + " (" + url + ")")
		}
	}
}
