#!/bin/sh
# Whole-process memory of importing one big attachment: `sealctl ingest`
# of a generated WhatsApp .zip export whose only medium is a video of
# MIB MiB of random bytes (default 1024), into a fresh 2-of-3 vault, in a
# temporary folder deleted afterwards. Prints the wall time, the peak RSS
# (/usr/bin/time -v) and the vault's size against the file's.
# The goal: peak RSS under 150 MB for a 1 GB export, whatever one file's size.
# usage: scripts/media-bench.sh [MIB]
set -eu
cd "$(dirname "$0")/.."
mib=${1:-1024}
scripts/deps.sh time zip
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-media.XXXXXX")
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/sealctl" ./cmd/sealctl
printf 'media bench passphrase\n' >"$work/pass"
for who in admin o1 o2 o3; do
	"$work/sealctl" identity new --name "$who" --email "$who@bench.test" --out "$work/$who.asc" --passphrase-file "$work/pass" 2>/dev/null
	"$work/sealctl" identity public "$work/$who.asc" >"$work/$who.pub"
done
export SEALROOM_STATE_DIR="$work/state"
"$work/sealctl" vault init "$work/v.vault" --admin "$work/admin.asc" --officer "$work/o1.pub" --officer "$work/o2.pub" \
	--officer "$work/o3.pub" --passphrase-file "$work/pass" 2>/dev/null

mkdir "$work/export"
video=VID-20240105-WA0001.mp4
cat >"$work/export/_chat.txt" <<EOF
05/01/2024, 09:12 - Ann: morning, the recording from yesterday
05/01/2024, 09:13 - Ann: $video (file attached)
05/01/2024, 09:15 - Bob: got it, thanks
EOF
head -c "${mib}M" /dev/urandom >"$work/export/$video"
(cd "$work/export" && zip -q -0 "$work/WhatsApp Chat - Desk.zip" _chat.txt "$video")
rm "$work/export/$video"
zbytes=$(stat -c %s "$work/WhatsApp Chat - Desk.zip")

/usr/bin/time -v -o "$work/t" "$work/sealctl" ingest "$work/v.vault" --as "$work/admin.asc" \
	--passphrase-file "$work/pass" --format whatsapp --days-first yes --tz UTC --no-scan \
	"$work/WhatsApp Chat - Desk.zip" 2>"$work/err" || { cat "$work/err" "$work/t"; exit 1; }
tail -1 "$work/err"
"$work/sealctl" vault check "$work/v.vault" >"$work/usage" 2>"$work/check" || { cat "$work/check"; exit 1; }
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/t")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/t")
printf 'ingest of a WhatsApp .zip (%d bytes) holding one %d MiB video: %s wall, %.0f MiB peak RSS, vault %d bytes (%.3f× the zip)\n' \
	"$zbytes" "$mib" "$wall" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$(stat -c %s "$work/v.vault")" \
	"$(awk -v v="$(stat -c %s "$work/v.vault")" -v z="$zbytes" 'BEGIN { print v / z }')"
