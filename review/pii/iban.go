package pii

// ibanLengths gives each country's IBAN length, from the SWIFT IBAN
// registry (release 2024): the 89 countries and territories that issue
// IBANs.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
	"DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
	"LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
	"SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
	"YE": 30,
}

// maxIBAN is the longest IBAN in any country (ISO 13616).
const maxIBAN = 34

// iban emits an IBAN starting with the word text[i:j] ("GB82" or the
// whole "GB82WEST12345698765432"): its country's length, upper-case
// letters and digits, written whole or in groups of four separated by
// single spaces, and the ISO 7064 MOD 97-10 check (the number formed by
// the BBAN, the country and the check digits, letters counting A=10 …
// Z=35, is 1 mod 97).
func (s *scanner) iban(i, j int) int {
	text := s.text
	want, ok := ibanLengths[text[i:i+2]]
	if !ok {
		return -1
	}
	var buf [maxIBAN]byte
	b := append(buf[:0], text[i:j]...)
	end := j
	if j-i == 4 {
		// Grouped: "GB82 WEST 1234 5698 7654 32".
		for len(b) < want && end+1 < len(text) && text[end] == ' ' {
			k := end + 1
			for k < len(text) && k-end <= 4 && (isUpper(text[k]) || isDigit(text[k])) {
				k++
			}
			n := k - end - 1
			if n == 0 || n > 4 || len(b)+n > want || (n < 4 && len(b)+n != want) {
				break
			}
			b = append(b, text[end+1:k]...)
			end = k
		}
	}
	if len(b) != want || !rightOK(text, end) {
		return -1
	}
	for _, c := range b {
		if !isUpper(c) && !isDigit(c) {
			return -1
		}
	}
	if mod97(b) != 1 {
		return -1
	}
	s.emit(IBAN, i, end, scoreChecksum)
	return end
}

// mod97 returns the IBAN b, rearranged (its first four characters moved to
// the end) and read as a number, mod 97.
func mod97(b []byte) int {
	r := 0
	for k := range b {
		c := b[(k+4)%len(b)]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A'+10)) % 97
		}
	}
	return r
}
