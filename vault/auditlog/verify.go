package auditlog

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"sealroom/crypto/identity"
)

// Signed is one stored entry: its canonical bytes and the actor's binary
// OpenPGP detached signature over them.
type Signed struct {
	Body []byte
	Sig  []byte
}

// KeyFunc returns the public key with the given fingerprint, or nil.
type KeyFunc func(fingerprint string) *identity.Public

// Options tune Verify.
type Options struct {
	Vault    string                // the vault id every entry must carry
	Workers  int                   // signature-checking goroutines; 0 means one per CPU
	Progress func(done, total int) // called from one goroutine as signatures are checked; may be nil
}

// Report describes a log that verified.
type Report struct {
	Entries    int       // entries checked
	Signatures int       // signatures verified
	Head       string    // hash of the last entry (hex), ZeroHash for an empty log
	Root       tlog.Hash // Merkle tree root over all entries
	Members    int       // members known after replaying the log
	Last       *Entry    // the last entry, nil for an empty log
}

// Verify checks a whole log: every entry decodes canonically, belongs to the
// vault, sits at its position, links to the entry before, moves time
// forward, is made by a member whose key matches the one enrolled, and is
// signed by that member. It returns an *Error naming the first failing entry.
// Signatures, the costly part, are checked in batches of 256 (identity.Batch,
// about 18 µs each instead of 50) on all cores.
func Verify(entries []Signed, keys KeyFunc, opt Options) (*Report, error) {
	parsed, firstErr := checkEach(entries, keys, opt)
	rep, chainErr := replay(entries, parsed, keys, opt.Vault)
	if chainErr != nil && (firstErr == nil || chainErr.Index <= firstErr.Index) {
		return nil, chainErr
	}
	if firstErr != nil {
		return nil, firstErr
	}
	rep.Signatures = len(entries)
	root, err := TreeRoot(entries)
	if err != nil {
		return nil, fail(0, ClassTree, "%v", err)
	}
	rep.Root = root
	return rep, nil
}

// checkEach decodes every entry and verifies its signature with the key its
// actor names, in parallel. It returns the parsed entries (nil where
// decoding failed) and the failure with the lowest index.
func checkEach(entries []Signed, keys KeyFunc, opt Options) ([]*Entry, *Error) {
	parsed := make([]*Entry, len(entries))
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu    sync.Mutex
		first *Error
		done  int
		wg    sync.WaitGroup
	)
	record := func(e *Error) {
		mu.Lock()
		if first == nil || e.Index < first.Index {
			first = e
		}
		mu.Unlock()
	}
	const batch = 256
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b identity.Batch
			for lo := range next {
				hi := min(lo+batch, len(entries))
				var added []int
				for i := lo; i < hi; i++ {
					if e := checkOne(i, entries[i], keys, parsed, &b); e != nil {
						record(e)
					} else {
						added = append(added, i)
					}
				}
				if !b.Check() {
					// Some signature of the batch is bad: find which, one by one.
					for _, i := range added {
						pub := keys(parsed[i].Actor)
						if err := pub.Verify(entries[i].Body, entries[i].Sig); err != nil {
							record(fail(uint64(i+1), ClassSignature, "signature by actor %s: %v", parsed[i].Actor, err))
						}
					}
				}
				if opt.Progress != nil {
					mu.Lock()
					done += hi - lo
					opt.Progress(done, len(entries))
					mu.Unlock()
				}
			}
		}()
	}
	for lo := 0; lo < len(entries); lo += batch {
		next <- lo
	}
	close(next)
	wg.Wait()
	return parsed, first
}

// checkOne decodes entry i and adds its signature to the batch b (which
// checks everything but the curve equation at once).
func checkOne(i int, s Signed, keys KeyFunc, parsed []*Entry, b *identity.Batch) *Error {
	idx := uint64(i + 1)
	e, err := Parse(s.Body)
	if err == ErrNonCanonical {
		return fail(idx, ClassCanonical, "%v", err)
	}
	if err != nil {
		return fail(idx, ClassBody, "%v", err)
	}
	parsed[i] = e
	pub := keys(e.Actor)
	if pub == nil {
		return fail(idx, ClassActor, "no enrolled key for actor %s", e.Actor)
	}
	if err := b.Add(pub, s.Body, s.Sig); err != nil {
		return fail(idx, ClassSignature, "signature by actor %s: %v", e.Actor, err)
	}
	return nil
}

