package vault

import (
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/internal/sha256block"
)

// The id set: which messages a conversation already holds, so that
// importing the same or an overlapping export adds nothing.
//
// Each message is remembered by an 8-byte fingerprint,
// SHA-256(K_c ‖ uvarint(len(id)) ‖ id)[:8], where K_c is the 64-byte block
// HMAC-SHA256(K_index, "fingerprint" ‖ conv key)[:16] ‖ 48 zero bytes (two
// compression calls per message where an HMAC takes four; the fingerprints
// are sealed, and the key is secret), in sealed segments of up to segmentMax
// fingerprints, one conversation's segments under consecutive keys:
//
//	ids/<conv key>                   sealed directory: per segment, its count
//	                                 and the time range of its messages
//	ids/<conv key ‖ uint32 BE n>     sealed segment n: the fingerprints, sorted
//
// An import appends one segment per conversation per batch (or grows the
// last one while it is small), so a commit writes a few sequential
// records instead of one random B-tree key per message: the earlier
// design (one msgs/ key per message) rewrote most of its pages on every
// commit and cost 36+ bytes per message. A batch reads only the segments
// whose time range overlaps its own messages': a duplicate has the same
// id, so the same time. (A JSONL export that reuses an id with another
// time is stored again; docs/DESIGN.md.)
//
// A fingerprint collision would drop a message as a duplicate. The key is
// secret, so no one can aim for one; by chance, a batch of 16,384 checked
// against the 32,768 fingerprints of its overlapping segments collides
// with probability about 3·10⁻¹¹.

// segmentMax is the most fingerprints a segment grows to by merging small
// batches (64 KiB); one batch's own segment may be bigger.
const segmentMax = 8192

// idSegment is a directory entry.
type idSegment struct {
	n           uint32
	first, last int64 // Unix nanoseconds
}

const idSegmentSize = 4 + 8 + 8

// idDir is a conversation's directory of segments.
type idDir struct {
	segs    []idSegment
	version uint64
}

func idSegmentKey(ck []byte, n int) []byte { return chunkKey(ck, uint32(n)) }

func (s *Session) readIDDir(b *bolt.Bucket, ck []byte) (idDir, error) {
	val := b.Get(ck)
	if val == nil {
		return idDir{}, nil
	}
	body, version, err := s.openSealed(bucketIDs, ck, val)
	if err != nil {
		return idDir{}, err
	}
	if len(body)%idSegmentSize != 0 {
		return idDir{}, fmt.Errorf("%w: id directory %x has %d bytes", ErrDamaged, ck[:6], len(body))
	}
	d := idDir{version: version, segs: make([]idSegment, 0, len(body)/idSegmentSize)}
	for p := body; len(p) > 0; p = p[idSegmentSize:] {
		d.segs = append(d.segs, idSegment{n: binary.BigEndian.Uint32(p), first: int64(binary.BigEndian.Uint64(p[4:])), last: int64(binary.BigEndian.Uint64(p[12:]))})
	}
	return d, nil
}

func (s *Session) writeIDDir(b *bolt.Bucket, ck []byte, d *idDir) error {
	body := make([]byte, 0, len(d.segs)*idSegmentSize)
	for _, g := range d.segs {
		body = binary.BigEndian.AppendUint32(body, g.n)
		body = binary.BigEndian.AppendUint64(body, uint64(g.first))
		body = binary.BigEndian.AppendUint64(body, uint64(g.last))
	}
	d.version++
	return s.putSealed(b, bucketIDs, ck, d.version, body)
}

// readIDSegment returns segment i's fingerprints.
func (s *Session) readIDSegment(b *bolt.Bucket, ck []byte, d *idDir, i int) ([]byte, error) {
	key := idSegmentKey(ck, i)
	val := b.Get(key)
	if val == nil {
		return nil, fmt.Errorf("%w: id segment %x/%d is missing", ErrDamaged, ck[:6], i)
	}
	body, _, err := s.openSealed(bucketIDs, key, val)
	if err != nil {
		return nil, err
	}
	if len(body) != 8*int(d.segs[i].n) {
		return nil, fmt.Errorf("%w: id segment %x/%d holds %d bytes, its directory says %d fingerprints", ErrDamaged, ck[:6], i, len(body), d.segs[i].n)
	}
	return body, nil
}

