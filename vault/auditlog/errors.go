package auditlog

import (
	"errors"
	"fmt"
)

// ErrDecode is returned for entry bytes that are not a valid entry.
var ErrDecode = errors.New("auditlog: entry does not decode")

// ErrNonCanonical is returned for an entry whose bytes decode but are not
// its canonical encoding.
var ErrNonCanonical = errors.New("auditlog: entry is not canonical")

// Class says what kind of check an entry failed.
type Class string

// The reasons a log fails verification, in the order the verifier checks
// them for one entry.
const (
	ClassMissing   Class = "missing"   // an entry is absent or the log is shorter than claimed
	ClassBody      Class = "body"      // the stored entry failed authentication or does not decode
	ClassCanonical Class = "canonical" // the entry is not in canonical form
	ClassVault     Class = "vault"     // the entry belongs to another vault
	ClassSequence  Class = "sequence"  // the entry's seq is not its position
	ClassPrev      Class = "prev-hash" // "prev" is not the hash of the entry before
	ClassTime      Class = "time"      // time runs backwards
	ClassActor     Class = "actor"     // the actor is not a member at that point, or its key does not match
	ClassSignature Class = "signature" // the signature does not verify with the actor's key
	ClassCount     Class = "count"     // the recorded entry count disagrees with the entries
	ClassTree      Class = "tree"      // the stored Merkle tree or checkpoint disagrees with the entries
)

// Error is a verification failure: the first failing entry (1-based; 0 when
// the failure concerns the log as a whole), the class of check, and why.
type Error struct {
	Index uint64
	Class Class
	Err   error
}

func (e *Error) Error() string {
	if e.Index == 0 {
		return fmt.Sprintf("access log fails verification (%s): %v", e.Class, e.Err)
	}
	return fmt.Sprintf("access log entry %d fails verification (%s): %v", e.Index, e.Class, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func fail(index uint64, class Class, format string, args ...any) *Error {
	return &Error{Index: index, Class: class, Err: fmt.Errorf(format, args...)}
}
