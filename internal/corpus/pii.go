package corpus

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
)

// PII types written to labels.jsonl. Each value is written in the message
// text exactly as the label gives it, separators included.
const (
	PIIEmail   = "email"
	PIIPhone   = "phone"
	PIICard    = "card"           // Luhn-valid, 15 (Amex) or 16 digits
	PIIIBAN    = "iban"           // ISO 13616, mod-97 check digits
	PIICNID    = "cn_resident_id" // GB 11643-1999, ISO 7064 MOD 11-2 check character
	PIICPF     = "cpf"            // Brazilian CPF, two mod-11 check digits
	PIIAadhaar = "aadhaar"        // 12 digits, Verhoeff check digit
	PIISSN     = "ssn"            // US SSN shape, valid area/group/serial ranges
)

// digits appends n random decimal digits to b.
func digits(r *rand.Rand, b []byte, n int) []byte {
	for range n {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return b
}

// phone returns a phone number in the written style of region (UK, US, BR,
// CN, IN). UK and US numbers come from the ranges Ofcom and NANPA keep for
// fiction (07700 900xxx, 555-01xx) half the time, to show both shapes.
func phone(r *rand.Rand, region string) string {
	b := make([]byte, 0, 24)
	switch region {
	case "UK":
		if r.IntN(2) == 0 {
			b = append(b, "+44 7700 900"...)
			b = digits(r, b, 3)
		} else {
			b = append(b, "07"...)
			b = digits(r, b, 3)
			b = append(b, ' ')
			b = digits(r, b, 6)
		}
	case "US":
		area := strconv.Itoa(201 + r.IntN(780))
		switch r.IntN(3) {
		case 0:
			b = append(b, "+1 ("+area+") 555-01"...)
			b = digits(r, b, 2)
		case 1:
			b = append(b, area+"-"...)
			b = append(b, strconv.Itoa(200+r.IntN(800))...)
			b = append(b, '-')
			b = digits(r, b, 4)
		default:
			b = append(b, "+1 "+area+" "...)
			b = append(b, strconv.Itoa(200+r.IntN(800))...)
			b = append(b, ' ')
			b = digits(r, b, 4)
		}
	case "BR":
		b = append(b, "+55 "...)
		b = append(b, strconv.Itoa(11+r.IntN(89))...)
		b = append(b, " 9"...)
		b = digits(r, b, 4)
		b = append(b, '-')
		b = digits(r, b, 4)
	case "CN":
		pre := [...]string{"138", "139", "135", "186", "159", "177", "150"}[r.IntN(7)]
		if r.IntN(2) == 0 {
			b = append(b, "+86 "+pre+" "...)
			b = digits(r, b, 4)
			b = append(b, ' ')
			b = digits(r, b, 4)
		} else {
			b = append(b, pre...)
			b = digits(r, b, 8)
		}
	case "IN":
		b = append(b, "+91 "...)
		b = append(b, byte('6'+r.IntN(4)))
		b = digits(r, b, 4)
		b = append(b, ' ')
		b = digits(r, b, 5)
	default:
		panic("corpus: internal error: unknown phone region " + region)
	}
	return string(b)
}

// luhnDigit is the digit that makes payload+digit pass the Luhn check.
func luhnDigit(payload []byte) byte {
	sum := 0
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if (len(payload)-1-i)%2 == 0 { // doubled: it will sit second from the right
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// card returns a Luhn-valid Visa, Mastercard or Amex number, plain, spaced
// or dashed in the issuer's grouping.
func card(r *rand.Rand) string {
	var b []byte
	var groups []int
	switch r.IntN(3) {
	case 0:
		b = append(b, '4')
		b = digits(r, b, 14)
		groups = []int{4, 4, 4, 4}
	case 1:
		b = append(b, '5', byte('1'+r.IntN(5)))
		b = digits(r, b, 13)
		groups = []int{4, 4, 4, 4}
	default:
		b = append(b, '3', "47"[r.IntN(2)])
		b = digits(r, b, 12)
		groups = []int{4, 6, 5}
	}
	b = append(b, luhnDigit(b))
	sep := [...]string{"", " ", "-"}[r.IntN(3)]
	return group(string(b), groups, sep)
}

// group splits s into groups of the given sizes joined by sep.
func group(s string, sizes []int, sep string) string {
	if sep == "" {
		return s
	}
	var sb strings.Builder
	for i, n := range sizes {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteString(s[:n])
		s = s[n:]
	}
	sb.WriteString(s)
	return sb.String()
}

// ibanShapes gives each country's BBAN as a run of 'n' (digit) and 'a'
// (upper-case letter) placeholders.
var ibanShapes = map[string]string{
	"GB": "aaaannnnnnnnnnnnnn",        // bank code, sort code, account
	"DE": "nnnnnnnnnnnnnnnnnn",        // Bankleitzahl, account
	"ES": "nnnnnnnnnnnnnnnnnnnn",      // bank, branch, check, account
	"BR": "nnnnnnnnnnnnnnnnnnnnnnna1", // bank, branch, account, type, holder
}

// iban returns a valid IBAN for country: the check digits are computed
// (ISO 7064 MOD 97-10), the BBAN is random in the country's shape. Half are
// printed in groups of four, as on statements.
func iban(r *rand.Rand, country string) string {
	shape := ibanShapes[country]
	bban := make([]byte, 0, len(shape))
	for _, c := range []byte(shape) {
		switch c {
		case 'n':
			bban = append(bban, byte('0'+r.IntN(10)))
		case 'a':
			bban = append(bban, byte('A'+r.IntN(26)))
		default:
			bban = append(bban, c)
		}
	}
	// Check digits: move country+"00" to the end, letters to numbers, 98 - n mod 97.
	var num strings.Builder
	for _, c := range string(bban) + country + "00" {
		if c >= 'A' && c <= 'Z' {
			num.WriteString(strconv.Itoa(int(c-'A') + 10))
		} else {
			num.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(num.String(), 10)
	check := 98 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	s := country + string([]byte{byte('0' + check/10), byte('0' + check%10)}) + string(bban)
	if r.IntN(2) == 0 {
		var sb strings.Builder
		for i := 0; i < len(s); i += 4 {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(s[i:min(i+4, len(s))])
		}
		return sb.String()
	}
	return s
}

// cnRegions are real county-level administrative codes (GB/T 2260).
var cnRegions = [...]string{"110101", "110105", "310104", "310115", "440305", "440106", "330106", "510104", "320102", "420106"}

// cnID returns an 18-character Chinese resident identity number: region,
// birth date, sequence and the MOD 11-2 check character (0-9 or X).
func cnID(r *rand.Rand) string {
	b := []byte(cnRegions[r.IntN(len(cnRegions))])
	b = strconv.AppendInt(b, int64(1955+r.IntN(50)), 10)
	b = append(b, twoDigits(1+r.IntN(12))...)
	b = append(b, twoDigits(1+r.IntN(28))...)
	b = digits(r, b, 3)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(b[i]-'0') * w
	}
	b = append(b, "10X98765432"[sum%11])
	return string(b)
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// cpf returns a Brazilian CPF with both check digits, as 123.456.789-09 or
// plain.
func cpf(r *rand.Rand) string {
	var d [11]int
	for {
		for i := range 9 {
			d[i] = r.IntN(10)
		}
		if d[0] != d[1] || d[1] != d[2] { // all-equal numbers are invalid CPFs
			break
		}
	}
	for k := 9; k <= 10; k++ {
		sum := 0
		for i := range k {
			sum += d[i] * (k + 1 - i)
		}
		d[k] = sum * 10 % 11 % 10
	}
	b := make([]byte, 0, 14)
	for i, v := range d {
		if i == 3 || i == 6 {
			b = append(b, '.')
		}
		if i == 9 {
			b = append(b, '-')
		}
		b = append(b, byte('0'+v))
	}
	if r.IntN(3) == 0 {
		return strings.NewReplacer(".", "", "-", "").Replace(string(b))
	}
	return string(b)
}

// Verhoeff tables: the dihedral group D5's multiplication, the position
// permutation and the inverse.
var (
	verhoeffD = [10][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]byte{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
	verhoeffInv = [10]byte{0, 4, 3, 2, 1, 5, 6, 7, 8, 9}
)

// aadhaar returns a 12-digit Aadhaar-shaped number (first digit 2-9, the
// last a Verhoeff check digit), grouped 4-4-4 or plain.
func aadhaar(r *rand.Rand) string {
	b := []byte{byte('2' + r.IntN(8))}
	b = digits(r, b, 10)
	c := byte(0)
	for i := range b {
		c = verhoeffD[c][verhoeffP[(i+1)%8][b[len(b)-1-i]-'0']]
	}
	b = append(b, '0'+verhoeffInv[c])
	if r.IntN(3) == 0 {
		return string(b)
	}
	return group(string(b), []int{4, 4}, " ")
}

// ssn returns a US SSN shape outside the never-issued ranges (area 000, 666
// and 900-999, group 00, serial 0000).
func ssn(r *rand.Rand) string {
	area := 1 + r.IntN(899)
	if area == 666 {
		area = 667
	}
	b := make([]byte, 0, 11)
	b = append(b, byte('0'+area/100), byte('0'+area/10%10), byte('0'+area%10), '-')
	b = append(b, twoDigits(1+r.IntN(99))...)
	b = append(b, '-')
	serial := 1 + r.IntN(9999)
	b = append(b, twoDigits(serial/100)...)
	b = append(b, twoDigits(serial%100)...)
	return string(b)
}