// fingerprintKey is K_c, a conversation's fingerprint key block.
func (s *Session) fingerprintKey(ck []byte) *[64]byte {
	var k [64]byte
	copy(k[:], s.mac([]byte("fingerprint"), ck))
	return &k
}

// fingerprintState is SHA-256's state after hashing K_c, the first block
// of every fingerprint of the conversation ck: a fingerprint resumes from
// it, so that an id of up to 54 bytes costs one compression call, not two,
// and sha256block.Finish spares crypto/sha256's bookkeeping and the
// state's decoding (110 → 69 → 59 ns a message, which the importer's
// goroutine spends on every one).
func (s *Session) fingerprintState(ck []byte) *[8]uint32 {
	k := s.fingerprintKey(ck)
	defer clear(k[:])
	h := sha256block.IV
	sha256block.Blocks(&h, k[:])
	return &h
}

// fingerprinter computes fingerprints from a fingerprintState; one
// goroutine at a time.
type fingerprinter struct {
	buf []byte
}

// fingerprint is the entry of the message whose id is id in the id set of
// the conversation whose fingerprintState is state.
func (f *fingerprinter) fingerprint(state *[8]uint32, id string) uint64 {
	f.buf = binary.AppendUvarint(f.buf[:0], uint64(len(id)))
	f.buf = append(f.buf, id...)
	sum := sha256block.Finish(*state, 64, f.buf)
	return binary.BigEndian.Uint64(sum[:])
}

