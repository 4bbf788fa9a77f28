package pii

// Phone numbers. A run of digits is a phone number when it is
//
//   - E.164: '+' (or "00" and a grouped number), a calling code from
//     callingCodes and a national number of that country's length, with
//     the stricter rules below for +1, +44, +55, +86 and +91; a "(0)"
//     trunk prefix after the code is skipped ("+44 (0) 20 7946 0018");
//   - or a national layout (phoneNational), each needing the separators
//     that country writes, except two prefixes specific enough bare: a
//     Chinese mobile (1[3-9] and 11 digits) and a UK mobile (07 and 11
//     digits);
//   - or any other run of 7-15 digits right after a context word
//     ("tel", "WhatsApp", "电话" …; see phoneWords).
//
// So dates (2024-05-01, 01.05.2024), times, amounts (1.234.567) and order
// numbers are not phones unless they happen to fit a national layout
// exactly, and a bare run of digits is a phone only with a context word.

// ccLen gives a calling code's national number lengths, min and max.
type ccLen struct{ min, max int8 }

// callingCodes are ITU-T E.164 country codes and the lengths of their
// national significant numbers. Codes form a prefix code, so at most one
// of a number's first one, two and three digits is in the table.
var callingCodes = map[string]ccLen{
	"1": {10, 10}, "7": {10, 10}, "20": {9, 10}, "27": {9, 9}, "30": {10, 10},
	"31": {9, 9}, "32": {8, 9}, "33": {9, 9}, "34": {9, 9}, "36": {8, 9},
	"39": {6, 11}, "40": {9, 9}, "41": {9, 9}, "43": {4, 13}, "44": {9, 10},
	"45": {8, 8}, "46": {7, 10}, "47": {8, 8}, "48": {9, 9}, "49": {6, 13},
	"51": {8, 9}, "52": {10, 10}, "54": {10, 11}, "55": {10, 11}, "56": {9, 9},
	"57": {10, 10}, "58": {10, 10}, "60": {9, 10}, "61": {9, 9}, "62": {9, 12},
	"63": {10, 10}, "64": {8, 10}, "65": {8, 8}, "66": {8, 9}, "81": {9, 10},
	"82": {9, 10}, "84": {9, 10}, "86": {9, 11}, "90": {10, 10}, "91": {10, 10},
	"92": {10, 10}, "93": {9, 9}, "94": {9, 9}, "95": {8, 10}, "98": {10, 10},
	"212": {9, 9}, "213": {9, 9}, "216": {8, 8}, "234": {10, 10}, "254": {9, 9},
	"255": {9, 9}, "256": {9, 9}, "351": {9, 9}, "352": {8, 11}, "353": {9, 9},
	"354": {7, 7}, "356": {8, 8}, "357": {8, 8}, "358": {6, 10}, "359": {8, 9},
	"370": {8, 8}, "371": {8, 8}, "372": {7, 8}, "380": {9, 9}, "381": {8, 9},
	"385": {8, 9}, "386": {8, 8}, "420": {9, 9}, "421": {9, 9}, "852": {8, 8},
	"853": {8, 8}, "855": {8, 9}, "880": {10, 10}, "886": {9, 9}, "961": {7, 8},
	"962": {9, 9}, "965": {8, 8}, "966": {9, 9}, "971": {8, 9}, "972": {8, 9},
	"973": {8, 8}, "974": {8, 8}, "977": {10, 10},
}

// phoneE164 checks a run that followed a '+'.
func phoneE164(r *run, e int) bool {
	var buf [maxDigits]byte
	d := buf[:0]
	for i := 0; i <= e; i++ {
		g := &r.g[i]
		if g.sep == '/' {
			return false
		}
		if g.paren && i == 1 && g.d1-g.d0 == 1 && r.dig[g.d0] == '0' {
			continue // the UK's and others' "(0)" trunk prefix
		}
		d = append(d, r.dig[g.d0:g.d1]...)
	}
	return e164(d)
}

// e164 checks an international number without its '+'.
func e164(d []byte) bool {
	if len(d) < 8 || len(d) > 15 {
		return false
	}
	for k := 1; k <= 3; k++ {
		l, ok := callingCodes[string(d[:k])]
		if !ok {
			continue
		}
		nat := d[k:]
		if len(nat) < int(l.min) || len(nat) > int(l.max) {
			return false
		}
		switch string(d[:k]) {
		case "1":
			return nanp(nat)
		case "44":
			return nat[0] != '0'
		case "55":
			return brazilE164(nat)
		case "86":
			return len(nat) != 11 || nat[0] != '1' || nat[1] >= '3'
		case "91":
			return nat[0] >= '2'
		}
		return nat[0] != '0'
	}
	return false
}

// nanp checks a 10-digit North American number: area code and exchange
// start with 2-9.
func nanp(d []byte) bool {
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
}

