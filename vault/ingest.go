package vault

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/capture"
	"sealroom/crypto/escrow"
	"sealroom/crypto/seal"
	"sealroom/review"
	"sealroom/review/redact"
	"sealroom/vault/auditlog"
)

const (
	// ChunkSize is the most messages one chunk holds. An unlock opens
	// whole chunks, so this bounds how much an approval reveals beyond the
	// messages asked for; it also spreads the cost of a key wrap (two
	// scalar multiplications, ~75 µs) over many messages.
	ChunkSize = 32

	// batchMessages is how many messages Ingest buffers before committing
	// one durable transaction (about 512 full chunks). Bigger batches
	// commit less often but hold more of the dedupe index in memory: on a
	// 1M-message import, 8,192 gave 69k msgs/s at 268 MiB peak RSS,
	// 16,384 gave 88k at 352 MiB, 32,768 gave 106k at 443 MiB.
	batchMessages = 16384

	chunkRecordV1 = 1

	// chunkFill is the chunks bucket's bbolt fill percent. Chunk records
	// are written once, mostly in key order within a conversation, and
	// never grow: full pages waste nothing (bbolt's default, 0.5, leaves
	// pages split on append half empty).
	chunkFill = 1.0
	payloadV1 = 1
)

// IngestStats counts what an ingest did.
type IngestStats struct {
	Messages      int   // messages read
	New           int   // stored
	Duplicate     int   // already in the vault, or repeated in the input
	Chunks        int   // chunks written
	Conversations int   // conversations touched
	Events        int   // risk events found (when a Scanner is set)
	Files         int   // attachments stored with their content
	FileBytes     int64 // their bytes
	FileErrors    int   // attachments whose file could not be read: stored without content
}

// Ingester stores messages into the vault: it implements capture.Sink.
// Messages are buffered per conversation and committed in batches, each
// batch one durable transaction with its "ingest" log entry. A full batch
// is sealed and committed in the background while the next one fills, so
// parsing and sealing overlap; at most one batch is in flight. Call Close
// to commit the rest.
type Ingester struct {
	s        *Session
	progress func(IngestStats)
	headers  map[string]*capture.Conversation
	keys     map[string]*convKeys // by conversation id
	last     *convPending         // the current batch's entry for lastConv
	lastConv string
	cur      *ingestBatch
	sent     *ingestBatch // the last batch sent to be committed
	read     int          // messages received
	fps      fingerprinter

	flushing chan error // the batch in flight reports here; nil when none
	err      error      // the first failure; every later call returns it

	// Encapsulations for chunk-key wraps, made ahead by a goroutine
	// between Ingest and Close: it fills the gaps in which the importer
	// waits for a commit and the disk syncs.
	encaps  chan *escrow.Encapsulation
	stop    chan struct{}
	stopped bool

	// Scanning, when set by Scan.
	scanner Scanner
	pseudo  *redact.Pseudonyms

	// Written by the batch in flight only.
	stats   IngestStats
	touched map[string]bool
	swept   int // files an interrupted import left, dropped by Ingest: logged with the next batch
}

// convPending is what a batch holds of one conversation.
type convPending struct {
	msgs []*capture.Message
	fps  []uint64 // their fingerprints
	keys *convKeys
}

// convKeys are a conversation's keys in the vault's index.
type convKeys struct {
	ck []byte     // HMAC(K_index, conversation id)[:16]
	fp *[8]uint32 // its fingerprint state (ids.go)
}

// ingestBatch is one transaction's worth of messages.
type ingestBatch struct {
	pending  map[string]*convPending
	store    []capture.Message                // the messages' copies, allocated once per batch
	order    []string                         // conversations in first-seen order
	headers  map[string]*capture.Conversation // as known when the batch was sent
	buffered int
	files    int64 // bytes of attachment content to read
	read     int   // messages received up to the end of this batch

	free []*convPending // entries of the batch committed before, to reuse
}

