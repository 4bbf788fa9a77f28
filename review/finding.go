package review

import "sealroom/review/redact"

// Finding is one policy hit in a message: what the vault turns into a
// risk event.
type Finding struct {
	Policy, Category, Severity string
	Score                      float64
	Spans                      []redact.Span // over the message text: matched terms, personal data, names
	Entities                   []string      // the types of personal data found
}
