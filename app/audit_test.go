package app

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	bolt "go.etcd.io/bbolt"

	"sealroom/vault"
	"sealroom/vault/auditlog"
)

// auditFixture is the test vault with more to audit: rita asks to read two
// events (in the same conversation, with scopes that do not overlap) and
// sets the status of the first; olga approves the first request. It
// returns the two events and the request ids.
func auditFixture(t *testing.T) (f *fixture, ev1, ev2 *vault.Event, r1, r2 string) {
	t.Helper()
	f = newFixture(t)
	asMember(t, f, "rita", func(s *vault.Session) {
		evs, err := s.Events(vault.EventFilter{})
		must(t, err)
		slices.SortFunc(evs, func(a, b *vault.Event) int { return int(a.Seq) - int(b.Seq) })
		ev1 = evs[0]
		i := slices.IndexFunc(evs, func(e *vault.Event) bool { return e.Conversation == ev1.Conversation && e.Seq > ev1.Seq+4 })
		if i < 0 {
			t.Fatalf("fixture: no two events far enough apart in %d", len(evs))
		}
		ev2 = evs[i]
		for i, ev := range []*vault.Event{ev1, ev2} {
			sc, err := s.EventScope(ev.ID, 2)
			must(t, err)
			r, err := s.Request(sc, fmt.Sprintf("suspected kickback, case %d: read the messages around it", i+1), time.Hour)
			must(t, err)
			if i == 0 {
				r1 = r
			} else {
				r2 = r
			}
		}
		must(t, s.SetStatus([]uint64{ev1.ID}, vault.StatusInReview, "asked to read it"))
	})
	asMember(t, f, "olga", func(s *vault.Session) { must(t, s.Approve(r1)) })
	return f, ev1, ev2, r1, r2
}

// openAudit opens the workbench as aldo, the auditor, and loads the
// access-log tab.
func openAudit(t *testing.T, f *fixture) (*Workbench, *auditScreen) {
	t.Helper()
	wb, _ := newTestWorkbench(t, f)
	openAs(t, wb, f, "aldo", testPassphrase)
	if wb.sess == nil {
		t.Fatalf("login failed: %q", wb.open.status.Text)
	}
	for _, sc := range wb.screens {
		if a, ok := sc.(*auditScreen); ok {
			a.load()
			return wb, a
		}
	}
	t.Fatal("the auditor has no access-log tab")
	return nil, nil
}

// selectValue chooses value in one of the screen's filters.
func (a *auditScreen) selectValue(t *testing.T, s *widget.Select, value string) {
	t.Helper()
	i := slices.Index(a.values[s], value)
	if i < 0 {
		t.Fatalf("%s is not offered: %v", value, a.values[s])
	}
	s.SetSelectedIndex(i + 1)
}

func targets(shown []*auditlog.Entry) []string {
	var out []string
	for _, e := range shown {
		out = append(out, e.Action+" "+e.Target)
	}
	slices.Sort(out)
	return out
}

