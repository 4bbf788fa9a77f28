package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// streamedPieces is the number of pieces the vault cuts a file of n bytes
// into (vault/files.go: pieces of 64 KiB - 256 bytes).
func streamedPieces(n int) int { return (n + 64<<10 - 256 - 1) / (64<<10 - 256) }

// T4-lite for streamed files: `sealctl ingest` of a WhatsApp .zip whose
// 40 MiB video is streamed into the vault in 4 MiB transactions before its
// message's chunk commits, killed with SIGKILL while it streams, then run
// again: the pieces the killed run left are swept, the video is stored
// once and reads back intact after a two-officer unlock. 4 rounds here,
// 20 in make soak.
func TestIngestKilledStreaming(t *testing.T) {
	rounds := 4
	if os.Getenv("SEALROOM_SOAK") != "" {
		rounds = 20
	}
	dir := t.TempDir()
	ada := newTestAdmin(t, dir)
	mk := func(name string) *identity.Identity {
		id, err := identity.New(name, name+"@stream.test", []byte("x"))
		must(t, err)
		return id
	}
	rita, officers := mk("rita"), []*identity.Identity{mk("o1"), mk("o2"), mk("o3")}
	var pubs []*identity.Public
	for _, o := range officers {
		pubs = append(pubs, o.Public())
	}
	empty := filepath.Join(dir, "empty.vault")
	must(t, vault.Create(empty, ada.id, pubs, vault.Config{Threshold: 2}, &vault.Options{StateDir: empty + ".state"}))
	emptyBytes, err := os.ReadFile(empty)
	must(t, err)

	video := make([]byte, 40<<20)
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < len(video); i += 8 {
		v := r.Uint64()
		for k := range 8 {
			video[i+k] = byte(v >> (8 * k))
		}
	}
	export := filepath.Join(dir, "WhatsApp Chat - Desk.zip")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, f := range []struct {
		name string
		body []byte
	}{
		{"_chat.txt", []byte("05/01/2024, 09:12 - Ann: the recording from yesterday\n" +
			"05/01/2024, 09:13 - Ann: VID-20240105-WA0001.mp4 (file attached)\n" +
			"05/01/2024, 09:15 - Bob: got it, thanks\n")},
		{"VID-20240105-WA0001.mp4", video},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
		must(t, err)
		_, err = w.Write(f.body)
		must(t, err)
	}
	must(t, zw.Close())
	must(t, os.WriteFile(export, zb.Bytes(), 0o600))
	zb.Reset()

	sealctl := func(v string) *exec.Cmd {
		c := exec.Command(os.Args[0], "ingest", v, "--as", ada.key, "--passphrase-file", ada.pass, "--format", "whatsapp",
			"--days-first", "yes", "--tz", "UTC", "--no-scan", export)
		c.Env = append(os.Environ(), "SEALCTL_TEST_MAIN=1", "SEALROOM_STATE_DIR="+v+".state")
		return c
	}
	// usage returns the records of the streamed-file buckets, after the
	// checks every kill must pass: bbolt's, and the log's.
	usage := func(path string) (pieces, open, refs, msgs int) {
		t.Helper()
		v, err := vault.Open(path, &vault.Options{StateDir: path + ".state"})
		must(t, err)
		defer v.Close()
		if errs := v.Check(); len(errs) > 0 {
			t.Fatalf("bbolt check: %v", errs)
		}
		s, err := v.Login(ada.id)
		must(t, err)
		if _, err := s.VerifyLog(vault.LogOptions{}); err != nil {
			t.Fatalf("log: %v", err)
		}
		bs, _, err := v.Usage()
		must(t, err)
		for _, b := range bs {
			switch b.Name {
			case "bigfiles":
				pieces = b.Records
			case "bigfiles.open":
				open = b.Records
			case "bigfiles.refs":
				refs = b.Records
			}
		}
		cs, err := s.Conversations()
		must(t, err)
		for _, c := range cs {
			msgs += c.Messages
		}
		return pieces, open, refs, msgs
	}
	want := streamedPieces(len(video))

	// reaches waits until the file at v is bigger than n bytes.
	reaches := func(v string, n int64) {
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if fi, err := os.Stat(v); err == nil && fi.Size() > n {
				return
			}
		}
	}
	// Time the streaming: from the first streaming commit to the file
	// holding the whole video, to kill the other runs in that span or
	// just after it (before the batch commits, or after).
	timed := filepath.Join(dir, "timed.vault")
	must(t, os.WriteFile(timed, emptyBytes, 0o600))
	tc := sealctl(timed)
	var out bytes.Buffer
	tc.Stdout, tc.Stderr = &out, &out
	must(t, tc.Start())
	reaches(timed, int64(len(emptyBytes)))
	start := time.Now()
	reaches(timed, int64(len(video)))
	streaming := time.Since(start)
	if err := tc.Wait(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out.Bytes())
	}
	if p, o, refs, n := usage(timed); p != want || o != 0 || refs != 1 || n != 3 {
		t.Fatalf("uninterrupted ingest: %d pieces, %d open, %d references, %d messages; want %d, 0, 1, 3", p, o, refs, n, want)
	}

	rr := rand.New(rand.NewPCG(7, 9))
	orphaned := 0
	var last string
	for round := range rounds {
		v := filepath.Join(dir, fmt.Sprintf("r%d.vault", round))
		must(t, os.WriteFile(v, emptyBytes, 0o600))
		c := sealctl(v)
		must(t, c.Start())
		reaches(v, int64(len(emptyBytes)))
		time.Sleep(time.Duration(rr.Float64() * 1.25 * float64(streaming)))
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
		p, o, refs, n := usage(v)
		t.Logf("round %d: killed with %d pieces, %d open files, %d references, %d messages stored", round, p, o, refs, n)
		if o > 0 {
			orphaned++
		}
		if out, err := sealctl(v).CombinedOutput(); err != nil {
			t.Fatalf("round %d: ingest after the kill: %v\n%s", round, err, out)
		}
		if p, o, refs, n := usage(v); p != want || o != 0 || refs != 1 || n != 3 {
			t.Fatalf("round %d: after the re-run %d pieces, %d open, %d references, %d messages; want %d, 0, 1, 3", round, p, o, refs, n, want)
		}
		last = v
	}
	t.Logf("streaming took %s; %d rounds, %d killed before the file's chunk committed", streaming.Round(time.Millisecond), rounds, orphaned)

	// The last round's video, read back.
	vt, err := vault.Open(last, &vault.Options{StateDir: last + ".state"})
	must(t, err)
	defer vt.Close()
	as := func(id *identity.Identity) *vault.Session {
		s, err := vt.Login(id)
		must(t, err)
		return s
	}
	must(t, as(ada.id).AddMember(rita.Public(), []vault.Role{vault.RoleReviewer}))
	rs := as(rita)
	cs, err := rs.Conversations()
	must(t, err)
	req, err := rs.Request(vault.Scope{Conversation: cs[0].ID, From: 1, To: 3}, "Check of the recording sent to the desk", time.Hour)
	must(t, err)
	must(t, as(officers[0]).Approve(req))
	must(t, as(officers[1]).Approve(req))
	u, err := rs.Unlock(req)
	must(t, err)
	defer u.Close()
	m := &u.Messages[1]
	rc, err := u.OpenAttachment(m, 0)
	must(t, err)
	h := sha256.New()
	n, err := io.Copy(h, rc)
	rc.Close()
	if err != nil || n != int64(len(video)) || !bytes.Equal(h.Sum(nil), sum256(video)) {
		t.Fatalf("reading the video back: %v after %d bytes", err, n)
	}
}

func sum256(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
