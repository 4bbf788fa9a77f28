package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/crypto/escrow"
	"sealroom/vault/auditlog"
)

// voteBody is the canonical, signed content of an officer's vote. The
// signature covers the request's hash, so a vote cannot be moved to
// another request (T12); an approval carries the officer's partials
// encrypted to the requester, so no one else, not even the other officers,
// can use them.
type voteBody struct {
	V           int    `json:"v"`
	Vault       string `json:"vault"`
	Request     uint64 `json:"request"`
	RequestHash string `json:"request_hash"`
	Officer     string `json:"officer"`
	Share       int    `json:"share"`
	Approve     bool   `json:"approve"`
	Reason      string `json:"reason,omitempty"`
	Partials    []byte `json:"partials,omitempty"`
	Time        string `json:"time"`
}

// grant records when a request reached its threshold and until when it
// may be unlocked.
type grant struct {
	Granted time.Time `json:"granted"`
	Expires time.Time `json:"expires"`
	Expired bool      `json:"expired,omitempty"` // partials deleted
}

// Approve records this officer's approval of request id: it decrypts the
// officer's escrow share, computes partial decryptions with proofs for
// exactly the chunks the request names, encrypts them to the requester,
// and signs the vote. The approval that reaches the threshold also writes
// the grant. Refusals (own request, second vote, closed request) are
// logged.
func (s *Session) Approve(id string) error { return s.vote(id, true, "") }

// Deny records this officer's denial with a reason. One denial closes the
// request: no grant can follow (the cautious reading of dual control).
func (s *Session) Deny(id, reason string) error {
	if reason = strings.TrimSpace(reason); reason == "" {
		return fmt.Errorf("%w: a denial needs a reason", ErrBadRequest)
	}
	return s.vote(id, false, reason)
}

func (s *Session) vote(idText string, approve bool, reason string) error {
	id, err := ParseRequestID(idText)
	if err != nil {
		return err
	}
	action := auditlog.ActionApprove
	if !approve {
		action = auditlog.ActionDeny
	}
	var refusal error
	err = s.v.update(action, func(tx *bolt.Tx) error {
		r, err := s.readRequest(tx, id)
		if err != nil {
			return err
		}
		st, err := s.status(tx, r)
		if err != nil {
			return err
		}
		switch {
		case !s.m.has(RoleOfficer):
			refusal = fmt.Errorf("%w: %s does not hold the officer role", ErrForbidden, s.m.Fingerprint)
		case r.Requester == s.m.Fingerprint:
			refusal = ErrSelfApproval
		case st.votedBy[s.m.Fingerprint]:
			refusal = ErrAlreadyVoted
		case st.denied:
			refusal = fmt.Errorf("%w: it was denied", ErrClosed)
		case st.grant != nil && !s.now().Before(st.grant.Expires):
			refusal = fmt.Errorf("%w: its grant expired at %s", ErrClosed, st.grant.Expires.Format(time.RFC3339))
		}
		if refusal != nil {
			return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionRefused, Role: string(s.roleFor(RoleOfficer, RoleReviewer, RoleAuditor, RoleAdmin, RoleIngest)), Target: RequestID(id),
				Reason: refusal.Error(), Detail: map[string]string{"action": action}})
		}
		v := voteBody{V: 1, Vault: s.v.ID(), Request: id, RequestHash: hex.EncodeToString(r.hash), Officer: s.m.Fingerprint,
			Share: s.m.Share, Approve: approve, Reason: reason, Time: auditlog.FormatTime(s.now())}
		if approve {
			if v.Partials, err = s.partials(tx, r); err != nil {
				return err
			}
		}
		body, _ := json.Marshal(v)
		if err := s.putSigned(tx.Bucket(bucketVotes), bucketVotes, voteKey(id, s.m.pub.FingerprintBytes()), s.review, body); err != nil {
			return err
		}
		entry := &auditlog.Entry{Action: action, Role: string(RoleOfficer), Target: RequestID(id), Reason: reason,
			Detail: map[string]string{"request": hex.EncodeToString(r.hash)}}
		if err := s.appendLog(tx, entry); err != nil {
			return err
		}
		if approve && st.grant == nil && !st.denied && st.approvals+1 == s.v.cfg.Threshold {
			return s.writeGrant(tx, r)
		}
		return nil
	})
	if err == nil && refusal != nil {
		err = refusal
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, RequestID(id), err)
	}
	return nil
}

// partials computes this officer's encrypted partials for request r, after
// checking that every chunk the request names is still the record it
// names: officers never decrypt for an R_c that is not the vault's own.
func (s *Session) partials(tx *bolt.Tx, r *request) ([]byte, error) {
	chunks := tx.Bucket(bucketChunks)
	for _, c := range r.Chunks {
		key, _ := hex.DecodeString(c.Key)
		rec := chunks.Get(key)
		sum := sha256.Sum256(rec)
		if rec == nil || hex.EncodeToString(sum[:]) != c.Record {
			return nil, fmt.Errorf("%w: chunk %s differs from the one the request names", ErrDamaged, c.Key)
		}
	}
	sc, err := r.escrowScope(s.v.id)
	if err != nil {
		return nil, err
	}
	share, err := s.share(tx)
	if err != nil {
		return nil, err
	}
	defer share.Destroy()
	p, err := share.Approve(s.v.pub, sc)
	if err != nil {
		return nil, err
	}
	raw, _ := p.MarshalBinary()
	requester, err := readMember(tx, r.Requester)
	if err != nil {
		return nil, err
	}
	return requester.pub.Encrypt(raw)
}

