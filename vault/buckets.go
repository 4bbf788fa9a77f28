package vault

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket and key names (doc.go draws the tree).
var (
	bucketMeta     = []byte("meta")
	bucketMembers  = []byte("members")
	bucketKeys     = []byte("keys")
	bucketRev      = []byte("rev")
	bucketShare    = []byte("share")
	bucketConvs    = []byte("convs")
	bucketChunks   = []byte("chunks")
	bucketMsgs     = []byte("msgs") // schema 1's dedupe index, read while it holds entries
	bucketIDs      = []byte("ids")
	bucketFiles    = []byte("files")
	bucketBig      = []byte("bigfiles")      // streamed files' pieces (streams.go)
	bucketBigOpen  = []byte("bigfiles.open") // streamed files no chunk holds yet
	bucketBigRefs  = []byte("bigfiles.refs") // streamed files' chunks
	bucketEvents   = []byte("events")
	bucketRequests = []byte("requests")
	bucketVotes    = []byte("votes")
	bucketGrants   = []byte("grants")
	bucketLog      = []byte("log")
	bucketLogHash  = []byte("loghash")

	keySchema  = []byte("schema")
	keyVault   = []byte("vault")
	keyConfig  = []byte("config")
	keyEscrow  = []byte("escrow")
	keyLogHead = []byte("loghead")
)

// topBuckets are created by Create, in one transaction.
var topBuckets = [][]byte{
	bucketMeta, bucketMembers, bucketKeys, bucketConvs, bucketChunks, bucketIDs, bucketFiles, bucketBig, bucketBigOpen,
	bucketBigRefs, bucketEvents, bucketRequests, bucketVotes, bucketGrants, bucketLog, bucketLogHash,
}

// bucket returns a top-level bucket, or nested ones along path. A missing
// bucket means a damaged or foreign file.
func bucket(tx *bolt.Tx, path ...[]byte) (*bolt.Bucket, error) {
	b := tx.Bucket(path[0])
	for _, p := range path[1:] {
		if b == nil {
			break
		}
		b = b.Bucket(p)
	}
	if b == nil {
		return nil, fmt.Errorf("%w: bucket %q is missing", ErrDamaged, path)
	}
	return b, nil
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func chunkKey(conv []byte, n uint32) []byte {
	return binary.BigEndian.AppendUint32(append(make([]byte, 0, 20), conv...), n)
}

func voteKey(req uint64, fpr []byte) []byte {
	return append(u64(req), fpr...)
}