// newBatch returns an empty batch. It reuses the memory of done, the
// batch committed before the one in flight, if there is one: its copies
// of messages go to done's store, and its conversations' lists of them to
// done's. Reusing the store's 3 MiB instead of allocating them saved the
// page faults and cache misses of fresh memory, 60 ns a message; the
// lists, grown by appending, were a tenth of an import's allocations.
func newBatch(done *ingestBatch) *ingestBatch {
	b := &ingestBatch{pending: map[string]*convPending{}}
	if done != nil && cap(done.store) == batchMessages {
		clear(done.store)
		b.store = done.store[:0]
	} else {
		b.store = make([]capture.Message, 0, batchMessages)
	}
	if done != nil {
		for _, pc := range done.pending {
			clear(pc.msgs)
			b.free = append(b.free, pc)
		}
	}
	return b
}

// newPending returns an empty entry for a conversation whose keys are k.
func (b *ingestBatch) newPending(k *convKeys) *convPending {
	n := len(b.free)
	if n == 0 {
		return &convPending{keys: k}
	}
	pc := b.free[n-1]
	b.free[n-1] = nil
	b.free = b.free[:n-1]
	*pc = convPending{msgs: pc.msgs[:0], fps: pc.fps[:0], keys: k}
	return pc
}

// Ingest starts an import. Only members with the ingest or admin role may
// import; neither role can unlock. progress, if not nil, is called after
// every committed batch, from the goroutine that committed it. Ingest
// first deletes the pieces of streamed files an earlier import left
// without a chunk (it died), and the first batch's log entry counts them.
func (s *Session) Ingest(progress func(IngestStats)) (*Ingester, error) {
	if !s.m.has(RoleIngest) && !s.m.has(RoleAdmin) {
		return nil, fmt.Errorf("%w: importing needs the ingest or admin role", ErrForbidden)
	}
	swept := 0
	if !s.v.opt.ReadOnly {
		var err error
		if swept, err = s.v.sweepOrphans(); err != nil {
			return nil, err
		}
	}
	in := &Ingester{s: s, progress: progress, headers: map[string]*capture.Conversation{},
		keys: map[string]*convKeys{}, cur: newBatch(nil), touched: map[string]bool{}, swept: swept,
		encaps: make(chan *escrow.Encapsulation, encapsAhead), stop: make(chan struct{})}
	go encapsulate(s.v.pub, in.encaps, in.stop)
	return in, nil
}

// encapsAhead is how many encapsulations the Ingester keeps ready (about
// 100 bytes each): a full batch's chunks. While a batch commits on one
// core (deduplication, puts, fsync) and the importer has filled the next,
// the other core makes them; with 128 ready, as before, it ran out and
// idled: 1M messages took 1.00 s instead of 0.97 (alternated runs; 1,024
// gained nothing more). The ones left at Close are wasted work (18 µs each).
const encapsAhead = batchMessages / ChunkSize

// encapsBatch is how many encapsulations encapsulate makes at a time:
// a batch shares the inversion of their encodings (18 µs each in batches
// of 16).
const encapsBatch = 16

func encapsulate(pub *escrow.PublicKey, out chan<- *escrow.Encapsulation, stop <-chan struct{}) {
	for {
		es, err := escrow.EncapsulateN(pub, encapsBatch)
		if err != nil {
			return // sealChunk makes its own, and reports the error
		}
		for i, e := range es {
			select {
			case out <- e:
			case <-stop:
				for _, e := range es[i:] {
					e.Destroy()
				}
				return
			}
		}
	}
}

// encapsulation returns one made ahead, or makes a batch, keeps one and
// offers the rest to the other sealing goroutines.
func (in *Ingester) encapsulation() (*escrow.Encapsulation, error) {
	select {
	case e := <-in.encaps:
		return e, nil
	default:
	}
	es, err := escrow.EncapsulateN(in.s.v.pub, encapsBatch/2)
	if err != nil {
		return nil, err
	}
	for _, e := range es[1:] {
		select {
		case in.encaps <- e:
		default:
			e.Destroy() // the channel filled meanwhile
		}
	}
	return es[0], nil
}

// stopEncapsulating ends the goroutine and destroys what it made.
func (in *Ingester) stopEncapsulating() {
	if in.stopped {
		return
	}
	in.stopped = true
	close(in.stop)
	for {
		select {
		case e := <-in.encaps:
			e.Destroy()
		default:
			return
		}
	}
}

// CopiesMessages says that Message copies each message and keeps no
// pointer to it (capture.Copier): importers may reuse one.
func (in *Ingester) CopiesMessages() {}

