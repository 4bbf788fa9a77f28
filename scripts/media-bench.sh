#!/bin/sh
# Whole-process memory of importing big attachments: `sealctl ingest` of a
# generated WhatsApp .zip export holding MIB MiB of random bytes (default
# 1024) in FILES videos (default 1), into a fresh 2-of-3 vault, in a
# temporary folder deleted afterwards. Prints the wall time, the peak RSS
# (/usr/bin/time -v) and the vault's size against the zip's.
# One file is streamed into the vault before its message's chunk commits
# (vault/streams.go); 128 files of 8 MiB are each at the streaming
# threshold, so they are sealed inside their batches, at most 32 MiB each.
# The goal: peak RSS under 150 MB for a 1 GB export, whatever its files.
# usage: scripts/media-bench.sh [MIB [FILES]]
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
mib=${1:-1024}
files=${2:-1}
scripts/deps.sh time zip
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-media.XXXXXX")
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/sealctl" ./cmd/sealctl
export SEALROOM_STATE_DIR="$work/state"
bench_vault "$work/v.vault"

mkdir "$work/export"
{
	echo "05/01/2024, 09:12 - Ann: morning, the recordings from yesterday"
	i=1
	while [ $i -le "$files" ]; do
		printf '05/01/2024, 09:13 - Ann: VID-20240105-WA%04d.mp4 (file attached)\n' $i
		i=$((i + 1))
	done
	echo "05/01/2024, 09:15 - Bob: got them, thanks"
} >"$work/export/_chat.txt"
# Each file's share of MIB, in KiB (MIB × 1024 / FILES).
kib=$((mib * 1024 / files))
i=1
while [ $i -le "$files" ]; do
	head -c "${kib}K" /dev/urandom >"$work/export/$(printf 'VID-20240105-WA%04d.mp4' $i)"
	i=$((i + 1))
done
(cd "$work/export" && zip -q -0 "$work/WhatsApp Chat - Desk.zip" _chat.txt VID-*.mp4)
rm -r "$work/export"
zbytes=$(stat -c %s "$work/WhatsApp Chat - Desk.zip")

/usr/bin/time -v -o "$work/t" "$work/sealctl" ingest "$work/v.vault" --as "$work/admin.asc" \
	--passphrase-file "$work/pass" --format whatsapp --days-first yes --tz UTC --no-scan \
	"$work/WhatsApp Chat - Desk.zip" 2>"$work/err" || { cat "$work/err" "$work/t"; exit 1; }
tail -1 "$work/err"
"$work/sealctl" vault check "$work/v.vault" >"$work/usage" 2>"$work/check" || { cat "$work/check"; exit 1; }
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/t")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/t")
printf 'ingest of a WhatsApp .zip (%d bytes) holding %d MiB in %d videos: %s wall, %.0f MiB peak RSS, vault %d bytes (%.3f× the zip)\n' \
	"$zbytes" "$mib" "$files" "$wall" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$(stat -c %s "$work/v.vault")" \
	"$(awk -v v="$(stat -c %s "$work/v.vault")" -v z="$zbytes" 'BEGIN { print v / z }')"
