package pii

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// want is one expected entity: its type and its text, found in the case's
// text after the previous want's end, which gives its exact span.
type want struct {
	t Type
	v string
}

type detectCase struct {
	name string
	text string
	want []want
}

// testNames are the participants every test Detector knows.
var testNames = []string{"Alice Martin", "王小明", "Priya Sharma"}

// testNow fixes "today" for resident IDs' birth dates.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func newTestDetector() *Detector {
	return New(Options{Names: testNames, Now: testNow})
}

// expect turns a case's wants into spans.
func expect(t *testing.T, c detectCase) []Entity {
	t.Helper()
	var es []Entity
	off := 0
	for _, w := range c.want {
		k := strings.Index(c.text[off:], w.v)
		if k < 0 {
			t.Fatalf("bad case %q: %q not in text after byte %d", c.name, w.v, off)
		}
		es = append(es, Entity{Type: w.t, Start: off + k, End: off + k + len(w.v)})
		off += k + len(w.v)
	}
	return es
}

// runCases checks that Detect finds exactly each case's wants.
func runCases(t *testing.T, cases []detectCase) {
	t.Helper()
	d := newTestDetector()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := expect(t, c)
			got := d.Detect(c.text, nil)
			if !sameSpans(got, want) {
				t.Errorf("Detect(%q):\n got %s\nwant %s", c.text, describe(c.text, got), describe(c.text, want))
			}
		})
	}
}

func sameSpans(a, b []Entity) bool {
	return slices.EqualFunc(a, b, func(x, y Entity) bool {
		return x.Type == y.Type && x.Start == y.Start && x.End == y.End
	})
}

// describe renders entities for a failure message. Test text is
// synthetic, so showing it is fine here (and only here).
func describe(text string, es []Entity) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(string(e.Type) + "[" + itoa(e.Start) + ":" + itoa(e.End) + "]=" + `"` + text[e.Start:e.End] + `" `)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// allCases gathers every family's table, for the fuzzer's seeds.
func allCases() []detectCase {
	return slices.Concat(cardCases, idCases, phoneCases, ibanCases, emailCases, netCases, walletCases, nameCases, messageCases)
}

