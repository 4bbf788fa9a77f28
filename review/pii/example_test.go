package pii_test

import (
	"fmt"
	"strings"

	"sealroom/review/pii"
)

func Example() {
	d := pii.New(pii.Options{Names: []string{"Alice Martin"}})
	text := "Alice: call +44 7700 900123 or mail a.martin@example.com, card 4111-1111-1111-1111"
	var b strings.Builder
	last := 0
	for _, e := range d.Detect(text, nil) {
		b.WriteString(text[last:e.Start])
		b.WriteString(e.Type.Placeholder())
		last = e.End
	}
	b.WriteString(text[last:])
	fmt.Println(b.String())
	// Output: [NAME]: call [PHONE] or mail [EMAIL], card [CARD]
}
