package vault

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"sealroom/crypto/escrow"
	"sealroom/vault/auditlog"
)

// Scope names the messages a request asks to see: seqs From to To
// (1-based, inclusive) of one conversation.
type Scope struct {
	Conversation string
	From, To     int
}

// ParseScope parses "CONV:FROM-TO" (or "CONV:N" for one message).
func ParseScope(s string) (Scope, error) {
	conv, rng, ok := strings.Cut(s, ":")
	if !ok || conv == "" {
		return Scope{}, fmt.Errorf("%w: %q, want CONV:FROM-TO", ErrBadScope, s)
	}
	from, to, isRange := strings.Cut(rng, "-")
	if !isRange {
		to = from
	}
	f, err1 := strconv.Atoi(from)
	t, err2 := strconv.Atoi(to)
	if err1 != nil || err2 != nil || f < 1 || t < f {
		return Scope{}, fmt.Errorf("%w: %q, want CONV:FROM-TO with 1 ≤ FROM ≤ TO", ErrBadScope, s)
	}
	return Scope{Conversation: strings.ToLower(conv), From: f, To: t}, nil
}

func (sc Scope) String() string { return fmt.Sprintf("%s:%d-%d", sc.Conversation, sc.From, sc.To) }

// requestBody is the canonical, signed content of an unlock request.
type requestBody struct {
	V            int        `json:"v"`
	Vault        string     `json:"vault"`
	ID           uint64     `json:"id"`
	Requester    string     `json:"requester"`
	Conversation string     `json:"conversation"` // full hex conversation key
	From         uint32     `json:"from"`
	To           uint32     `json:"to"`
	Chunks       []chunkRef `json:"chunks"`
	Reason       string     `json:"reason"`
	Seconds      int64      `json:"seconds"` // how long the grant lasts once approved
	Time         string     `json:"time"`
}

// chunkRef binds a chunk into a request: its key, its wrapped DEK (the
// R_c officers compute partials for) and the hash of its whole record, so
// that a damaged record is told apart from a bad partial.
type chunkRef struct {
	Key     string `json:"key"`
	Wrapped []byte `json:"wrapped"`
	Record  string `json:"record"`

	count uint16 // messages in the chunk (not stored: the record says it)
}

// RequestID formats a request number as people see it.
func RequestID(n uint64) string { return "r" + strconv.FormatUint(n, 10) }

// ParseRequestID accepts "r7", "R7" or "7".
func ParseRequestID(s string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(s), "r"), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: %q is not a request id", ErrNoRequest, s)
	}
	return n, nil
}

