package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/escrow"
	"sealroom/crypto/seal"
	"sealroom/vault/auditlog"
)

// Unlocked is the content of an approved request, in memory only. Callers
// must not write it to disk, and should drop it when Expires passes.
type Unlocked struct {
	Request      string
	Conversation ConversationInfo
	Header       *capture.Conversation // the export's conversation id, title, participants
	Messages     []UnlockedMessage     // exactly the scope's messages that could be opened
	Damaged      []*ChunkError         // chunks of the scope refused as damaged
	Expires      time.Time

	s     *Session
	keys  map[string]*seal.Key // chunk key → its DEK, for OpenAttachment; destroyed by Close
	files map[fileAddr]fileRef // streamed files' ids and keys, from their chunks; destroyed by Close
}

// fileAddr names attachment att of the message at pos in a chunk.
type fileAddr struct {
	chunk    string
	pos, att int
}

// UnlockedMessage is one message with its seq in the conversation.
type UnlockedMessage struct {
	Seq uint32
	capture.Message

	chunk string // the chunk's key
	pos   int    // the message's place in its chunk
}

// Unlock opens an approved request's messages for its requester. It checks
// the grant (not denied, approved by the threshold of distinct officers,
// not expired by the later of the clock and the last log entry), verifies
// every officer's signed vote and proofs, combines the partials, decrypts
// the chunks in memory, and commits an "unlock" log entry before returning
// anything (T15). A refusal is logged too; after expiry the stored partials
// are deleted. A damaged chunk is refused and named in Damaged, and the
// rest of the scope is still returned (T1).
func (s *Session) Unlock(idText string) (*Unlocked, error) {
	id, err := ParseRequestID(idText)
	if err != nil {
		return nil, err
	}
	var (
		r      *request
		st     *requestStatus
		conv   convRecord
		convK  []byte
		chunks [][]byte
		last   time.Time
	)
	err = s.v.view(func(tx *bolt.Tx) error {
		if r, err = s.readRequest(tx, id); err != nil {
			return err
		}
		if st, err = s.status(tx, r); err != nil {
			return err
		}
		if convK, err = hex.DecodeString(r.Conversation); err != nil {
			return fmt.Errorf("%w: request conversation", ErrDamaged)
		}
		if conv, _, err = s.readConv(tx.Bucket(bucketConvs), convK); err != nil {
			return err
		}
		for _, c := range r.Chunks {
			key, _ := hex.DecodeString(c.Key)
			chunks = append(chunks, bytes.Clone(tx.Bucket(bucketChunks).Get(key)))
		}
		last, err = s.lastLogTime(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("unlocking %s: %w", idText, err)
	}
	now := s.now()
	if last.After(now) {
		now = last // a clock set back cannot revive a grant (T18)
	}
	var refusal error
	switch {
	case r.Requester != s.m.Fingerprint:
		refusal = ErrNotRequester
	case st.denied:
		refusal = fmt.Errorf("%w: it was denied", ErrNotApproved)
	case st.grant == nil:
		refusal = fmt.Errorf("%w: %d of %d approvals", ErrNotApproved, st.approvals, s.v.cfg.Threshold)
	case !now.Before(st.grant.Expires):
		refusal = fmt.Errorf("%w at %s", ErrExpired, st.grant.Expires.Format(time.RFC3339))
	}
	if refusal != nil {
		return nil, s.refuseUnlock(r, st, refusal)
	}
	out, err := s.open(r, st, conv, convK, chunks)
	if err != nil {
		return nil, s.refuseUnlock(r, nil, err)
	}
	out.Expires = st.grant.Expires
	err = s.v.update(auditlog.ActionUnlock, func(tx *bolt.Tx) error {
		if len(out.Damaged) > 0 {
			detail := map[string]string{}
			for _, d := range out.Damaged {
				detail[fmt.Sprintf("chunk:%s/%d", d.Conversation, d.Chunk)] = d.Err.Error()
			}
			if err := s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionIntegrityFail, Role: string(RoleReviewer),
				Target: RequestID(id), Detail: detail}); err != nil {
				return err
			}
		}
		return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionUnlock, Role: string(RoleReviewer), Target: RequestID(id),
			Detail: map[string]string{"messages": strconv.Itoa(len(out.Messages)), "chunks": strconv.Itoa(len(r.Chunks)),
				"damaged": strconv.Itoa(len(out.Damaged))}})
	})
	if err != nil {
		out.wipe()
		return nil, fmt.Errorf("unlocking %s: logging the unlock failed, nothing is shown: %w", idText, err)
	}
	return out, nil
}

