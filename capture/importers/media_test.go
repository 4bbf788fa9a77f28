package importers_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sealroom/capture"
	"sealroom/capture/importers"
	"sealroom/vault"
)

// A WhatsApp .zip's media travel with their messages: imported through
// the vault, sealed with the chunk key, and read back, checked, after a
// two-officer unlock; a second import stores no file twice.
func TestWhatsAppZipMedia(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(9, 9))
	photo := make([]byte, 150<<10) // three pieces
	for i := range photo {
		photo[i] = byte(r.Uint32())
	}
	pdf := []byte("%PDF-1.7 quarterly numbers")
	chat := "27/03/2022, 21:40 - Ann: the numbers\n" +
		"27/03/2022, 21:41 - Ann: IMG-20220327-WA0001.jpg (file attached)\nfrom the desk\n" +
		"27/03/2022, 21:42 - Bob: Q1.pdf (file attached)\n" +
		"27/03/2022, 21:43 - Bob: VID-20220327-WA0002.mp4 (file attached)\n" + // not in the zip
		"27/03/2022, 21:44 - Ann: <Media omitted>\n"
	zpath := filepath.Join(dir, "WhatsApp Chat - Desk.zip")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for name, body := range map[string][]byte{"_chat.txt": []byte(chat), "IMG-20220327-WA0001.jpg": photo, "Q1.pdf": pdf} {
		w, err := zw.Create(name)
		must(t, err)
		_, err = w.Write(body)
		must(t, err)
	}
	must(t, zw.Close())
	must(t, os.WriteFile(zpath, zb.Bytes(), 0o600))

	tv := newTestVault(t, filepath.Join(dir, "media.vault"))
	as, admin, rita, o1, o2 := tv.as, tv.admin, tv.rita, tv.officers[0], tv.officers[1]
	ingest := func() vault.IngestStats {
		in, err := as(admin).Ingest(nil)
		must(t, err)
		f, err := importers.Detect(zpath)
		must(t, err)
		_, err = f.Read(zpath, in, capture.Options{Zone: time.UTC})
		must(t, err)
		st, err := in.Close()
		must(t, err)
		return st
	}
	if st := ingest(); st.New != 5 || st.Files != 2 || st.FileBytes != int64(len(photo)+len(pdf)) || st.FileErrors != 0 {
		t.Fatalf("import: %+v, want 5 messages and 2 files of %d bytes", st, len(photo)+len(pdf))
	}
	if st := ingest(); st.New != 0 || st.Files != 0 {
		t.Fatalf("second import: %+v", st)
	}

	rs := as(rita)
	cs, err := rs.Conversations()
	must(t, err)
	req, err := rs.Request(vault.Scope{Conversation: cs[0].ID, From: 1, To: 5}, "Media check of the desk chat", time.Hour)
	must(t, err)
	must(t, as(o1).Approve(req))
	must(t, as(o2).Approve(req))
	u, err := rs.Unlock(req)
	must(t, err)
	defer u.Close()
	want := map[string][]byte{"IMG-20220327-WA0001.jpg": photo, "Q1.pdf": pdf}
	got := 0
	for i := range u.Messages {
		m := &u.Messages[i]
		for ai, a := range m.Attachments {
			b, err := u.Attachment(m, ai)
			body, ok := want[a.Name]
			if !ok {
				if err == nil {
					t.Errorf("%s: content without a file in the zip", a.Name)
				}
				continue
			}
			sum := sha256.Sum256(body)
			if err != nil || !bytes.Equal(b, body) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(body)) {
				t.Fatalf("%s: %v (%d bytes, want %d)", a.Name, err, len(b), len(body))
			}
			got++
		}
	}
	if got != 2 {
		t.Fatalf("%d files read back, want 2", got)
	}
}
