package auditlog

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"sealroom/crypto/identity"
)

// The layout of an exported log, readable without Sealroom:
//
//	DIR/
//	  README.txt            what is here and how to check it
//	  verify.sh             the chain check with gpg and sha256sum (T14)
//	  checkpoint            size and Merkle root (C2SP tlog-checkpoint body)
//	  checkpoint.sig        the exporter's detached OpenPGP signature of it
//	  keys/FPR.asc          every member's armored public key
//	  entries/000001.json   canonical entry bytes, no trailing newline
//	  entries/000001.sig    the actor's detached signature (binary)
//	  proofs/000001.proof   inclusion proof of the entry in the checkpoint's tree
const (
	entriesDir = "entries"
	keysDir    = "keys"
	proofsDir  = "proofs"
)

//go:embed verify.sh
var verifyScript []byte

const readme = `Sealroom access-log export

Every file under entries/ is one log entry in canonical JSON, signed by the
member named in its "actor" field (entries/N.sig, OpenPGP, binary). Each
entry's "prev" is the SHA-256 of the previous entry file; the first entry's
is 64 zeros. checkpoint states the number of entries and the RFC 6962 Merkle
root over them, signed by the member who exported the log (checkpoint.sig);
proofs/N.proof proves entry N is in that tree.

Check the signatures and the chain with GnuPG alone:   sh verify.sh
Check everything, the Merkle tree and proofs included: sealctl log verify --export DIR
`

// Export is what WriteExport writes and ReadExport reads back.
type Export struct {
	Vault      string
	Entries    []Signed
	Keys       map[string]*identity.Public
	Checkpoint *Checkpoint
	CheckSig   []byte
	Proofs     []*InclusionProof
}

// WriteExport writes the log to dir, which must not exist yet, and signs
// the checkpoint with signer (an unlocked member identity).
func WriteExport(dir, vault string, entries []Signed, keys map[string]*identity.Public, signer *identity.Identity) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("creating export folder: %w", err)
	}
	root, err := TreeRoot(entries)
	if err != nil {
		return err
	}
	cp := &Checkpoint{Origin: Origin(vault), Size: int64(len(entries)), Root: root}
	cpSig, err := signer.Sign(cp.Marshal())
	if err != nil {
		return fmt.Errorf("signing checkpoint: %w", err)
	}
	files := map[string][]byte{
		"README.txt":     []byte(readme),
		"verify.sh":      verifyScript,
		"checkpoint":     cp.Marshal(),
		"checkpoint.sig": cpSig,
	}
	for fpr, pub := range keys {
		files[filepath.Join(keysDir, fpr+".asc")] = pub.Armor()
	}
	stored := storedHashes(entries)
	for i, s := range entries {
		name := fmt.Sprintf("%06d", i+1)
		files[filepath.Join(entriesDir, name+".json")] = s.Body
		files[filepath.Join(entriesDir, name+".sig")] = s.Sig
		path, err := tlog.ProveRecord(int64(len(entries)), int64(i), stored)
		if err != nil {
			return fmt.Errorf("proving entry %d: %w", i+1, err)
		}
		p := &InclusionProof{Origin: cp.Origin, Index: int64(i), Size: cp.Size, Path: path}
		files[filepath.Join(proofsDir, name+".proof")] = p.Marshal()
	}
	for _, sub := range []string{entriesDir, keysDir, proofsDir} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("creating export folder: %w", err)
		}
	}
	for name, b := range files {
		mode := os.FileMode(0o644)
		if name == "verify.sh" {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, mode); err != nil {
			return fmt.Errorf("writing export: %w", err)
		}
	}
	return nil
}

