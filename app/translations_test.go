package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"sealroom/vault"
)

// TestTranslationsComplete checks that every string the workbench passes to
// lang.L as a literal, and every status, severity, direction, role and
// category it translates, has a Simplified Chinese translation.
func TestTranslationsComplete(t *testing.T) {
	b, err := os.ReadFile("translations/zh-Hans.json")
	must(t, err)
	var zh map[string]any
	must(t, json.Unmarshal(b, &zh))
	files, err := filepath.Glob("*.go")
	must(t, err)
	lit := regexp.MustCompile(`lang\.L\("((?:[^"\\]|\\.)*)"\)`)
	var missing []string
	check := func(key string) {
		if _, ok := zh[key]; !ok && !slices.Contains(missing, key) {
			missing = append(missing, key)
		}
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		must(t, err)
		for _, m := range lit.FindAllSubmatch(src, -1) {
			var key string
			must(t, json.Unmarshal([]byte(`"`+string(m[1])+`"`), &key))
			check(key)
		}
	}
	for _, k := range slices.Concat(vault.Statuses, vault.Severities, categoryOrder,
		[]string{"pending", "granted", "denied", "expired", "reviewer", "officer", "auditor", "admin", "ingest"}) {
		check(k)
	}
	for _, r := range roleScreens {
		check(r.title)
	}
	for _, k := range []string{"My unlocks", "Access log", "Approvals", "Dashboard"} {
		check(k)
	}
	if len(missing) > 0 {
		t.Fatalf("%d strings have no zh-Hans translation: %q", len(missing), missing)
	}
}
