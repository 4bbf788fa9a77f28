package pii

import (
	"math/rand/v2"
	"testing"
)

// Chat-like messages for the benchmarks: mostly plain talk with numbers,
// times and amounts that must be rejected, and about one message in six
// holding personal data.
var (
	benchEnglish = []string{
		"hey, are we still on for lunch tomorrow?",
		"I'll send the report by 5pm, the numbers look fine to me",
		"Can you call the client about the Q3 forecast? They want 12,500 units at $4.20",
		"ok thanks",
		"Please wire the funds before Friday, the deal closes next week",
		"Meeting moved to 10:30 in room 4B, bring the slides",
		"lol that's exactly what Mark said in the standup",
		"The index was up 2.5% on 2024-05-01, order #48213 is still pending",
		"Will you check with compliance before we reply?",
		"Sure, I'll loop in the desk and get back to you tonight",
	}
	benchEnglishPII = []string{
		"my number is +44 7700 900123, text me",
		"card 4111 1111 1111 1111 exp 12/25",
		"email me at john.smith@example.com when it's done",
		"James Wilson said the price is fine",
		"my ssn is 123-45-6789 for the form",
		"send it to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
	}
	benchChinese = []string{
		"明天的会议改到下午三点，请准时参加。",
		"这个项目的预算需要再确认一下，大概是两百万左右",
		"好的，收到",
		"客户说价格可以再谈，你先别回复",
		"请把合同发给我，我今天晚上看",
		"今天的行情不太好，指数跌了2.5%",
		"我们下周一在上海见面吧，地点你定",
		"這個方案我覺得可以，明天跟老闆說一下",
		"订单号48213已经发货了",
		"收到，马上处理",
	}
	benchChinesePII = []string{
		"我的手机是13800138000，有事打给我",
		"王先生已经同意了这个价格",
		"身份证号11010519491231002X，麻烦登记一下",
		"邮箱wang@example.cn，合同发这里",
		"转账到6200000000000005这张卡",
		"電話 +852 9123 4567，陳小姐",
	}
)

// benchMessages returns n messages drawn from plain and pii, one in six
// from pii.
func benchMessages(n int, plain, pii []string) []string {
	r := rand.New(rand.NewPCG(1, 2))
	msgs := make([]string, n)
	for k := range msgs {
		if r.IntN(6) == 0 {
			msgs[k] = pii[r.IntN(len(pii))]
		} else {
			msgs[k] = plain[r.IntN(len(plain))]
		}
	}
	return msgs
}

func benchDetect(b *testing.B, msgs []string) {
	d := New(Options{Names: []string{"Alice Martin", "王小明"}})
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var ents []Entity
	found := 0
	for b.Loop() {
		for _, m := range msgs {
			ents = d.Detect(m, ents[:0])
			found += len(ents)
		}
	}
	if found == 0 {
		b.Fatal("no entities found")
	}
	b.ReportMetric(float64(len(msgs))*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkDetectEnglish(b *testing.B) {
	benchDetect(b, benchMessages(1000, benchEnglish, benchEnglishPII))
}

func BenchmarkDetectChinese(b *testing.B) {
	benchDetect(b, benchMessages(1000, benchChinese, benchChinesePII))
}

func BenchmarkDetectMixed(b *testing.B) {
	plain := append(append([]string(nil), benchEnglish...), benchChinese...)
	pii := append(append([]string(nil), benchEnglishPII...), benchChinesePII...)
	benchDetect(b, benchMessages(1000, plain, pii))
}
