#!/bin/sh
# Runs the benchmarks behind issue 2's goals COUNT times (default 5) and
# prints each one's median. The machine is shared: read medians, not means.
# usage: scripts/bench.sh [COUNT]
set -eu
cd "$(dirname "$0")/.."
count=${1:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

bench() { # bench PKG REGEXP [go test flags…]
	# -short leaves out the importers' memory tests, which are tests.
	pkg=$1 re=$2
	shift 2
	echo "running $pkg $re ×$count" >&2
	go test -short -run '^$' -bench "$re" -count "$count" "$@" "$pkg" | grep '^Benchmark' |
		sed "s|^Benchmark|${pkg#./}:|" >>"$out"
}

bench ./crypto/seal/ 'Seal|Open' -cpu 1
bench ./crypto/escrow/ 'ApprovePerChunk|Unlock3Chunks|Wrap$' -cpu 1
bench ./crypto/identity/ 'Sign$|Verify$' -cpu 1
bench ./vault/auditlog/ 'VerifyLog' -cpu 1,2
bench ./vault/ 'LogAppend|VaultUnlock3Chunks|Ingest$|EventFilter' -benchtime 200x
bench ./vault/ 'VaultVerifyLog' -cpu 1,2
bench ./review/normalize/ '.' -cpu 1
bench ./review/policy/ 'Lexicon|Scan|Fuzzy|Compile' -cpu 1
bench ./review/pii/ '.' -cpu 1
bench ./review/ 'Scan' -cpu 1
for f in whatsapp telegram slack signal wechat jsonl; do
	bench ./capture/$f/ '^BenchmarkRead' -cpu 1
done

# Median of every metric of every benchmark line, grouped by name.
awk '
{
	name = $1
	for (i = 3; i < NF; i += 2) {
		if ($(i + 1) == "B/op" || $(i + 1) == "allocs/op") continue
		key = name SUBSEP $(i + 1)
		if (!(key in n)) { order[++k] = key }
		v[key, ++n[key]] = $i
	}
}
END {
	printf "%-60s %14s  %s\n", "benchmark", "median", "unit (runs)"
	for (j = 1; j <= k; j++) {
		key = order[j]
		m = n[key]
		for (a = 1; a <= m; a++) s[a] = v[key, a]
		for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
		med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
		split(key, p, SUBSEP)
		printf "%-60s %14.4g  %s (%d)\n", p[1], med, p[2], m
	}
}' "$out"
echo
echo "running scripts/ingest-bench.sh (3 runs of 1,000,000 WhatsApp messages)" >&2
scripts/ingest-bench.sh 3 1000000 | tail -3
echo "running scripts/ingest-bench.sh with scanning on (3 runs of 1,000,000 messages)" >&2
SCAN=1 scripts/ingest-bench.sh 3 1000000 | tail -3
echo "running scripts/ingest-bench.sh on the multilingual corpus, scanning on (3 runs of 1,000,000 messages)" >&2
SCAN=1 CORPUS=1 scripts/ingest-bench.sh 3 1000000 | tail -3
echo "running scripts/ingest-bench.sh (1 run of 14,000,000 messages, a 1 GB export: memory)" >&2
scripts/ingest-bench.sh 1 14000000 | tail -3
echo "running scripts/media-bench.sh (a WhatsApp .zip of one 1 GiB video, then of 512 videos of 2 MiB: memory)" >&2
scripts/media-bench.sh 1024 1 | tail -1
scripts/media-bench.sh 1024 512 | tail -1

echo "running scripts/gui-bench.sh (the workbench on a 1,000,000-message vault)" >&2
scripts/gui-bench.sh 1000000 2>/dev/null | tail -3

cat <<'GOALS'

goals (issue 3): parsing WhatsApp ≥ 5,000,000 msgs/s on one core; end-to-end
ingest ≥ 1,000,000 msgs/s on 2 cores, peak RSS < 150 MB for a 1 GB export (of messages, or of
attachments: scripts/media-bench.sh), vault ≤ 1.3× its sealed chunks (scripts/ingest-bench.sh,
above; make bench-peers for the npm peer).
goals (issue 4), one core: normalization fast enough for a whole scan ≥ 100 MB/s;
lexicon scanning ≥ 150 MB/s with 5,000 phrases, automaton < 32 MiB; PII ≥ 300 MB/s;
end-to-end ingest of the 1,000,000-message corpus, scanning on, ≥ 430,000 msgs/s.
goals (issue 5): on a 1,000,000-message vault with ≥ 20,000 events, launch to the first
queue page ≤ 1.5 s, a filter change ≤ 100 ms, opening an event ≤ 50 ms, peak RSS ≤ 400 MB.
goals (issue 2): seal ≥ 1000 MB/s per core; approval ≤ 1 ms per chunk
(ns/chunk ≤ 1e6); unlock of a 3-chunk scope ≤ 10 ms once approved; log
append with signature and fsync ≤ 2 ms median; log verification
≥ 20,000 entries/s per core, scaling with cores.
GOALS
