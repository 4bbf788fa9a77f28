#!/bin/sh
# Side by side with the npm package whatsapp-chat-parser@4.0.2 on the same
# 1,000,000-message WhatsApp export: whole-process wall time and peak RSS,
# RUNS runs each (default 5) taken in turn, medians and the ratio.
# Needs node and npm (Debian: nodejs npm) and network access to the npm
# registry. Then PII detection beside the npm redactors @redactpii/node
# and @cdssnc/sanitize-pii on the corpus's English messages.
# usage: scripts/bench-peers.sh [RUNS] [MESSAGES]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
n=${2:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-peers.XXXXXX")
trap 'rm -rf "$work"' EXIT
command -v node >/dev/null && command -v npm >/dev/null || { echo "bench-peers needs node and npm: sudo apt-get install nodejs npm"; exit 1; }

go build -o "$work/waparse" ./internal/cmd/waparse
go run ./internal/synth/cmd/wagen -n "$n" >"$work/chat.txt"
size=$(stat -c %s "$work/chat.txt")
echo "input: $n messages, $size bytes" >&2
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund whatsapp-chat-parser@4.0.2 >/dev/null)
cat >"$work/parse.mjs" <<'JS'
import { readFileSync } from 'node:fs';
import { parseString } from 'whatsapp-chat-parser';
const text = readFileSync(process.argv[2], 'utf8');
const messages = parseString(text);
console.log(`${messages.length} messages`);
JS

# run NAME CMD…: one timed run, appending "seconds maxrss_kb" to $work/NAME.
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/out.$name"
	cat "$work/t" >>"$work/$name"
}
i=0
while [ $i -lt "$runs" ]; do
	run go "$work/waparse" "$work/chat.txt"
	run node node "$work/parse.mjs" "$work/chat.txt"
	i=$((i + 1))
done
echo "go:   $(cat "$work/out.go")"
echo "node: $(cat "$work/out.node")"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
gs=$(cut -d' ' -f1 "$work/go" | median)
ns=$(cut -d' ' -f1 "$work/node" | median)
gm=$(cut -d' ' -f2 "$work/go" | median)
nm=$(cut -d' ' -f2 "$work/node" | median)
awk -v n="$n" -v b="$size" -v gs="$gs" -v ns="$ns" -v gm="$gm" -v nm="$nm" -v runs="$runs" 'BEGIN {
	printf "whole process, median of %d runs\n", runs
	printf "%-28s %8.2f s %10.0f msgs/s %7.1f MB/s %7.0f MiB peak\n", "sealroom capture/whatsapp", gs, n / gs, b / gs / 1e6, gm / 1024
	printf "%-28s %8.2f s %10.0f msgs/s %7.1f MB/s %7.0f MiB peak\n", "whatsapp-chat-parser 4.0.2", ns, n / ns, b / ns / 1e6, nm / 1024
	printf "ratio: sealroom is %.1f× the peer (goal 12×)\n", ns / gs
}'

# PII detection side by side with the npm redactors on the corpus's English
# messages (issue 4: at least 10× @redactpii/node's messages per second).
echo
(cd "$work" && npm install --silent --no-audit --no-fund @redactpii/node@1.0.17 @cdssnc/sanitize-pii@2.1.1 >/dev/null)
go run ./internal/eval/cmd/eval -messages 200000 -numbers 0 -peers "$work" | sed -n '/^English corpus messages/,$p'
