// Package auditlog defines Sealroom's access-log entries: their canonical
// bytes, the hash chain that links them, the Merkle tree (RFC 6962, as in
// Certificate Transparency and the Go checksum database) that lets an auditor
// check a checkpoint and inclusion proofs, and the verifier that names the
// first failing entry and why.
//
// An entry is one line of canonical JSON: the fields below, in this order,
// with no white space, as encoding/json writes them. Canonical means that
// decoding and encoding again gives the same bytes; anything else (a
// duplicate field, an escape written another way, an unknown field, white
// space) is rejected, so one entry has exactly one encoding and one hash.
// The actor signs the canonical bytes with an OpenPGP detached signature,
// which `gpg --verify` checks outside the program.
package auditlog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Version is the entry format version written in every entry's "v" field.
const Version = 1

// TimeLayout is the only accepted time format: RFC 3339 in UTC with
// nanoseconds, trailing zeros dropped (time.RFC3339Nano).
const TimeLayout = time.RFC3339Nano

// ZeroHash is the "prev" of the first entry.
const ZeroHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one access-log entry. Field order is the canonical order.
type Entry struct {
	V      int               `json:"v"`
	Vault  string            `json:"vault"`            // vault id, hex
	Seq    uint64            `json:"seq"`              // 1-based position
	Prev   string            `json:"prev"`             // SHA-256 of the previous entry's canonical bytes, hex
	Time   string            `json:"time"`             // when the action was committed, TimeLayout
	Actor  string            `json:"actor"`            // the signer's OpenPGP fingerprint
	Role   string            `json:"role,omitempty"`   // the role the actor acted in
	Action string            `json:"action"`           // e.g. "request", "approve", "unlock"
	Target string            `json:"target,omitempty"` // e.g. "r7", a conversation or member id
	Reason string            `json:"reason,omitempty"` // justification or refusal reason typed by a person
	Detail map[string]string `json:"detail,omitempty"` // further facts, keys sorted by encoding/json
}

// Marshal returns the canonical bytes of e.
func (e *Entry) Marshal() ([]byte, error) {
	if e.V != Version {
		return nil, fmt.Errorf("auditlog: entry version %d, want %d", e.V, Version)
	}
	if _, err := parseTime(e.Time); err != nil {
		return nil, err
	}
	return json.Marshal(e)
}

// When returns the entry's time.
func (e *Entry) When() time.Time {
	t, _ := parseTime(e.Time)
	return t
}

// FormatTime formats t as an entry time.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("auditlog: entry time %q: %w", s, err)
	}
	if FormatTime(t) != s {
		return time.Time{}, fmt.Errorf("auditlog: entry time %q is not canonical UTC", s)
	}
	return t, nil
}

// Parse decodes canonical entry bytes. It returns ErrNonCanonical for bytes
// that decode but are not the one canonical encoding of what they say.
func Parse(b []byte) (*Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var e Entry
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecode, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the entry", ErrNonCanonical)
	}
	again, err := e.Marshal()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecode, err)
	}
	if !bytes.Equal(again, b) {
		return nil, ErrNonCanonical
	}
	return &e, nil
}

// Hash returns the hex SHA-256 of canonical entry bytes: the value the next
// entry carries in "prev".
func Hash(canonical []byte) string {
	h := sha256.Sum256(canonical)
	return hex.EncodeToString(h[:])
}