var _ capture.Copier = (*Ingester)(nil)

// Conversation records a conversation's header (title, participants);
// later calls for the same id replace it.
func (in *Ingester) Conversation(c *capture.Conversation) error {
	cp := *c
	in.headers[c.ID] = &cp
	return nil
}

// Message buffers one message, sending a batch to be committed when
// enough are buffered. An error from an earlier batch is returned here.
// The message's fingerprint (ids.go) is computed here, on the importer's
// goroutine, which would otherwise wait for the batch in flight.
func (in *Ingester) Message(m *capture.Message) error {
	if in.err != nil {
		return in.err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	b := in.cur
	pc := in.last // consecutive messages are mostly of one conversation
	if pc == nil || in.lastConv != m.Conversation {
		if pc = b.pending[m.Conversation]; pc == nil {
			k := in.keys[m.Conversation]
			if k == nil {
				ck := in.s.mac([]byte(m.Conversation))
				k = &convKeys{ck: ck, fp: in.s.fingerprintState(ck)}
				in.keys[m.Conversation] = k
			}
			pc = b.newPending(k)
			b.pending[m.Conversation] = pc
			b.order = append(b.order, m.Conversation)
		}
		in.last, in.lastConv = pc, m.Conversation
	}
	var cp *capture.Message
	if len(b.store) < cap(b.store) {
		b.store = append(b.store, *m)
		cp = &b.store[len(b.store)-1]
	} else {
		c := *m
		cp = &c
	}
	pc.msgs = append(pc.msgs, cp)
	pc.fps = append(pc.fps, in.fps.fingerprint(pc.keys.fp, m.ID))
	in.read++
	b.buffered++
	for _, a := range m.Attachments {
		if a.Open != nil && a.Size <= streamThreshold { // bigger ones are streamed
			b.files += max(a.Size, 1)
		}
	}
	if b.buffered >= batchMessages || b.files >= maxFileBuffered {
		return in.send()
	}
	return nil
}

// Scan makes the import scan every new message with sc and store the
// risk events it finds, at the vault's redaction level. Call it before
// the first message.
func (in *Ingester) Scan(sc Scanner) error {
	if in.read > 0 {
		return fmt.Errorf("vault: Scan after %d messages", in.read)
	}
	p, err := in.s.pseudonyms()
	if err != nil {
		return err
	}
	in.scanner, in.pseudo = sc, p
	return nil
}

// chunkScanner returns what finds the risk events of a chunk's messages,
// for one sealing goroutine: with a scanner that gives each goroutine a
// worker of its own (review.Scanner), one.
func (in *Ingester) chunkScanner() func(*chunkJob) error {
	if in.scanner == nil {
		return func(*chunkJob) error { return nil }
	}
	scan := in.scanner.Scan
	if ws, ok := in.scanner.(interface{ Worker() *review.Worker }); ok {
		scan = ws.Worker().Scan
	}
	return func(j *chunkJob) error { return in.scanChunk(j, scan) }
}

// scanChunk finds the risk events of a chunk's messages with scan, whose
// findings need only last until its next call: eventsFor copies what it
// keeps.
func (in *Ingester) scanChunk(j *chunkJob, scan func(*capture.Conversation, *capture.Message, *redact.Pseudonyms) []review.Finding) error {
	conv := convIDOf(j.key[:len(j.key)-4])
	for i, m := range j.msgs {
		fs := scan(j.header, m, in.pseudo)
		if len(fs) == 0 {
			continue
		}
		evs, err := in.s.eventsFor(in.pseudo, conv, j.header, j.first+uint32(i), chunkNumber(j.key), m, fs)
		if err != nil {
			return err
		}
		j.events = append(j.events, evs...)
	}
	return nil
}

// Flush commits what is buffered and waits for it: the importer calls it
// before closing the export that attachments' Open functions read.
func (in *Ingester) Flush() error {
	if err := in.send(); err != nil {
		return err
	}
	return in.wait()
}

// send waits for the batch in flight, then starts committing the current
// one in the background.
func (in *Ingester) send() error {
	if err := in.wait(); err != nil {
		return err
	}
	b := in.cur
	if b.buffered == 0 {
		return nil
	}
	// The batch sent before is committed: nothing holds its messages.
	in.cur, in.last, in.sent = newBatch(in.sent), nil, b
	b.read = in.read
	b.headers = make(map[string]*capture.Conversation, len(b.order))
	for _, id := range b.order {
		b.headers[id] = in.headers[id]
	}
	in.flushing = make(chan error, 1)
	go func(done chan<- error) { done <- in.flush(b) }(in.flushing)
	return nil
}

// wait waits for the batch in flight, if any, and returns the first error.
func (in *Ingester) wait() error {
	if in.flushing != nil {
		if err := <-in.flushing; err != nil && in.err == nil {
			in.err = err
		}
		in.flushing = nil
	}
	return in.err
}

// Close commits what is buffered and returns the totals.
func (in *Ingester) Close() (IngestStats, error) {
	err := in.send()
	if werr := in.wait(); err == nil {
		err = werr
	}
	in.stopEncapsulating()
	if in.pseudo != nil {
		in.pseudo.Destroy()
	}
	in.stats.Messages = in.read
	in.stats.Conversations = len(in.touched)
	return in.stats, err
}

// convRecord is the review-layer summary of a conversation (sealed under
// K_review): what a reviewer may know without an unlock.
type convRecord struct {
	Channel      string    `json:"channel"`
	Participants int       `json:"participants"`
	Messages     uint32    `json:"messages"`
	Chunks       uint32    `json:"chunks"`
	First        time.Time `json:"first"`
	Last         time.Time `json:"last"`
}

// chunkJob is one chunk to seal, built outside the transaction's lock.
type chunkJob struct {
	key    []byte
	first  uint32
	header *capture.Conversation
	msgs   []*capture.Message
	record []byte
	files  []sealedPiece
	failed int // attachments whose file could not be read
	events []*Event
	err    error

	streams  map[attAddr]*streamed // the batch's streamed files (streams.go)
	refs     []fileRef             // the chunk's: its payload names them
	streamed []*streamed           // the same files
}

// flush commits batch b in one transaction. It runs on its own
// goroutine, one batch at a time.
func (in *Ingester) flush(b *ingestBatch) error {
	if b.buffered == 0 {
		return nil
	}
	s := in.s
	streams, err := in.streamBatch(b)
	if err != nil {
		return fmt.Errorf("storing %d messages: %w", b.buffered, err)
	}
	var batch IngestStats
	var kept []*streamed
	err = s.v.update(auditlog.ActionIngest, func(tx *bolt.Tx) error {
		batch, kept = IngestStats{}, nil
		convs, chunks := tx.Bucket(bucketConvs), tx.Bucket(bucketChunks)
		chunks.FillPercent = chunkFill
		detail := map[string]string{}
		var jobs []*chunkJob
		for _, convID := range b.order {
			pc := b.pending[convID]
			ck := pc.keys.ck
			rec, version, err := s.readConv(convs, ck)
			if err != nil {
				return err
			}
			header := b.header(convID)
			pending := pc.msgs
			fresh, err := s.dedupe(tx, ck, pending, pc.fps)
			if err != nil {
				return err
			}
			batch.Duplicate += len(pending) - len(fresh)
			if len(fresh) == 0 {
				continue
			}
			for lo := 0; lo < len(fresh); lo += ChunkSize {
				hi := min(lo+ChunkSize, len(fresh))
				jobs = append(jobs, &chunkJob{key: chunkKey(ck, rec.Chunks), first: rec.Messages + uint32(lo) + 1, header: header,
					msgs: fresh[lo:hi], streams: streams})
				rec.Chunks++
			}
			rec.update(header, fresh)
			batch.New += len(fresh)
			version++
			body, _ := json.Marshal(rec)
			if err := s.putSealed(convs, bucketConvs, ck, version, body); err != nil {
				return err
			}
			detail["v:"+hex.EncodeToString(ck)] = strconv.FormatUint(version, 10)
			in.touched[convID] = true
		}
		if err := s.sealChunks(jobs, in.encapsulation, in.chunkScanner); err != nil {
			return err
		}
		files, err := bucket(tx, bucketFiles)
		if err != nil {
			return err
		}
		files.FillPercent = chunkFill
		open, err := bucket(tx, bucketBigOpen)
		if err != nil {
			return err
		}
		refs, err := bucket(tx, bucketBigRefs)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if err := chunks.Put(j.key, j.record); err != nil {
				return err
			}
			for _, p := range j.files {
				if err := files.Put(p.key, p.val); err != nil {
					return err
				}
				batch.FileBytes += int64(len(p.val) - seal.Overhead)
				if binary.BigEndian.Uint32(p.key[len(p.key)-4:]) == 0 {
					batch.Files++
				}
			}
			for i, st := range j.streamed {
				// The file's mark becomes its reference, atomically with its chunk.
				r := j.refs[i]
				if err := refs.Put(bytes.Clone(st.id[:]), append(bytes.Clone(j.key), byte(r.msg), byte(r.att))); err != nil {
					return err
				}
				if err := open.Delete(st.id[:]); err != nil {
					return err
				}
				batch.Files++
				batch.FileBytes += st.size
				kept = append(kept, st)
			}
			batch.FileErrors += j.failed
		}
		batch.Chunks = len(jobs)
		var events []*Event
		for _, j := range jobs {
			events = append(events, j.events...)
		}
		if err := s.putEvents(tx, events); err != nil {
			return err
		}
		batch.Events = len(events)
		if in.scanner != nil {
			detail["events"] = strconv.Itoa(batch.Events)
		}
		detail["messages"] = strconv.Itoa(batch.New)
		detail["duplicates"] = strconv.Itoa(batch.Duplicate)
		detail["chunks"] = strconv.Itoa(batch.Chunks)
		if batch.Files+batch.FileErrors > 0 {
			detail["files"] = strconv.Itoa(batch.Files)
			detail["file_errors"] = strconv.Itoa(batch.FileErrors)
		}
		if in.swept > 0 {
			detail["files_swept"] = strconv.Itoa(in.swept)
		}
		return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionIngest, Role: string(s.roleFor(RoleIngest, RoleAdmin)), Detail: detail})
	})
	if err == nil {
		for _, st := range kept {
			st.kept = true
		}
		in.swept = 0
	}
	// Files no chunk took (a duplicate's, or all of a failed batch's) are
	// dropped now; if that fails, the next import sweeps them.
	serr := in.settle(streams)
	if err != nil {
		return fmt.Errorf("storing %d messages: %w", b.buffered, err)
	}
	if serr != nil {
		return serr
	}
	s.v.releaseMapped()
	in.stats.New += batch.New
	in.stats.Duplicate += batch.Duplicate
	in.stats.Chunks += batch.Chunks
	in.stats.Events += batch.Events
	in.stats.Files += batch.Files
	in.stats.FileBytes += batch.FileBytes
	in.stats.FileErrors += batch.FileErrors
	in.stats.Messages = b.read
	if in.progress != nil {
		in.progress(in.stats)
	}
	return nil
}

