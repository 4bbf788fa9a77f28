package normalize

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"

	"sealroom/capture"
	"sealroom/internal/corpus"
)

// Chat lines to build benchmark messages from. The English ones are ASCII,
// as most English chat is.
var (
	englishLines = []string{
		"Hey, are we still on for the 3pm call with the Acme team tomorrow?",
		"I can guarantee the returns if you move the money before Friday.",
		"Sent you the Q3 numbers, let me know if anything looks off.",
		"lol ok, see you at 7",
		"Please don't forward this to compliance, keep it between us.",
		"The client wants a discount of 15% on the next order, can we do it?",
		"Call me on +44 7700 900123 when you land.",
		"Thanks! Will review the contract tonight and get back to you.",
	}
	chineseLines = []string{
		"明天下午三点的会议还开吗？",
		"我可以保证收益，只要你在周五之前把钱转过来。",
		"第三季度的数据已经发给你了，有问题告诉我。",
		"好的，七点见。",
		"這件事不要告訴合規部門，我們私下處理。",
		"客戶希望下一筆訂單打八五折，可以嗎？",
		"落地后打我电话。",
		"谢谢！今晚我会看一下合同，然后回复你。",
	}
	mixedLines = []string{
		"Olá! Garantimos o retorno, confia em mim 😉",
		"¿Mañana a las 3 con el equipo de Acme? Sí, claro.",
		"ok 明天见 👍",
		"Bhai paisa de do, kaam ho jayega, tension mat lo",
		"Sent the ｄｅｃｋ — 请查收。",
		"Informação confidencial: não encaminhe.",
		"Please call me, it's urgent ‼️",
		"Café at 10? Ça marche.",
	}
)

// messages makes n messages of one to three lines each, the same ones for
// every run.
func messages(lines []string, n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	msgs := make([]string, n)
	for i := range msgs {
		k := 1 + rng.IntN(3)
		parts := make([]string, k)
		for j := range parts {
			parts[j] = lines[rng.IntN(len(lines))]
		}
		msgs[i] = strings.Join(parts, " ")
	}
	return msgs
}

func benchNormalize(b *testing.B, lines []string) { benchMessages(b, messages(lines, 1000)) }

// BenchmarkCorpus normalizes 20,000 messages of the synthetic corpus (six
// languages).
func BenchmarkCorpus(b *testing.B) {
	var msgs []string
	err := corpus.Stream(77, 20000, func(_ *capture.Conversation, m *capture.Message, _ *corpus.Label) error {
		msgs = append(msgs, m.Text)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	benchMessages(b, msgs)
}

func benchMessages(b *testing.B, msgs []string) {
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	var txt Text
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range msgs {
			Normalize(&txt, m)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/msg")
}

func BenchmarkEnglish(b *testing.B) { benchNormalize(b, englishLines) }
func BenchmarkChinese(b *testing.B) { benchNormalize(b, chineseLines) }
func BenchmarkMixed(b *testing.B)   { benchNormalize(b, mixedLines) }

// BenchmarkXTextChain is the x/text chain of the tech notes on the English
// messages, for comparison: rules 1 to 5 without the offset map.
func BenchmarkXTextChain(b *testing.B) {
	msgs := messages(englishLines, 1000)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	chain := transform.Chain(norm.NFKC, width.Fold, runes.Remove(runes.In(unicode.Cf)), cases.Fold(),
		norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, m := range msgs {
			transform.String(chain, m)
		}
	}
}