func TestAuditLog(t *testing.T) {
	f, ev1, _, r1, r2 := auditFixture(t)
	wb, a := openAudit(t, f)
	all, err := wb.sess.LogEntries(0)
	must(t, err)

	// Every entry, newest first, then oldest first.
	if len(a.entries) != len(all) || len(a.shown) != len(all) {
		t.Fatalf("the table holds %d (%d shown) of the log's %d entries", len(a.entries), len(a.shown), len(all))
	}
	if rows, cols := a.table.Length(); rows != len(all) || cols != nCols {
		t.Fatalf("table size %d×%d", rows, cols)
	}
	if want := fmt.Sprintf("%d of %d entries", len(all), len(all)); a.count.Text != want {
		t.Errorf("count %q, want %q", a.count.Text, want)
	}
	if a.shown[0].Seq != uint64(len(all)) {
		t.Errorf("newest first starts with #%d", a.shown[0].Seq)
	}
	a.order.SetSelectedIndex(1)
	if a.shown[0].Seq != 1 || a.shown[len(a.shown)-1].Seq != uint64(len(all)) {
		t.Errorf("oldest first runs #%d to #%d", a.shown[0].Seq, a.shown[len(a.shown)-1].Seq)
	}

	// The cells of rita's first request.
	i := slices.IndexFunc(a.shown, func(e *auditlog.Entry) bool { return e.Target == r1 && e.Action == auditlog.ActionRequest })
	if i < 0 {
		t.Fatal("no request entry")
	}
	cell := func(col int) string {
		l := newAuditCell().(*widget.Label)
		a.updateCell(widget.TableCellID{Row: i, Col: col}, l)
		return l.Text
	}
	if cell(colActor) != "rita <rita@app.test>" || cell(colRole) != "reviewer" || cell(colAction) != "request" ||
		!strings.HasPrefix(cell(colTarget), r1+" · "+ev1.Conversation) || !strings.Contains(cell(colReason), "case 1") {
		t.Errorf("request row: %q %q %q %q %q", cell(colActor), cell(colRole), cell(colAction), cell(colTarget), cell(colReason))
	}
	if _, err := time.ParseInLocation(time.DateTime, cell(colTime), time.Local); err != nil {
		t.Errorf("time cell %q: %v", cell(colTime), err)
	}
	a.table.Select(widget.TableCellID{Row: i, Col: colReason})
	if !strings.Contains(a.detail.Text, "case 1: read the messages around it") || !strings.Contains(a.detail.Text, "duration: 1h0m0s") {
		t.Errorf("detail of the request: %q", a.detail.Text)
	}

	// Filters: by action, by actor, then back to all.
	a.selectValue(t, a.action, auditlog.ActionRequest)
	if got := targets(a.shown); !slices.Equal(got, []string{"request " + r1, "request " + r2}) {
		t.Errorf("action request: %v", got)
	}
	if a.count.Text != fmt.Sprintf("2 of %d entries", len(all)) {
		t.Errorf("count %q", a.count.Text)
	}
	a.action.SetSelectedIndex(0)
	// The actors offered are those in the log: ada, rita and olga (aldo
	// has done nothing yet).
	var offered []string
	for _, fpr := range a.values[a.actor] {
		offered = append(offered, strings.Fields(a.names[fpr])[0])
	}
	if !slices.Equal(offered, []string{"ada", "olga", "rita"}) {
		t.Errorf("actors offered: %v", offered)
	}
	var rita string
	for fpr, name := range a.names {
		if strings.HasPrefix(name, "rita ") {
			rita = fpr
		}
	}
	a.selectValue(t, a.actor, rita)
	if got := targets(a.shown); !slices.Equal(got, []string{"event.status " + vault.EventID(ev1.ID), "request " + r1, "request " + r2}) {
		t.Errorf("rita's entries: %v", got)
	}
	a.actor.SetSelectedIndex(0)
	if len(a.shown) != len(all) {
		t.Fatalf("no filter: %d shown", len(a.shown))
	}

	// Who touched this request, this event, this conversation.
	for _, c := range []struct {
		q    string
		want []string
	}{
		{r1, []string{"approve " + r1, "request " + r1}},
		{strings.ToUpper(r2), []string{"request " + r2}},
		{vault.EventID(ev1.ID), []string{"approve " + r1, "event.status " + vault.EventID(ev1.ID), "request " + r1}},
		{ev1.Conversation, []string{"approve " + r1, "request " + r1, "request " + r2}},
		{ev1.Conversation[:6], []string{"approve " + r1, "request " + r1, "request " + r2}},
		{ev1.Conversation[:5], nil}, // too short to name a conversation
		{"E99999", nil},
		{"r9", nil},
	} {
		a.target.SetText(c.q)
		if got := targets(a.shown); !slices.Equal(got, c.want) {
			t.Errorf("target %q: %v, want %v", c.q, got, c.want)
		}
	}
	a.target.SetText("")
	if len(a.shown) != len(all) {
		t.Fatalf("no target: %d shown", len(a.shown))
	}

	// Verify: intact, every entry and signature counted, the bar full.
	test.Tap(a.verifyBtn)
	if !a.banner.Visible() || a.bannerHead.String() != "Access log intact" {
		t.Fatalf("banner after verify: visible %v, %q", a.banner.Visible(), a.bannerHead.String())
	}
	want := fmt.Sprintf("%d entries, %d signatures checked", len(all), len(all))
	if !strings.Contains(a.bannerBody.Text, want) {
		t.Errorf("banner %q, want %q", a.bannerBody.Text, want)
	}
	rep, err := wb.sess.VerifyLog(vault.LogOptions{})
	must(t, err)
	if !strings.Contains(a.bannerBody.Text, "Head "+rep.Head[:16]+"…") {
		t.Errorf("banner %q lacks the head %s", a.bannerBody.Text, rep.Head)
	}
	if a.progress.Value != 1 || a.progress.Visible() || a.verifyBtn.Disabled() {
		t.Errorf("after verify: progress %v shown %v, button disabled %v", a.progress.Value, a.progress.Visible(), a.verifyBtn.Disabled())
	}

	// Export: asks for a folder, writes the bundle in a new folder there,
	// and the export is itself logged.
	test.Tap(a.exportBtn)
	if wb.win.Canvas().Overlays().Top() == nil {
		t.Error("export asks for no folder")
	} else {
		wb.win.Canvas().Overlays().Top().Hide()
		wb.win.Canvas().Overlays().Remove(wb.win.Canvas().Overlays().Top())
	}
	parent := t.TempDir()
	a.export(parent)
	dirs, _ := filepath.Glob(filepath.Join(parent, "test-access-log-*"))
	if len(dirs) != 1 {
		t.Fatalf("export folders: %v (status %q)", dirs, a.exported.Text)
	}
	dir := dirs[0]
	for _, name := range []string{"README.txt", "verify.sh", "checkpoint", "checkpoint.sig", "entries/000001.json", "entries/000001.sig", "proofs/000001.proof"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("export: %v", err)
		}
	}
	jsons, _ := filepath.Glob(filepath.Join(dir, "entries", "*.json"))
	keys, _ := filepath.Glob(filepath.Join(dir, "keys", "*.asc"))
	if len(jsons) != len(all)+1 || len(keys) != 5 {
		t.Errorf("export holds %d entries and %d keys; want %d and 5", len(jsons), len(keys), len(all)+1)
	}
	if !strings.Contains(a.exported.Text, dir) || !strings.Contains(a.exported.Text, "verify.sh") {
		t.Errorf("export status %q", a.exported.Text)
	}
	a.order.SetSelectedIndex(0)
	if len(a.shown) != len(all)+1 || a.shown[0].Action != auditlog.ActionLogExport || a.shown[0].Actor != wb.sess.Member().Fingerprint {
		t.Errorf("after the export the table shows %d entries, newest %s", len(a.shown), a.shown[0].Action)
	}
	if _, err := exec.LookPath("gpg"); err == nil {
		out, err := exec.Command("sh", filepath.Join(dir, "verify.sh")).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), fmt.Sprintf("intact: %d entries", len(all)+1)) {
			t.Errorf("verify.sh: %v: %s", err, out)
		}
	}
}

