package policy

import (
	"strings"
)

// The phishing detectors look at every URL, host name and file name in a
// message — tokens of ASCII letters, digits and URL punctuation holding a
// dot — and report:
//
//   - KindShortener: the host is a URL shortener (the link hides where it goes);
//   - KindPunycode: a label starts with "xn--" (an internationalized name,
//     the usual vehicle for look-alike letters);
//   - KindLookalike: the host imitates a brand in brands below without being
//     one of its real domains or under one: a label or a hyphen-separated
//     part of one is the brand with digits for letters (g00gle, paypa1) or
//     within edit distance 1 of it (2 for names of 9+ letters: micorsoft), or
//     is the brand plus a hyphenated affix (microsoft-support, secure-paypal),
//     or the brand or its real domain sits in front of another domain
//     (paypal.com.verify-login.ru, apple.evil.io);
//   - KindExecutable: the token ends in a file name whose extension runs code
//     on a phone or PC (.apk, .exe, .scr …).
//
// They see normalized text: a normalizer that rewrites leetspeak inside host
// names (g00gle.com → google.com) hides a look-alike from them.

var shorteners = setOf("bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "is.gd", "cutt.ly",
	"rb.gy", "ow.ly", "buff.ly", "t.ly", "shorturl.at", "tiny.cc", "v.gd", "s.id", "rebrand.ly",
	"bl.ink", "short.io", "lnkd.in", "soo.gd", "clck.ru", "u.to", "x.co", "qr.net", "shorte.st",
	"adf.ly", "bc.vc", "t.cn", "url.cn", "dwz.cn", "suo.im", "encurtador.com.br", "tinyurl.is", "surl.li")

var executables = setOf("apk", "xapk", "apks", "exe", "scr", "bat", "cmd", "js", "jse", "vbs", "vbe",
	"msi", "ps1", "jar", "hta", "pif", "lnk", "wsf", "dll", "iso", "dmg", "reg", "cpl")

// jsNames are script names people mention that are frameworks, not files.
var jsNames = setOf("node.js", "next.js", "vue.js", "react.js", "three.js", "d3.js", "express.js",
	"nuxt.js", "angular.js", "chart.js", "ember.js", "backbone.js", "deno.js", "p5.js", "moment.js")

// brands maps a name phishers imitate to its real registrable domains.
var brands = map[string][]string{
	"paypal":        {"paypal.com", "paypal.me", "paypalobjects.com"},
	"apple":         {"apple.com", "icloud.com", "me.com", "apple.news"},
	"icloud":        {"icloud.com"},
	"google":        {"google.com", "gmail.com", "googleusercontent.com", "google.co.in", "google.com.br", "google.es", "google.co.uk", "goo.gl", "g.co"},
	"gmail":         {"gmail.com"},
	"microsoft":     {"microsoft.com", "live.com", "office.com", "microsoftonline.com", "outlook.com", "azure.com"},
	"outlook":       {"outlook.com", "live.com"},
	"office365":     {"office.com", "microsoft.com"},
	"amazon":        {"amazon.com", "amazon.co.uk", "amazon.de", "amazon.com.br", "amazon.in", "amazon.es", "amazon.com.mx", "amazon.cn", "amazon.co.jp", "amazonaws.com"},
	"netflix":       {"netflix.com"},
	"facebook":      {"facebook.com", "fb.com", "fb.me"},
	"instagram":     {"instagram.com"},
	"whatsapp":      {"whatsapp.com", "whatsapp.net", "wa.me"},
	"telegram":      {"telegram.org", "t.me"},
	"linkedin":      {"linkedin.com", "lnkd.in"},
	"dropbox":       {"dropbox.com"},
	"docusign":      {"docusign.com", "docusign.net"},
	"adobe":         {"adobe.com"},
	"binance":       {"binance.com"},
	"coinbase":      {"coinbase.com"},
	"metamask":      {"metamask.io"},
	"chase":         {"chase.com"},
	"wellsfargo":    {"wellsfargo.com"},
	"bankofamerica": {"bankofamerica.com"},
	"citibank":      {"citibank.com", "citi.com"},
	"hsbc":          {"hsbc.com", "hsbc.co.uk", "hsbc.com.hk"},
	"barclays":      {"barclays.co.uk", "barclays.com"},
	"santander":     {"santander.com", "santander.com.br", "santander.es", "santander.co.uk"},
	"bradesco":      {"bradesco.com.br"},
	"itau":          {"itau.com.br"},
	"nubank":        {"nubank.com.br"},
	"mercadopago":   {"mercadopago.com", "mercadopago.com.br"},
	"mercadolivre":  {"mercadolivre.com.br"},
	"bbva":          {"bbva.com", "bbva.es", "bbva.mx"},
	"alipay":        {"alipay.com"},
	"wechat":        {"wechat.com", "weixin.qq.com", "qq.com"},
	"taobao":        {"taobao.com"},
	"icbc":          {"icbc.com.cn"},
	"paytm":         {"paytm.com"},
	"phonepe":       {"phonepe.com"},
	"sbi":           {"sbi.co.in", "onlinesbi.sbi"},
	"hdfcbank":      {"hdfcbank.com"},
	"icicibank":     {"icicibank.com"},
	"fedex":         {"fedex.com"},
	"dhl":           {"dhl.com", "dhl.de"},
	"usps":          {"usps.com"},
	"correios":      {"correios.com.br"},
	"steam":         {"steampowered.com", "steamcommunity.com"},
	"bloomberg":     {"bloomberg.com", "bloomberg.net"},
	"reuters":       {"reuters.com"},
	"okta":          {"okta.com"},
}

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func urlByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || strings.IndexByte(".-_/:@?=&%#~+!", c) >= 0
}