// Request asks to unlock the messages of scope for duration, with a
// justification. It returns the request id. The scope is widened to whole
// chunks for the escrow, but Unlock shows only the messages asked for.
func (s *Session) Request(sc Scope, reason string, duration time.Duration) (string, error) {
	if err := s.require(RoleReviewer); err != nil {
		return "", err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < s.v.cfg.MinReason {
		return "", fmt.Errorf("%w: the justification has %d characters; at least %d are needed", ErrBadRequest, n, s.v.cfg.MinReason)
	}
	if duration < time.Second || duration > s.v.cfg.MaxGrant {
		return "", fmt.Errorf("%w: duration %s; it must be at least 1s and at most %s", ErrBadRequest, duration, s.v.cfg.MaxGrant)
	}
	var id uint64
	err := s.v.update(auditlog.ActionRequest, func(tx *bolt.Tx) error {
		ck, refs, err := s.scopeChunks(tx, sc)
		if err != nil {
			return err
		}
		reqs := tx.Bucket(bucketRequests)
		if id, err = reqs.NextSequence(); err != nil {
			return err
		}
		body, _ := json.Marshal(requestBody{
			V: 1, Vault: s.v.ID(), ID: id, Requester: s.m.Fingerprint, Conversation: hex.EncodeToString(ck),
			From: uint32(sc.From), To: uint32(sc.To), Chunks: refs, Reason: reason,
			Seconds: int64(duration / time.Second), Time: auditlog.FormatTime(s.now()),
		})
		if err := s.putSigned(reqs, bucketRequests, u64(id), s.review, body); err != nil {
			return err
		}
		return s.appendLog(tx, &auditlog.Entry{
			Action: auditlog.ActionRequest, Role: string(RoleReviewer), Target: RequestID(id), Reason: reason,
			Detail: map[string]string{"scope": hex.EncodeToString(ck)[:convIDLen] + fmt.Sprintf(":%d-%d", sc.From, sc.To),
				"chunks": strconv.Itoa(len(refs)), "duration": duration.String(), "request": hash(body)},
		})
	})
	if err != nil {
		return "", fmt.Errorf("requesting %s: %w", sc, err)
	}
	return RequestID(id), nil
}

// chunksFor returns the chunks of conversation ck that hold seqs from..to.
func chunksFor(tx *bolt.Tx, ck []byte, nChunks, from, to uint32) ([]chunkRef, error) {
	chunks := tx.Bucket(bucketChunks)
	var refs []chunkRef
	for n := uint32(0); n < nChunks; n++ {
		key := chunkKey(ck, n)
		rec := chunks.Get(key)
		first, count, wrapped, _, err := splitChunk(rec)
		if err != nil {
			return nil, fmt.Errorf("chunk %d of conversation %x: %w", n, ck[:6], err)
		}
		last := first + uint32(count) - 1
		if last < from || first > to {
			continue
		}
		sum := sha256.Sum256(rec)
		refs = append(refs, chunkRef{Key: hex.EncodeToString(key), Wrapped: append([]byte(nil), wrapped...), Record: hex.EncodeToString(sum[:]), count: count})
	}
	if len(refs) == 0 {
		return nil, fmt.Errorf("%w: no chunk holds messages %d-%d", ErrBadScope, from, to)
	}
	return refs, nil
}

// splitChunk parses a chunk record's plaintext header.
func splitChunk(rec []byte) (first uint32, count uint16, wrapped, sealed []byte, err error) {
	if len(rec) < 9 || rec[0] != chunkRecordV1 {
		return 0, 0, nil, nil, fmt.Errorf("%w: chunk record header", ErrDamaged)
	}
	first = binary.BigEndian.Uint32(rec[1:])
	count = binary.BigEndian.Uint16(rec[5:])
	wl := int(binary.BigEndian.Uint16(rec[7:]))
	if len(rec) < 9+wl || count == 0 || count > ChunkSize || first == 0 {
		return 0, 0, nil, nil, fmt.Errorf("%w: chunk record header", ErrDamaged)
	}
	return first, count, rec[9 : 9+wl], rec[9+wl:], nil
}

// request is a request read back and checked: its body, hash and the
// requester's signature.
type request struct {
	requestBody
	raw  []byte
	hash []byte
}

func (s *Session) readRequest(tx *bolt.Tx, id uint64) (*request, error) {
	val := tx.Bucket(bucketRequests).Get(u64(id))
	if val == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoRequest, RequestID(id))
	}
	body, sig, err := s.openSigned(bucketRequests, u64(id), s.review, val)
	if err != nil {
		return nil, err
	}
	var r request
	if err := json.Unmarshal(body, &r.requestBody); err != nil {
		return nil, fmt.Errorf("%w: request %s: %v", ErrDamaged, RequestID(id), err)
	}
	if r.ID != id || r.Vault != s.v.ID() {
		return nil, fmt.Errorf("%w: request %s is stored under another id or vault", ErrDamaged, RequestID(id))
	}
	requester, err := readMember(tx, r.Requester)
	if err != nil || requester == nil {
		return nil, fmt.Errorf("%w: request %s: requester %s is not a member", ErrDamaged, RequestID(id), r.Requester)
	}
	if err := requester.pub.Verify(body, sig); err != nil {
		return nil, fmt.Errorf("%w: request %s: requester's signature: %v", ErrDamaged, RequestID(id), err)
	}
	h := sha256.Sum256(body)
	r.raw, r.hash = body, h[:]
	return &r, nil
}

