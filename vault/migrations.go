package vault

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// schemaVersion is the layout doc.go draws. Raise it with every change to
// the layout and append a migration that moves a vault from the version
// before; each migration gets its own test.
const schemaVersion = 3

// migration upgrades a vault from schema version From to From+1 inside one
// transaction, together with the new schema number.
type migration struct {
	From uint32
	Name string
	Run  func(tx *bolt.Tx) error

	// Readable: the migration only adds buckets that readers treat as
	// empty when missing, so a read-only open of a vault at From reads it
	// as it is instead of refusing.
	Readable bool
}

// migrations, in order. Version 1 is the first layout.
var migrations = []migration{
	// Version 2 remembers stored messages in per-conversation id sets
	// (ids.go) instead of one msgs/ key per message, and stores
	// attachment content (files.go) and risk events (events.go). Schema 1's msgs/ keys cannot be
	// moved (they are one-way HMACs, and name no conversation), so they
	// stay and are still consulted while the bucket holds any.
	{From: 1, Name: "per-conversation id sets, attachment content, risk events", Run: func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketIDs, bucketFiles, bucketEvents} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}},
	// Version 3 streams files above streamThreshold in their own
	// transactions before their chunk commits (streams.go): their pieces,
	// the files no chunk holds yet, and each file's chunk. Chunks that
	// hold such files have payload version 4.
	{From: 2, Name: "streamed attachment content", Readable: true, Run: func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketBig, bucketBigOpen, bucketBigRefs} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}},
}

// readableFrom reports whether every migration from schema up is
// Readable: a read-only open may then read the vault unmigrated.
func readableFrom(schema uint32) bool {
	for _, m := range migrations {
		if m.From >= schema && !m.Readable {
			return false
		}
	}
	return true
}

func (v *Vault) migrate(from uint32) error {
	for _, m := range migrations {
		if m.From < from {
			continue
		}
		err := v.update("migrate", func(tx *bolt.Tx) error {
			if err := m.Run(tx); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, m.From+1))
		})
		if err != nil {
			return fmt.Errorf("migrating vault from schema %d (%s): %w", m.From, m.Name, err)
		}
	}
	return nil
}
