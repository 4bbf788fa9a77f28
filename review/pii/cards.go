package pii

// cardShape accepts a card number written plain, in groups of four (the
// last may be shorter), or in the 4-6-5 / 4-6-4 grouping of Amex and
// Diners, with spaces or dashes.
func cardShape(sh *shape) bool {
	if sh.plain() {
		return true
	}
	if !spaceOrDash(sh.uniform()) {
		return false
	}
	if sh.is(4, 6, 5) || sh.is(4, 6, 4) {
		return true
	}
	if sh.k < 3 {
		return false
	}
	for i := 0; i < sh.k-1; i++ {
		if sh.sizes[i] != 4 {
			return false
		}
	}
	return sh.sizes[sh.k-1] <= 4
}

// card checks an issuer's prefix (IIN) and length, then Luhn.
func card(d []byte) bool {
	return issuer(d) && luhn(d)
}

// issuer reports whether d's prefix belongs to a card scheme that issues
// numbers of len(d) digits. Elo's ranges (401178, 438935, 504175, 5067,
// 509, 6277, 636297, 636368, 6504-6516 …) fall inside the Visa, Maestro,
// UnionPay and Discover ranges below and are accepted through them.
func issuer(d []byte) bool {
	n := len(d)
	p2, p3, p4, p6 := num(d[:2]), num(d[:3]), num(d[:4]), num(d[:6])
	switch {
	case d[0] == '4': // Visa
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard, 2-series since 2017
		return n == 16
	case p2 == 34 || p2 == 37: // American Express
		return n == 15
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65: // Discover
		return n >= 16 && n <= 19
	case p4 >= 3528 && p4 <= 3589: // JCB
		return n >= 16 && n <= 19
	case p2 == 62: // UnionPay (and Discover's 622126-622925)
		return n >= 16 && n <= 19
	case p3 >= 300 && p3 <= 305, p4 == 3095, p2 == 36, p2 == 38, p2 == 39: // Diners Club
		return n >= 14 && n <= 19
	case p6 == 606282: // Hipercard
		return n == 16
	case p2 == 50, p2 >= 56 && p2 <= 58, p2 == 63, p2 == 67: // Maestro
		return n >= 12 && n <= 19
	}
	return false
}

// luhn checks the Luhn (mod 10) check digit: from the right, every second
// digit is doubled, digits of the products summed.
func luhn(d []byte) bool {
	sum := 0
	for i := range d {
		v := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}