// replay walks the entries in order and checks what depends on the entries
// before: position, vault, chain, time and membership.
func replay(entries []Signed, parsed []*Entry, keys KeyFunc, vault string) (*Report, *Error) {
	rep := &Report{Head: ZeroHash}
	members := map[string]bool{}
	var last time.Time
	for i, e := range parsed {
		idx := uint64(i + 1)
		if e == nil {
			return nil, nil // checkEach reported this entry; it is the first chain break too
		}
		switch {
		case e.Vault != vault:
			return nil, fail(idx, ClassVault, "entry is for vault %s, not %s", e.Vault, vault)
		case e.Seq != idx:
			return nil, fail(idx, ClassSequence, "entry says seq %d at position %d", e.Seq, idx)
		case e.Prev != rep.Head:
			return nil, fail(idx, ClassPrev, "prev is %.16s…, the entry before hashes to %.16s…", e.Prev, rep.Head)
		case e.When().Before(last):
			return nil, fail(idx, ClassTime, "time %s is before the previous entry's %s", e.Time, FormatTime(last))
		}
		if err := enrol(idx, e, members, keys); err != nil {
			return nil, err
		}
		if !members[e.Actor] {
			return nil, fail(idx, ClassActor, "actor %s is not a member at this point", e.Actor)
		}
		rep.Head = Hash(entries[i].Body) // canonical: Parse checked it
		last = e.When()
		rep.Last = e
	}
	rep.Entries = len(parsed)
	rep.Members = len(members)
	return rep, nil
}

// MemberDetail is the detail value recording an enrolled member: its roles,
// comma separated, a semicolon, and the SHA-256 of its public key bytes.
func MemberDetail(roles []string, pub *identity.Public) string {
	return strings.Join(roles, ",") + ";" + KeyHash(pub)
}

// KeyHash is the hex SHA-256 of a public key's binary serialization.
func KeyHash(pub *identity.Public) string {
	h := sha256.Sum256(pub.Bytes())
	return hex.EncodeToString(h[:])
}

// MemberPrefix starts the detail keys of "vault.init" that enrol members.
const MemberPrefix = "member:"

// enrol applies the membership changes an entry makes. The first entry must
// be "vault.init"; it and "member.add" bind each new member's key by hash,
// so swapping a key in the vault file is caught.
func enrol(idx uint64, e *Entry, members map[string]bool, keys KeyFunc) *Error {
	add := func(fpr, detail string) *Error {
		_, keyHash, ok := strings.Cut(detail, ";")
		if !ok {
			return fail(idx, ClassActor, "member %s enrolled without a key hash", fpr)
		}
		pub := keys(fpr)
		if pub == nil {
			return fail(idx, ClassActor, "no key for enrolled member %s", fpr)
		}
		if KeyHash(pub) != keyHash {
			return fail(idx, ClassActor, "key of member %s does not match the one enrolled", fpr)
		}
		members[fpr] = true
		return nil
	}
	if idx == 1 {
		if e.Action != ActionInit {
			return fail(idx, ClassActor, "first entry is %q, want %q", e.Action, ActionInit)
		}
		for k, v := range e.Detail {
			if fpr, ok := strings.CutPrefix(k, MemberPrefix); ok {
				if err := add(fpr, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	switch e.Action {
	case ActionInit:
		return fail(idx, ClassActor, "a second %q entry", ActionInit)
	case ActionMemberAdd:
		if !members[e.Actor] {
			return fail(idx, ClassActor, "actor %s is not a member at this point", e.Actor)
		}
		return add(e.Target, e.Detail["member"])
	}
	return nil
}

// TreeRoot returns the RFC 6962 Merkle root over the entries' canonical bytes.
func TreeRoot(entries []Signed) (tlog.Hash, error) {
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	for i, s := range entries {
		hs, err := tlog.StoredHashes(int64(i), s.Body, r)
		if err != nil {
			return tlog.Hash{}, err
		}
		stored = append(stored, hs...)
	}
	return tlog.TreeHash(int64(len(entries)), r)
}
