// Package review will run policies over messages (normalisation, lexicons,
// PII detectors, fuzzy matching) and return findings, redacted excerpts and
// pseudonyms: pure functions, no storage, no GUI. Its issue follows the
// vault's.
package review
