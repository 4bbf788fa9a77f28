package telegram

import (
	"encoding/json"
	"testing"
)

func TestServiceText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"actor":"Ann","action":"create_group","title":"Desk","members":["Bob",null]}`, "Ann created group “Desk” with Bob, Deleted Account"},
		{`{"actor":"Ann","action":"create_group","title":"Desk","members":[]}`, "Ann created group “Desk”"},
		{`{"actor":"Ann","action":"invite_members","members":["Bob","Cy"]}`, "Ann invited Bob, Cy"},
		{`{"actor":"Ann","action":"remove_members","members":["Bob"]}`, "Ann removed Bob"},
		{`{"actor":"Bob","action":"remove_members","members":["Bob"]}`, "Bob left the group"},
		{`{"actor":"Ann","action":"edit_group_photo","photo":"photos/p.jpg"}`, "Ann changed the group photo"},
		{`{"actor":"Ann","action":"migrate_from_group","title":"Old"}`, "Ann converted the group “Old” to this supergroup"},
		{`{"actor":"Ann","action":"phone_call","duration_seconds":5,"discard_reason":"hangup"}`, "Ann made a call (5 s)"},
		{`{"actor":"Ann","action":"phone_call","discard_reason":"busy"}`, "Ann made a call (busy)"},
		{`{"actor":"Ann","action":"group_call","duration":60}`, "Ann started a group call (60 s)"},
		{`{"actor":"Ann","action":"set_messages_ttl","period":86400}`, "Ann set messages to auto-delete after 86400 s"},
		{`{"actor":"Ann","action":"set_messages_ttl","period":0}`, "Ann turned off auto-delete"},
		{`{"actor":"Ann","action":"topic_edit","new_title":"T2"}`, "Ann renamed a topic to “T2”"},
		{`{"actor":"Ann","action":"edit_chat_theme","emoticon":"🌸"}`, "Ann changed the chat theme to 🌸"},
		{`{"action":"send_payment","amount":500,"currency":"EUR"}`, "payment sent: 500 EUR"},
		{`{"action":"proximity_reached","from":"Ann","to":"Bob","distance":50}`, "Ann came within 50 m of Bob"},
		{`{"actor_id":"user9","action":"joined_telegram"}`, "user9 joined Telegram"},
		{`{"action":"take_screenshot"}`, "Someone took a screenshot"},
		{`{"actor":"Ann","information_text":"Ann did a custom thing"}`, "Ann did a custom thing"},
		{`{"actor":"Ann","action":"brand_new_action","title":"X","members":["Bob"]}`, "Ann: brand new action “X” Bob"},
	} {
		var m tgMessage
		if err := json.Unmarshal([]byte(tc.in), &m); err != nil {
			t.Fatal(err)
		}
		if got := serviceText(&m); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