func (b *ingestBatch) header(convID string) *capture.Conversation {
	if h := b.headers[convID]; h != nil {
		return h
	}
	return &capture.Conversation{ID: convID}
}

func (r *convRecord) update(h *capture.Conversation, msgs []*capture.Message) {
	if h.Channel != "" {
		r.Channel = h.Channel
	}
	r.Participants = max(r.Participants, len(h.Participants))
	r.Messages += uint32(len(msgs))
	for _, m := range msgs {
		if r.First.IsZero() || m.Time.Before(r.First) {
			r.First = m.Time
		}
		if m.Time.After(r.Last) {
			r.Last = m.Time
		}
	}
}

func (s *Session) readConv(convs *bolt.Bucket, ck []byte) (convRecord, uint64, error) {
	var rec convRecord
	val := convs.Get(ck)
	if val == nil {
		return rec, 0, nil
	}
	body, version, err := s.openSealed(bucketConvs, ck, val)
	if err != nil {
		return rec, 0, err
	}
	if err := json.Unmarshal(body, &rec); err != nil {
		return rec, 0, fmt.Errorf("%w: conversation %x: %v", ErrDamaged, ck[:6], err)
	}
	return rec, version, nil
}

// sealChunks builds the chunk records on all cores: a fresh DEK per chunk,
// wrapped to the escrow key, sealing the conversation header and messages.
// Each goroutine scans its chunks with what newScan gives it.
func (s *Session) sealChunks(jobs []*chunkJob, encapsulation func() (*escrow.Encapsulation, error), newScan func() func(*chunkJob) error) error {
	var wg sync.WaitGroup
	var next atomic.Int64 // the next job to take: no hand-off per chunk
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			var sc sealScratch
			scan := newScan()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(jobs)) {
					return
				}
				j := jobs[i]
				if j.err = scan(j); j.err != nil {
					continue
				}
				j.record, j.err = s.sealChunk(j, &sc, encapsulation)
				if j.err != nil {
					j.files = nil
				}
			}
		})
	}
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			return j.err
		}
	}
	return nil
}

