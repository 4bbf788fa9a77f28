#!/bin/sh
# The workbench on a big vault (issue 5): a 1,000,000-message synthetic
# archive (N messages, default 1,000,000) with at least 20,000 risk events
# — the built-in packs and a bench policy flagging "can you" (~3% of
# messages) — opened by the real app under Xvfb with --trace and driven
# with xdotool: open to the first queue page, filter changes, events
# opened; peak RSS of the whole process. Medians of the repeated steps.
# usage: scripts/gui-bench.sh [N]
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
n=${1:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-guibench.XXXXXX")
trap 'stop_x; rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/sealctl" ./cmd/sealctl
go build -tags migrated_fynedo -o "$work/sealroom" .
echo "generating $n messages and the vault…" >&2
go run ./internal/corpus/cmd/corpus --messages "$n" --seed 20261123 --formats whatsapp-android --out "$work/corpus" >/dev/null
mkdir -p "$work/policies"
cp assets/policies/*.policy "$work/policies/"
cat >"$work/policies/bench.policy" <<'POLICY'
sealroom-policy 1
# For the workbench benchmark only: a common phrase, so the queue is big.
policy: bench-chatter
name: Bench chatter
category: complaint
severity: low
languages: en
term en: can you
POLICY
export SEALROOM_STATE_DIR="$work/state"
bench_vault "$work/v.vault" rita
"$work/sealctl" member add "$work/v.vault" --as "$work/admin.asc" --passphrase-file "$work/pass" --role reviewer "$work/rita.pub" 2>/dev/null
"$work/sealctl" ingest "$work/v.vault" --as "$work/admin.asc" --passphrase-file "$work/pass" --tz UTC --policies "$work/policies" \
	--custodian-folders "$work/corpus/whatsapp-android" 2>&1 | tail -2 >&2

start_xvfb
"$work/sealroom" --trace --vault "$work/v.vault" --key "$work/rita.asc" 2>"$work/trace" &
app=$!
wait_window "$work/trace"
click 600 385
xdotool type --delay 10 "bench passphrase"
xdotool key Return
for _ in $(seq 60); do grep -q "first queue page" "$work/trace" && break; sleep 0.5; done
grep -q "first queue page" "$work/trace" || { echo "gui-bench: the queue never showed" >&2; cat "$work/trace" >&2; exit 1; }
sleep 1
# The severity menu's items: All 135, low 174, medium 213, high 252,
# critical 291; rows of the list every 78 px from 257.
for item in 291 174 135 252 174 135 291; do
	click 327 101 0.7   # Severity
	click 327 "$item" 1 # a severity from its menu
	for row in 296 452; do
		click 330 "$row" 0.7 # an event of the page
	done
done
# Peak resident memory of the whole process, from the kernel.
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$app/status")
kill "$app"
wait "$app" 2>/dev/null || true
app=
grep '^trace' "$work/trace" >&2
events=$(sed -n 's/.*first queue page: .*(\([0-9]*\) events read.*/\1/p' "$work/trace")
awk -v rss="$rss" -v events="$events" '
/first queue page/ { split($0, a, "first queue page: "); first = a[2] + 0 }
/window shown/ { split($0, a, "window shown: "); shown = a[2] + 0 }
/trace: filter: / { split($0, a, "filter: "); f[++nf] = a[2] + 0 }
/trace: event view: / { split($0, a, "event view: "); e[++ne] = a[2] + 0 }
function median(x, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
	return n == 0 ? -1 : (n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2)
}
END {
	printf "workbench on a vault of %s events:\n", events
	printf "  launch to window %.0f ms; Open to first queue page %.0f ms (goal: launch to first page 1500, less the passphrase typed)\n", shown, first
	printf "  filter change %.1f ms median of %d (goal 100), event view %.1f ms median of %d (goal 50), peak RSS %.0f MiB (goal 400)\n", median(f, nf), nf, median(e, ne), ne, rss / 1024
}' "$work/trace"
