package pii

import (
	"net/netip"
	"strings"
)

// ipv4 checks a dotted quad: four groups of 1-3 digits, each 0-255, with
// no leading zero except "0" itself (010.0.0.1 is ambiguous octal in some
// parsers and rare in text).
func ipv4(sh *shape, d []byte) bool {
	o := 0
	for i := range 4 {
		n := sh.sizes[i]
		if n > 3 || (n > 1 && d[o] == '0') || num(d[o:o+n]) > 255 {
			return false
		}
		o += n
	}
	return true
}

// maxIPv6 is the longest IPv6 text without a zone:
// "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".
const maxIPv6 = 45

// ipv6 emits an IPv6 address starting at i, a hex word followed by ':'
// or "::".
// The candidate (hex digits, colons and dots) must hold a decimal digit
// and either "::" or all seven colons, which keeps times (10:30:00), MAC
// addresses and "a::b" out, and net/netip must parse it. Zones (%eth0) are
// not read.
func (s *scanner) ipv6(i int) int {
	text := s.text
	j := i
	colons, digit := 0, false
	for j < len(text) && j-i <= maxIPv6 {
		c := text[j]
		switch {
		case c == ':':
			colons++
		case isDigit(c):
			digit = true
		case isHex(c), c == '.':
		default:
			goto done
		}
		j++
	}
done:
	for j > i && text[j-1] == '.' {
		j-- // a sentence's full stop
	}
	cand := text[i:j]
	if j-i > maxIPv6 || !digit || colons < 2 || (colons != 7 && !strings.Contains(cand, "::")) {
		return -1
	}
	if !rightOK(text, j) || (j < len(text) && text[j] == ':') {
		return -1
	}
	if !ipv6Groups(cand) {
		return -1 // netip would say so too, but allocate its error
	}
	a, err := netip.ParseAddr(cand)
	if err != nil || !a.Is6() {
		return -1
	}
	s.emit(IP, i, j, scoreShape)
	return j
}

// ipv6Groups is a cheap precheck: at most one "::", no ":::", and hex
// groups of at most four digits (the last may be a dotted IPv4 address).
func ipv6Groups(s string) bool {
	if strings.Contains(s, ":::") || strings.Count(s, "::") > 1 {
		return false
	}
	n := 0
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case c == ':':
			n = 0
		case c == '.':
			return strings.LastIndexByte(s, ':') < k // only in the last group
		default:
			if n++; n > 4 {
				return false
			}
		}
	}
	return true
}