// dedupe returns the messages of msgs (one conversation's, in one batch,
// with their fingerprints fps) that the conversation does not hold yet,
// without repeats, and records them in its id set.
func (s *Session) dedupe(tx *bolt.Tx, ck []byte, msgs []*capture.Message, fps []uint64) ([]*capture.Message, error) {
	b, err := bucket(tx, bucketIDs)
	if err != nil {
		return nil, err
	}
	b.FillPercent = chunkFill // written in key order per conversation, like chunks
	dir, err := s.readIDDir(b, ck)
	if err != nil {
		return nil, err
	}

	lo, hi := msgs[0].Time.UnixNano(), msgs[0].Time.UnixNano()
	for _, m := range msgs {
		t := m.Time.UnixNano()
		lo, hi = min(lo, t), max(hi, t)
	}
	// The batch's distinct fingerprints in order, to merge with the
	// segments, which are stored sorted: a conversation imported from
	// exports whose times interleave reads many segments per batch.
	sorted := sortedFingerprints(fps)
	sorted = slices.Compact(sorted)
	repeats := len(sorted) < len(fps)
	var stored []uint64 // fingerprints of sorted the id set holds
	var last []byte     // the last segment's fingerprints, when read
	for i, g := range dir.segs {
		if g.first > hi || g.last < lo {
			continue
		}
		seg, err := s.readIDSegment(b, ck, &dir, i)
		if err != nil {
			return nil, err
		}
		stored = storedIn(stored, seg, sorted)
		if i == len(dir.segs)-1 {
			last = seg
		}
	}
	legacy := tx.Bucket(bucketMsgs)
	if legacy != nil {
		if k, _ := legacy.Cursor().First(); k == nil {
			legacy = nil
		}
	}

	// A new export's batch, the usual case, has neither repeats nor
	// stored messages: all of it is fresh, and sorted is its id set's
	// part. Otherwise each message's first occurrence is looked up.
	fresh, newFPs := msgs, sorted
	if repeats || len(stored) > 0 || legacy != nil {
		first := make(map[uint64]int, len(sorted)) // fingerprint → its first message in msgs
		dup := make([]bool, len(msgs))
		for i, fp := range fps {
			if _, ok := first[fp]; ok {
				dup[i] = true
			} else {
				first[fp] = i
			}
		}
		for _, fp := range stored {
			dup[first[fp]] = true
		}
		if legacy != nil {
			for i, m := range msgs {
				if !dup[i] && legacy.Get(s.mac(ck, []byte(m.ID))) != nil {
					dup[i] = true
				}
			}
		}
		fresh, newFPs = nil, nil
		for i, m := range msgs {
			if !dup[i] {
				fresh = append(fresh, m)
				newFPs = append(newFPs, fps[i])
			}
		}
		newFPs = sortedFingerprints(newFPs)
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	seg := idSegment{n: uint32(len(fresh)), first: hi, last: lo}
	for _, m := range fresh {
		t := m.Time.UnixNano()
		seg.first, seg.last = min(seg.first, t), max(seg.last, t)
	}
	add := make([]byte, 0, 8*len(newFPs))
	for _, fp := range newFPs {
		add = binary.BigEndian.AppendUint64(add, fp)
	}

	n := len(dir.segs)
	if n > 0 && int(dir.segs[n-1].n)+len(fresh) <= segmentMax {
		// Grow the last segment instead of adding a small one.
		if last == nil {
			if last, err = s.readIDSegment(b, ck, &dir, n-1); err != nil {
				return nil, err
			}
		}
		add = mergeSorted(last, add)
		g := &dir.segs[n-1]
		g.n += seg.n
		g.first, g.last = min(g.first, seg.first), max(g.last, seg.last)
		n--
	} else {
		dir.segs = append(dir.segs, seg)
	}
	if err := s.writeIDDir(b, ck, &dir); err != nil {
		return nil, err
	}
	key := idSegmentKey(ck, n)
	if err := s.putSealed(b, bucketIDs, key, dir.version, add); err != nil {
		return nil, err
	}
	return fresh, nil
}

// holds reports whether the conversation ck already holds message m,
// whose fingerprint is fp: the check dedupe makes, for one message, in a
// read transaction (streamBatch asks before streaming m's files).
func (s *Session) holds(tx *bolt.Tx, ck []byte, m *capture.Message, fp uint64) (bool, error) {
	b := tx.Bucket(bucketIDs)
	if b == nil {
		return false, nil
	}
	dir, err := s.readIDDir(b, ck)
	if err != nil {
		return false, err
	}
	t := m.Time.UnixNano()
	one := []uint64{fp}
	for i, g := range dir.segs {
		if g.first > t || g.last < t {
			continue
		}
		seg, err := s.readIDSegment(b, ck, &dir, i)
		if err != nil {
			return false, err
		}
		if len(storedIn(nil, seg, one)) > 0 {
			return true, nil
		}
	}
	if legacy := tx.Bucket(bucketMsgs); legacy != nil && legacy.Get(s.mac(ck, []byte(m.ID))) != nil {
		return true, nil
	}
	return false, nil
}

// storedIn appends to dst the fingerprints of batch (sorted, without
// repeats) that seg holds. seg is sorted (as segments are written): one
// merging pass. A segment out of order (damage, or an early schema 2
// file) is searched fingerprint by fingerprint instead. A fingerprint
// may be appended more than once.
func storedIn(dst []uint64, seg []byte, batch []uint64) []uint64 {
	j := 0
	var prev uint64
	for p := seg; len(p) > 0; p = p[8:] {
		v := binary.BigEndian.Uint64(p)
		if v < prev {
			for q := seg; len(q) > 0; q = q[8:] {
				if v := binary.BigEndian.Uint64(q); slices.Contains(batch, v) {
					dst = append(dst, v)
				}
			}
			return dst
		}
		prev = v
		for j < len(batch) && batch[j] < v {
			j++
		}
		if j < len(batch) && batch[j] == v {
			dst = append(dst, v)
		}
	}
	return dst
}

// mergeSorted merges two sorted runs of 8-byte big-endian fingerprints.
func mergeSorted(a, b []byte) []byte {
	out := make([]byte, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if binary.BigEndian.Uint64(a) <= binary.BigEndian.Uint64(b) {
			out, a = append(out, a[:8]...), a[8:]
		} else {
			out, b = append(out, b[:8]...), b[8:]
		}
	}
	return append(append(out, a...), b...)
}
