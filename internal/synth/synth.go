// Package synth makes deterministic, plausible archives of chat messages
// for tests, benchmarks and the demo: the same seed gives the same
// conversations and messages, byte for byte.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"sealroom/capture"
)

var (
	channels = []string{"whatsapp", "wechat", "telegram", "slack", "signal"}
	names    = []string{"Ann Lee", "Bo Chen", "Carla Ruiz", "Dev Patel", "Emma Weiss", "Farid Haddad",
		"Grace Okafor", "Hiro Tanaka", "Ines Costa", "Jonas Berg", "Kavya Rao", "Liu Yang"}
	phrases = []string{"can you send the latest numbers", "call me when you are free", "the client wants it by friday",
		"let's keep this off email", "did the desk see the order", "I'll move it to tomorrow",
		"price looks off to me", "meeting at 3 in room 4", "delete this after reading", "ok 👍",
		"who approved the trade", "send it to my personal number", "收到，谢谢", "see the attached sheet",
		"we need to talk before the close", "don't mention this to compliance", "lunch?", "done"}
)

// Archive is a generated set of conversations and their messages, in
// time order within each conversation.
type Archive struct {
	Conversations []*capture.Conversation
	Messages      []*capture.Message // conversation by conversation
}

// Generate makes n messages spread over convs conversations.
func Generate(seed uint64, n, convs int) *Archive {
	r := rand.New(rand.NewPCG(seed, 0x5ea1))
	a := &Archive{}
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for c := range convs {
		ch := channels[c%len(channels)]
		conv := &capture.Conversation{ID: fmt.Sprintf("%s:chat-%03d", ch, c), Channel: ch, Title: fmt.Sprintf("Desk chat %d", c)}
		for _, p := range r.Perm(len(names))[:2+r.IntN(3)] {
			id := fmt.Sprintf("+44 7700 9%05d", p)
			conv.Participants = append(conv.Participants, capture.Participant{ID: id, Name: names[p]})
		}
		a.Conversations = append(a.Conversations, conv)
	}
	per := make([]int, convs)
	for i := range n {
		per[i%convs]++
	}
	zones := []string{"+00:00", "+01:00", "+08:00", "-05:00", "+05:30"}
	for c, conv := range a.Conversations {
		t := start.Add(time.Duration(c) * time.Hour)
		for i := range per[c] {
			t = t.Add(time.Duration(1+r.IntN(600)) * time.Second)
			m := &capture.Message{
				Conversation: conv.ID, ID: fmt.Sprintf("m%d-%d", c, i+1), Seq: int64(i + 1), Time: t,
				Zone: zones[c%len(zones)], Kind: capture.KindMessage,
				Sender: conv.Participants[r.IntN(len(conv.Participants))].ID,
				Text:   phrases[r.IntN(len(phrases))],
			}
			if r.IntN(4) == 0 {
				m.Text += "\n" + phrases[r.IntN(len(phrases))]
			}
			if r.IntN(40) == 0 {
				m.Kind, m.Sender, m.Text = capture.KindSystem, "", "Messages and calls are end-to-end encrypted."
			}
			if r.IntN(25) == 0 {
				m.Attachments = []capture.Attachment{{Name: fmt.Sprintf("IMG-%04d.jpg", i), Type: "image/jpeg", Size: int64(10000 + r.IntN(90000)),
					SHA256: strings.Repeat(fmt.Sprintf("%02x", r.IntN(256)), 32)}}
			}
			if i > 0 && r.IntN(10) == 0 {
				m.ReplyTo = fmt.Sprintf("m%d-%d", c, i)
			}
			a.Messages = append(a.Messages, m)
		}
	}
	return a
}

// Send hands the archive to sink: each conversation's header, then its
// messages.
func (a *Archive) Send(sink capture.Sink) error {
	for _, c := range a.Conversations {
		if err := sink.Conversation(c); err != nil {
			return err
		}
	}
	for _, m := range a.Messages {
		if err := sink.Message(m); err != nil {
			return err
		}
	}
	return nil
}
