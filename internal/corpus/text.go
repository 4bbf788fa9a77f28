package corpus

import (
	"math/rand/v2"
	"strings"
)

// Languages, as BCP 47 tags; the manifest counts messages by these.
const (
	LangEN     = "en"
	LangZhHans = "zh-Hans"
	LangZhHant = "zh-Hant"
	LangPtBR   = "pt-BR"
	LangES     = "es"
	LangHiLatn = "hi-Latn" // Hindi in Latin script, "Hinglish"
)

// Languages lists every language the corpus writes, in a fixed order.
var Languages = []string{LangEN, LangZhHans, LangZhHant, LangPtBR, LangES, LangHiLatn}

// langWeights is the share (per cent) of conversations with each main language.
var langWeights = []int{35, 15, 10, 15, 15, 10}

// locale is what the generator knows about one language.
type locale struct {
	phrases []string // short chat messages; {name} {ticker} {time} {num} are filled in
	times   []string
	zones   []string // IANA zones of phones whose main language this is
	phone   string   // phone region of external participants
	groups  []string // group chat titles
	pii     map[string]string
	piiMix  []string // PII types this language's messages carry
	iban    string   // ISO 3166 country of IBANs
	deleted string
}

var locales = map[string]*locale{
	LangEN: {
		phrases: []string{"can you send the latest numbers", "call me when you're free", "client wants it by friday",
			"running 10 min late", "did the desk see the order?", "price looks off to me", "meeting moved to {time}",
			"ok 👍", "who approved the trade?", "lunch?", "done", "thanks!", "{name} can you check the {ticker} position",
			"we're {num}bps wide on that", "market's thin today", "will do", "on a call, ping you after",
			"any update from legal?", "sounds good", "let's discuss tomorrow morning", "just landed",
			"can we push to next week?", "haha yes", "the spread on {ticker} is crazy", "sent you the deck",
			"what's the latest on the {ticker} deal?", "need sign off before {time}", "{name} you around?",
			"size is {num}k, can you work it?", "👍👍", "not today, maybe tomorrow", "agreed"},
		times: []string{"3pm", "10:30", "4.15", "noon", "9am"}, zones: []string{"Europe/London", "America/New_York", "Europe/London"},
		phone:  "UK",
		groups: []string{"Rates Desk", "FX Flow", "Credit Sales", "EM Syndicate", "London Trading", "Deal Team Orion", "Friday drinks", "NY Coverage"},
		pii: map[string]string{PIIPhone: "call me on %s", PIIEmail: "send it to %s", PIICard: "card no %s exp 09/27",
			PIIIBAN: "IBAN %s", PIISSN: "his SSN is %s", PIICNID: "ID number %s", PIICPF: "CPF %s", PIIAadhaar: "Aadhaar %s"},
		piiMix:  []string{PIIPhone, PIIEmail, PIICard, PIIIBAN, PIISSN},
		iban:    "GB",
		deleted: "This message was deleted",
	},
	LangZhHans: {
		phrases: []string{"收到，谢谢", "好的", "明天上午开会", "{name}，报价发我一下", "客户那边怎么说？", "我在路上，十分钟到",
			"这个价格不太对", "今天市场很清淡", "文件已经发你邮箱了", "晚点打给你", "辛苦了", "没问题", "{ticker}的仓位看一下",
			"周五之前要搞定", "开完会再说", "哈哈哈", "刚落地", "这个得法务确认", "吃饭了吗？", "好的，我来跟进", "下周一再聊",
			"{time}前给我回复", "量是{num}万，能做吗", "👌", "行"},
		times: []string{"三点", "下午两点", "10点半", "中午"}, zones: []string{"Asia/Shanghai"},
		phone:  "CN",
		groups: []string{"亚洲交易台", "债券销售群", "上海团队", "项目组", "周五聚餐", "外汇讨论"},
		pii: map[string]string{PIIPhone: "我电话 %s", PIIEmail: "发到 %s", PIICard: "卡号 %s", PIICNID: "身份证号 %s",
			PIIIBAN: "账号 %s"},
		piiMix:  []string{PIIPhone, PIIEmail, PIICard, PIICNID},
		iban:    "DE",
		deleted: "此消息已撤回",
	},
	LangZhHant: {
		phrases: []string{"收到，謝謝", "好的", "明天早上開會", "{name}，報價傳給我", "客戶那邊怎麼說？", "我在路上，十分鐘到",
			"這個價格怪怪的", "今天市場很淡", "文件已經寄到你信箱", "晚點打給你", "辛苦了", "沒問題", "{ticker}的部位看一下",
			"禮拜五之前要搞定", "開完會再說", "哈哈哈", "剛到", "這個要法務確認", "食咗飯未？", "好，我來跟進", "下禮拜一再聊",
			"{time}前回我", "唔該晒", "👌"},
		times: []string{"三點", "下午兩點", "10點半"}, zones: []string{"Asia/Hong_Kong", "Asia/Taipei"},
		phone:  "CN",
		groups: []string{"香港交易組", "台北業務", "亞洲債券", "週五飯局", "專案小組"},
		pii: map[string]string{PIIPhone: "我電話 %s", PIIEmail: "寄到 %s", PIICard: "卡號 %s", PIICNID: "身分證號 %s",
			PIIIBAN: "帳號 %s"},
		piiMix:  []string{PIIPhone, PIIEmail, PIICard, PIICNID},
		iban:    "GB",
		deleted: "此訊息已刪除",
	},
	LangPtBR: {
		phrases: []string{"beleza, obrigado", "blz", "me manda os números atualizados", "o cliente quer até sexta",
			"tô atrasado 10 min", "alguém viu a ordem?", "esse preço tá estranho", "reunião às {time}", "fechado 👍",
			"quem aprovou a operação?", "almoço?", "feito", "{name}, confere a posição de {ticker}",
			"mercado parado hoje", "te ligo depois", "alguma novidade do jurídico?", "bora falar amanhã cedo",
			"acabei de chegar", "dá pra passar pra semana que vem?", "kkkkk", "valeu!", "mandei o deck no seu email",
			"o volume é {num} mil, consegue?", "tranquilo"},
		times: []string{"15h", "10h30", "meio-dia", "9h"}, zones: []string{"America/Sao_Paulo"},
		phone:  "BR",
		groups: []string{"Mesa de Câmbio", "Equipe SP", "Renda Fixa", "Happy hour sexta", "Projeto Tucano"},
		pii: map[string]string{PIIPhone: "meu número é %s", PIIEmail: "manda pro %s", PIICard: "cartão %s",
			PIICPF: "meu CPF é %s", PIIIBAN: "IBAN %s"},
		piiMix:  []string{PIIPhone, PIIEmail, PIICard, PIICPF, PIIIBAN},
		iban:    "BR",
		deleted: "Mensagem apagada",
	},
	LangES: {
		phrases: []string{"vale, gracias", "me mandas los números actualizados?", "el cliente lo quiere para el viernes",
			"llego 10 min tarde", "alguien vio la orden?", "ese precio está raro", "reunión a las {time}", "listo 👍",
			"quién aprobó la operación?", "comemos?", "hecho", "{name}, revisa la posición de {ticker}",
			"mercado muy tranquilo hoy", "te llamo luego", "alguna novedad de legal?", "lo vemos mañana temprano",
			"acabo de aterrizar", "lo pasamos a la próxima semana?", "jajaja", "perfecto", "te envié la presentación",
			"son {num} mil, lo puedes trabajar?", "dale"},
		times: []string{"3", "10:30", "12", "9"}, zones: []string{"Europe/Madrid", "America/Mexico_City"},
		phone:  "US",
		groups: []string{"Mesa LATAM", "Equipo Madrid", "Renta Fija", "Cañas viernes", "Proyecto Cóndor"},
		pii: map[string]string{PIIPhone: "mi número es %s", PIIEmail: "mándalo a %s", PIICard: "tarjeta %s",
			PIIIBAN: "IBAN: %s", PIISSN: "su SSN es %s"},
		piiMix:  []string{PIIPhone, PIIEmail, PIICard, PIIIBAN, PIISSN},
		iban:    "ES",
		deleted: "Se eliminó este mensaje",
	},
	LangHiLatn: {
		phrases: []string{"theek hai, thanks", "numbers bhej do please", "client ko friday tak chahiye",
			"10 min late hoon yaar", "order dekha kisi ne?", "ye price thoda off lag raha hai", "meeting {time} baje hai",
			"done 👍", "trade kisne approve kiya?", "lunch chalein?", "ho gaya", "{name}, {ticker} ki position check karo",
			"aaj market bahut slow hai", "baad mein call karta hoon", "legal se koi update?", "kal subah baat karte hain",
			"abhi land kiya", "next week kar sakte hain kya?", "haha sahi hai", "chal theek hai", "deck mail kar diya",
			"{num} lakh ka size hai, ho jayega?", "haan bhai"},
		times: []string{"3", "4:30", "11", "10"}, zones: []string{"Asia/Kolkata"},
		phone:  "IN",
		groups: []string{"Mumbai Desk", "Delhi sales gang", "Rates India", "Project Garuda", "Team lunch"},
		pii: map[string]string{PIIPhone: "mera number %s hai", PIIEmail: "%s pe bhej do", PIICard: "card number %s",
			PIIAadhaar: "aadhaar %s hai", PIIIBAN: "IBAN %s"},
		piiMix:  []string{PIIPhone, PIIEmail, PIICard, PIIAadhaar},
		iban:    "GB",
		deleted: "This message was deleted",
	},
}