// brazilE164 checks a Brazilian number after +55, where the prefix makes
// the layout certain enough to accept any two-digit area code (10-99);
// national layouts use brazil's stricter rule.
func brazilE164(d []byte) bool {
	if len(d) != 10 && len(d) != 11 || d[0] == '0' {
		return false
	}
	return len(d) == 10 || d[2] == '9'
}

// brazil checks a Brazilian national number: a two-digit area code (DDD,
// no zero: Anatel assigns 11-19, 21 … 99, none ending in 0), then 8 digits
// or 9 starting with 9 (mobile).
func brazil(d []byte) bool {
	if len(d) != 10 && len(d) != 11 || d[0] == '0' || d[1] == '0' {
		return false
	}
	return len(d) == 10 || d[2] == '9'
}

// phoneNational checks the national layouts, without a '+'. Each layout
// checks the digits and how they are grouped; sep is the candidate's one
// separator, or 0. (Direct calls, not a table of funcs: through a func
// value the shape and digits would escape to the heap.)
func phoneNational(sh *shape, d []byte) bool {
	sep := sh.uniform()
	return hongKongMobile(sh, d, sep) || spanish(sh, d, sep) || internationalPrefix(sh, d) ||
		brazilian(sh, d) || chineseMobile(sh, d, sep) || northAmerican(sh, d, sep) ||
		indianMobile(sh, d, sep) || trunkPrefixed(sh, d, sep)
}

// hongKongMobile: 9123 4567 (mobiles start 5, 6 or 9; a bare 8-digit run
// is too often a date or an amount).
func hongKongMobile(sh *shape, d []byte, sep byte) bool {
	return sh.is(4, 4) && spaceOrDash(sep) && (d[0] == '5' || d[0] == '6' || d[0] == '9')
}

// spanish: 612 345 678, 912 34 56 78, with spaces only (612.345.678 is an
// amount in Spain).
func spanish(sh *shape, d []byte, sep byte) bool {
	return sh.n == 9 && (sh.is(3, 3, 3) || sh.is(3, 2, 2, 2)) && sep == ' ' && d[0] >= '6'
}

// internationalPrefix: 00 and a calling code, the '+' written out, in
// groups (0044 7700 900123).
func internationalPrefix(sh *shape, d []byte) bool {
	return sh.n >= 10 && sh.k >= 2 && d[0] == '0' && d[1] == '0' && e164(d[2:])
}

// brazilian: (11) 91234-5678, 11 91234-5678, (11) 1234-5678.
func brazilian(sh *shape, d []byte) bool {
	return (sh.is(2, 5, 4) || sh.is(2, 4, 4)) && (sh.seps[2] == '-' || sh.seps[2] == ' ') && brazil(d)
}

// chineseMobile: 13800138000, 138 0013 8000, 138-0013-8000; the 1[3-9]
// prefix and 11 digits are specific enough to take bare.
func chineseMobile(sh *shape, d []byte, sep byte) bool {
	return sh.n == 11 && d[0] == '1' && d[1] >= '3' &&
		(sh.plain() || (sh.is(3, 4, 4) && spaceOrDash(sep)))
}

// northAmerican: (212) 555-0101, 212-555-0101, 212.555.0101,
// 212 555 0101, 1-800-555-0199; or an Italian mobile, 347 123 4567.
func northAmerican(sh *shape, d []byte, sep byte) bool {
	if sh.is(1, 3, 3, 4) {
		return d[0] == '1' && spaceOrDash(sep) && nanp(d[1:])
	}
	if !sh.is(3, 3, 4) || sh.seps[2] == '/' {
		return false
	}
	if !(sh.p0 && sh.paren) && sep != '-' && sep != '.' && sep != ' ' {
		return false
	}
	return nanp(d) || (d[0] == '3' && sep == ' ')
}

// indianMobile: 98765 43210.
func indianMobile(sh *shape, d []byte, sep byte) bool {
	return sh.is(5, 5) && spaceOrDash(sep) && d[0] >= '6'
}

// trunkPrefixed checks the trunk-prefixed numbers of the UK, Germany,
// France, Italy, Spain's neighbours and the Netherlands: 07700 900123,
// 020 7946 0018, 030/1234567, 06 12 34 56 78, 06-12345678. A bare UK
// mobile (07 and 11 digits) is specific enough alone; other bare runs need
// a context word.
func trunkPrefixed(sh *shape, d []byte, sep byte) bool {
	if d[0] != '0' || d[1] == '0' || sh.n < 10 || sh.n > 12 {
		return false
	}
	if sh.plain() {
		return sh.n == 11 && d[1] == '7' && d[2] >= '1'
	}
	if sh.paren || sh.sizes[0] > 5 {
		return false
	}
	for i := 0; i < sh.k; i++ {
		if sh.sizes[i] < 2 {
			return false
		}
	}
	if sh.slash {
		return sh.k == 2
	}
	return sep == ' ' || sep == '-' || sep == '.'
}
