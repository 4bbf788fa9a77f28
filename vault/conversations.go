package vault

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// convIDLen is how many hex digits of the conversation key name a
// conversation to people; any unique prefix of at least minConvID digits
// is accepted.
const (
	convIDLen = 12
	minConvID = 6
)

// ConversationInfo is what a member sees of a conversation without an
// unlock: no id from the export, no title, no participant.
type ConversationInfo struct {
	ID           string // the vault's pseudonymous id
	Title        string // pseudonymous title, e.g. "whatsapp chat c3f2a9b1c4d5, 5 participants"
	Channel      string
	Participants int
	Messages     int
	Chunks       int
	First, Last  time.Time
}

// Conversations lists the vault's conversations, oldest first.
func (s *Session) Conversations() ([]ConversationInfo, error) {
	var out []ConversationInfo
	err := s.v.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketConvs).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			rec, _, err := s.readConv(tx.Bucket(bucketConvs), k)
			if err != nil {
				return err
			}
			out = append(out, rec.info(k))
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out, err
}

func (r *convRecord) info(key []byte) ConversationInfo {
	id := convIDOf(key)
	ch := r.Channel
	if ch == "" {
		ch = "unknown"
	}
	return ConversationInfo{
		ID: id, Title: fmt.Sprintf("%s chat %s, %d participants", ch, id, r.Participants),
		Channel: r.Channel, Participants: r.Participants, Messages: int(r.Messages), Chunks: int(r.Chunks),
		First: r.First, Last: r.Last,
	}
}

// findConv resolves a conversation id (a unique hex prefix) to its key.
func findConv(tx *bolt.Tx, id string) ([]byte, error) {
	prefix, err := hex.DecodeString(id[:len(id)&^1])
	if len(id) < minConvID || err != nil {
		return nil, fmt.Errorf("%w: %q is not a conversation id (%d or more hex digits)", ErrNoConversation, id, minConvID)
	}
	c := tx.Bucket(bucketConvs).Cursor()
	var found []byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if hex.EncodeToString(k)[:len(id)] != id {
			continue
		}
		if found != nil {
			return nil, fmt.Errorf("%w: %q names more than one conversation", ErrNoConversation, id)
		}
		found = bytes.Clone(k)
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoConversation, id)
	}
	return found, nil
}
