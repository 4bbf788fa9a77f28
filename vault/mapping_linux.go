package vault

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops the pages of the vault file that the kernel has
// mapped into this process, keeping them in the page cache. bbolt reads
// the file through a shared read-only mapping; during an import it reads
// a few page headers per commit (pages it frees), and Linux maps 64 KiB of
// neighbouring cached pages on each such fault ("fault-around"). Those
// count as this process's resident memory and piled up to 230 MiB during
// a 14M-message import. MADV_DONTNEED on a shared file mapping only
// unmaps: the next read faults the same page back in.
//
// It runs inside a read transaction, during which bbolt cannot remap the
// file, so the range is the live mapping.
func (v *Vault) releaseMapped() {
	_ = v.view(func(tx *bolt.Tx) error {
		start, size := tx.DB().Info().Data, uintptr(tx.Size())
		syscall.Syscall(syscall.SYS_MADVISE, start, size, syscall.MADV_DONTNEED) // only a hint: nothing to do on failure
		return nil
	})
}
