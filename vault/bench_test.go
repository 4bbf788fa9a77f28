package vault

import (
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"sealroom/internal/synth"
	"sealroom/vault/auditlog"
)

// BenchmarkLogAppend measures one access-log entry end to end: canonical
// encoding, the actor's OpenPGP signature, sealing, the Merkle tree
// hashes, and a durable bbolt commit (fsync) on a real file.
func BenchmarkLogAppend(b *testing.B) {
	f := newFixture(b, 2, 3)
	v := f.open()
	s := f.login(v, f.p.aldo)
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		err := v.update("bench", func(tx *bolt.Tx) error {
			return s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionLogExport, Role: string(RoleAuditor)})
		})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
}

// BenchmarkVaultUnlock3Chunks measures an unlock of a 3-chunk scope once
// two approvals exist: reading and checking the request and votes,
// decrypting the partials, verifying the proofs, combining, unwrapping,
// decrypting 96 messages, and committing the "unlock" log entry. The
// passphrase KDF is not included (the session is open).
func BenchmarkVaultUnlock3Chunks(b *testing.B) {
	f := newFixture(b, 2, 3)
	v := f.open()
	f.ingest(v, 7, 96, 1)
	s := f.login(v, f.p.rita)
	req := f.approved(v, f.convID(s, 0).ID, 1, 96, 24*time.Hour, 0, 1)
	for b.Loop() {
		u, err := s.Unlock(req)
		if err != nil {
			b.Fatal(err)
		}
		if len(u.Messages) != 96 {
			b.Fatalf("%d messages", len(u.Messages))
		}
		u.wipe()
	}
}

// BenchmarkIngest measures importing 20,000 messages in 50 conversations
// into a fresh vault, durable commits included.
func BenchmarkIngest(b *testing.B) { benchIngest(b, synth.Generate(9, 20000, 50)) }

// benchIngest imports a into a fresh vault per iteration and reports
// messages per second.
func benchIngest(b *testing.B, a *synth.Archive) {
	for b.Loop() {
		b.StopTimer()
		f := newFixture(b, 2, 3)
		v := f.open()
		in, err := f.login(v, f.p.admin).Ingest(nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := a.Send(in); err != nil {
			b.Fatal(err)
		}
		if _, err := in.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(a.Messages)*b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkVaultVerifyLog measures an auditor's "log verify" of a vault
// with 10,000 entries: reading and unsealing every entry, checking
// signatures (batched, all cores), the chain, membership replay, the
// Merkle tree and the conversation versions.
func BenchmarkVaultVerifyLog(b *testing.B) {
	const n = 10000
	f := newFixture(b, 2, 3)
	v := f.open()
	s := f.login(v, f.p.aldo)
	for done := 0; done < n; {
		err := v.update("bench", func(tx *bolt.Tx) error {
			for i := 0; i < 1000 && done < n; i++ {
				if err := s.appendLog(tx, &auditlog.Entry{Action: auditlog.ActionLogExport, Role: string(RoleAuditor)}); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var entries int
	for b.Loop() {
		rep, err := s.VerifyLog(LogOptions{})
		if err != nil {
			b.Fatal(err)
		}
		entries = rep.Entries
	}
	b.ReportMetric(float64(entries*b.N)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkIngestOneConversation imports 200,000 messages in one
// conversation (a WhatsApp chat's shape).
func BenchmarkIngestOneConversation(b *testing.B) { benchIngest(b, synth.Generate(11, 200000, 1)) }
