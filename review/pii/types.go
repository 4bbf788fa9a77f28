package pii

// Type names a kind of personal data. Its value is the placeholder's text.
type Type string

// The types Detect reports.
const (
	Email   Type = "EMAIL"   // RFC 5321-ish address, IDN domains allowed
	Phone   Type = "PHONE"   // E.164 with a known calling code, or a national format
	Card    Type = "CARD"    // payment card: issuer range, length and Luhn
	IBAN    Type = "IBAN"    // ISO 13616: per-country length and MOD 97-10
	IDCN    Type = "ID-CN"   // Chinese resident ID (GB 11643): MOD 11-2 and a birth date
	IDHK    Type = "ID-HK"   // Hong Kong identity card number: mod-11 check
	CPF     Type = "CPF"     // Brazilian individual taxpayer number: two mod-11 digits
	CNPJ    Type = "CNPJ"    // Brazilian company number: two mod-11 digits
	Aadhaar Type = "AADHAAR" // Indian Aadhaar: 12 digits, Verhoeff
	PAN     Type = "PAN"     // Indian Permanent Account Number: AAAAA9999A
	SSN     Type = "SSN"     // US Social Security number: area, group, serial rules
	IP      Type = "IP"      // IPv4 or IPv6 address
	Wallet  Type = "WALLET"  // Bitcoin (Base58Check, bech32/bech32m) or Ethereum (EIP-55)
	Name    Type = "NAME"    // a participant's name or a gazetteer name
)

// Types lists every type, in the order above.
var Types = [...]Type{Email, Phone, Card, IBAN, IDCN, IDHK, CPF, CNPJ, Aadhaar, PAN, SSN, IP, Wallet, Name}

// Placeholder is the text redaction puts in place of a value: "[PHONE]".
func (t Type) Placeholder() string {
	switch t {
	case Email:
		return "[EMAIL]"
	case Phone:
		return "[PHONE]"
	case Card:
		return "[CARD]"
	case IBAN:
		return "[IBAN]"
	case IDCN:
		return "[ID-CN]"
	case IDHK:
		return "[ID-HK]"
	case CPF:
		return "[CPF]"
	case CNPJ:
		return "[CNPJ]"
	case Aadhaar:
		return "[AADHAAR]"
	case PAN:
		return "[PAN]"
	case SSN:
		return "[SSN]"
	case IP:
		return "[IP]"
	case Wallet:
		return "[WALLET]"
	case Name:
		return "[NAME]"
	}
	return "[" + string(t) + "]"
}

// Entity is one detected value: bytes [Start, End) of the text given to
// Detect, exactly as written (separators, parentheses and full-width
// digits included).
type Entity struct {
	Type       Type
	Start, End int
	// Score is a confidence in (0, 1]: checksum-validated values score
	// 0.95-0.99, shapes without a checksum 0.7-0.9, values found only
	// through a context word or a gazetteer 0.5-0.7.
	Score float32
}

// Scores, from strongest to weakest evidence.
const (
	scoreChecksum = 0.99 // a check digit or hash that random strings fail
	scoreLuhn     = 0.95 // Luhn plus issuer range: one in ten random strings pass the Luhn step
	scoreShape    = 0.85 // a format specific enough on its own (E.164, +country code)
	scoreNational = 0.8  // a national phone layout
	scoreContext  = 0.6  // a bare value next to a context word
	scoreName     = 0.6  // a gazetteer name on its own
)