var tickers = []string{"VOD", "HSBA", "0700.HK", "PETR4", "VALE3", "RELIANCE", "INFY", "TSLA", "AAPL", "BBVA", "600519", "2330.TW"}

// phrase returns one filled-in message of lang; first names other members.
func phrase(r *rand.Rand, lang string, others []*person) string {
	loc := locales[lang]
	p := loc.phrases[r.IntN(len(loc.phrases))]
	if !strings.Contains(p, "{") {
		return p
	}
	var sb strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			sb.WriteString(p)
			return sb.String()
		}
		j := strings.IndexByte(p[i:], '}') + i
		sb.WriteString(p[:i])
		switch p[i+1 : j] {
		case "name":
			if len(others) > 0 {
				sb.WriteString(others[r.IntN(len(others))].first)
			}
		case "ticker":
			sb.WriteString(tickers[r.IntN(len(tickers))])
		case "time":
			sb.WriteString(loc.times[r.IntN(len(loc.times))])
		case "num":
			sb.WriteString(itoa(5 + r.IntN(495)))
		}
		p = p[j+1:]
	}
}

// Names. Chinese names carry a romanization for e-mail addresses.
type name struct{ native, latin string }

var (
	firstNames = map[string][]name{
		LangEN: ns("Oliver", "Emma", "James", "Charlotte", "Harry", "Amelia", "Jack", "Sophie", "Tom", "Hannah", "Ethan", "Grace"),
		LangPtBR: ns("João", "Maria", "Ana", "Pedro", "Lucas", "Juliana", "Rafael", "Camila", "Gabriel", "Fernanda",
			"Thiago", "Beatriz"),
		LangES: ns("Carlos", "Lucía", "Javier", "María José", "Diego", "Sofía", "Alejandro", "Valentina", "Pablo",
			"Carmen"),
		LangHiLatn: ns("Rahul", "Priya", "Amit", "Neha", "Vikram", "Anjali", "Arjun", "Pooja", "Rohan", "Kavya", "Sanjay"),
		LangZhHans: {{"伟", "Wei"}, {"娜", "Na"}, {"敏", "Min"}, {"洋", "Yang"}, {"静", "Jing"}, {"磊", "Lei"}, {"丽", "Li"},
			{"勇", "Yong"}, {"杰", "Jie"}, {"芳", "Fang"}, {"晓明", "Xiaoming"}, {"志强", "Zhiqiang"}},
		LangZhHant: {{"志明", "Chi-ming"}, {"淑芬", "Shu-fen"}, {"家豪", "Ka-ho"}, {"怡君", "Yi-chun"}, {"俊傑", "Chun-kit"},
			{"雅婷", "Ya-ting"}, {"冠宇", "Kuan-yu"}, {"美玲", "Mei-ling"}},
	}
	lastNames = map[string][]name{
		LangEN:     ns("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Clarke", "Hughes", "Patel"),
		LangPtBR:   ns("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Almeida", "Ribeiro"),
		LangES:     ns("García", "Martínez", "López", "Hernández", "González", "Rodríguez", "Pérez", "Sánchez", "Ruiz"),
		LangHiLatn: ns("Sharma", "Verma", "Gupta", "Patel", "Singh", "Iyer", "Reddy", "Mehta", "Nair"),
		LangZhHans: {{"王", "Wang"}, {"李", "Li"}, {"张", "Zhang"}, {"刘", "Liu"}, {"陈", "Chen"}, {"杨", "Yang"},
			{"赵", "Zhao"}, {"黄", "Huang"}, {"周", "Zhou"}, {"吴", "Wu"}},
		LangZhHant: {{"陳", "Chan"}, {"林", "Lam"}, {"黃", "Wong"}, {"張", "Cheung"}, {"李", "Lee"}, {"吳", "Ng"},
			{"劉", "Lau"}, {"蔡", "Tsai"}, {"楊", "Yeung"}},
	}
	freemail = map[string][]string{
		LangEN:     {"gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com"},
		LangZhHans: {"qq.com", "163.com", "126.com"},
		LangZhHant: {"yahoo.com.hk", "gmail.com", "netvigator.com"},
		LangPtBR:   {"gmail.com", "uol.com.br", "hotmail.com", "bol.com.br"},
		LangES:     {"gmail.com", "hotmail.es", "yahoo.com.mx"},
		LangHiLatn: {"gmail.com", "yahoo.co.in", "rediffmail.com"},
	}
)

func ns(ss ...string) []name {
	out := make([]name, len(ss))
	for i, s := range ss {
		out[i] = name{s, fold(s)}
	}
	return out
}

// fold removes the accents e-mail local parts cannot carry.
var fold = strings.NewReplacer("á", "a", "ã", "a", "â", "a", "à", "a", "é", "e", "ê", "e", "í", "i", "ó", "o",
	"ô", "o", "õ", "o", "ú", "u", "ç", "c", "ñ", "n", " ", "", "-", "").Replace

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
