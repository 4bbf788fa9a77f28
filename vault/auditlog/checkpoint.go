package auditlog

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is a signed statement of a log's size and Merkle root, in the
// body format of C2SP tlog-checkpoint: an origin line, the tree size in
// decimal, the root hash in base64, each followed by a newline. Sealroom
// signs the body with the exporting member's OpenPGP key (a detached
// signature beside it) rather than a signed note, so that `gpg --verify`
// checks it with the same keys as the entries.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
}

// Origin returns the checkpoint origin line for a vault.
func Origin(vault string) string { return "sealroom/vault/" + vault }

// Marshal returns the checkpoint body.
func (c *Checkpoint) Marshal() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

// ErrCheckpoint is returned for a checkpoint that does not parse.
var ErrCheckpoint = errors.New("auditlog: malformed checkpoint")

// ParseCheckpoint parses a checkpoint body. Extension lines after the root
// are refused: Sealroom writes none.
func ParseCheckpoint(b []byte) (*Checkpoint, error) {
	lines := strings.Split(string(b), "\n")
	if len(lines) != 4 || lines[3] != "" || lines[0] == "" {
		return nil, fmt.Errorf("%w: want three lines", ErrCheckpoint)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return nil, fmt.Errorf("%w: size %q", ErrCheckpoint, lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return nil, fmt.Errorf("%w: root %q", ErrCheckpoint, lines[2])
	}
	c := &Checkpoint{Origin: lines[0], Size: size}
	copy(c.Root[:], root)
	if !bytes.Equal(c.Marshal(), b) {
		return nil, fmt.Errorf("%w: not canonical", ErrCheckpoint)
	}
	return c, nil
}

// InclusionProof proves that the entry at Index (0-based) is in the tree of
// Size entries whose root a checkpoint states (tlog-proof style).
type InclusionProof struct {
	Origin string
	Index  int64
	Size   int64
	Path   tlog.RecordProof
}

const proofHeader = "sealroom inclusion proof v1"

// Marshal writes the proof as text: a header line, the origin, "index N",
// "size N", then one base64 hash per line.
func (p *InclusionProof) Marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%s\nindex %d\nsize %d\n", proofHeader, p.Origin, p.Index, p.Size)
	for _, h := range p.Path {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ParseInclusionProof parses what Marshal writes.
func ParseInclusionProof(b []byte) (*InclusionProof, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) < 4 || lines[0] != proofHeader {
		return nil, fmt.Errorf("auditlog: malformed inclusion proof")
	}
	p := &InclusionProof{Origin: lines[1]}
	if _, err := fmt.Sscanf(lines[2], "index %d", &p.Index); err != nil {
		return nil, fmt.Errorf("auditlog: inclusion proof index: %w", err)
	}
	if _, err := fmt.Sscanf(lines[3], "size %d", &p.Size); err != nil {
		return nil, fmt.Errorf("auditlog: inclusion proof size: %w", err)
	}
	for _, l := range lines[4:] {
		h, err := base64.StdEncoding.DecodeString(l)
		if err != nil || len(h) != tlog.HashSize {
			return nil, fmt.Errorf("auditlog: inclusion proof hash %q", l)
		}
		p.Path = append(p.Path, tlog.Hash(h))
	}
	if !bytes.Equal(p.Marshal(), b) {
		return nil, fmt.Errorf("auditlog: inclusion proof is not canonical")
	}
	return p, nil
}

// Check verifies that body is the entry the proof names in the tree c states.
func (p *InclusionProof) Check(c *Checkpoint, body []byte) error {
	if p.Origin != c.Origin || p.Size != c.Size {
		return fmt.Errorf("auditlog: proof is for %s size %d, checkpoint is %s size %d", p.Origin, p.Size, c.Origin, c.Size)
	}
	return tlog.CheckRecord(p.Path, p.Size, c.Root, p.Index, tlog.RecordHash(body))
}