// tamperLog changes the stored log entry seq with change, with bbolt
// directly (the vault must be closed).
func tamperLog(t *testing.T, f *fixture, seq uint64, change func(val []byte)) {
	t.Helper()
	db, err := bolt.Open(f.vault, 0o600, &bolt.Options{Timeout: time.Second})
	must(t, err)
	defer db.Close()
	must(t, db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("log"))
		key := binary.BigEndian.AppendUint64(nil, seq)
		val := slices.Clone(b.Get(key))
		if len(val) < 100 {
			t.Fatalf("log record %d: %d bytes", seq, len(val))
		}
		change(val)
		return b.Put(key, val)
	}))
}

// TestAuditLogTampered: a signature changed in the file is reported, with
// the entry it belongs to, and the log is not exported.
func TestAuditLogTampered(t *testing.T) {
	f, _, _, _, _ := auditFixture(t)
	// A stored record is the signature's length (2 bytes), the signature,
	// and the sealed entry. The signature's last byte is in its value:
	// the entry still reads, its signature no longer verifies.
	tamperLog(t, f, 3, func(val []byte) { val[2+int(binary.BigEndian.Uint16(val))-1] ^= 0x01 })
	wb, a := openAudit(t, f)
	all, err := wb.sess.LogEntries(0)
	must(t, err)
	if len(a.shown) != len(all) || a.banner.Visible() {
		t.Fatalf("the table holds %d of %d entries; banner shown %v", len(a.shown), len(all), a.banner.Visible())
	}
	test.Tap(a.verifyBtn)
	if !a.banner.Visible() || a.bannerHead.String() != "Access log NOT intact" {
		t.Fatalf("banner after verify: visible %v, %q", a.banner.Visible(), a.bannerHead.String())
	}
	if seg := a.bannerHead.Segments[0].(*widget.TextSegment); seg.Style.ColorName != "error" {
		t.Errorf("heading colour %q", seg.Style.ColorName)
	}
	if !strings.Contains(a.bannerBody.Text, "First failing entry: #3, signature check.") || !strings.Contains(a.bannerBody.Text, "access log entry 3 fails verification") {
		t.Errorf("banner %q", a.bannerBody.Text)
	}
	if !strings.HasPrefix(a.detail.Text, "#3 ") {
		t.Errorf("the failing entry is not selected: %q", a.detail.Text)
	}

	parent := t.TempDir()
	a.export(parent)
	if left, _ := os.ReadDir(parent); len(left) != 0 || !strings.Contains(a.exported.Text, "refusing to export") {
		t.Errorf("export of a damaged log: %d files, status %q", len(left), a.exported.Text)
	}
	if a.exportBtn.Disabled() || a.verifyBtn.Disabled() {
		t.Error("the buttons stay disabled after a failed export")
	}
}