// share decrypts this officer's escrow share and checks it against the
// public commitments.
func (s *Session) share(tx *bolt.Tx) (*escrow.Share, error) {
	b, err := bucket(tx, bucketKeys, bucketShare)
	if err != nil {
		return nil, err
	}
	enc := b.Get([]byte(s.m.Fingerprint))
	if enc == nil {
		return nil, fmt.Errorf("%w: no escrow share for officer %s", ErrDamaged, s.m.Fingerprint)
	}
	raw, err := s.id.Decrypt(enc)
	if err != nil {
		return nil, fmt.Errorf("decrypting the escrow share: %w", err)
	}
	defer clear(raw)
	share, err := escrow.ParseShare(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: escrow share: %v", ErrDamaged, err)
	}
	if share.ID() != s.m.Share {
		return nil, fmt.Errorf("%w: officer %s holds share %d, the member record says %d", ErrDamaged, s.m.Fingerprint, share.ID(), s.m.Share)
	}
	if err := s.v.pub.VerifyShare(share); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return share, nil
}

func (s *Session) writeGrant(tx *bolt.Tx, r *request) error {
	now := s.now()
	g := grant{Granted: now, Expires: now.Add(time.Duration(r.Seconds) * time.Second)}
	body, _ := json.Marshal(g)
	if err := s.putSealed(tx.Bucket(bucketGrants), bucketGrants, u64(r.ID), 1, body); err != nil {
		return err
	}
	return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionGrant, Role: string(RoleOfficer), Target: RequestID(r.ID),
		Detail: map[string]string{"expires": auditlog.FormatTime(g.Expires), "approvals": strconv.Itoa(s.v.cfg.Threshold)}})
}

// requestStatus is what the votes and grant of a request say.
type requestStatus struct {
	votes     []*vote
	votedBy   map[string]bool
	approvals int
	denied    bool
	grant     *grant
}

type vote struct {
	voteBody
	officer *member
}

// status reads and checks every vote on request r and its grant. A vote
// whose signature fails, that names another request, or that comes from a
// non-officer, is an error, not a silent skip.
func (s *Session) status(tx *bolt.Tx, r *request) (*requestStatus, error) {
	st := &requestStatus{votedBy: map[string]bool{}}
	prefix := u64(r.ID)
	c := tx.Bucket(bucketVotes).Cursor()
	for k, val := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, val = c.Next() {
		body, sig, err := s.openSigned(bucketVotes, k, s.review, val)
		if err != nil {
			return nil, err
		}
		var v vote
		if err := json.Unmarshal(body, &v.voteBody); err != nil {
			return nil, fmt.Errorf("%w: vote on %s: %v", ErrDamaged, RequestID(r.ID), err)
		}
		if v.officer, err = readMember(tx, v.Officer); err != nil || v.officer == nil || !v.officer.has(RoleOfficer) {
			return nil, fmt.Errorf("%w: vote on %s by %s, who is not an officer", ErrDamaged, RequestID(r.ID), v.Officer)
		}
		if !bytes.Equal(k[8:], v.officer.pub.FingerprintBytes()) || v.Request != r.ID || v.RequestHash != hex.EncodeToString(r.hash) || v.Share != v.officer.Share {
			return nil, fmt.Errorf("%w: vote by %s is stored under %s but made for another request", ErrDamaged, v.Officer, RequestID(r.ID))
		}
		if err := v.officer.pub.Verify(body, sig); err != nil {
			return nil, fmt.Errorf("%w: vote on %s by %s: %v", ErrDamaged, RequestID(r.ID), v.Officer, err)
		}
		st.votes = append(st.votes, &v)
		st.votedBy[v.Officer] = true
		if v.Approve {
			st.approvals++
		} else {
			st.denied = true
		}
	}
	if val := tx.Bucket(bucketGrants).Get(prefix); val != nil {
		body, _, err := s.openSealed(bucketGrants, prefix, val)
		if err != nil {
			return nil, err
		}
		st.grant = &grant{}
		if err := json.Unmarshal(body, st.grant); err != nil {
			return nil, fmt.Errorf("%w: grant of %s: %v", ErrDamaged, RequestID(r.ID), err)
		}
	}
	return st, nil
}

// expire deletes the partials of an expired grant and logs it, in tx.
func (s *Session) expire(tx *bolt.Tx, r *request, st *requestStatus) error {
	if st.grant == nil || st.grant.Expired {
		return nil
	}
	prefix := u64(r.ID)
	c := tx.Bucket(bucketVotes).Cursor()
	var keys [][]byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := tx.Bucket(bucketVotes).Delete(k); err != nil {
			return err
		}
	}
	st.grant.Expired = true
	body, _ := json.Marshal(st.grant)
	if err := s.putSealed(tx.Bucket(bucketGrants), bucketGrants, prefix, 2, body); err != nil {
		return err
	}
	return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionGrantExpire, Role: string(s.roleFor(RoleReviewer, RoleOfficer, RoleAuditor, RoleAdmin)),
		Target: RequestID(r.ID), Detail: map[string]string{"votes_deleted": strconv.Itoa(len(keys))}})
}