// refuseUnlock logs a refused unlock (and, for an expired grant, deletes
// its partials) and returns the refusal.
func (s *Session) refuseUnlock(r *request, st *requestStatus, refusal error) error {
	err := s.v.update(auditlog.ActionRefused, func(tx *bolt.Tx) error {
		if st != nil && errors.Is(refusal, ErrExpired) {
			if err := s.expire(tx, r, st); err != nil {
				return err
			}
		}
		return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionRefused, Role: string(s.roleFor(RoleReviewer)),
			Target: RequestID(r.ID), Reason: refusal.Error(), Detail: map[string]string{"action": auditlog.ActionUnlock}})
	})
	if err != nil {
		return fmt.Errorf("unlocking %s: %w (and logging the refusal failed: %v)", RequestID(r.ID), refusal, err)
	}
	return fmt.Errorf("unlocking %s: %w", RequestID(r.ID), refusal)
}

// open verifies the approvals, recovers the chunk keys and decrypts.
func (s *Session) open(r *request, st *requestStatus, conv convRecord, convK []byte, chunks [][]byte) (*Unlocked, error) {
	sc, err := r.escrowScope(s.v.id)
	if err != nil {
		return nil, err
	}
	var parts []*escrow.Partials
	for _, v := range st.votes {
		if !v.Approve {
			continue
		}
		raw, err := s.id.Decrypt(v.Partials)
		if err != nil {
			return nil, fmt.Errorf("decrypting the partials of officer %s: %w", v.Officer, err)
		}
		p, err := escrow.ParsePartials(raw)
		if err != nil {
			return nil, fmt.Errorf("partials of officer %s: %w", v.Officer, err)
		}
		if p.Officer() != v.officer.Share {
			return nil, fmt.Errorf("officer %s sent partials for share %d, not their share %d", v.Officer, p.Officer(), v.officer.Share)
		}
		parts = append(parts, p)
	}
	deks, unwrapErrs, err := escrow.OpenEach(s.v.pub, sc, parts)
	if err != nil {
		return nil, err
	}
	out := &Unlocked{Request: RequestID(r.ID), Conversation: conv.info(convK), s: s, keys: map[string]*seal.Key{},
		files: map[fileAddr]fileRef{}}
	for i, c := range r.Chunks {
		msgs, header, k, refs, err := s.openChunk(c, chunks[i], deks[i], unwrapErrs[i])
		clear(deks[i])
		if err != nil {
			out.Damaged = append(out.Damaged, err)
			continue
		}
		if len(msgs) > 0 {
			out.keys[msgs[0].chunk] = k
			for _, f := range refs {
				out.files[fileAddr{msgs[0].chunk, f.msg, f.att}] = f
			}
		} else {
			k.Destroy()
			destroyRefs(refs)
		}
		if out.Header == nil {
			out.Header = header
		}
		for _, m := range msgs {
			if m.Seq >= r.From && m.Seq <= r.To {
				out.Messages = append(out.Messages, m)
			}
		}
	}
	return out, nil
}

