#!/bin/sh
# Checks a Sealroom access-log export with GnuPG and sha256sum alone:
# every entry's signature is good and made by the key of the member the
# entry names as its actor, every entry's "prev" is the SHA-256 of the
# entry file before it (64 zeros for the first), seq counts 1, 2, 3 …,
# every entry names the same vault, the checkpoint is signed by a member
# and states the number of entries. Exit 0: intact; exit 1: the first
# failing entry and why.
set -eu
cd "$(dirname "$0")"
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --import keys/*.asc 2>/dev/null

fail() { echo "entry $1: $2" >&2; exit 1; }
field() { sed -n "s/^.*\"$2\":\"\\{0,1\\}\\([^\",]*\\).*\$/\\1/p" "$1"; }

prev=0000000000000000000000000000000000000000000000000000000000000000
vault=
n=0
for f in entries/*.json; do
	n=$((n + 1))
	[ "$f" = "entries/$(printf %06d "$n").json" ] || fail "$n" "missing: found $f"
	[ "$(field "$f" seq)" = "$n" ] || fail "$n" "sequence: seq is $(field "$f" seq)"
	v=$(field "$f" vault)
	[ -n "$vault" ] || vault=$v
	[ "$v" = "$vault" ] || fail "$n" "vault: entry is for vault $v"
	[ "$(field "$f" prev)" = "$prev" ] || fail "$n" "prev-hash: does not match the entry before"
	actor=$(field "$f" actor)
	gpg --batch --status-fd 1 --verify "${f%.json}.sig" "$f" 2>/dev/null |
		grep -q "^\[GNUPG:\] VALIDSIG .* $actor\$" || fail "$n" "signature: not a good signature by actor $actor"
	prev=$(sha256sum <"$f" | cut -d' ' -f1)
done
size=$(sed -n 2p checkpoint)
[ "$size" -le "$n" ] || fail $((n + 1)) "missing: the checkpoint states $size entries, the export holds $n"
[ "$size" = "$n" ] || fail $((size + 1)) "count: the checkpoint states $size entries, the export holds $n"
gpg --batch --verify checkpoint.sig checkpoint 2>/dev/null || fail 0 "checkpoint signature is not good"
echo "intact: $n entries, head $prev"
