package corpus

import (
	"math/rand/v2"
	"time"

	"sealroom/capture"
)

// ChecksumTypes are the PII types whose numbers carry a check digit (or,
// for SSN, range rules): the evaluation's number lists draw them.
var ChecksumTypes = []string{PIICard, PIIIBAN, PIICNID, PIICPF, PIIAadhaar, PIISSN}

// Sample returns one valid number of a checksum type, written as the
// corpus writes it (grouped or not), from the same generators the corpus
// plants.
func Sample(r *rand.Rand, typ string) string {
	switch typ {
	case PIICard:
		return card(r)
	case PIIIBAN:
		return iban(r, pick(r, []string{"GB", "DE", "ES", "BR"})) // the countries ibanShapes knows
	case PIICNID:
		return cnID(r)
	case PIICPF:
		return cpf(r)
	case PIIAadhaar:
		return aadhaar(r)
	case PIISSN:
		return ssn(r)
	}
	panic("corpus: Sample of an unknown type " + typ)
}

// Corrupt returns s with one digit changed (not its first, which decides
// a card's issuer, an Aadhaar's range or an SSN's area); every checksum
// of ChecksumTypes detects a single changed digit. For SSN, whose "check"
// is its ranges, it sets the area to one the rules exclude.
func Corrupt(r *rand.Rand, typ, s string) string {
	b := []byte(s)
	if typ == PIISSN {
		area := pick(r, []string{"000", "666", "9"})
		return area + s[len(area):]
	}
	var at []int
	for i, c := range b {
		if c >= '0' && c <= '9' {
			at = append(at, i)
		}
	}
	i := at[1+r.IntN(len(at)-1)]
	b[i] = byte('0' + (int(b[i]-'0')+1+r.IntN(9))%10)
	return string(b)
}

// StreamLanguages is Stream with each message's language (its
// conversation's: LangEN, LangZhHans …).
func StreamLanguages(seed uint64, n int, fn func(*capture.Conversation, *capture.Message, *Label, string) error) error {
	return run(seed, n, time.Time{}, func(c *conv, ev *event) error { return fn(&c.Conversation, &ev.msg, ev.label, c.lang) }, nil)
}
