#!/bin/sh
# The review engine's precision, recall and F1 (make eval): a held-out
# corpus seed, the standards number lists, and the npm PII redactors
# @redactpii/node@1.0.17 and @cdssnc/sanitize-pii@2.1.1 side by side on the
# corpus's English messages (installed into a temporary folder).
# usage: scripts/eval.sh [MESSAGES]
set -eu
cd "$(dirname "$0")/.."
n=${1:-200000}
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-eval.XXXXXX")
trap 'rm -rf "$work"' EXIT
peers=""
if command -v node >/dev/null && command -v npm >/dev/null; then
	(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @redactpii/node@1.0.17 @cdssnc/sanitize-pii@2.1.1 >/dev/null) && peers=$work ||
		echo "eval: could not install the npm peers; scoring Sealroom alone" >&2
else
	echo "eval: node and npm are missing (sudo apt-get install nodejs npm); scoring Sealroom alone" >&2
fi
go run ./internal/eval/cmd/eval -messages "$n" ${peers:+-peers "$peers"}
cat <<'GOALS'

goals (issue 4): precision and recall ≥ 0.98 for checksum-validated types;
recall ≥ 0.90 for planted obfuscated risk phrases in every language; ≤ 1% of
clean messages flagged; PII detection ≥ 10× the msgs/s of @redactpii/node.
GOALS