// openChunk checks a chunk record against the hash its request names and
// decrypts it, returning its messages and its key. Any failure is a
// *ChunkError naming the chunk.
func (s *Session) openChunk(c chunkRef, rec, dek []byte, unwrapErr error) ([]UnlockedMessage, *capture.Conversation, *seal.Key, []fileRef, *ChunkError) {
	key, _ := hex.DecodeString(c.Key)
	cerr := &ChunkError{Conversation: c.Key[:convIDLen], Chunk: chunkNumber(key)}
	first, count, _, sealed, err := splitChunk(rec)
	cerr.First, cerr.Last = first, first+uint32(count)-1
	sum := sha256.Sum256(rec)
	switch {
	case rec == nil:
		cerr.Err = fmt.Errorf("%w: the chunk record is missing", ErrDamaged)
	case hex.EncodeToString(sum[:]) != c.Record:
		cerr.Err = fmt.Errorf("%w: the chunk record changed since the request", ErrDamaged)
	case err != nil:
		cerr.Err = err
	case unwrapErr != nil:
		cerr.Err = fmt.Errorf("%w: the chunk key does not unwrap: %v", ErrDamaged, unwrapErr)
	}
	if cerr.Err != nil {
		return nil, nil, nil, nil, cerr
	}
	k, err := seal.KeyFromBytes(dek)
	if err != nil {
		cerr.Err = err
		return nil, nil, nil, nil, cerr
	}
	payload, err := seal.Open(nil, k, s.ad(bucketChunks, key, 1), sealed)
	if err != nil {
		k.Destroy()
		cerr.Err = fmt.Errorf("%w: %v", ErrDamaged, err)
		return nil, nil, nil, nil, cerr
	}
	msgs, header, refs, err := decodePayload(payload, first, count)
	clear(payload)
	if err != nil {
		k.Destroy()
		cerr.Err = err
		return nil, nil, nil, nil, cerr
	}
	for i := range msgs {
		msgs[i].chunk, msgs[i].pos = string(key), i
	}
	return msgs, header, k, refs, nil
}

// decodePayload returns a chunk's messages, its conversation header and,
// for payload version 4, its streamed files' references (each checked to
// name an attachment of the chunk, and holding its own copy of the key).
func decodePayload(p []byte, first uint32, count uint16) ([]UnlockedMessage, *capture.Conversation, []fileRef, error) {
	whole, err := payloadBody(p)
	if err != nil {
		return nil, nil, nil, err
	}
	defer clear(whole)
	body := whole
	var refs []fileRef
	if p[0] == payloadV4 {
		if refs, body, err = splitFileRefs(whole); err != nil {
			return nil, nil, nil, err
		}
	}
	fail := func(err error) ([]UnlockedMessage, *capture.Conversation, []fileRef, error) {
		destroyRefs(refs)
		return nil, nil, nil, err
	}
	header, rest, err := capture.DecodeConversation(body)
	if err != nil {
		return fail(fmt.Errorf("%w: chunk conversation header: %v", ErrDamaged, err))
	}
	var out []UnlockedMessage
	for i := uint32(0); len(rest) > 0; i++ {
		var m capture.Message
		if m, rest, err = capture.DecodeMessage(rest); err != nil {
			return fail(fmt.Errorf("%w: chunk message %d: %v", ErrDamaged, i, err))
		}
		out = append(out, UnlockedMessage{Seq: first + i, Message: m})
	}
	if len(out) != int(count) {
		return fail(fmt.Errorf("%w: chunk holds %d messages, its header says %d", ErrDamaged, len(out), count))
	}
	seen := map[[2]int]bool{}
	for _, f := range refs {
		if f.msg >= len(out) || f.att >= len(out[f.msg].Attachments) || seen[[2]int{f.msg, f.att}] {
			return fail(fmt.Errorf("%w: chunk payload names a file of message %d, attachment %d, twice or of none", ErrDamaged, f.msg, f.att))
		}
		seen[[2]int{f.msg, f.att}] = true
	}
	return out, &header, refs, nil
}

func chunkNumber(key []byte) uint32 {
	if len(key) != 20 {
		return 0
	}
	return uint32(key[16])<<24 | uint32(key[17])<<16 | uint32(key[18])<<8 | uint32(key[19])
}

func (s *Session) lastLogTime(tx *bolt.Tx) (time.Time, error) {
	head, err := readLogHead(tx)
	if err != nil || head.Count == 0 {
		return time.Time{}, err
	}
	e, err := s.readEntry(tx.Bucket(bucketLog), head.Count)
	if err != nil {
		return time.Time{}, err
	}
	p, err := auditlog.Parse(e.Body)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: last log entry: %v", ErrDamaged, err)
	}
	return p.When(), nil
}

// Close ends the view: it destroys the chunk and file keys kept for
// OpenAttachment and drops the messages (best effort: Go strings are
// immutable, so this drops references for the collector). Call it at expiry, on lock, and on
// switching identity.
func (u *Unlocked) Close() {
	for _, k := range u.keys {
		k.Destroy()
	}
	for _, f := range u.files {
		f.key.Destroy()
	}
	u.keys, u.files, u.s = nil, nil, nil
	u.Messages, u.Header = nil, nil
}

func (u *Unlocked) wipe() { u.Close() }
