package vault

import (
	"errors"
	"fmt"
)

var (
	// ErrInUse is returned by Open when another process has the vault open
	// for writing (or, for a writer, open at all).
	ErrInUse = errors.New("vault in use by another program")

	// ErrExists is returned by Create when the path already exists.
	ErrExists = errors.New("vault file already exists")

	// ErrNotVault is returned by Open for a file that is not a Sealroom vault.
	ErrNotVault = errors.New("not a Sealroom vault")

	// ErrDamaged is returned when the file's structure or a record is
	// damaged; the error says where.
	ErrDamaged = errors.New("vault damaged")

	// ErrNewerSchema is returned for a vault written by a newer Sealroom.
	ErrNewerSchema = errors.New("vault written by a newer version of Sealroom")

	// ErrNotMember is returned by Login for a key that is not a member.
	ErrNotMember = errors.New("key is not a member of this vault")

	// ErrForbidden is returned when the member's roles do not allow the action.
	ErrForbidden = errors.New("not allowed for this member's roles")

	// ErrReadOnly is returned for an action on a vault opened read-only.
	ErrReadOnly = errors.New("vault is open read-only")

	// ErrNoRequest is returned for an unknown request id.
	ErrNoRequest = errors.New("no such unlock request")

	// ErrSelfApproval is returned when a requester votes on their own request.
	ErrSelfApproval = errors.New("the requester cannot vote on their own request")

	// ErrAlreadyVoted is returned for an officer's second vote on a request.
	ErrAlreadyVoted = errors.New("this officer has already voted on the request")

	// ErrClosed is returned for a vote on a request that was denied, or
	// whose grant has expired.
	ErrClosed = errors.New("request is closed")

	// ErrNotApproved is returned by Unlock before the threshold of
	// approvals is reached, or after a denial.
	ErrNotApproved = errors.New("request is not approved")

	// ErrExpired is returned by Unlock after the grant's expiry.
	ErrExpired = errors.New("grant has expired")

	// ErrNotRequester is returned when someone other than the requester
	// tries to unlock.
	ErrNotRequester = errors.New("only the requester can unlock")

	// ErrBadScope is returned for a request scope that names no messages.
	ErrBadScope = errors.New("invalid request scope")

	// ErrBadRequest is returned for a justification or duration that does
	// not meet the vault's rules.
	ErrBadRequest = errors.New("invalid request")

	// ErrNoConversation is returned for an unknown or ambiguous conversation id.
	ErrNoConversation = errors.New("no such conversation")

	// ErrNotFound is returned for an unknown event id.
	ErrNotFound = errors.New("no such event")
)

// ChunkError reports one chunk that could not be opened: it is refused and
// named, and the other chunks of the scope are still shown (T1).
type ChunkError struct {
	Conversation string // the vault's conversation id
	Chunk        uint32 // chunk number within the conversation
	First, Last  uint32 // message seqs the chunk holds
	Err          error
}

func (e *ChunkError) Error() string {
	return fmt.Sprintf("conversation %s chunk %d (messages %d-%d): %v", e.Conversation, e.Chunk, e.First, e.Last, e.Err)
}

func (e *ChunkError) Unwrap() error { return e.Err }
