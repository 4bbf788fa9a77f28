package corpus

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	_ "time/tzdata" // zones from the binary, not the machine: the same seed gives the same bytes everywhere

	"sealroom/capture"
)

// Rates, per message. They are probabilities, so a corpus's counts vary
// around them; the manifest records the actual counts.
const (
	rateAttachment = 0.03
	rateMultiline  = 0.05
	rateRisk       = 0.01
	ratePII        = 0.02
	rateCanary     = 0.001
	rateSwitch     = 0.12   // a message in another language than the conversation's
	rateSystem     = 0.006  // membership notices in groups, besides "created"
	rateDeleted    = 0.003  // "This message was deleted"
	pcgStream      = 0x5ea1 // the PCG stream; the seed is the other half of its state
)

// The firm whose staff are the internal participants.
const (
	firmDomain   = "bank.example"
	poolInternal = 300 // internal people
	poolExternal = 300 // external people per language
	custodians   = 12  // internal people whose phones and accounts were exported
)

// corpusStart is the earliest conversation start; conversations spread
// over the following year.
var corpusStart = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

// person is one participant, with the ids each service gives them.
type person struct {
	idx      int
	name     string // display name
	first    string // for mentions in text
	email    string
	phone    string // the model's Participant.ID
	internal bool
	lang     string
	byPhone  bool   // WhatsApp shows the number: not in the custodian's contacts
	slackID  string // U…
	tgID     int64
	wxid     string
	handle   string // Slack user name
}

// conv is one conversation as every writer needs it.
type conv struct {
	capture.Conversation
	idx      int
	folder   string // c000042: its folder in per-conversation formats
	lang     string
	zoneName string
	zone     *time.Location
	group    bool
	members  []*person // members[0] is the custodian
	n        int       // messages
	media    bool      // WhatsApp export made with media
	slackID  string
	slack    string // channel name (groups) or "" (DMs: the folder is the id)
	tgID     int64
	created  time.Time
}

// System notice kinds.
const (
	sysNone = iota
	sysCreated
	sysAdded
	sysLeft
)

// Attachment kinds.
const (
	attNone = iota
	attImage
	attPDF
	attVoice
)

// event is one message with what the writers need beyond the model.
type event struct {
	msg     capture.Message
	label   *Label // nil when nothing is planted
	lang    string
	from    *person // nil for system notices
	sys     int
	actor   *person // system notices: who acted
	target  *person // system notices: who was added or left
	att     int
	attN    int  // attachment ordinal in the conversation, for file names
	dur     int  // voice note seconds
	deleted bool // "This message was deleted"
	local   time.Time
}

// gen holds the generator's state: the random source, the people pool and
// counters. Everything else is per conversation.
type gen struct {
	r        *rand.Rand
	seed     uint64
	start    time.Time // the earliest conversation start
	internal []*person
	external map[string][]*person
	zones    map[string]*time.Location
	convs    int
	canaries int
}