// detect appends the detectors' hits in norm to dst.
func detect(norm string, dst []Hit, hosts *hostCache) []Hit {
	if strings.IndexByte(norm, '.') < 0 {
		return dst
	}
	for i := 0; i < len(norm); {
		if !urlByte(norm[i]) {
			i++
			continue
		}
		s := i
		for i < len(norm) && urlByte(norm[i]) {
			i++
		}
		if strings.IndexByte(norm[s:i], '.') >= 0 {
			dst = detectToken(norm, s, i, dst, hosts)
		}
	}
	return dst
}

// detectToken looks at norm[s:e], a token holding a dot.
func detectToken(norm string, s, e int, dst []Hit, hosts *hostCache) []Hit {
	tok := strings.ToLower(norm[s:e])
	// Trailing sentence punctuation is not part of a URL.
	for len(tok) > 0 && strings.IndexByte(".!?:", tok[len(tok)-1]) >= 0 {
		tok = tok[:len(tok)-1]
		e--
	}
	// The file name: the last path segment, without query or fragment.
	name, nameStart := tok, 0
	if k := strings.IndexAny(name, "?#"); k >= 0 {
		name = name[:k]
	}
	if k := strings.LastIndexByte(name, '/'); k >= 0 {
		name, nameStart = name[k+1:], k+1
	}
	if dot := strings.LastIndexByte(name, '.'); dot > 0 && executables[name[dot+1:]] && !jsNames[name] && fileNameOK(name[:dot]) {
		dst = append(dst, Hit{Start: s + nameStart, End: s + nameStart + len(name), Kind: KindExecutable, pat: -1, whole: true})
		if nameStart == 0 {
			return dst // a bare file name, not a host
		}
	}
	// The host: after the scheme and any user info, before path and port.
	h, hs := tok, 0
	if k := strings.Index(h, "://"); k >= 0 {
		h, hs = h[k+3:], k+3
	}
	if k := strings.IndexAny(h, "/?#"); k >= 0 {
		h = h[:k]
	}
	if k := strings.LastIndexByte(h, '@'); k >= 0 {
		h, hs = h[k+1:], hs+k+1
	}
	if k := strings.IndexByte(h, ':'); k >= 0 {
		h = h[:k]
	}
	if !hostOK(h) {
		return dst
	}
	hit := Hit{Start: s + hs, End: s + hs + len(h), pat: -1, whole: true}
	bare := strings.TrimPrefix(h, "www.")
	if shorteners[bare] {
		hit.Kind = KindShortener
		dst = append(dst, hit)
	}
	if strings.HasPrefix(h, "xn--") || strings.Contains(h, ".xn--") {
		hit.Kind = KindPunycode
		dst = append(dst, hit)
	}
	if hosts.lookalike(h) {
		hit.Kind = KindLookalike
		dst = append(dst, hit)
	}
	return dst
}

func fileNameOK(base string) bool {
	if base == "" {
		return false
	}
	for i := 0; i < len(base); i++ {
		if c := base[i]; c == '@' || c == ':' {
			return false
		}
	}
	return true
}

// hostOK reports whether h looks like a DNS name with a top-level domain
// of letters (or an xn-- one): "example.com", not "1.5" or "e.g".
func hostOK(h string) bool {
	if len(h) < 4 || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(tld, "xn--") {
		return true
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return !(len(labels) == 2 && len(labels[0]) == 1 && len(tld) == 2 && !shorteners[h]) // "e.g", "i.e" style
}
