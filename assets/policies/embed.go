// Package policies holds Sealroom's built-in policy packs, one file per
// category in the format of docs/formats/policy.md, read by review/policy.
package policies

import "embed"

// FS holds the *.policy files.
//
//go:embed *.policy
var FS embed.FS
