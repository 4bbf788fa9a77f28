package whatsapp

import (
	"math"
	"time"
	"unicode/utf8"
)

// A WhatsApp message starts with a header the phone writes in its own
// locale: a date, a time, maybe an AM/PM word, around them brackets (iOS)
// or a " - " before the author (Android). Rather than one pattern per
// locale, the header is read as a sequence of numbers, separators and
// words, then matched to "date then time" or "time then date".

// family is the export's family: it decides where the header ends.
type family uint8

const (
	android family = iota + 1 // D/M/YY, HH:MM - Author: text
	ios                       // [D/M/YY, HH:MM:SS] Author: text
)

// header is one parsed header, with the date's first two numbers still in
// file order: which is the day is decided for the whole file.
type header struct {
	fam     family
	sig     signature // the layout, for the day-order decision
	a, b, y int       // the date's numbers in file order (y: the full year) or, if yearFirst, y-a-b
	h, m, s int
	pm      int8 // 0 none, 1 am, 2 pm
	rest    []byte
}

// signature identifies a date layout within a file: day order is decided
// per layout, since a file may switch layout halfway.
type signature struct {
	fam       family
	sep       byte // the date separator: / . - or ' ' (spaced dots)
	yearFirst bool
	timeFirst bool
}

// maxHeader bounds the bytes searched for the end of a header.
const maxHeader = 64

