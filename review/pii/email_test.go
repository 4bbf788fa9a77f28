package pii

import "testing"

var emailCases = []detectCase{
	{"simple", "mail me at john.doe@example.com.", []want{{Email, "john.doe@example.com"}}},
	{"plus tag", "<jane+news@mail.example.org>", []want{{Email, "jane+news@mail.example.org"}}},
	{"idn domain", "contact: info@münchen.de", []want{{Email, "info@münchen.de"}}},
	{"han domain", "邮箱wang@例子.中国，谢谢", []want{{Email, "wang@例子.中国"}}},
	{"punycode tld", "a.b@example.xn--fiqs8s", []want{{Email, "a.b@example.xn--fiqs8s"}}},
	{"han after", "邮箱john@example.com谢谢", []want{{Email, "john@example.com"}}},
	{"leading dots", "see...john@example.com", []want{{Email, "john@example.com"}}},
	{"one-letter tld", "a@b.c", nil},
	{"no dot", "user@localhost", nil},
	{"double dot", "john..doe@example.com", []want{{Email, "doe@example.com"}}},
	{"trailing dot local", "john.@example.com", nil},
	{"hyphen label", "john@-example.com", nil},
	{"numeric tld", "john@example.123", nil},
	{"handle", "@john thanks", nil},
	{"dot then bad label", "0@0.AAAA.-", []want{{Email, "0@0.AAAA"}}},
	{"glued after", "john@example.comé", nil},
}

func TestEmail(t *testing.T) { runCases(t, emailCases) }
