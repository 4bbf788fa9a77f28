package pii

import "testing"

var cardCases = []detectCase{
	// Valid: one per scheme, in the layouts people type.
	{"visa plain", "card 4111111111111111 ok", []want{{Card, "4111111111111111"}}},
	{"visa spaced", "4111 1111 1111 1111", []want{{Card, "4111 1111 1111 1111"}}},
	{"visa dashed", "no. 4111-1111-1111-1111.", []want{{Card, "4111-1111-1111-1111"}}},
	{"mastercard", "5500 0000 0000 0004", []want{{Card, "5500 0000 0000 0004"}}},
	{"mastercard 2-series", "2221000000000009", []want{{Card, "2221000000000009"}}},
	{"amex 4-6-5", "amex 3782 822463 10005", []want{{Card, "3782 822463 10005"}}},
	{"discover", "6011000999900016", []want{{Card, "6011000999900016"}}},
	{"jcb", "3566000020200366", []want{{Card, "3566000020200366"}}},
	{"unionpay", "卡号6200000000000005", []want{{Card, "6200000000000005"}}},
	{"diners 14", "30569309025904", []want{{Card, "30569309025904"}}},
	{"maestro", "6767700000000005", []want{{Card, "6767700000000005"}}},
	{"hipercard", "6062826786276634", []want{{Card, "6062826786276634"}}},
	{"full-width", "卡４１１１１１１１１１１１１１１１。", []want{{Card, "４１１１１１１１１１１１１１１１"}}},
	{"then expiry", "4111 1111 1111 1111 12/25", []want{{Card, "4111 1111 1111 1111"}}},
	{"line breaks", "card:\n4111111111111111\nthanks", []want{{Card, "4111111111111111"}}},
	{"parenthesised", "(4111111111111111)", []want{{Card, "4111111111111111"}}},
	// Invalid.
	{"bad luhn", "4111111111111112", nil},
	{"visa wrong length", "411111111111111111", nil},
	{"amex as 16", "3782822463100050", nil},
	{"unknown issuer", "9111111111111111", nil},
	{"mixed separators", "4111 1111-1111 1111", nil},
	{"odd grouping", "41111 11111 111111", nil},
	{"line break inside", "4111 1111\n1111 1111", nil},
	// Embedded in longer tokens.
	{"letters around", "ABC4111111111111111XYZ", nil},
	{"letter after", "4111111111111111X", nil},
	{"credit code", "91310000552936878J", nil},
	{"longer number", "41111111111111110", nil},
	{"dotted continuation", "1.4111111111111111", nil},
	{"underscore", "id_4111111111111111", nil},
	{"accented letter", "é4111111111111111", nil},
}

func TestCards(t *testing.T) { runCases(t, cardCases) }

func TestLuhn(t *testing.T) {
	for _, tc := range []struct {
		d  string
		ok bool
	}{
		{"79927398713", true}, {"79927398710", false}, {"0", true}, {"18", true}, {"4111111111111111", true}, {"4111111111111121", false},
	} {
		if got := luhn([]byte(tc.d)); got != tc.ok {
			t.Errorf("luhn(%s) = %v", tc.d, got)
		}
	}
}
