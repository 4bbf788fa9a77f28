// Package pii finds personal data in chat messages so that redaction can
// replace it with typed placeholders ([PHONE], [EMAIL], [ID-CN] …).
//
// Use one Detector per conversation, built from its participants' names:
//
//	d := pii.New(pii.Options{Names: conv.Participants})
//	ents := d.Detect(msg.Text, ents[:0])
//	for _, e := range ents {
//		// msg.Text[e.Start:e.End] is replaced by e.Type.Placeholder()
//	}
//
// Detect works on the original text and reports byte spans into it that
// cover each value as written: separators ("4111 1111 1111 1111",
// "123.456.789-09", "+55 (11) 91234-5678") and full-width digits
// ("１３８００１３８０００") included.
//
// Detectors validate, they do not just match shapes: cards need an
// issuer's range and length and the Luhn digit, IBANs their country's
// length and MOD 97-10, Chinese resident IDs a MOD 11-2 check character and
// a real birth date, and so on (see Type's constants and each validator).
// A value must stand alone: a letter or digit (ASCII, Latin, full-width)
// right before or after it, or a dotted or dashed number continuing it,
// makes it part of a longer token, so neither 91310000552936878J (a
// Chinese unified social credit code) nor ABC4111111111111111XYZ holds a
// card. Han characters do not glue: "电话13800138000" holds a phone number.
//
// One pass over the bytes finds triggers (a digit, a letter starting a
// word, '@', '+', '(', a UTF-8 lead byte) and calls the validators that
// may start there; no regular expressions are used.
//
// Detect never logs or prints text or values.
package pii
