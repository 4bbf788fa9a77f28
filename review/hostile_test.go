package review

import (
	"strings"
	"testing"
	"time"

	"sealroom/capture"
	"sealroom/review/redact"
)

// Hostile exports (the threat model) must not stall an import: a 60 KB
// message of one pattern repeated scans in linear time. A message of
// "+4" repeated once took quadratic time in normalization (35 s for
// 100 KB). The limit is generous (race detector, a loaded machine): it
// catches quadratic work, not speed.
func TestHostileRepetition(t *testing.T) {
	s := mustLoad(t)
	p, _ := redact.NewPseudonyms([]byte("0123456789abcdef"))
	c := &capture.Conversation{ID: "c", Participants: []capture.Participant{{ID: "x", Name: "Ana Souza"}}}
	var slowest time.Duration
	for _, pat := range []string{"a ", "+4", "4+", "a+", "a.", "1.", "1 ", "a-", "回.", "b r i b e ", "a@", "$4", "(1", "::",
		"0x", "1a", "a1", "xn--", "http://", "...", "1-", "@a", "Ana Souza ", "ｋ ", "+44 ", "1.2.3.4 ", "k1ckb4ck ", "g00gle.com "} {
		text := strings.Repeat(pat, 60000/len(pat))
		start := time.Now()
		s.Scan(c, &capture.Message{Text: text, Sender: "x"}, p)
		s.Analyze(text, nil)
		d := time.Since(start)
		slowest = max(slowest, d)
		if d > 5*time.Second {
			t.Errorf("%q repeated to 60 KB took %s", pat, d)
		}
	}
	t.Logf("slowest pattern: %s", slowest)
}