// invisible reports the marks phones put around headers and attachments:
// LRM, RLM, ALM, the bidi embeddings and isolates, the BOM.
func invisible(r rune) bool {
	switch {
	case r == 0x200E, r == 0x200F, r == 0x061C, r == 0xFEFF:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// trimInvisible drops leading invisible marks.
func trimInvisible(b []byte) []byte {
	for len(b) > 0 {
		if b[0] < 0x80 {
			return b
		}
		r, n := utf8.DecodeRune(b)
		if !invisible(r) {
			return b
		}
		b = b[n:]
	}
	return b
}

// parseLine reads a header at the start of line. ok is false for a
// continuation line.
func parseLine(line []byte) (hd header, ok bool) {
	line = trimInvisible(line)
	if len(line) < 8 {
		return hd, false
	}
	var head []byte
	if line[0] == '[' {
		end := indexByteN(line, ']', maxHeader)
		if end < 0 || end+1 >= len(line) || line[end+1] != ' ' {
			return hd, false
		}
		head, hd.rest = line[1:end], line[end+2:]
		hd.fam = ios
	} else {
		if !startsHeader(line) {
			return hd, false
		}
		end := indexDash(line)
		if end < 0 {
			return hd, false
		}
		head, hd.rest = line[:end], line[end+3:]
		if line[end+1] != '-' { // an en dash is 3 bytes
			hd.rest = line[end+5:]
		}
		hd.fam = android
	}
	return hd, hd.parse(head)
}

// startsHeader is a cheap first test: a header starts with a digit (ASCII
// or Arabic-Indic), an era letter before a digit, or an AM/PM word.
func startsHeader(b []byte) bool {
	c := b[0]
	switch {
	case c >= '0' && c <= '9':
		return true
	case (c == 'R' || c == 'H' || c == 'S' || c == 'T') && len(b) > 1 && b[1] >= '0' && b[1] <= '9':
		return true
	case c >= 0x80:
		r, _ := utf8.DecodeRune(b)
		return digitValue(r) >= 0 || r >= 0x3000 || (r >= 0x0600 && r <= 0x06FF) || (r >= 0xAC00 && r <= 0xD7A3)
	}
	return false
}

// indexDash finds the " - " (or " – ") that ends an Android header.
func indexDash(b []byte) int {
	n := min(len(b)-3, maxHeader)
	for i := 0; i < n; i++ {
		if b[i] != ' ' {
			continue
		}
		if b[i+1] == '-' && b[i+2] == ' ' {
			return i
		}
		if i+4 < len(b) && b[i+1] == 0xE2 && b[i+2] == 0x80 && b[i+3] == 0x93 && b[i+4] == ' ' {
			return i
		}
	}
	return -1
}

func indexByteN(b []byte, c byte, n int) int {
	for i := 0; i < len(b) && i < n; i++ {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// digitValue returns the value of an ASCII, Arabic-Indic or Extended
// Arabic-Indic (Persian) digit, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 0x0660 && r <= 0x0669:
		return int(r - 0x0660)
	case r >= 0x06F0 && r <= 0x06F9:
		return int(r - 0x06F0)
	}
	return -1
}

// token is a number with the separator after it, or a word.
type token struct {
	number
	word string // lower-cased word with dots and spaces removed
	era  byte   // a Japanese era letter glued before the number
}

// number is a number token: what fill reads. It holds no pointer, which
// keeps copying it cheap.
type number struct {
	num    int
	digits int  // 0 for a word
	sep    byte // the separator after a number: / . - : , ' ' or 0 at the end
}

// tokens splits a header. At most 12 tokens; more is not a header.
func tokens(h []byte, out []token) []token {
	out = out[:0]
	i := 0
	for i < len(h) && len(out) < 12 {
		r, n := utf8.DecodeRune(h[i:])
		if d := digitValue(r); d >= 0 {
			t := token{}
			for i < len(h) {
				r, n = utf8.DecodeRune(h[i:])
				d = digitValue(r)
				if d < 0 {
					break
				}
				t.num = t.num*10 + d
				t.digits++
				i += n
				if t.digits > 4 {
					return nil
				}
			}
			t.sep, i = separator(h, i, isNBSP)
			out = append(out, t)
			continue
		}
		if r == ' ' || r == 0xA0 || r == 0x202F || invisible(r) || r == ',' || r == '،' {
			i += n
			continue
		}
		// A word: letters up to a digit, space or comma; dots inside are
		// dropped ("p. m." → "pm" once the space-separated parts merge).
		start := i
		var w []byte
		for i < len(h) {
			r, n = utf8.DecodeRune(h[i:])
			if digitValue(r) >= 0 || r == ',' || r == '،' || r == ' ' || r == 0xA0 || r == 0x202F || invisible(r) {
				break
			}
			if r != '.' {
				w = utf8.AppendRune(w, toLower(r))
			}
			i += n
		}
		if i == start {
			return nil
		}
		// "R4": an era letter glued to the number that follows.
		if len(w) == 1 && i < len(h) && digitValue(rune(h[i])) >= 0 && (w[0] == 'r' || w[0] == 'h' || w[0] == 's' || w[0] == 't') {
			out = append(out, token{era: w[0]})
			continue
		}
		// Merge "p" "m" of "p. m." into one word.
		if len(out) > 0 && out[len(out)-1].digits == 0 && out[len(out)-1].era == 0 && len(w) <= 2 && len(out[len(out)-1].word) <= 2 {
			out[len(out)-1].word += string(w)
			continue
		}
		out = append(out, token{word: string(w)})
	}
	if i < len(h) {
		return nil
	}
	return out
}

// separator reads the separator after a number at h[i:]: the first of
// / . - : , after optional spaces (space, or what isSpace accepts), or ' '
// when only spaces come before the next token, or 0. It returns where the
// next token starts.
func separator(h []byte, i int, isSpace func([]byte) bool) (byte, int) {
	j := i
	for j < len(h) && (h[j] == ' ' || isSpace(h[j:])) {
		j += spaceLen(h[j:])
	}
	switch {
	case j < len(h) && (h[j] == '/' || h[j] == '.' || h[j] == '-' || h[j] == ':' || h[j] == ','):
		return h[j], j + 1
	case j > i:
		return ' ', j
	}
	return 0, j
}

func isNBSP(b []byte) bool {
	return len(b) >= 2 && b[0] == 0xC2 && b[1] == 0xA0 || len(b) >= 3 && b[0] == 0xE2 && b[1] == 0x80 && b[2] == 0xAF
}

func spaceLen(b []byte) int {
	switch {
	case b[0] == ' ':
		return 1
	case b[0] == 0xC2:
		return 2
	}
	return 3
}

func toLower(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// ampm maps the AM/PM words of the locales WhatsApp writes (dots and
// spaces removed, lower case) to 1 (before noon) or 2 (after).
var ampm = map[string]int8{
	"am": 1, "pm": 2, "a": 1, "p": 2,
	"vorm": 1, "nachm": 2, // German
	"ص": 1, "م": 2, // Arabic
	"午前": 1, "午後": 2, // Japanese
	"上午": 1, "下午": 2, "凌晨": 1, "早上": 1, "中午": 2, "晚上": 2, // Chinese
	"오전": 1, "오후": 2, // Korean
	"sa": 1, "ch": 2, // Vietnamese sáng/chiều
	"fm": 1, "em": 2, // Swedish, Norwegian
	"πμ": 1, "μμ": 2, // Greek
	"ap": 1, "ip": 2, // Finnish
	"dop": 1, "odp": 2, // Czech
	"ق": 1, "ب": 2, // Persian قبل‌ازظهر / بعدازظهر abbreviated
	"ก่อนเที่ยง": 1, "หลังเที่ยง": 2, // Thai
}

// noise words that may stand in a header and mean nothing for the time.
var noise = map[string]bool{"klo": true, "um": true, "à": true, "às": true, "lúc": true, "at": true, "kl": true, "в": true, "be": true, "г": true}

// parse fills the date and time fields from a header's text.
func (hd *header) parse(head []byte) bool {
	var numBuf [6]number
	if nums, pm, handled := asciiNums(head, numBuf[:0]); handled {
		hd.pm = pm
		return hd.fill(nums, 0)
	}
	return hd.parseGeneral(head)
}

// parseGeneral is parse for any header, through tokens.
func (hd *header) parseGeneral(head []byte) bool {
	var buf [12]token
	ts := tokens(head, buf[:0])
	if len(ts) < 5 {
		return false
	}
	var numBuf [6]number
	nums := numBuf[:0]
	var era byte
	for _, t := range ts {
		switch {
		case t.era != 0:
			era = t.era
		case t.digits > 0:
			if len(nums) == len(numBuf) {
				return false
			}
			nums = append(nums, t.number)
		default:
			if v, ok := ampm[t.word]; ok {
				if hd.pm != 0 {
					return false
				}
				hd.pm = v
			} else if !noise[t.word] {
				return false
			}
		}
	}
	return hd.fill(nums, era)
}

// asciiNums is a fast path for the headers most phones write: ASCII digits,
// the separators / . - : , and spaces (' ' or U+202F), and at most one
// word, AM or PM in either case ("1/2/21, 9:05 PM", "27.03.22, 21:41").
// It returns the numbers and the AM/PM value that tokens and parseGeneral
// would find (TestASCIIFastPath checks this). handled is false for
// anything else, which parseGeneral reads: a false handled never decides
// that a line is not a header.
func asciiNums(h []byte, out []number) (nums []number, pm int8, handled bool) {
	words := 0
	i := 0
	for i < len(h) {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
			if len(out) == cap(out) {
				return nil, 0, false
			}
			t := number{}
			for i < len(h) && h[i] >= '0' && h[i] <= '9' {
				t.num = t.num*10 + int(h[i]-'0')
				t.digits++
				i++
			}
			if t.digits > 4 {
				return nil, 0, false
			}
			t.sep, i = separator(h, i, isNNBSP) // the fast path sees only the narrow no-break space
			out = append(out, t)
		case c == ' ' || c == ',':
			i++
		case isNNBSP(h[i:]):
			i += 3
		case c|0x20 == 'a' || c|0x20 == 'p':
			// A word runs to a digit, comma or space (tokens' rule); only
			// a lone "am" or "pm" is read here.
			if words++; words > 1 || i+2 > len(h) || h[i+1]|0x20 != 'm' {
				return nil, 0, false
			}
			if i+2 < len(h) && !(h[i+2] == ' ' || h[i+2] == ',' || h[i+2] >= '0' && h[i+2] <= '9' || isNNBSP(h[i+2:])) {
				return nil, 0, false
			}
			pm = 1
			if c|0x20 == 'p' {
				pm = 2
			}
			i += 2
		default:
			return nil, 0, false
		}
	}
	return out, pm, true
}

// isNNBSP reports a narrow no-break space (U+202F) at the start of b.
func isNNBSP(b []byte) bool {
	return len(b) >= 3 && b[0] == 0xE2 && b[1] == 0x80 && b[2] == 0xAF
}

// fill checks the numbers of a header (and hd.pm, already set) and fills
// the date and time fields from them.
func (hd *header) fill(nums []number, era byte) bool {
	if len(nums) < 5 || len(nums) > 6 {
		return false
	}
	hd.sig.fam = hd.fam
	var date, tm []number
	switch {
	case nums[0].sep == ':':
		// time first: H:MM[:SS], then the date
		n := 2
		if nums[1].sep == ':' {
			n = 3
		}
		tm, date = nums[:n], nums[n:]
		hd.sig.timeFirst = true
	default:
		date, tm = nums[:3], nums[3:]
	}
	if len(date) != 3 || len(tm) < 2 || len(tm) > 3 {
		return false
	}
	sep := date[0].sep
	if sep != date[1].sep || (sep != '/' && sep != '.' && sep != '-' && sep != ' ') {
		return false
	}
	if tm[0].sep != ':' && tm[0].sep != '.' {
		return false
	}
	hd.sig.sep = sep
	hd.h, hd.m = tm[0].num, tm[1].num
	if len(tm) == 3 {
		hd.s = tm[2].num
	}
	if tm[1].digits != 2 || hd.m > 59 || hd.s > 59 {
		return false
	}
	switch {
	case hd.pm != 0:
		if hd.h < 1 || hd.h > 12 {
			return false
		}
		hd.h %= 12
		if hd.pm == 2 {
			hd.h += 12
		}
	case hd.h > 23:
		return false
	}
	y := date[2]
	hd.a, hd.b = date[0].num, date[1].num
	if date[0].digits == 4 || era != 0 { // Y-M-D, Y.M.D., R4/3/27
		hd.sig.yearFirst = true
		y = date[0]
		hd.a, hd.b = date[1].num, date[2].num
	}
	hd.y = fullYear(y.num, y.digits, era)
	if hd.y < 1990 || hd.y > 2200 || hd.a < 1 || hd.b < 1 || hd.a > 31 || hd.b > 31 {
		return false
	}
	return true
}

// fullYear turns a written year into a Gregorian one: 2-digit years are
// 20YY, Japanese era years count from the era's start, Buddhist years
// (Thai locale) run 543 ahead.
func fullYear(n, digits int, era byte) int {
	switch era {
	case 'r':
		return 2018 + n
	case 'h':
		return 1988 + n
	case 's':
		return 1925 + n
	case 't':
		return 1911 + n
	}
	switch {
	case digits <= 2:
		return 2000 + n
	case n >= 2400:
		return n - 543
	}
	return n
}

// date returns the header's wall-clock time in loc, reading the date's
// first two numbers as day then month when daysFirst (year-first dates
// are always Y-M-D). ok is false for an impossible date.
func (hd *header) date(daysFirst bool, loc *time.Location) (time.Time, bool) {
	mo, d, ok := hd.monthDay(daysFirst)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(hd.y, time.Month(mo), d, hd.h, hd.m, hd.s, 0, loc)
	if t.Day() != d { // 31 April
		return time.Time{}, false
	}
	return t, true
}

// monthDay reads the date's first two numbers as date does; ok is false
// when they cannot be a month and a day.
func (hd *header) monthDay(daysFirst bool) (mo, d int, ok bool) {
	d, mo = hd.a, hd.b
	if hd.sig.yearFirst {
		mo, d = hd.a, hd.b
	} else if !daysFirst {
		d, mo = hd.b, hd.a
	}
	return mo, d, mo >= 1 && mo <= 12 && d >= 1 && d <= 31
}

// dayStart remembers the midnight that began the last day headers fell
// on, to skip time.Date for the other headers of the day: time.Date looks
// up loc's zone offset (twice when the clock is near a change) and
// converts the calendar date, 8% of BenchmarkRead, where every header
// has another minute. Within the span where loc's offset is the
// one at that midnight, a header's time is the midnight plus its clock
// time; anywhere else (near a daylight-saving change, or for a date or a
// midnight that does not exist) at returns false and date decides.
type dayStart struct {
	y, mo, d int
	start    time.Time // time.Date(y, mo, d, 0, 0, 0, 0, loc); zero when unusable
	wall     int64     // the midnight's wall clock, as Unix seconds of a UTC clock
	offset   int64     // loc's offset at start, in seconds
	lo, hi   int64     // the Unix seconds where loc's offset is offset: [lo, hi)
}

// at is time.Date(y, mo, d, h, m, s, 0, loc) when it can tell the answer
// without it; h, m and s are a valid clock time (fill checked them).
//
// time.Date reads the wall clock w as a Unix time, looks up the offset o
// in force at w, and answers w-o if o is also in force at w-o (or o is
// 0), else w minus the offset at w-o. With w and w-o both in [lo, hi),
// where the offset is that of the day's midnight, that is w-o, which is
// start plus the clock time (start being midnight's wall clock minus o).
func (c *dayStart) at(y, mo, d, h, m, s int, loc *time.Location) (time.Time, bool) {
	if y != c.y || mo != c.mo || d != c.d {
		c.set(y, mo, d, loc)
	}
	if c.start.IsZero() {
		return time.Time{}, false
	}
	clock := int64(h*3600 + m*60 + s)
	w := c.wall + clock
	if u := w - c.offset; w < c.lo || w >= c.hi || u < c.lo || u >= c.hi {
		return time.Time{}, false
	}
	return c.start.Add(time.Duration(clock) * time.Second), true
}

func (c *dayStart) set(y, mo, d int, loc *time.Location) {
	*c = dayStart{y: y, mo: mo, d: d}
	start := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if sy, smo, sd := start.Date(); sy != y || int(smo) != mo || sd != d || start.Hour() != 0 || start.Minute() != 0 || start.Second() != 0 {
		return // 31 April, or a midnight the clocks skipped: time.Date's normalizing decides
	}
	_, off := start.Zone()
	lo, hi := start.ZoneBounds() // zero when the offset holds since or until forever
	c.start, c.offset = start, int64(off)
	c.wall = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC).Unix()
	c.lo, c.hi = math.MinInt64, math.MaxInt64
	if !lo.IsZero() {
		c.lo = lo.Unix()
	}
	if !hi.IsZero() {
		c.hi = hi.Unix()
	}
}
