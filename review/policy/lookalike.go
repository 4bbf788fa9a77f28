package policy

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// hostCache remembers lookalike's answer per host: chat repeats its hosts
// (the firm's mail domain, a few sites), and each answer compares every
// label with every brand. It stops growing at hostCacheMax hosts.
type hostCache struct {
	m sync.Map // string → bool
	n atomic.Int64
}

const hostCacheMax = 1 << 14

func (c *hostCache) lookalike(host string) bool {
	if v, ok := c.m.Load(host); ok {
		return v.(bool)
	}
	r := lookalike(host)
	if c.n.Load() < hostCacheMax {
		c.n.Add(1)
		c.m.Store(strings.Clone(host), r)
	}
	return r
}

// lookalike reports whether host imitates a brand (see detect.go).
func lookalike(host string) bool {
	host = strings.TrimPrefix(host, "www.")
	if realDomain(host) {
		return false
	}
	labels := strings.Split(host, ".")
	reg := registrableIndex(labels) // labels[reg] is the name that was registered
	for i, l := range labels[:len(labels)-1] {
		if i > reg {
			break // labels after the registered name are the public suffix
		}
		for _, part := range strings.Split(l, "-") {
			sk := skeletons(part)
			for brand := range brands {
				if imitates(part, sk, brand, strings.Contains(l, "-") || i < reg) {
					return true
				}
			}
		}
	}
	// A real domain in front of another: paypal.com.verify-login.ru.
	for _, d := range brandDomainsDotted {
		if strings.HasPrefix(host, d[1:]) || strings.Contains(host, d) {
			return true
		}
	}
	return false
}

// brandDomainsDotted is ".d." for every brand domain d, made once.
var brandDomainsDotted = func() []string {
	var out []string
	for _, ds := range brands {
		for _, d := range ds {
			out = append(out, "."+d+".")
		}
	}
	return out
}()

// imitates reports whether part of a host label imitates brand. An exact
// brand counts only when it is dressed up (affixed, or in front of another
// domain): paypal.de may be PayPal's.
func imitates(part string, sk [2]string, brand string, dressed bool) bool {
	if part == brand {
		return dressed
	}
	if len(part) < 3 {
		return false
	}
	if sk[0] == brand || sk[1] == brand {
		return true
	}
	n := utf8.RuneCountInString(brand)
	if n < 5 || abs(len(part)-len(brand)) > 2 {
		return false
	}
	limit := 1
	if n >= 9 {
		limit = 2
	}
	d := levenshtein(part, brand)
	return d >= 1 && d <= limit
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var (
	skeletonL = strings.NewReplacer("0", "o", "1", "l", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b", "9", "g", "rn", "m", "vv", "w")
	skeletonI = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b", "9", "g", "rn", "m", "vv", "w")
)

// skeletons are part with look-alike digits and letter pairs replaced; 1
// reads as l or as i.
func skeletons(part string) [2]string {
	return [2]string{skeletonL.Replace(part), skeletonI.Replace(part)}
}

// realDomain reports whether host is a brand's real domain or under one.
func realDomain(host string) bool {
	for _, d := range brandDomainsDotted {
		if host == d[1:len(d)-1] || strings.HasSuffix(host, d[:len(d)-1]) {
			return true
		}
	}
	return false
}

// registrableIndex is the index of the label registered under the public
// suffix, approximated: the second-last label, or the third-last under a
// two-level country suffix such as co.uk or com.br.
func registrableIndex(labels []string) int {
	n := len(labels)
	if n >= 3 && len(labels[n-1]) == 2 {
		switch labels[n-2] {
		case "co", "com", "net", "org", "gov", "ac", "edu", "gob", "nic":
			return n - 3
		}
	}
	return n - 2
}