func newGen(seed uint64) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, pcgStream)), seed: seed, start: corpusStart, external: map[string][]*person{}, zones: map[string]*time.Location{}}
	phones := map[string]bool{}
	emails := map[string]bool{}
	mk := func(lang string, internal bool) *person {
		p := &person{idx: len(g.internal) + len(g.external[lang]), internal: internal, lang: lang}
		for {
			first, last := pick(g.r, firstNames[lang]), pick(g.r, lastNames[lang])
			switch lang {
			case LangZhHans, LangZhHant:
				p.name, p.first = last.native+first.native, first.native
			default:
				p.name, p.first = first.native+" "+last.native, first.native
			}
			local := strings.ToLower(first.latin + "." + last.latin)
			if internal {
				p.email = local + "@" + firmDomain
				p.phone = "+44 7" + fmt.Sprintf("%03d %06d", g.r.IntN(1000), g.r.IntN(1000000))
			} else {
				if lang == LangZhHans {
					local = itoa(10000000 + g.r.IntN(900000000))
				} else {
					local += itoa(g.r.IntN(100))
				}
				p.email = local + "@" + pick(g.r, freemail[lang])
				region := locales[lang].phone
				if lang == LangEN && g.r.IntN(2) == 0 {
					region = "US"
				}
				p.phone = phone(g.r, region)
			}
			// Names repeat (the lists are short): number the address, as
			// mail systems do. Phone numbers are drawn again.
			for k := 2; emails[p.email]; k++ {
				at := strings.IndexByte(p.email, '@')
				p.email = local + itoa(k) + p.email[at:]
			}
			if !phones[p.phone] {
				break
			}
		}
		phones[p.phone], emails[p.email] = true, true
		p.handle = strings.SplitN(p.email, "@", 2)[0]
		p.byPhone = !internal && g.r.IntN(5) == 0
		var id [7]byte
		for i := range id {
			id[i] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"[g.r.IntN(34)]
		}
		p.slackID = "U" + string(id[:])
		p.tgID = 100000000 + g.r.Int64N(6000000000)
		p.wxid = "wxid_" + strings.ToLower(string(id[:])) + itoa(g.r.IntN(10000))
		return p
	}
	for i := range poolInternal {
		p := mk(Languages[weighted(g.r, langWeights)], true)
		p.idx = i
		g.internal = append(g.internal, p)
	}
	for _, lang := range Languages {
		for range poolExternal {
			g.external[lang] = append(g.external[lang], mk(lang, false))
		}
	}
	return g
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// weighted returns an index drawn with the given integer weights.
func weighted(r *rand.Rand, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

// channels each language's conversations come from, with weights.
var (
	channelNames   = []string{"whatsapp", "telegram", "slack", "signal", "wechat"}
	channelWeights = map[string][]int{
		LangZhHans: {5, 5, 10, 5, 75}, LangZhHant: {40, 15, 15, 10, 20},
	}
	defaultChannelWeights = []int{45, 15, 25, 15, 0}
)

func (g *gen) zone(name string) *time.Location {
	if z, ok := g.zones[name]; ok {
		return z
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		panic("corpus: internal error: zone " + name + ": " + err.Error())
	}
	g.zones[name] = z
	return z
}

// nextConv makes the next conversation, of at most remaining messages.
func (g *gen) nextConv(remaining int) *conv {
	r := g.r
	g.convs++
	c := &conv{idx: g.convs, folder: fmt.Sprintf("c%06d", g.convs)}
	c.lang = Languages[weighted(r, langWeights)]
	loc := locales[c.lang]
	c.zoneName = pick(r, loc.zones)
	c.zone = g.zone(c.zoneName)
	c.group = r.IntN(100) < 40
	c.media = r.IntN(100) < 70
	cw := defaultChannelWeights
	if w, ok := channelWeights[c.lang]; ok {
		cw = w
	}
	c.Channel = channelNames[weighted(r, cw)]
	c.ID = c.Channel + ":" + c.folder

	custodian := g.internal[r.IntN(custodians)]
	c.members = []*person{custodian}
	seen := map[*person]bool{custodian: true}
	size := 2
	if c.group {
		size = 3 + r.IntN(10)
	}
	for len(c.members) < size {
		var p *person
		switch {
		case r.IntN(100) < 45:
			p = pick(r, g.internal)
		case r.IntN(100) < 85:
			p = pick(r, g.external[c.lang])
		default:
			p = pick(r, g.external[pick(r, Languages)])
		}
		if !seen[p] {
			seen[p] = true
			c.members = append(c.members, p)
		}
	}
	for _, p := range c.members {
		c.Participants = append(c.Participants, capture.Participant{ID: p.phone, Name: p.name})
	}
	if c.group {
		c.Title = pick(r, loc.groups)
		c.slack = slackName(c.Title, c.idx)
		c.slackID = fmt.Sprintf("C%08X", 0x1000000+c.idx)
	} else {
		c.Title = c.members[1].name
		c.slackID = fmt.Sprintf("D%08X", 0x1000000+c.idx)
	}
	c.tgID = 1000000000 + int64(c.idx)*7919

	// Sizes: log-uniform, 1:1 chats 5-400 messages, groups 20-2,000.
	lo, hi := 5.0, 400.0
	if c.group {
		lo, hi = 20, 2000
	}
	c.n = min(remaining, int(math.Exp(math.Log(lo)+r.Float64()*(math.Log(hi)-math.Log(lo)))))
	startDay := r.IntN(300)
	c.created = g.start.Add(time.Duration(startDay)*24*time.Hour + time.Duration(r.IntN(86400))*time.Second)
	return c
}

// slackName makes a Slack channel name: lower-case ASCII, digits and
// hyphens, unique by the conversation's number.
func slackName(title string, idx int) string {
	var b []byte
	for _, c := range strings.ToLower(fold(strings.ReplaceAll(title, " ", "-"))) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, byte(c))
		case c == '-' && len(b) > 0 && b[len(b)-1] != '-':
			b = append(b, '-')
		}
	}
	s := strings.Trim(string(b), "-")
	if s == "" {
		s = "chat"
	}
	return fmt.Sprintf("%s-%d", s, idx)
}

