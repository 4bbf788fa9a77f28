package importers

import (
	"testing"

	"sealroom/capture"
)

// Titles counts a conversation read from two folders once, whatever
// else: the same folder twice, or a channel that names chats by id.
func TestTitles(t *testing.T) {
	var ts Titles
	harry := &capture.Conversation{ID: "whatsapp:Harry", Channel: "whatsapp", Title: "Harry"}
	ts.Note("jsmith", harry)
	ts.Note("jsmith", harry) // an overlapping export of one phone
	if n, _ := ts.Shared(); n != 0 {
		t.Fatalf("one folder: %d shared", n)
	}
	slack := &capture.Conversation{ID: "slack:C1", Channel: "slack", Title: "#desk"}
	ts.Note("a", slack)
	ts.Note("b", slack)
	ts.Note("akumar", harry)
	ts.Note("bchen", harry)
	n, example := ts.Shared()
	if n != 1 || example != `"Harry" in jsmith/ and akumar/` {
		t.Fatalf("%d shared, example %s", n, example)
	}
}