// sealScratch is a sealing goroutine's buffers, reused from chunk to
// chunk: a chunk's encoded body and its compressed payload. They hold
// plaintext, so sealChunk clears them after use.
type sealScratch struct{ body, payload []byte }

func (s *Session) sealChunk(j *chunkJob, sc *sealScratch, encapsulation func() (*escrow.Encapsulation, error)) ([]byte, error) {
	dek, err := seal.NewKey()
	if err != nil {
		return nil, err
	}
	defer dek.Destroy()
	e, err := encapsulation()
	if err != nil {
		return nil, fmt.Errorf("wrapping chunk key: %w", err)
	}
	raw := dek.MarshalSecret()
	w, err := e.Wrap(raw, escrow.WrapContext{VaultID: s.v.id, ChunkID: j.key})
	clear(raw)
	if err != nil {
		return nil, fmt.Errorf("wrapping chunk key: %w", err)
	}
	wb, _ := w.MarshalBinary()
	j.files, j.refs, j.streamed, j.failed = nil, nil, nil, 0
	msgs := s.sealFiles(dek, j)
	version := byte(payloadV3)
	buf := sc.body[:0]
	if len(j.refs) > 0 {
		buf = appendFileRefs(buf, j.refs)
		version = payloadV4
	}
	buf = capture.AppendConversation(buf, j.header)
	for _, m := range msgs {
		buf = capture.AppendMessage(buf, m)
	}
	payload := compressPayload(sc.payload[:0], version, buf)
	clear(buf)
	sc.body, sc.payload = buf, payload
	defer clear(payload)
	rec := make([]byte, 0, 9+len(wb)+len(payload)+seal.Overhead)
	rec = append(rec, chunkRecordV1)
	rec = binary.BigEndian.AppendUint32(rec, j.first)
	rec = binary.BigEndian.AppendUint16(rec, uint16(len(j.msgs)))
	rec = binary.BigEndian.AppendUint16(rec, uint16(len(wb)))
	rec = append(rec, wb...)
	return seal.Seal(rec, dek, s.ad(bucketChunks, j.key, 1), payload)
}

