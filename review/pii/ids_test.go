package pii

import "testing"

var idCases = []detectCase{
	// Chinese resident ID.
	{"cn id X", "身份证11010519491231002X。", []want{{IDCN, "11010519491231002X"}}},
	{"cn id lower x", "id 11010519491231002x", []want{{IDCN, "11010519491231002x"}}},
	{"cn id digit", "ID: 440308199901101512", []want{{IDCN, "440308199901101512"}}},
	{"cn id leap day", "110101200002290018", []want{{IDCN, "110101200002290018"}}},
	{"cn id full-width", "１１０１０５１９４９１２３１００２Ｘ", nil}, // full-width X is a letter, not read as the check
	{"cn id bad check", "110105194912310021", nil},
	{"cn id future", "110101202701010010", nil},
	{"cn id 1900-02-29", "110101190002290011", nil},
	{"cn id before 1900", "11010118991231001X", nil},
	{"cn id bad province", "990101199001010019", nil},
	{"cn id glued", "A11010519491231002X", nil},
	// Hong Kong ID.
	{"hkid paren", "HKID A123456(3).", []want{{IDHK, "A123456(3)"}}},
	{"hkid compact", "C6686689", []want{{IDHK, "C6686689"}}},
	{"hkid two letters", "AB987654(3)", []want{{IDHK, "AB987654(3)"}}},
	{"hkid check A", "G123456(A)", []want{{IDHK, "G123456(A)"}}},
	{"hkid bad check", "A123456(4)", nil},
	{"hkid glued", "XA123456(3)", nil},
	// CPF and CNPJ. 13800138018 is both a valid CPF and a Chinese mobile.
	{"cpf or mobile in chinese", "我的手机13800138018", []want{{Phone, "13800138018"}}},
	{"cpf or mobile after cpf", "我的 CPF 13800138018", []want{{CPF, "13800138018"}}},
	{"cpf or mobile, no context", "ref 13800138018 ok", []want{{CPF, "13800138018"}}},
	{"cpf dotted", "CPF: 529.982.247-25", []want{{CPF, "529.982.247-25"}}},
	{"cpf plain", "52998224725", []want{{CPF, "52998224725"}}},
	{"cpf dash", "529982247-25", []want{{CPF, "529982247-25"}}},
	{"cpf bad check", "529.982.247-24", nil},
	{"cpf all same", "111.111.111-11", nil},
	{"cpf wrong dots", "52.998.224.725", nil},
	{"cnpj", "CNPJ 11.222.333/0001-81", []want{{CNPJ, "11.222.333/0001-81"}}},
	{"cnpj plain", "04531635000176", []want{{CNPJ, "04531635000176"}}},
	{"cnpj bad check", "11.222.333/0001-82", nil},
	{"cnpj all same", "00000000000000", nil},
	// Aadhaar.
	{"aadhaar spaced", "Aadhaar 2341 2341 2346", []want{{Aadhaar, "2341 2341 2346"}}},
	{"aadhaar plain", "234123412346", []want{{Aadhaar, "234123412346"}}},
	{"aadhaar half spaced", "Aadhaar 2341 23412346", []want{{Aadhaar, "2341 23412346"}}},
	{"aadhaar bad check", "2341 2341 2347", nil},
	{"aadhaar starts 1", "1341 2341 2346", nil},
	// PAN.
	{"pan", "PAN: ABCPE1234F", []want{{PAN, "ABCPE1234F"}}},
	{"pan bad holder", "ABCXE1234F", nil},
	{"pan lower", "abcpe1234f", nil},
	{"pan glued", "ABCPE1234FG", nil},
	// SSN.
	{"ssn", "SSN 123-45-6789", []want{{SSN, "123-45-6789"}}},
	{"ssn spaced", "078 05 1121", []want{{SSN, "078 05 1121"}}},
	{"ssn bare with context", "my ssn is 123456789", []want{{SSN, "123456789"}}},
	{"ssn bare", "ref 123456789", nil},
	{"ssn area 000", "000-12-3456", nil},
	{"ssn area 666", "666-12-3456", nil},
	{"ssn area 9xx", "912-12-3456", nil},
	{"ssn group 00", "123-00-4567", nil},
	{"ssn serial 0000", "123-45-0000", nil},
	{"ssn mixed", "123-45 6789", nil},
}

func TestIDs(t *testing.T) { runCases(t, idCases) }

// TestCNResidentIDToday checks the birth-date limit follows Options.Now.
func TestCNResidentIDToday(t *testing.T) {
	id := []byte("110101202701010010")
	if cnResidentID(id, 0, 20261231) {
		t.Error("a 2027 birth date passed in 2026")
	}
	if !cnResidentID(id, 0, 20270101) {
		t.Error("a 2027-01-01 birth date failed on that day")
	}
}
