package telegram

import (
	"reflect"
	"strings"
	"testing"

	"sealroom/capture"
)

// readOne reads a chat holding the one message object in, and returns
// what came out.
func readOne(t *testing.T, in string) (*capture.Message, capture.Stats) {
	t.Helper()
	doc := `{"name":"C","type":"personal_chat","id":42,"messages":[` + in + `]}`
	c := &collect{t: t}
	var st capture.Stats
	if err := read(strings.NewReader(doc), "m.json", c, capture.Options{}, &st); err != nil {
		t.Fatal(err)
	}
	if len(c.msgs) == 0 {
		return nil, st
	}
	return c.msgs[0], st
}

const base0 = `"id":1,"type":"message","date_unixtime":"1700000000","from":"Ann","from_id":"user1"`

func TestMessageFields(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		check    func(m *capture.Message) bool
	}{
		{"forwarded from a hidden user", `{` + base0 + `,"forwarded_from":null,"text":"x"}`,
			func(m *capture.Message) bool { return m.Forwarded }},
		{"forwarded_from_id alone", `{` + base0 + `,"forwarded_from_id":"user7","text":"x"}`,
			func(m *capture.Message) bool { return m.Forwarded }},
		{"reply within the same chat named by peer", `{` + base0 + `,"reply_to_message_id":5,"reply_to_peer_id":"user42"}`,
			func(m *capture.Message) bool { return m.ReplyTo == "5" }},
		{"reply to another chat", `{` + base0 + `,"reply_to_message_id":5,"reply_to_peer_id":"channel9"}`,
			func(m *capture.Message) bool { return m.ReplyTo == "" }},
		{"id as a string", `{"id":"12","type":"message","date_unixtime":1700000000,"from_id":"user1"}`,
			func(m *capture.Message) bool { return m.ID == "12" }},
		{"newer export's file name and sizes",
			`{` + base0 + `,"file":"files/x.bin","file_name":"report final.docx","file_size":99,"mime_type":"application/msword"}`,
			func(m *capture.Message) bool {
				return reflect.DeepEqual(m.Attachments, []capture.Attachment{{Name: "report final.docx", Type: "application/msword", Size: 99}})
			}},
		{"photo with size", `{` + base0 + `,"photo":"photos/p.jpg","photo_file_size":1234}`,
			func(m *capture.Message) bool {
				return reflect.DeepEqual(m.Attachments, []capture.Attachment{{Name: "p.jpg", Type: "image/jpeg", Size: 1234}})
			}},
		{"voice message too large to export",
			`{` + base0 + `,"file":"(File exceeds maximum size. Change data exporting settings to download.)","media_type":"voice_message","mime_type":"audio/ogg","file_size":5000}`,
			func(m *capture.Message) bool {
				return reflect.DeepEqual(m.Attachments, []capture.Attachment{{Name: "voice_message", Type: "audio/ogg"}})
			}},
		{"animated sticker", `{` + base0 + `,"file":"stickers/s.tgs","media_type":"sticker","sticker_emoji":"😀"}`,
			func(m *capture.Message) bool {
				return m.Text == "😀" && m.Attachments[0].Type == "application/x-tgsticker"
			}},
		{"venue", `{` + base0 + `,"place_name":"Louvre","address":"Rue de Rivoli","location_information":{"latitude":48.86,"longitude":2.33}}`,
			func(m *capture.Message) bool { return m.Text == "location: 48.86, 2.33 (Louvre, Rue de Rivoli)" }},
		{"live location", `{` + base0 + `,"location_information":{"latitude":1.5,"longitude":-2},"live_location_period_seconds":900}`,
			func(m *capture.Message) bool { return m.Text == "live location: 1.5, -2" }},
		{"caption and poll", `{` + base0 + `,"text":"vote!","poll":{"question":"Q","closed":true,"answers":[{"text":"A","voters":0}]}}`,
			func(m *capture.Message) bool { return m.Text == "vote!\npoll: Q (closed)\n- A (0 votes)" }},
		{"contact without phone", `{` + base0 + `,"contact_information":{"first_name":"Eve","last_name":"","phone_number":""}}`,
			func(m *capture.Message) bool { return m.Text == "contact: Eve" }},
		{"game", `{` + base0 + `,"game_title":"Lumberjack"}`,
			func(m *capture.Message) bool { return m.Text == "game: Lumberjack" }},
		{"invoice", `{` + base0 + `,"invoice_information":{"title":"Order","amount":1000,"currency":"USD"}}`,
			func(m *capture.Message) bool { return m.Text == "invoice: Order 1000 USD" }},
		{"text and entities disagree: text wins", `{` + base0 + `,"text":"a","text_entities":[{"type":"plain","text":"b"}]}`,
			func(m *capture.Message) bool { return m.Text == "a" }},
		{"pre-2021 export: numeric from_id", `{"id":1,"type":"message","date_unixtime":"1700000000","from":"Ann","from_id":123,"text":"x"}`,
			func(m *capture.Message) bool { return m.Sender == "123" }},
		{"no from_id: the name stands in", `{"id":1,"type":"message","date_unixtime":"1700000000","from":"Ann","text":"x"}`,
			func(m *capture.Message) bool { return m.Sender == "Ann" }},
		{"service message's actor is no sender", `{"id":1,"type":"service","date_unixtime":"1700000000","actor":"Ann","actor_id":"user1","action":"clear_history"}`,
			func(m *capture.Message) bool {
				return m.Sender == "" && m.Kind == capture.KindSystem && m.Text == "Ann cleared the history"
			}},
		{"edited without unixtime", `{` + base0 + `,"edited":"2023-11-14T22:20:00","text":"x"}`,
			func(m *capture.Message) bool { return !m.Edited.IsZero() && m.Edited.Location().String() == "UTC" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, st := readOne(t, tc.in)
			if m == nil {
				t.Fatalf("skipped: %v", st.Errors)
			}
			if !tc.check(m) {
				t.Errorf("got %s", show(m))
			}
		})
	}
}

func TestMessageRefused(t *testing.T) {
	for _, tc := range []struct{ name, in, why string }{
		{"unsupported message: no date", `{"id":5,"type":"unsupported"}`, "no date"},
		{"fractional id", `{"id":1.5,"type":"message","date_unixtime":"1700000000","from_id":"u"}`, "not an integer"},
		{"unixtime out of range", `{"id":1,"type":"message","date_unixtime":"99999999999999","from_id":"u"}`, "not a time"},
		{"date in another layout", `{"id":1,"type":"message","date":"14/11/2023 10:00","from_id":"u"}`, "YYYY-MM-DD"},
		{"text entity not an object", `{"id":1,"type":"message","date_unixtime":"1","from_id":"u","text":[1]}`, "entity"},
		{"text too long", `{"id":1,"type":"message","date_unixtime":"1","from_id":"u","text":"` + strings.Repeat("a", capture.MaxText+1) + `"}`, "exceeds"},
		{"not an object", `"hello"`, "cannot unmarshal"},
		{"bad reply id", `{"id":1,"type":"message","date_unixtime":"1","from_id":"u","reply_to_message_id":"x"}`, "invalid number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, st := readOne(t, tc.in)
			if m != nil || st.Bad != 1 || !strings.Contains(st.Errors[0].Error(), tc.why) {
				t.Fatalf("got %v, stats %+v; want a skip mentioning %q", m, st, tc.why)
			}
			if st.Errors[0].Line != 1 {
				t.Errorf("line %d, want 1", st.Errors[0].Line)
			}
		})
	}
}
