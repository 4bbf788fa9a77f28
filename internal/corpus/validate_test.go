package corpus

import (
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// Validators written from the specifications, independently of the
// generator's code, so that a wrong generator cannot agree with itself.

// onlyDigits strips the separators people write (spaces, dots, dashes).
func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// validLuhn: from the right, double every second digit, subtract 9 from
// results over 9; the sum is a multiple of 10.
func validLuhn(s string) bool {
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		d := int(s[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(s) >= 12 && sum%10 == 0
}

var ibanLengths = map[string]int{"GB": 22, "DE": 22, "ES": 24, "BR": 29}

// validIBAN: ISO 13616 — move the first four characters to the end,
// letters to 10..35; the number mod 97 is 1.
func validIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 5 || ibanLengths[s[:2]] != len(s) {
		return false
	}
	var num strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			num.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			num.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(num.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// validCNID: GB 11643-1999 — weights 2^(17-i) mod 11, check character
// from (12 - sum mod 11) mod 11, 10 written X.
func validCNID(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := range 17 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += int(s[i]-'0') * w
	}
	check := (12 - sum%11) % 11
	want := byte('0' + check)
	if check == 10 {
		want = 'X'
	}
	month := (s[10]-'0')*10 + s[11] - '0'
	return s[17] == want && month >= 1 && month <= 12
}

// validCPF: two mod-11 check digits with weights 10..2 and 11..2; a
// remainder under 2 gives 0, else 11 minus it.
func validCPF(s string) bool {
	s = onlyDigits(s)
	if len(s) != 11 || strings.Count(s, s[:1]) == 11 {
		return false
	}
	for k := 9; k <= 10; k++ {
		sum := 0
		for i := range k {
			sum += int(s[i]-'0') * (k + 1 - i)
		}
		d := 0
		if r := sum % 11; r >= 2 {
			d = 11 - r
		}
		if int(s[k]-'0') != d {
			return false
		}
	}
	return true
}

// validVerhoeff: the dihedral-group checksum over the digits read from the
// right is 0. Tables from Verhoeff (1969), as in every reference.
func validVerhoeff(s string) bool {
	d := [10][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	p := [8][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
	c := 0
	for i := range len(s) {
		ch := s[len(s)-1-i]
		if ch < '0' || ch > '9' {
			return false
		}
		c = d[c][p[i%8][ch-'0']]
	}
	return c == 0
}

func validAadhaar(s string) bool {
	s = onlyDigits(s)
	return len(s) == 12 && s[0] >= '2' && validVerhoeff(s)
}

var (
	ssnRe   = regexp.MustCompile(`^(\d{3})-(\d{2})-(\d{4})$`)
	emailRe = regexp.MustCompile(`^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$`)
	phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{8,18}[0-9]$`)
)

func validSSN(s string) bool {
	m := ssnRe.FindStringSubmatch(s)
	return m != nil && m[1] != "000" && m[1] != "666" && m[1][0] != '9' && m[2] != "00" && m[3] != "0000"
}

// Known-good values from public references, so the validators themselves
// are checked.
func TestValidators(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		good []string
		bad  []string
	}{
		{"luhn", func(s string) bool { return validLuhn(onlyDigits(s)) },
			[]string{"4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005"}, []string{"4111 1111 1111 1112"}},
		{"iban", validIBAN, []string{"GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "ES9121000418450200051332"},
			[]string{"GB82 WEST 1234 5698 7654 33"}},
		{"cnid", validCNID, []string{"11010519491231002X", "440524188001010014"}, []string{"110105194912310021"}},
		{"cpf", validCPF, []string{"529.982.247-25", "11144477735"}, []string{"529.982.247-26", "11111111111"}},
		{"verhoeff", validVerhoeff, []string{"2363", "123451"}, []string{"2364"}},
		{"ssn", validSSN, []string{"123-45-6789"}, []string{"666-12-3456", "123-00-4567"}},
	} {
		for _, s := range c.good {
			if !c.f(s) {
				t.Errorf("%s: %q should be valid", c.name, s)
			}
		}
		for _, s := range c.bad {
			if c.f(s) {
				t.Errorf("%s: %q should be invalid", c.name, s)
			}
		}
	}
}