// TestAuditLogUnreadable: a sealed entry changed in the file cannot be
// read at all; the screen says which, in the banner, instead of a table.
func TestAuditLogUnreadable(t *testing.T) {
	f := newFixture(t)
	tamperLog(t, f, 2, func(val []byte) { val[len(val)-1] ^= 0x01 })
	_, a := openAudit(t, f)
	if len(a.shown) != 0 || !strings.Contains(a.count.Text, "access log entry 2") {
		t.Errorf("%d shown; count %q", len(a.shown), a.count.Text)
	}
	if !a.banner.Visible() || a.bannerHead.String() != "Access log NOT intact" || !strings.Contains(a.bannerBody.Text, "#2, body check") {
		t.Errorf("banner: visible %v, %q, %q", a.banner.Visible(), a.bannerHead.String(), a.bannerBody.Text)
	}
}

func TestThrottle(t *testing.T) {
	clock := time.Unix(0, 0)
	var got []float64
	p := throttle(100*time.Millisecond, func() time.Time { return clock }, func(v float64) { got = append(got, v) })
	for done := 0; done <= 1000; done += 10 {
		if done == 500 {
			clock = clock.Add(100 * time.Millisecond)
		}
		p(done, 1000)
	}
	p(1, 0) // an empty log: nothing to show
	if !slices.Equal(got, []float64{0, 0.5, 1}) {
		t.Fatalf("progress shown: %v, want the first, one after 100 ms and the last", got)
	}
}

// TestAuditTableLarge: 100,000 entries make cells only for what is on
// screen, and filtering them stays quick.
func TestAuditTableLarge(t *testing.T) {
	test.NewTempApp(t)
	a := newAuditScreen(&Workbench{}).(*auditScreen)
	ui := a.buildUI()
	cells := 0
	create := a.table.CreateCell
	a.table.CreateCell = func() fyne.CanvasObject { cells++; return create() }
	const n = 100_000
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a.names = map[string]string{"AAAA": "rita <rita@app.test>", "BBBB": "olga <olga@app.test>"}
	for i := range n {
		e := &auditlog.Entry{Seq: uint64(i + 1), Time: auditlog.FormatTime(start.Add(time.Duration(i) * time.Second)), Actor: "AAAA", Role: "reviewer",
			Action: auditlog.ActionRequest, Target: vault.RequestID(uint64(i + 1)), Reason: "a justification long enough",
			Detail: map[string]string{"scope": fmt.Sprintf("%012x:1-5", i/2%50)}}
		if i%2 == 1 {
			e.Actor, e.Role, e.Action, e.Reason, e.Detail = "BBBB", "officer", auditlog.ActionApprove, "", nil
			e.Target = vault.RequestID(uint64(i))
		}
		a.entries = append(a.entries, e)
	}
	a.fillChoices()
	took := time.Now()
	a.refresh()
	w := test.NewTempWindow(t, ui)
	w.Resize(fyne.NewSize(1200, 760))
	a.table.ScrollToBottom()
	t.Logf("100,000 entries: filled and shown in %v, %d cells", time.Since(took), cells)
	if len(a.shown) != n || cells == 0 || cells > 600 {
		t.Fatalf("%d shown, %d cells made", len(a.shown), cells)
	}
	took = time.Now()
	a.target.SetText(fmt.Sprintf("%012x", 7)) // every 50th request and its approval
	t.Logf("conversation filter: %v", time.Since(took))
	if len(a.shown) != n/50 {
		t.Fatalf("conversation filter: %d shown, want %d: %v", len(a.shown), n/50, targets(a.shown[:6]))
	}
}
