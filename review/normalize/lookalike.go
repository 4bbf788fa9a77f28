package normalize

// lookalike returns the Latin letter that the lower-case Cyrillic or Greek
// letter r passes for (rule 7), or 0. The table is small on purpose: the
// letters that look like a Latin letter in common fonts, in lower case or
// (since rule 4 folds case first) in upper case, after the confusables of
// Unicode TS #39. Letters that pass for two different Latin letters (Greek
// ν: v or N; υ: u or Y; η: n or H) are left out.
func lookalike(r rune) byte {
	switch r {
	// Cyrillic.
	case 'а':
		return 'a'
	case 'в': // В
		return 'b'
	case 'е', 'ё':
		return 'e'
	case 'һ', 'н': // һ, Н
		return 'h'
	case 'і', 'ї':
		return 'i'
	case 'ј':
		return 'j'
	case 'к': // К
		return 'k'
	case 'ӏ':
		return 'l'
	case 'м': // М
		return 'm'
	case 'о':
		return 'o'
	case 'р':
		return 'p'
	case 'ԛ':
		return 'q'
	case 'ѕ':
		return 's'
	case 'т': // Т
		return 't'
	case 'с':
		return 'c'
	case 'ԁ':
		return 'd'
	case 'ԝ':
		return 'w'
	case 'х':
		return 'x'
	case 'у':
		return 'y'
	// Greek.
	case 'α':
		return 'a'
	case 'β': // Β
		return 'b'
	case 'ε': // Ε
		return 'e'
	case 'ι':
		return 'i'
	case 'κ':
		return 'k'
	case 'μ': // Μ
		return 'm'
	case 'ο':
		return 'o'
	case 'ρ':
		return 'p'
	case 'τ': // Τ
		return 't'
	case 'χ':
		return 'x'
	case 'ζ': // Ζ
		return 'z'
	}
	return 0
}