func storedHashes(entries []Signed) tlog.HashReaderFunc {
	var stored []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x >= int64(len(stored)) {
				return nil, errors.New("auditlog: hash index out of range")
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	for i, s := range entries {
		hs, _ := tlog.StoredHashes(int64(i), s.Body, r) // reads only earlier hashes: cannot fail
		stored = append(stored, hs...)
	}
	return r
}

// ReadExport reads an exported log. It checks the layout only; VerifyExport
// checks the content.
func ReadExport(dir string) (*Export, error) {
	ex := &Export{Keys: map[string]*identity.Public{}}
	cpBody, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return nil, fmt.Errorf("reading export: %w", err)
	}
	if ex.Checkpoint, err = ParseCheckpoint(cpBody); err != nil {
		return nil, err
	}
	ex.Vault = strings.TrimPrefix(ex.Checkpoint.Origin, Origin(""))
	if ex.CheckSig, err = os.ReadFile(filepath.Join(dir, "checkpoint.sig")); err != nil {
		return nil, fmt.Errorf("reading export: %w", err)
	}
	keyFiles, _ := filepath.Glob(filepath.Join(dir, keysDir, "*.asc"))
	for _, f := range keyFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading export: %w", err)
		}
		pub, err := identity.ParsePublic(b)
		if err != nil {
			return nil, fmt.Errorf("reading export key %s: %w", filepath.Base(f), err)
		}
		ex.Keys[pub.Fingerprint()] = pub
	}
	bodies, _ := filepath.Glob(filepath.Join(dir, entriesDir, "*.json"))
	sort.Strings(bodies)
	for i, f := range bodies {
		if want := fmt.Sprintf("%06d.json", i+1); filepath.Base(f) != want {
			return nil, fail(uint64(i+1), ClassMissing, "found %s where %s was expected", filepath.Base(f), want)
		}
		var s Signed
		if s.Body, err = os.ReadFile(f); err != nil {
			return nil, fmt.Errorf("reading export: %w", err)
		}
		if s.Sig, err = os.ReadFile(strings.TrimSuffix(f, ".json") + ".sig"); err != nil {
			return nil, fail(uint64(i+1), ClassSignature, "%v", err)
		}
		ex.Entries = append(ex.Entries, s)
		pb, err := os.ReadFile(filepath.Join(dir, proofsDir, fmt.Sprintf("%06d.proof", i+1)))
		if err != nil {
			return nil, fail(uint64(i+1), ClassTree, "%v", err)
		}
		p, err := ParseInclusionProof(pb)
		if err != nil {
			return nil, fail(uint64(i+1), ClassTree, "%v", err)
		}
		ex.Proofs = append(ex.Proofs, p)
	}
	return ex, nil
}

// VerifyExport checks an export completely: the entries as Verify does,
// the checkpoint against them and its signature by a member, and every
// inclusion proof.
func VerifyExport(ex *Export, opt Options) (*Report, error) {
	keyOf := func(fpr string) *identity.Public { return ex.Keys[fpr] }
	opt.Vault = ex.Vault
	rep, err := Verify(ex.Entries, keyOf, opt)
	if err != nil {
		return nil, err
	}
	cp, n := ex.Checkpoint, int64(len(ex.Entries))
	switch {
	case cp.Size > n:
		return nil, fail(uint64(n+1), ClassMissing, "the checkpoint states %d entries, the export holds %d", cp.Size, n)
	case cp.Size < n:
		return nil, fail(uint64(cp.Size+1), ClassCount, "the checkpoint states %d entries, the export holds %d", cp.Size, n)
	}
	if cp.Root != rep.Root {
		return nil, fail(0, ClassTree, "checkpoint root does not match the entries")
	}
	signed := false
	for _, pub := range ex.Keys {
		if pub.Verify(cp.Marshal(), ex.CheckSig) == nil {
			signed = true
			break
		}
	}
	if !signed {
		return nil, fail(0, ClassSignature, "checkpoint signature is not by a member")
	}
	for i, p := range ex.Proofs {
		if p.Index != int64(i) {
			return nil, fail(uint64(i+1), ClassTree, "proof names index %d", p.Index)
		}
		if err := p.Check(cp, ex.Entries[i].Body); err != nil {
			return nil, fail(uint64(i+1), ClassTree, "inclusion proof: %v", err)
		}
	}
	return rep, nil
}
