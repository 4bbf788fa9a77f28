package auditlog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sealroom/crypto/identity"
)

const testVault = "00112233445566778899aabbccddeeff"

var (
	idOnce sync.Once
	ids    []*identity.Identity // alice (admin), bob (member), mallory (never enrolled)
)

func testIDs(t testing.TB) []*identity.Identity {
	idOnce.Do(func() {
		for _, n := range []string{"alice", "bob", "mallory"} {
			id, err := identity.New(n, n+"@example.test", []byte("pw-"+n))
			if err != nil {
				panic(err)
			}
			ids = append(ids, id)
		}
	})
	return ids
}

// testLog builds a valid log of n entries for testVault: alice creates the
// vault enrolling herself and bob, then they alternate.
func testLog(t testing.TB, vault string, n int) ([]Signed, KeyFunc) {
	t.Helper()
	ids := testIDs(t)
	alice, bob := ids[0], ids[1]
	keys := map[string]*identity.Public{}
	for _, id := range ids {
		keys[id.Public().Fingerprint()] = id.Public()
	}
	var out []Signed
	prev := ZeroHash
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		signer := alice
		e := &Entry{V: Version, Vault: vault, Seq: uint64(i), Prev: prev, Time: FormatTime(start.Add(time.Duration(i) * time.Second)),
			Action: ActionRequest, Target: fmt.Sprintf("r%d", i), Reason: "checking a trade alert"}
		if i == 1 {
			e.Action, e.Target, e.Reason = ActionInit, "", ""
			e.Detail = map[string]string{
				MemberPrefix + alice.Public().Fingerprint(): MemberDetail([]string{"admin"}, alice.Public()),
				MemberPrefix + bob.Public().Fingerprint():   MemberDetail([]string{"reviewer"}, bob.Public()),
			}
		} else if i%2 == 0 {
			signer = bob
		}
		e.Actor = signer.Public().Fingerprint()
		out = append(out, sign(t, signer, e))
		prev = Hash(out[len(out)-1].Body)
	}
	return out, func(f string) *identity.Public { return keys[f] }
}

func sign(t testing.TB, id *identity.Identity, e *Entry) Signed {
	t.Helper()
	body, err := e.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := id.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	return Signed{Body: body, Sig: sig}
}

