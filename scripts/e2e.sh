#!/bin/sh
# End-to-end test of sealctl as scripts and auditors use it: identities (one
# made by real GnuPG), a 2-of-3 vault, 1,000 messages in 32 conversations,
# requests, votes, unlocks, expiry, and the exported log checked by gpg.
# usage: scripts/e2e.sh   (run by `make test`; needs go and gpg)
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-e2e.XXXXXX")
export GNUPGHOME="$work/gnupg"
cleanup() {
	gpgconf --kill gpg-agent >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
mkdir -m 700 "$GNUPGHOME"
export SEALROOM_STATE_DIR="$work/state"
unset SEALROOM_PASSPHRASE

fails=0
step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
bad() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }

CGO_ENABLED=0 go build -o "$work/sealctl" ./cmd/sealctl
go build -o "$work/synth" ./internal/synth/cmd/synth

# as NAME ARGS…: run sealctl as the member NAME (key $work/NAME.asc,
# passphrase in $work/NAME.pass); output in $work/out and $work/err.
as() {
	who=$1
	shift
	set +e
	"$work/sealctl" "$@" --as "$work/$who.asc" --passphrase-file "$work/$who.pass" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	return 0
}
# with NAME ARGS…: like as, without --as (for vault init).
with() {
	who=$1
	shift
	set +e
	"$work/sealctl" "$@" --passphrase-file "$work/$who.pass" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	return 0
}
# expect CODE WHAT: the last command exited with CODE.
expect() {
	if [ "$rc" = "$1" ]; then ok "$2"; else
		bad "$2: exit $rc, want $1"
		sed 's/^/     /' "$work/err"
	fi
}

