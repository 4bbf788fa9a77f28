package pii

// National identity and tax numbers. Each validator takes the value's
// digits as ASCII; the caller has checked the length and layout.

// cnProvinces are the first two digits of GB/T 2260 region codes: the
// provinces, autonomous regions and municipalities, plus 71 (Taiwan), 81
// and 82 (Hong Kong, Macao) as printed on residence permits.
var cnProvinces = func() (t [100]bool) {
	for _, p := range []int{
		11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
		71, 81, 82,
	} {
		t[p] = true
	}
	return t
}()

// cnResidentID checks an 18-character resident identity number (GB
// 11643-1999): a region code with a real province, a birth date from 1900
// to today (yyyymmdd), a sequence number, and the ISO 7064 MOD 11-2 check
// character, which is d[17] or, when x != 0, the letter X after 17 digits.
func cnResidentID(d []byte, x byte, today int) bool {
	if (x == 0 && len(d) != 18) || (x != 0 && len(d) != 17) {
		return false
	}
	if !cnProvinces[num(d[0:2])] {
		return false
	}
	y, m, day := num(d[6:10]), num(d[10:12]), num(d[12:14])
	if y < 1900 || !validDate(y, m, day) || y*10000+m*100+day > today {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	want := "10X98765432"[sum%11]
	if x != 0 {
		return want == 'X'
	}
	return want == d[17]
}

// num is the value of a short run of ASCII digits.
func num(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// allSame reports whether every digit is the same: such CPFs and CNPJs
// pass their checks but are never issued.
func allSame(d []byte) bool {
	for _, c := range d[1:] {
		if c != d[0] {
			return false
		}
	}
	return true
}

// cpfShape accepts 12345678909, 123.456.789-09 and 123456789-09.
func cpfShape(sh *shape) bool {
	return sh.plain() ||
		(sh.is(3, 3, 3, 2) && sh.seps[1] == '.' && sh.seps[2] == '.' && sh.seps[3] == '-') ||
		(sh.is(9, 2) && sh.seps[1] == '-')
}

// cpf checks a CPF's two mod-11 check digits.
func cpf(d []byte) bool {
	if len(d) != 11 || allSame(d) {
		return false
	}
	for k := 9; k <= 10; k++ {
		sum := 0
		for i := range k {
			sum += int(d[i]-'0') * (k + 1 - i)
		}
		if byte('0'+sum*10%11%10) != d[k] {
			return false
		}
	}
	return true
}

// cnpjShape accepts 11222333000181, 11.222.333/0001-81 and 11222333/0001-81.
func cnpjShape(sh *shape) bool {
	return sh.plain() ||
		(sh.is(2, 3, 3, 4, 2) && string(sh.seps[1:5]) == "../-") ||
		(sh.is(8, 4, 2) && string(sh.seps[1:3]) == "/-")
}

// cnpj checks a CNPJ's two mod-11 check digits (weights 5…2,9…2 and
// 6…2,9…2; a remainder under 2 gives 0).
func cnpj(d []byte) bool {
	if len(d) != 14 || allSame(d) {
		return false
	}
	w := [13]int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	for k := 12; k <= 13; k++ {
		sum := 0
		for i := range k {
			sum += int(d[i]-'0') * w[13-k+i]
		}
		c := 0
		if r := sum % 11; r >= 2 {
			c = 11 - r
		}
		if byte('0'+c) != d[k] {
			return false
		}
	}
	return true
}

// Verhoeff's tables: multiplication in the dihedral group D5, and the
// position permutation.
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
)

// aadhaarShape accepts 12 digits plain or in groups of four (4-4-4, and
// the 4-8 and 8-4 of a half-spaced number) with spaces or dashes.
func aadhaarShape(sh *shape) bool {
	return sh.plain() || ((sh.is(4, 4, 4) || sh.is(4, 8) || sh.is(8, 4)) && spaceOrDash(sh.uniform()))
}

// aadhaar checks 12 digits: the first 2-9 (UIDAI issues no number
// starting 0 or 1), the last a Verhoeff check digit.
func aadhaar(d []byte) bool {
	if len(d) != 12 || d[0] < '2' {
		return false
	}
	c := byte(0)
	for i := range d {
		c = verhoeffD[c][verhoeffP[i%8][d[len(d)-1-i]-'0']]
	}
	return c == 0
}

// ssnArea checks 9 digits against the never-issued SSN ranges: area 000,
// 666 and 900-999, group 00, serial 0000.
func ssnArea(d []byte) bool {
	area := num(d[0:3])
	return len(d) == 9 && area != 0 && area != 666 && area < 900 &&
		num(d[3:5]) != 0 && num(d[5:9]) != 0
}

// pan emits the Indian PAN text[i:j]: five letters, four digits, a letter,
// the fourth letter saying who holds it (P person, C company, H Hindu
// undivided family, F firm, A association, T trust, B body of individuals,
// L local authority, J artificial juridical person, G government). PAN
// has no published check character, hence the lower score.
func (s *scanner) pan(i, j int) int {
	w := s.text[i:j]
	if len(w) != 10 || !rightOK(s.text, j) {
		return -1
	}
	for k := range 10 {
		if (k >= 5 && k < 9) != isDigit(w[k]) || (k < 5 || k == 9) != isUpper(w[k]) {
			return -1
		}
	}
	switch w[3] {
	case 'P', 'C', 'H', 'F', 'A', 'T', 'B', 'L', 'J', 'G':
		s.emit(PAN, i, j, scoreShape)
		return j
	}
	return -1
}

// hkid emits a Hong Kong identity card number starting at text[i:j]: one
// or two letters, six digits and a check character (0-9 or A), either in
// the word ("A1234563") or in parentheses after it ("A123456(3)").
//
// The check: letters count A=10 … Z=35 (a missing second letter counts
// 36), weights 9 down to 2, and the check value makes the sum a multiple of
// 11, where A stands for 10.
func (s *scanner) hkid(i, j int) int {
	text := s.text
	w := text[i:j]
	nl := 0
	for nl < len(w) && nl < 2 && isUpper(w[nl]) {
		nl++
	}
	if nl == 0 || len(w) < nl+6 {
		return -1
	}
	for _, c := range []byte(w[nl : nl+6]) {
		if !isDigit(c) {
			return -1
		}
	}
	var check byte
	end := j
	score := float32(scoreShape)
	switch len(w) - nl {
	case 6:
		if j+3 > len(text) || text[j] != '(' || text[j+2] != ')' {
			return -1
		}
		check, end, score = text[j+1], j+3, scoreChecksum
	case 7:
		check = w[len(w)-1]
	default:
		return -1
	}
	if !rightOK(text, end) {
		return -1
	}
	sum := 0
	if nl == 1 {
		sum = 36*9 + int(w[0]-'A'+10)*8
	} else {
		sum = int(w[0]-'A'+10)*9 + int(w[1]-'A'+10)*8
	}
	for k := range 6 {
		sum += int(w[nl+k]-'0') * (7 - k)
	}
	var v int
	switch {
	case isDigit(check):
		v = int(check - '0')
	case check == 'A':
		v = 10
	default:
		return -1
	}
	if (sum+v)%11 != 0 {
		return -1
	}
	s.emit(IDHK, i, end, score)
	return end
}
