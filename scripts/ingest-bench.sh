#!/bin/sh
# Whole-process end-to-end ingest: `sealctl ingest` of a generated WhatsApp
# export of N messages (default 1,000,000) into a fresh 2-of-3 vault, RUNS
# times (default 3). Prints the median wall time, messages/s, peak RSS and
# vault bytes per export byte.
# SCAN=1 scans every message with the built-in policy packs (risk events);
# by default scanning is off (--no-scan), as issue 3's goal is stated.
# CORPUS=1 imports the synthetic multilingual corpus (internal/corpus,
# seed 20261123: six languages, planted risk phrases and personal data)
# in its WhatsApp form, a folder of one export per chat, instead of one
# long chat: issue 4's goal with SCAN=1.
# usage: [SCAN=1] [CORPUS=1] scripts/ingest-bench.sh [RUNS] [MESSAGES]
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
runs=${1:-3}
n=${2:-1000000}
scan=--no-scan
[ "${SCAN:-0}" = 1 ] && scan=
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-ingest.XXXXXX")
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/sealctl" ./cmd/sealctl
if [ "${CORPUS:-0}" = 1 ]; then
	go run ./internal/corpus/cmd/corpus --messages "$n" --seed 20261123 --formats whatsapp-android --out "$work/corpus" >/dev/null
	input="$work/corpus/whatsapp-android"
	what="synthetic corpus messages ($(ls "$input" | wc -l) WhatsApp chats"
	bytes=$(du -sb "$input" | cut -f1)
	order=auto # the corpus writes each chat in its locale's layout
	custodians=--custodian-folders # a folder per chat: same-titled chats stay apart
else
	go run ./internal/synth/cmd/wagen -n "$n" >"$work/chat.txt"
	input="$work/chat.txt"
	what="WhatsApp messages (one chat"
	bytes=$(stat -c %s "$input")
	order=no
	custodians=
fi
export SEALROOM_STATE_DIR="$work/state"
bench_vault "$work/empty.vault"
i=0
while [ $i -lt "$runs" ]; do
	cp "$work/empty.vault" "$work/v.vault"
	rm -rf "$work/state"
	/usr/bin/time -f "%e %M" -o "$work/t" "$work/sealctl" ingest "$work/v.vault" --as "$work/admin.asc" \
		--passphrase-file "$work/pass" --format whatsapp --days-first $order --tz UTC $scan $custodians "$input" 2>"$work/err" ||
		{ cat "$work/err"; exit 1; }
	echo "$(cat "$work/t") $(stat -c %s "$work/v.vault")" >>"$work/runs"
	i=$((i + 1))
done
tail -1 "$work/err"
"$work/sealctl" vault check "$work/v.vault" >"$work/usage" 2>"$work/check" || { cat "$work/check"; exit 1; }
cat "$work/usage"
sort -n "$work/runs" | awk -v n="$n" -v scan="$scan" -v b="$bytes" -v what="$what" '{ s[NR] = $1; m[NR] = $2; v[NR] = $3 }
END {
	k = int((NR + 1) / 2)
	printf "end-to-end ingest of %d %s, %d bytes)%s, median of %d runs:\n", n, what, b, scan == "" ? ", scanning on" : ", scanning off", NR
	printf "  %.2f s, %.0f msgs/s, %.0f MiB peak RSS, vault %.2f bytes per export byte\n", s[k], n / s[k], m[k] / 1024, v[k] / b
}'
echo "  last run: $(tail -1 "$work/check")"