// escrowScope builds the escrow scope of a request: every chunk it names,
// with the wrapped key it recorded.
func (r *request) escrowScope(vault []byte) (*escrow.Scope, error) {
	sc := &escrow.Scope{VaultID: vault, RequestID: r.hash}
	for _, c := range r.Chunks {
		key, err := hex.DecodeString(c.Key)
		if err != nil {
			return nil, fmt.Errorf("%w: request chunk key", ErrDamaged)
		}
		w, err := escrow.ParseWrapped(c.Wrapped)
		if err != nil {
			return nil, fmt.Errorf("%w: request chunk %s: %v", ErrDamaged, c.Key, err)
		}
		sc.Chunks = append(sc.Chunks, escrow.ChunkRef{ID: key, Wrapped: w})
	}
	return sc, nil
}

// RequestInfo is a request as the approvals inbox and the requester see it.
type RequestInfo struct {
	ID        string
	Requester string // fingerprint
	Scope     string // CONV:FROM-TO
	Chunks    int
	Reason    string
	Duration  time.Duration
	Created   time.Time
	Approvals int
	Denied    bool
	Granted   bool
	Expires   time.Time // zero until granted
	Expired   bool
	Voted     bool // the session's member has voted on it
}

// State names where a request stands.
func (r *RequestInfo) State(now time.Time) string {
	switch {
	case r.Denied:
		return "denied"
	case r.Granted && (r.Expired || !now.Before(r.Expires)):
		return "expired"
	case r.Granted:
		return "granted"
	}
	return "pending"
}

// Requests lists every unlock request with its votes, newest first.
func (s *Session) Requests() ([]RequestInfo, error) {
	var out []RequestInfo
	err := s.v.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRequests).Cursor()
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			r, err := s.readRequest(tx, binary.BigEndian.Uint64(k))
			if err != nil {
				return err
			}
			st, err := s.status(tx, r)
			if err != nil {
				return err
			}
			created, _ := time.Parse(auditlog.TimeLayout, r.Time)
			info := RequestInfo{
				ID: RequestID(r.ID), Requester: r.Requester, Scope: fmt.Sprintf("%s:%d-%d", r.Conversation[:convIDLen], r.From, r.To),
				Chunks: len(r.Chunks), Reason: r.Reason, Duration: time.Duration(r.Seconds) * time.Second, Created: created,
				Approvals: st.approvals, Denied: st.denied, Granted: st.grant != nil, Voted: st.votedBy[s.m.Fingerprint],
			}
			if st.grant != nil {
				info.Expires, info.Expired = st.grant.Expires, st.grant.Expired
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

// ScopeChunks returns how many chunks an unlock of sc opens, and the
// messages they hold: the escrow unlocks whole chunks, so a request form
// can say how much beyond the messages asked for the officers would open.
func (s *Session) ScopeChunks(sc Scope) (chunks, messages int, err error) {
	err = s.v.view(func(tx *bolt.Tx) error {
		_, refs, err := s.scopeChunks(tx, sc)
		chunks = len(refs)
		for _, r := range refs {
			messages += int(r.count)
		}
		return err
	})
	return chunks, messages, err
}

// scopeChunks resolves sc to its conversation key and the chunks holding
// its messages, checking that the conversation has them.
func (s *Session) scopeChunks(tx *bolt.Tx, sc Scope) ([]byte, []chunkRef, error) {
	ck, err := findConv(tx, sc.Conversation)
	if err != nil {
		return nil, nil, err
	}
	rec, _, err := s.readConv(tx.Bucket(bucketConvs), ck)
	if err != nil {
		return nil, nil, err
	}
	if sc.From < 1 || sc.To < sc.From || sc.To > int(rec.Messages) {
		return nil, nil, fmt.Errorf("%w: messages %d-%d of conversation %s, which has %d", ErrBadScope, sc.From, sc.To, sc.Conversation, rec.Messages)
	}
	refs, err := chunksFor(tx, ck, rec.Chunks, uint32(sc.From), uint32(sc.To))
	return ck, refs, err
}