// checkVersions compares every conversation summary's version with the
// latest version the signed log records for it: a summary restored from an
// older copy, or one the log does not know, is caught (T2).
func (s *Session) checkVersions(entries []auditlog.Signed) error {
	want := map[string]string{}
	for _, e := range entries {
		if !bytes.Contains(e.Body, []byte(`"action":"`+auditlog.ActionIngest+`"`)) {
			continue // most entries: skip the JSON decoding
		}
		p, err := auditlog.Parse(e.Body)
		if err != nil || p.Action != auditlog.ActionIngest {
			continue
		}
		for k, v := range p.Detail {
			if ck, ok := strings.CutPrefix(k, "v:"); ok {
				want[ck] = v
			}
		}
	}
	return s.v.view(func(tx *bolt.Tx) error {
		found := 0
		err := tx.Bucket(bucketConvs).ForEach(func(k, val []byte) error {
			id := hex.EncodeToString(k)
			if len(val) < 8 || strconv.FormatUint(binary.BigEndian.Uint64(val), 10) != want[id] {
				return &auditlog.Error{Class: auditlog.ClassTree, Err: fmt.Errorf("conversation %s is not at the version the log records (%s)", id[:12], want[id])}
			}
			found++
			return nil
		})
		if err == nil && found != len(want) {
			err = &auditlog.Error{Class: auditlog.ClassCount, Err: fmt.Errorf("the log records %d conversations, the vault holds %d", len(want), found)}
		}
		return err
	})
}
