//go:build !linux

package vault

// releaseMapped is Linux's page-mapping hint (mapping_linux.go); other
// systems do without.
func (v *Vault) releaseMapped() {}