// messageCases are realistic messages holding several types at once, in
// the six languages.
var messageCases = []detectCase{
	{"english", "Hi, it's Alice Martin. Call me on +44 7700 900123 or mail alice.martin@example.co.uk; card 4111 1111 1111 1111, SSN 123-45-6789, from 192.168.10.20.",
		[]want{{Name, "Alice Martin"}, {Phone, "+44 7700 900123"}, {Email, "alice.martin@example.co.uk"}, {Card, "4111 1111 1111 1111"}, {SSN, "123-45-6789"}, {IP, "192.168.10.20"}}},
	{"simplified chinese", "王先生你好，我的手机是13800138000，身份证号11010519491231002X，邮箱wang@例子.中国，转账到6200000000000005。",
		[]want{{Name, "王"}, {Phone, "13800138000"}, {IDCN, "11010519491231002X"}, {Email, "wang@例子.中国"}, {Card, "6200000000000005"}}},
	{"traditional chinese", "陳小姐：我的電話是 +852 9123 4567，身份證 A123456(3)，統一社會信用代碼91310000552936878J不是卡號。",
		[]want{{Name, "陳"}, {Phone, "+852 9123 4567"}, {IDHK, "A123456(3)"}}},
	{"brazilian portuguese", "Oi, sou João da Silva, meu CPF é 529.982.247-25, CNPJ 11.222.333/0001-81, celular (11) 91234-5678, IBAN BR1800360305000010009795493C1.",
		[]want{{Name, "João da Silva"}, {CPF, "529.982.247-25"}, {CNPJ, "11.222.333/0001-81"}, {Phone, "(11) 91234-5678"}, {IBAN, "BR1800360305000010009795493C1"}}},
	{"spanish", "Hola, soy María García López. Mi móvil es 612 345 678 y mi cuenta ES9121000418450200051332. Escríbeme a maría@correo.es",
		[]want{{Name, "María García López"}, {Phone, "612 345 678"}, {IBAN, "ES9121000418450200051332"}, {Email, "maría@correo.es"}}},
	{"hindi latin", "Namaste, main Priya Sharma hoon. Mera Aadhaar 2341 2341 2346 aur PAN ABCPE1234F hai, phone 98765 43210, ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		[]want{{Name, "Priya Sharma"}, {Aadhaar, "2341 2341 2346"}, {PAN, "ABCPE1234F"}, {Phone, "98765 43210"}, {Wallet, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}},
	{"mixed lines", "王小明:\n账号 DE89 3704 0044 0532 0130 00\nBTC bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\n",
		[]want{{Name, "王小明"}, {IBAN, "DE89 3704 0044 0532 0130 00"}, {Wallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}}},
	{"nothing", "Meeting at 10:30 on 2024-05-01, budget 1.234.567 or 12,500 USD, order #48213, v1.2.3, 50%.", nil},
}

func TestMessages(t *testing.T) { runCases(t, messageCases) }

// TestPlaceholders checks every type has its bracketed placeholder.
func TestPlaceholders(t *testing.T) {
	for _, ty := range Types {
		if got := ty.Placeholder(); got != "["+string(ty)+"]" {
			t.Errorf("%s.Placeholder() = %q", ty, got)
		}
	}
	if got := Type("X").Placeholder(); got != "[X]" {
		t.Errorf("unknown type's placeholder = %q", got)
	}
}

// TestDetectAppends checks Detect keeps what dst held and sorts only what
// it appends.
func TestDetectAppends(t *testing.T) {
	d := newTestDetector()
	first := Entity{Type: Email, Start: 100, End: 200, Score: 1}
	got := d.Detect("card 4111111111111111 then +44 7700 900123", []Entity{first})
	if len(got) != 3 || got[0] != first || got[1].Type != Card || got[2].Type != Phone {
		t.Fatalf("Detect appended %v", got)
	}
}

// TestOverlaps checks the longest candidate wins: a QQ number inside an
// address is part of the address.
func TestOverlaps(t *testing.T) {
	runCases(t, []detectCase{
		{"phone in email", "mail 13800138000@qq.com", []want{{Email, "13800138000@qq.com"}}},
		{"name in email", "write to Maria.Silva@example.com", []want{{Email, "Maria.Silva@example.com"}}},
	})
}

// TestConcurrent runs one Detector from several goroutines (meaningful
// under -race).
func TestConcurrent(t *testing.T) {
	d := newTestDetector()
	cases := allCases()
	done := make(chan bool)
	for range 4 {
		go func() {
			for _, c := range cases {
				d.Detect(c.text, nil)
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
}

// reValidates lists the types whose value is valid on its own, without a
// context word or participant list: a span of these types, detected alone,
// must come back whole and with the same type.
func reValidates(e Entity) bool {
	return e.Type != Name && e.Score > scoreContext
}

// checkInvariants is what FuzzDetect asserts on any text.
func checkInvariants(t *testing.T, d *Detector, text string, es []Entity) {
	t.Helper()
	for k, e := range es {
		if e.Start < 0 || e.End > len(text) || e.Start >= e.End {
			t.Fatalf("entity %d span [%d,%d) out of range (len %d)", k, e.Start, e.End, len(text))
		}
		if k > 0 && e.Start < es[k-1].End {
			t.Fatalf("entities %d and %d overlap or are unsorted", k-1, k)
		}
		if !utf8.ValidString(text[e.Start:e.End]) && utf8.ValidString(text) {
			t.Fatalf("entity %d splits a UTF-8 sequence", k)
		}
		if e.Score <= 0 || e.Score > 1 {
			t.Fatalf("entity %d score %v", k, e.Score)
		}
		if reValidates(e) {
			v := text[e.Start:e.End]
			again := d.Detect(v, nil)
			if len(again) != 1 || again[0].Type != e.Type || again[0].Start != 0 || again[0].End != len(v) {
				t.Fatalf("entity %d (%s, %d bytes) does not re-validate alone: %v", k, e.Type, len(v), again)
			}
		}
	}
}

func TestInvariants(t *testing.T) {
	d := newTestDetector()
	for _, c := range allCases() {
		checkInvariants(t, d, c.text, d.Detect(c.text, nil))
	}
}

func FuzzDetect(f *testing.F) {
	for _, c := range allCases() {
		f.Add(c.text)
	}
	// Cases found by fuzzing:
	f.Add("0 0000")     // a one-digit candidate reached the phone layouts
	f.Add("0@0.AAAA.-") // the domain kept a dot before an invalid label
	d := newTestDetector()
	f.Fuzz(func(t *testing.T, text string) {
		checkInvariants(t, d, text, d.Detect(text, nil))
	})
}

// TestDetectAllocs holds Detect to zero allocations once dst has room:
// the ingest calls it for every message on every core.
func TestDetectAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	d := newTestDetector()
	cases := allCases()
	dst := make([]Entity, 0, 32)
	allocs := testing.AllocsPerRun(20, func() {
		for _, c := range cases {
			dst = d.Detect(c.text, dst[:0])
		}
	})
	if allocs != 0 {
		t.Errorf("Detect allocated %v times per run of %d cases", allocs, len(cases))
	}
}