step "identities: five made by sealctl, one by gpg --quick-gen-key"
for p in admin:Ada:Admin oscar:Oscar:Officer olivia:Olivia:Officer rita:Rita:Reviewer aldo:Aldo:Auditor; do
	n=${p%%:*}
	rest=${p#*:}
	printf 'passphrase of %s for the e2e test\n' "$n" >"$work/$n.pass"
	"$work/sealctl" identity new --name "${rest%%:*} ${rest#*:}" --email "$n@e2e.example" \
		--out "$work/$n.asc" --passphrase-file "$work/$n.pass" 2>"$work/err" || { cat "$work/err"; exit 1; }
	"$work/sealctl" identity public "$work/$n.asc" >"$work/$n.pub"
done
printf 'greta gpg passphrase\n' >"$work/greta.pass"
gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$work/greta.pass" \
	--quick-gen-key 'Greta Gnupg <greta@e2e.example>' future-default default never 2>/dev/null
gpg --batch --armor --export greta@e2e.example >"$work/greta.pub"
gpg --batch --pinentry-mode loopback --passphrase-file "$work/greta.pass" \
	--armor --export-secret-keys greta@e2e.example >"$work/greta.asc"
grep -q 'BEGIN PGP PRIVATE KEY BLOCK' "$work/greta.asc" && ok "gpg made Greta's key" || bad "gpg key export"

V="$work/archive.vault"
step "vault: 2 of 3 officers, a reviewer, an auditor"
with admin vault init "$V" --officer "$work/oscar.pub" --officer "$work/olivia.pub" --officer "$work/greta.pub" --threshold 2 --admin "$work/admin.asc"
expect 0 "vault init"
mode=$(stat -c %a "$V")
[ "$mode" = 600 ] && ok "vault file mode 0600" || bad "vault file mode $mode"
as admin member add "$V" --role reviewer "$work/rita.pub"
expect 0 "add reviewer"
as admin member add "$V" --role auditor "$work/aldo.pub"
expect 0 "add auditor"
as rita member add "$V" --role admin "$work/rita.pub"
expect 1 "a reviewer cannot enrol members"
as aldo member list "$V"
expect 0 "member list"
[ "$(grep -c officer "$work/out")" = 3 ] && ok "three officers listed" || bad "officers listed: $(cat "$work/out")"

step "ingest 1,000 messages in 32 conversations"
"$work/synth" -n 1000 -convs 32 >"$work/messages.jsonl"
as admin ingest "$V" "$work/messages.jsonl"
expect 0 "ingest"
cp "$work/err" "$work/ingest.err"
grep -q '1000 new, 0 duplicate' "$work/err" && ok "1000 new" || bad "ingest said: $(cat "$work/err")"
as admin ingest "$V" "$work/messages.jsonl"
grep -q '0 new, 1000 duplicate' "$work/err" && ok "re-ingest adds nothing" || bad "re-ingest said: $(cat "$work/err")"
as rita ingest "$V" "$work/messages.jsonl"
expect 1 "a reviewer cannot ingest"
as rita conversations "$V"
expect 0 "conversations"
rows=$(($(wc -l <"$work/out") - 1))
total=$(awk 'NR > 1 { s += $3 } END { print s }' "$work/out")
[ "$rows" = 32 ] && [ "$total" = 1000 ] && ok "32 conversations, 1000 messages" || bad "$rows conversations, $total messages"
grep -q 'chat-0\|Desk chat' "$work/out" && bad "conversation list shows real titles" || ok "titles are pseudonymous"
conv=$(awk 'NR == 2 { print $1 }' "$work/out")
cp "$V" "$work/backup.vault"

step "request $conv:3-12, then 0, 1 and 2 approvals"
as rita request "$V" --scope "$conv:3-12" --reason "Order 4471 front-running alert, desk review" --for 1h
expect 0 "request"
req=$(cat "$work/out")
as rita unlock "$V" "$req"
expect 3 "unlock with 0 approvals is refused"
as rita approve "$V" "$req"
expect 1 "the requester cannot approve"
as oscar approve "$V" "$req"
expect 0 "first approval"
as rita unlock "$V" "$req"
expect 3 "unlock with 1 approval is refused"
as oscar approve "$V" "$req"
expect 1 "an officer's second vote is refused"
as rita requests "$V"
grep -q "^$req .*1/2" "$work/out" && ok "still 1 of 2 approvals" || bad "requests: $(cat "$work/out")"
as greta approve "$V" "$req"
expect 0 "second approval, with the GnuPG-made key"
as rita unlock "$V" "$req"
expect 0 "unlock with 2 approvals"
grep '"type":"message"' "$work/out" >"$work/got"
grep '"conversation":"whatsapp:chat-000"' "$work/messages.jsonl" | grep '"type":"message"' | sed -n 3,12p >"$work/want"
if cmp -s "$work/got" "$work/want" && [ "$(wc -l <"$work/got")" = 10 ]; then ok "prints exactly messages 3-12"; else
	bad "unlocked messages differ from the input"
	diff "$work/want" "$work/got" | head -5
fi
as olivia unlock "$V" "$req"
expect 3 "an officer who is not the requester cannot unlock"

step "expiry and denial"
as rita request "$V" --scope "$conv:1-5" --reason "Short look at the opening of the chat" --for 2s
req2=$(cat "$work/out")
as oscar approve "$V" "$req2"
as olivia approve "$V" "$req2"
as rita unlock "$V" "$req2"
expect 0 "unlock inside the grant"
sleep 3
as rita unlock "$V" "$req2"
expect 3 "unlock after expiry is refused"
as rita request "$V" --scope "$conv:20-25" --reason "Second alert on the same desk chat" --for 1h
req3=$(cat "$work/out")
as olivia deny "$V" "$req3" --reason "Not proportionate: the alert was cleared"
expect 0 "denial"
as oscar approve "$V" "$req3"
as rita unlock "$V" "$req3"
expect 3 "a denied request stays locked"

step "risk events: found at ingest, redacted, disposed of, unlocked by event"
grep -q 'risk events found' "$work/ingest.err" && ok "ingest reports risk events" || bad "ingest said: $(cat "$work/ingest.err")"
as rita events list "$V" --json
expect 0 "events list"
nev=$(wc -l <"$work/out")
[ "$nev" -gt 0 ] && ok "$nev events" || bad "no events from a corpus with risk phrases"
# Masked: every readable word of an excerpt, placeholders and pseudonyms
# aside, is a word of a policy term.
sed -n 's/.*"excerpt":"\([^"]*\)".*/\1/p' "$work/out" | sed 's/\\[nrt]/ /g; s/\[[A-Z-]*\]//g; s/P-[0-9A-Z]\{8\}//g' |
	tr -c 'A-Za-z0-9\n' ' ' | tr ' ' '\n' | grep -v '^$' | sort -u >"$work/words"
stray=""
while read -r w; do
	grep -qiw -- "$w" assets/policies/*.policy || stray="$stray $w"
done <"$work/words"
if [ -s "$work/words" ] && [ -z "$stray" ]; then ok "excerpts are masked: $(wc -l <"$work/words") readable words, all policy terms"; else
	bad "masked excerpts show words that are no policy term:${stray:- (no readable word at all)}"
fi
grep -q 'Desk chat\|+44 7700' "$work/out" && bad "an event shows a title or a phone number" || ok "no titles or numbers in events"
ev=$(head -1 "$work/out" | sed 's/.*"id":"\(E[0-9]*\)".*/\1/')
as rita events set "$V" --status escalated --note "desk head to review" "$ev"
expect 0 "events set $ev escalated"
as rita events list "$V" --status escalated
grep -q "^$ev " "$work/out" && ok "$ev is escalated" || bad "escalated list: $(cat "$work/out")"
as aldo events set "$V" --status closed-no-issue "$ev"
expect 1 "an auditor cannot dispose of events"
as rita request "$V" --event "$ev" --context 2 --reason "Escalated event: read the message and two either side" --for 1h
expect 0 "request --event"
req4=$(cat "$work/out")
as oscar approve "$V" "$req4"
as olivia approve "$V" "$req4"
as rita unlock "$V" "$req4"
expect 0 "unlock by event"
n=$(grep -c '"type":"message"' "$work/out")
[ "$n" -ge 3 ] && [ "$n" -le 5 ] && ok "the event's scope holds $n messages" || bad "event scope holds $n messages"

step "access log"
as aldo log verify "$V"
expect 0 "log verify"
as aldo log show "$V"
for a in vault.init member.add ingest request approve deny grant unlock refused event.status; do
	grep -q " $a " "$work/out" || bad "log has no $a entry"
done
ok "log shows every kind of action"
as aldo log export "$V" --out "$work/export"
expect 0 "log export"
n=$(ls "$work/export/entries/" | grep -c '\.json$')
(cd "$work/export" && ./verify.sh) >"$work/verify.out" 2>&1 && ok "verify.sh with gpg: $n entries" || { bad "verify.sh"; tail -5 "$work/verify.out"; }
"$work/sealctl" log verify --export "$work/export" >/dev/null 2>&1 && ok "sealctl verifies the export" || bad "sealctl log verify --export"

step "a vault restored from an older copy is reported"
cp "$work/backup.vault" "$V"
as aldo log verify "$V"
expect 5 "the restored vault's log is older than the one this workstation saw"
as aldo log verify "$V" --accept-log-head
expect 0 "an auditor acknowledges it"

step "tampering with the export is caught, with the entry's index"
tamper() { # tamper NAME INDEX EDIT…
	rm -rf "$work/t"
	cp -r "$work/export" "$work/t"
	name=$1 idx=$2
	shift 2
	"$@"
	if (cd "$work/t" && ./verify.sh) >"$work/verify.out" 2>&1; then bad "$name: verify.sh passed"; else
		grep -q "entry $idx[: ]" "$work/verify.out" && ok "$name: verify.sh names entry $idx" || bad "$name: verify.sh said $(tail -1 "$work/verify.out")"
	fi
	set +e
	"$work/sealctl" log verify --export "$work/t" >/dev/null 2>"$work/err"
	rc=$?
	set -e
	[ $rc = 1 ] && grep -q "entry $idx[: ]" "$work/err" && ok "$name: sealctl names entry $idx" || bad "$name: sealctl exit $rc: $(cat "$work/err")"
}
e5="$work/t/entries/000005.json"
tamper "edited body" 5 sed -i 's/"seq":5/"seq":5 /' "$e5"
tamper "swapped signature" 6 cp "$work/t/entries/000007.sig" "$work/t/entries/000006.sig"
tamper "deleted entry" 8 rm "$work/t/entries/000008.json" "$work/t/entries/000008.sig"
last=$(ls "$work/export/entries/" | grep '\.json$' | tail -1)
tamper "truncated log" "$((n))" rm "$work/t/entries/$last" "$work/t/entries/${last%.json}.sig"

printf '\n'
if [ "$fails" -gt 0 ]; then
	echo "e2e: $fails checks failed"
	exit 1
fi
echo "e2e: all checks passed"