func TestVerifyIntact(t *testing.T) {
	log, keys := testLog(t, testVault, 40)
	for _, workers := range []int{1, 3} {
		var calls, last int
		rep, err := Verify(log, keys, Options{Vault: testVault, Workers: workers, Progress: func(done, total int) { calls++; last = done }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Entries != 40 || rep.Signatures != 40 || rep.Members != 2 || rep.Head != Hash(log[39].Body) || rep.Last.Seq != 40 {
			t.Fatalf("report %+v", rep)
		}
		if calls == 0 || last != 40 {
			t.Fatalf("progress: %d calls, last %d", calls, last)
		}
	}
	if _, err := Verify(nil, keys, Options{Vault: testVault}); err != nil {
		t.Fatalf("empty log: %v", err)
	}
}

// tamper is one T14 case: it changes a valid 20-entry log and says which
// entry must be reported first, and with which classes.
type tamper struct {
	name    string
	index   uint64
	classes []Class
	edit    func(t *testing.T, log []Signed) []Signed
}

func edited(t *testing.T, log []Signed, i int, signer *identity.Identity, change func(e *Entry)) []Signed {
	e, err := Parse(log[i].Body)
	if err != nil {
		t.Fatal(err)
	}
	change(e)
	log[i] = sign(t, signer, e)
	return log
}

func tampers() []tamper {
	ids := testIDs(nil)
	alice, bob, mallory := ids[0], ids[1], ids[2]
	return []tamper{
		{"delete entry 7", 7, []Class{ClassSequence}, func(t *testing.T, l []Signed) []Signed { return slices.Delete(l, 6, 7) }},
		{"reorder 7 and 8", 7, []Class{ClassSequence}, func(t *testing.T, l []Signed) []Signed { l[6], l[7] = l[7], l[6]; return l }},
		{"flip a body byte", 9, []Class{ClassBody, ClassCanonical, ClassSignature}, func(t *testing.T, l []Signed) []Signed {
			i := bytes.Index(l[8].Body, []byte("trade"))
			l[8].Body = bytes.Clone(l[8].Body)
			l[8].Body[i] ^= 0x20
			return l
		}},
		{"flip a prev-hash byte", 5, []Class{ClassSignature, ClassPrev}, func(t *testing.T, l []Signed) []Signed {
			i := bytes.Index(l[4].Body, []byte(`"prev":"`)) + 9
			l[4].Body = bytes.Clone(l[4].Body)
			if l[4].Body[i] == '0' { // change the hex digit, whatever it is
				l[4].Body[i] = '1'
			} else {
				l[4].Body[i] = '0'
			}
			return l
		}},
		{"flip a signature byte", 11, []Class{ClassSignature}, func(t *testing.T, l []Signed) []Signed {
			l[10].Sig = bytes.Clone(l[10].Sig)
			l[10].Sig[len(l[10].Sig)-5] ^= 1
			return l
		}},
		{"re-sign with another member's key", 4, []Class{ClassSignature}, func(t *testing.T, l []Signed) []Signed {
			sig, _ := alice.Sign(l[3].Body) // entry 4 is bob's
			l[3].Sig = sig
			return l
		}},
		{"replace the actor", 6, []Class{ClassSignature}, func(t *testing.T, l []Signed) []Signed {
			e, _ := Parse(l[5].Body)
			e.Actor = alice.Public().Fingerprint()
			l[5].Body, _ = e.Marshal()
			return l
		}},
		{"replace the actor and re-sign as that actor", 7, []Class{ClassPrev}, func(t *testing.T, l []Signed) []Signed {
			return edited(t, l, 5, alice, func(e *Entry) { e.Actor = alice.Public().Fingerprint() })
		}},
		{"append a forged entry by a non-member", 21, []Class{ClassActor}, func(t *testing.T, l []Signed) []Signed {
			e := &Entry{V: Version, Vault: testVault, Seq: 21, Prev: Hash(l[19].Body), Time: FormatTime(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)),
				Actor: mallory.Public().Fingerprint(), Action: ActionUnlock, Target: "r3"}
			return append(l, sign(t, mallory, e))
		}},
		{"append an entry signed by the wrong key", 21, []Class{ClassSignature}, func(t *testing.T, l []Signed) []Signed {
			e := &Entry{V: Version, Vault: testVault, Seq: 21, Prev: Hash(l[19].Body), Time: FormatTime(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)),
				Actor: bob.Public().Fingerprint(), Action: ActionUnlock, Target: "r3"}
			s := sign(t, mallory, e)
			return append(l, s)
		}},
		{"splice in entries from another vault", 12, []Class{ClassVault}, func(t *testing.T, l []Signed) []Signed {
			other, _ := testLog(t, "ffeeddccbbaa99887766554433221100", 20)
			copy(l[11:], other[11:])
			return l
		}},
		{"change the seq field and re-sign", 3, []Class{ClassSequence}, func(t *testing.T, l []Signed) []Signed {
			return edited(t, l, 2, alice, func(e *Entry) { e.Seq = 30 })
		}},
		{"time runs backwards", 10, []Class{ClassTime}, func(t *testing.T, l []Signed) []Signed {
			return edited(t, l, 9, bob, func(e *Entry) { e.Time = FormatTime(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) })
		}},
		{"non-canonical encoding", 8, []Class{ClassCanonical}, func(t *testing.T, l []Signed) []Signed {
			l[7].Body = bytes.Replace(l[7].Body, []byte(`{"v":1,`), []byte(`{"v":1, `), 1)
			sig, _ := bob.Sign(l[7].Body)
			l[7].Sig = sig
			return l
		}},
		{"an enrolled member's key swapped", 1, []Class{ClassActor}, nil}, // built in the test: needs a KeyFunc change
		{"a second vault.init", 13, []Class{ClassActor}, func(t *testing.T, l []Signed) []Signed {
			l = edited(t, l, 12, alice, func(e *Entry) { e.Action = ActionInit })
			return l[:13]
		}},
	}
}

