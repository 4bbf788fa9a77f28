// Package vault keeps a Sealroom archive in one bbolt file: members and
// their keys, sealed conversations, unlock requests, approvals, grants and
// the signed, hash-chained access log. Callers never see a bbolt
// transaction: every action is a method that writes the action and its log
// entry in one transaction, so there is no action without its entry.
//
// # Layout (schema version 3)
//
// Keys in angle brackets; "sealed(K)" is crypto/seal under K with associated
// data (vault id, bucket, key, version); "signed" is a signed record: a
// 2-byte big-endian signature length, the member's OpenPGP detached
// signature over the canonical body, then sealed(K) of that body.
//
//	meta/
//	  schema                 uint32 BE: schema version (migrations.go)
//	  vault                  16 bytes: the vault id, random at creation
//	  config                 JSON Config (threshold, officers, max grant, redaction level, created)
//	  escrow                 escrow.PublicKey: Feldman commitments, X = C_0
//	  loghead                uint64 BE entry count ‖ 32-byte SHA-256 of the last entry
//	  replaced               present only in a file Compact replaced: Open refuses it (compact.go)
//	members/
//	  <fingerprint, 40 hex>  JSON member: user id, roles, officer share id, public key
//	keys/
//	  rev/<fingerprint>      OpenPGP message to the member: the review key K_rev
//	  share/<fingerprint>    OpenPGP message to the officer: escrow share x_i
//	convs/
//	  <conv key, 16 bytes>   uint64 BE version ‖ sealed(K_review) JSON conversation summary
//	chunks/
//	  <conv key ‖ uint32 BE chunk number>
//	                         chunk record: version byte, first message seq (uint32 BE),
//	                         message count (uint16 BE), wrapped DEK (uint16 BE length ‖
//	                         escrow.Wrapped), sealed(DEK) payload: a version byte, then the
//	                         conversation header and up to 32 consecutive messages (capture
//	                         binary codec), compressed: DEFLATE in version 2, S2 in 3; version 4
//	                         (S2) starts with the chunk's streamed files: uvarint count,
//	                         then per file uint8 message ‖ uint8 attachment ‖ 16-byte file id ‖
//	                         32-byte file key (payload.go)
//	ids/                     the messages each conversation holds, for dedupe (ids.go)
//	  <conv key>             sealed(K_review) directory: per segment, uint32 BE count,
//	                         int64 BE first and last message time (Unix ns)
//	  <conv key ‖ uint32 BE segment number>
//	                         sealed(K_review) 8-byte message fingerprints, sorted
//	files/                   attachment content the export held, files of up to 2 MiB (files.go)
//	  <chunk key ‖ uint8 message ‖ uint8 attachment ‖ uint32 BE piece>
//	                         sealed(the chunk's DEK) piece of up to 65,280 bytes
//	bigfiles/                bigger files, streamed before their chunk (streams.go; schema 3)
//	  <file id, 16 random bytes ‖ uint32 BE piece>
//	                         sealed(the file's key, which only its chunk's payload holds) piece
//	bigfiles.open/
//	  <file id>              empty: pieces written, no chunk holds the file yet (an import is
//	                         streaming it, or died: the next import deletes its pieces)
//	bigfiles.refs/
//	  <file id>              chunk key ‖ uint8 message ‖ uint8 attachment: the chunk holding it
//	events/                  risk events (events.go)
//	  <event id, uint64 BE>  uint64 BE version ‖ sealed(K_review) JSON event: policy,
//	                         severity, time, channel, direction, pseudonyms, the
//	                         excerpt at the vault's redaction level, status
//	msgs/                    schema 1 only (kept, and consulted, after migrating):
//	  <msg key, 16 bytes>    uint32 BE: the message's seq in its conversation
//	requests/
//	  <request no, uint64 BE>             signed(K_review) JSON request
//	votes/
//	  <request no ‖ officer fingerprint>  signed(K_review) JSON vote: approval (with partials
//	                                      encrypted to the requester) or denial
//	grants/
//	  <request no>           sealed(K_review) JSON grant: when granted, when it expires
//	log/
//	  <seq, uint64 BE>       signed(K_log) canonical access-log entry (package auditlog)
//	loghash/
//	  <index, uint64 BE>     32 bytes: RFC 6962 tree hashes stored as tlog.StoredHashes says
//
// K_review, K_log and K_index are derived from the review key K_rev
// (seal.Key.Derive); conv key = HMAC-SHA256(K_index, conversation id)[:16],
// msg key (schema 1) = HMAC-SHA256(K_index, conv key ‖ message id)[:16];
// message fingerprints are keyed by HMAC-SHA256(K_index, "fingerprint" ‖
// conv key) (ids.go).
//
// # Plaintext on disk
//
// bbolt encrypts nothing. Readable by anyone with the file: bucket names;
// the member list (fingerprints, user ids, roles, public keys); the config
// and escrow public key; the number of conversations, and per conversation
// its number of chunks and messages (keys and chunk headers) and how many
// import batches added to it (id segments, and their sizes); which
// messages of a chunk have attached files, and each file's size to within
// a piece (streamed files through bigfiles.refs; the pieces of a file an
// import left unfinished until the next import deletes them); the number
// of risk events and how often each was updated; the number of requests,
// votes and log entries, and which officer voted on which request number;
// the Merkle tree hashes of the log. Everything a message says, every
// conversation id, title, participant, time and channel, every
// justification and every log entry body is sealed.
package vault
