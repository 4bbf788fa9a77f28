package pii

import "testing"

var ibanCases = []detectCase{
	{"gb grouped", "IBAN GB82 WEST 1234 5698 7654 32.", []want{{IBAN, "GB82 WEST 1234 5698 7654 32"}}},
	{"gb compact", "GB82WEST12345698765432", []want{{IBAN, "GB82WEST12345698765432"}}},
	{"de", "DE89370400440532013000", []want{{IBAN, "DE89370400440532013000"}}},
	{"fr", "FR14 2004 1010 0505 0001 3M02 606", []want{{IBAN, "FR14 2004 1010 0505 0001 3M02 606"}}},
	{"nl", "NL91ABNA0417164300", []want{{IBAN, "NL91ABNA0417164300"}}},
	{"no shortest", "NO9386011117947", []want{{IBAN, "NO9386011117947"}}},
	{"mt 31", "MT84MALT011000012345MTLCAST001S", []want{{IBAN, "MT84MALT011000012345MTLCAST001S"}}},
	{"br", "conta BR1800360305000010009795493C1", []want{{IBAN, "BR1800360305000010009795493C1"}}},
	{"es in chinese", "账户ES9121000418450200051332。", []want{{IBAN, "ES9121000418450200051332"}}},
	{"bad check", "GB83WEST12345698765432", nil},
	{"too short", "GB82WEST1234569876543", nil},
	{"too long", "GB82WEST123456987654321", nil},
	{"unknown country", "XX82WEST12345698765432", nil},
	{"bad grouping", "GB82 WEST 12345 698 7654 32", nil},
	{"lower case", "gb82west12345698765432", nil},
	{"glued", "GB82WEST12345698765432X", nil},
}

func TestIBAN(t *testing.T) { runCases(t, ibanCases) }

func TestIBANLengthsMatchMod97(t *testing.T) {
	// Every country in the table has a valid example length: the lengths
	// run from Norway's 15 to Russia's 33.
	for cc, n := range ibanLengths {
		if n < 15 || n > maxIBAN || len(cc) != 2 || !isUpper(cc[0]) || !isUpper(cc[1]) {
			t.Errorf("ibanLengths[%q] = %d", cc, n)
		}
	}
}