// T14: every tamper case is reported at its first failing index, with a
// reason class, and nothing verifies that should not.
func TestTamperMatrix(t *testing.T) {
	for _, tc := range tampers() {
		t.Run(tc.name, func(t *testing.T) {
			log, keys := testLog(t, testVault, 20)
			if tc.edit == nil { // swap bob's enrolled key for mallory's under bob's fingerprint
				bob, mallory := testIDs(t)[1], testIDs(t)[2]
				inner := keys
				keys = func(f string) *identity.Public {
					if f == bob.Public().Fingerprint() {
						return mallory.Public()
					}
					return inner(f)
				}
			} else {
				log = tc.edit(t, slices.Clone(log))
			}
			_, err := Verify(log, keys, Options{Vault: testVault})
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("verified, or a non-*Error: %v", err)
			}
			if ve.Index != tc.index || !slices.Contains(tc.classes, ve.Class) {
				t.Fatalf("reported entry %d (%s), want entry %d (%v): %v", ve.Index, ve.Class, tc.index, tc.classes, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("entry %d ", tc.index)) {
				t.Fatalf("message does not name the entry: %v", err)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	log, _ := testLog(t, testVault, 2)
	good := log[1].Body
	for name, b := range map[string][]byte{
		"trailing newline": append(bytes.Clone(good), '\n'),
		"unknown field":    bytes.Replace(good, []byte(`{"v":1,`), []byte(`{"v":1,"x":1,`), 1),
		"reordered":        bytes.Replace(good, []byte(`"v":1,"vault"`), []byte(`"vault"`), 1),
		"two values":       append(bytes.Clone(good), good...),
		"local time":       bytes.Replace(good, []byte(`Z"`), []byte(`+00:00"`), 1),
		"escaped":          bytes.Replace(good, []byte(`"request"`), []byte(`"\u0072equest"`), 1),
		"empty":            nil,
	} {
		if _, err := Parse(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := Parse(good); err != nil {
		t.Fatal(err)
	}
}

func FuzzParse(f *testing.F) {
	log, _ := testLog(f, testVault, 3)
	for _, s := range log {
		f.Add(s.Body)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := Parse(b)
		if err != nil {
			return
		}
		again, err := e.Marshal()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("parsed but not canonical: %q", b)
		}
	})
}

func writeTestExport(t *testing.T, n int) (string, []Signed) {
	log, keys := testLog(t, testVault, n)
	all := map[string]*identity.Public{}
	for _, id := range testIDs(t)[:2] {
		all[id.Public().Fingerprint()] = keys(id.Public().Fingerprint())
	}
	dir := filepath.Join(t.TempDir(), "export")
	if err := WriteExport(dir, testVault, log, all, testIDs(t)[0]); err != nil {
		t.Fatal(err)
	}
	return dir, log
}

func TestExportRoundTrip(t *testing.T) {
	dir, log := writeTestExport(t, 25)
	ex, err := ReadExport(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyExport(ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != 25 || rep.Head != Hash(log[24].Body) || ex.Vault != testVault || len(ex.Proofs) != 25 {
		t.Fatalf("report %+v, vault %s", rep, ex.Vault)
	}
	// An inclusion proof checks against the checkpoint, and fails for another entry.
	if err := ex.Proofs[3].Check(ex.Checkpoint, log[3].Body); err != nil {
		t.Fatal(err)
	}
	if err := ex.Proofs[3].Check(ex.Checkpoint, log[4].Body); err == nil {
		t.Fatal("proof of entry 4 accepted entry 5")
	}
}

// exportTampers change files of an export; each must be caught by
// VerifyExport and by verify.sh (gpg) at the same entry.
var exportTampers = []struct {
	name  string
	index int
	edit  func(dir string) error
}{
	{"edit a body", 5, func(d string) error { return replaceIn(filepath.Join(d, "entries/000005.json"), "trade", "Trade") }},
	{"swap a signature", 6, func(d string) error {
		return copyFile(filepath.Join(d, "entries/000008.sig"), filepath.Join(d, "entries/000006.sig"))
	}},
	{"delete an entry", 8, func(d string) error { return os.Remove(filepath.Join(d, "entries/000008.json")) }},
	{"truncate the tail", 12, func(d string) error {
		os.Remove(filepath.Join(d, "entries/000012.sig"))
		return os.Remove(filepath.Join(d, "entries/000012.json"))
	}},
	{"change the entry count", 11, func(d string) error { return replaceIn(filepath.Join(d, "checkpoint"), "\n12\n", "\n10\n") }},
	{"change prev", 3, func(d string) error {
		return replaceIn(filepath.Join(d, "entries/000003.json"), `"prev":"`, `"prev":"0`)
	}},
}

func replaceIn(path, old, new string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte(old)) {
		return fmt.Errorf("%s does not contain %q", path, old)
	}
	return os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

func TestExportTamper(t *testing.T) {
	gpg := true
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Logf("gpg is not installed: checking exports with VerifyExport only (make test installs gnupg)")
		gpg = false
	}
	dir, _ := writeTestExport(t, 12)
	if gpg {
		if out, err := exec.Command("sh", filepath.Join(dir, "verify.sh")).CombinedOutput(); err != nil {
			t.Fatalf("verify.sh on an intact export: %v\n%s", err, out)
		}
	}
	for _, tc := range exportTampers {
		t.Run(tc.name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "x")
			if err := exec.Command("cp", "-r", dir, d).Run(); err != nil {
				t.Fatal(err)
			}
			if err := tc.edit(d); err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("entry %d", tc.index)
			ex, err := ReadExport(d)
			if err == nil {
				_, err = VerifyExport(ex, Options{})
			}
			var ve *Error
			if !errors.As(err, &ve) || ve.Index != uint64(tc.index) {
				t.Errorf("VerifyExport: %v, want a failure at entry %d", err, tc.index)
			}
			if !gpg {
				return
			}
			out, err := exec.Command("sh", filepath.Join(d, "verify.sh")).CombinedOutput()
			if err == nil || !strings.Contains(string(out), want+":") {
				t.Errorf("verify.sh: %v: %s, want %q", err, out, want)
			}
		})
	}
}

func BenchmarkVerifyLog(b *testing.B) {
	const n = 4096
	log, keys := testLog(b, testVault, n)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Verify(log, keys, Options{Vault: testVault}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "entries/s")
}