// messages generates c's messages in time order, calling fn with each.
// The event is not reused: writers may keep it.
func (g *gen) messages(c *conv, fn func(*event) error) error {
	r := g.r
	// Spread the conversation over 2 days to ~8 months in bursts: most
	// gaps are minutes, one in 25 is long (exponential, sized to fill the
	// span). Gaps are at least a second, so that times (and Slack
	// timestamps) never repeat within a conversation. Bursts also keep
	// Slack's day files few.
	span := float64(2*86400 + r.IntN(240*86400))
	long := span / (float64(max(c.n, 1)) * 0.04)
	t := c.created
	attN := 0
	for seq := 1; seq <= c.n; seq++ {
		if seq > 1 {
			mean := 150.0
			if r.IntN(25) == 0 {
				mean = long
			}
			t = t.Add(time.Duration(1+int64(r.ExpFloat64()*mean)) * time.Second)
		}
		ev := &event{lang: c.lang, local: t.In(c.zone)}
		ev.msg = capture.Message{Conversation: c.ID, ID: "m" + itoa(seq), Seq: int64(seq), Time: t,
			Zone: c.zoneName, Kind: capture.KindMessage}
		switch {
		case c.group && seq == 1:
			g.system(c, ev, sysCreated)
		case c.group && r.Float64() < rateSystem:
			g.system(c, ev, sysAdded+r.IntN(2))
		case r.Float64() < rateAttachment:
			attN++
			g.attachment(c, ev, attN)
		case r.Float64() < rateDeleted:
			g.sender(c, ev)
			ev.msg.Text, ev.deleted = locales[c.lang].deleted, true
		default:
			g.sender(c, ev)
			g.text(c, ev)
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// sender picks who speaks: the custodian a third of the time.
func (g *gen) sender(c *conv, ev *event) {
	p := c.members[0]
	if g.r.IntN(3) > 0 {
		p = c.members[1+g.r.IntN(len(c.members)-1)]
	}
	ev.from = p
	ev.msg.Sender = p.phone
}

func (g *gen) system(c *conv, ev *event, kind int) {
	ev.msg.Kind, ev.sys = capture.KindSystem, kind
	ev.actor = c.members[0]
	switch kind {
	case sysCreated:
		ev.msg.Text = ev.actor.name + ` created group "` + c.Title + `"`
	case sysAdded:
		ev.target = c.members[1+g.r.IntN(len(c.members)-1)]
		ev.msg.Text = ev.actor.name + " added " + ev.target.name
	case sysLeft:
		ev.target = c.members[1+g.r.IntN(len(c.members)-1)]
		ev.actor = ev.target
		ev.msg.Text = ev.target.name + " left"
	}
}

var docNames = []string{"Q3 report", "term sheet v2", "pricing", "KYC pack", "minutes", "contract draft", "invoice 0423", "pitch"}

func (g *gen) attachment(c *conv, ev *event, n int) {
	g.sender(c, ev)
	ev.att, ev.attN = attImage+weighted(g.r, []int{60, 15, 25}), n
	day := ev.local.Format("20060102")
	var sum [32]byte
	for i := range sum {
		sum[i] = byte(g.r.UintN(256))
	}
	a := capture.Attachment{SHA256: hex.EncodeToString(sum[:])}
	switch ev.att {
	case attImage:
		a.Name, a.Type, a.Size = fmt.Sprintf("IMG-%s-WA%04d.jpg", day, n), "image/jpeg", int64(40000+g.r.IntN(400000))
	case attPDF:
		a.Name, a.Type, a.Size = pick(g.r, docNames)+".pdf", "application/pdf", int64(20000+g.r.IntN(2000000))
	case attVoice:
		ev.dur = 2 + g.r.IntN(90)
		a.Name, a.Type, a.Size = fmt.Sprintf("PTT-%s-WA%04d.opus", day, n), "audio/ogg", int64(ev.dur)*2000
	}
	ev.msg.Attachments = []capture.Attachment{a}
}

// text writes a person's message: a phrase or two in the conversation's
// language or, now and then, another, with risk phrases, PII and canaries
// planted at their rates.
func (g *gen) text(c *conv, ev *event) {
	r := g.r
	if r.Float64() < rateSwitch {
		if c.lang == LangEN {
			ev.lang = Languages[1+r.IntN(len(Languages)-1)]
		} else {
			ev.lang = LangEN
		}
	}
	others := c.members
	text := phrase(r, ev.lang, others)
	if r.Float64() < rateMultiline {
		for range 1 + r.IntN(2) {
			text += "\n" + phrase(r, ev.lang, others)
		}
	}
	var lab Label
	if r.Float64() < rateRisk {
		p, obf, written := riskPhrase(r, ev.lang)
		lab.Risk = append(lab.Risk, Risk{Phrase: p, Obfuscation: obf, Language: ev.lang, Written: written})
		sep := " "
		if ev.lang == LangZhHans || ev.lang == LangZhHant {
			sep = "，"
		}
		switch r.IntN(3) {
		case 0:
			text = written
		case 1:
			text += sep + written
		default:
			text = written + sep + text
		}
	}
	if r.Float64() < ratePII {
		loc := locales[ev.lang]
		typ := pick(r, loc.piiMix)
		if r.IntN(10) == 0 { // now and then any type, in any language
			typ = pick(r, []string{PIIPhone, PIIEmail, PIICard, PIIIBAN, PIICNID, PIICPF, PIIAadhaar, PIISSN})
		}
		v := g.piiValue(c, ev.lang, typ)
		lab.PII = append(lab.PII, PII{Type: typ, Value: v})
		s := strings.Replace(loc.pii[typ], "%s", v, 1)
		if loc.pii[typ] == "" {
			s = strings.Replace(locales[LangEN].pii[typ], "%s", v, 1)
		}
		if r.IntN(2) == 0 && lab.Risk == nil {
			text = s
		} else {
			text += "\n" + s
		}
	}
	if r.Float64() < rateCanary {
		g.canaries++
		var h [8]byte
		for i := range h {
			h[i] = byte(r.UintN(256))
		}
		lab.Canary = fmt.Sprintf("CANARY-%d-%d-%s", g.seed, g.canaries, hex.EncodeToString(h[:]))
		text += " " + lab.Canary
	}
	ev.msg.Text = text
	if lab.Risk != nil || lab.PII != nil || lab.Canary != "" {
		lab.Conversation, lab.ID = c.ID, ev.msg.ID
		ev.label = &lab
	}
}

func (g *gen) piiValue(c *conv, lang, typ string) string {
	r := g.r
	switch typ {
	case PIIPhone:
		region := locales[lang].phone
		if lang == LangEN {
			region = pick(r, []string{"UK", "US"})
		}
		if r.IntN(4) == 0 {
			region = pick(r, []string{"UK", "US", "BR", "CN", "IN"})
		}
		return phone(r, region)
	case PIIEmail:
		if r.IntN(3) == 0 {
			return pick(r, c.members).email
		}
		return pick(r, g.external[lang]).email
	case PIIIBAN:
		country := locales[lang].iban
		if r.IntN(3) == 0 {
			country = pick(r, []string{"GB", "DE", "ES", "BR"})
		}
		return iban(r, country)
	}
	return Sample(r, typ) // the other checksum types do not depend on the language
}
