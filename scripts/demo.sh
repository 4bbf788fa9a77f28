#!/bin/sh
# The narrated end-to-end demo of sealctl (make demo; make run uses it to
# create the workbench's demo vault once): it creates demo identities and a
# demo vault in ./demo (replacing an earlier demo), imports
# assets/demo/messages.jsonl, walks one unlock request through two
# officers' approvals to the access log check, and imports a synthetic
# corpus for the workbench's queue.
# Demo passphrases are in README.md; they protect nothing real.
set -eu
cd "$(dirname "$0")/.."
SEALCTL=${SEALCTL:-bin/sealctl}
D=demo
rm -rf "$D"
mkdir -p "$D"
export SEALROOM_STATE_DIR="$D/state"
unset SEALROOM_PASSPHRASE

if [ -t 1 ]; then B=$(printf '\033[1m') N=$(printf '\033[0m') G=$(printf '\033[2m'); else B= N= G=; fi
say() { printf '\n%s%s%s\n' "$B" "$*" "$N"; }
# show ARGS…: print a command line, quoting arguments with spaces (stderr,
# so that command output can be captured).
show() {
	line='$'
	for a in "$@"; do
		case $a in *' '*) line="$line '$a'" ;; *) line="$line $a" ;; esac
	done
	printf '%s%s%s\n' "$G" "$line" "$N" >&2
}
# run WHO ARGS…: show and run a sealctl command as demo member WHO.
run() {
	who=$1
	shift
	show sealctl "$@" --as "$D/$who.asc"
	SEALROOM_PASSPHRASE="demo-$who" "$SEALCTL" "$@" --as "$D/$who.asc"
}
# try …: like run, but the command is expected to be refused.
try() {
	rc=0
	run "$@" || rc=$?
	if [ $rc = 0 ]; then echo "(unexpectedly allowed)"; exit 1; fi
	printf '%s(refused, as it should be: exit %s)%s\n' "$G" "$rc" "$N" >&2
}

say "1. Six people get OpenPGP identities (GnuPG-compatible key files)."
for p in ada:"Ada Admin" olga:"Olga Officer" omar:"Omar Officer" oona:"Oona Officer" rita:"Rita Reviewer" aldo:"Aldo Auditor"; do
	n=${p%%:*}
	SEALROOM_PASSPHRASE="demo-$n" "$SEALCTL" identity new --name "${p#*:}" --email "$n@demo.sealroom" --out "$D/$n.asc" 2>&1 | sed -n 1p
	"$SEALCTL" identity public "$D/$n.asc" >"$D/$n.pub"
done

say "2. Ada creates a vault. Three privacy officers hold escrow key shares; any 2 must approve an unlock."
show sealctl vault init "$D/demo.vault" --admin "$D/ada.asc" --officer "$D/olga.pub" --officer "$D/omar.pub" --officer "$D/oona.pub" --threshold 2
SEALROOM_PASSPHRASE=demo-ada "$SEALCTL" vault init "$D/demo.vault" --admin "$D/ada.asc" --officer "$D/olga.pub" --officer "$D/omar.pub" --officer "$D/oona.pub" --threshold 2
run ada member add "$D/demo.vault" --role reviewer "$D/rita.pub"
run ada member add "$D/demo.vault" --role auditor "$D/aldo.pub"
run aldo member list "$D/demo.vault"

say "3. The capture server imports archived chats. Each chunk of ≤ 32 messages is sealed under its own key, wrapped to the escrow key nobody holds."
run ada ingest "$D/demo.vault" assets/demo/messages.jsonl
say "   Importing the same file again adds nothing."
run ada ingest "$D/demo.vault" assets/demo/messages.jsonl

say "4. Rita the reviewer sees conversations, pseudonymously — not a word of content."
run rita conversations "$D/demo.vault"
conv=$(SEALROOM_PASSPHRASE=demo-rita "$SEALCTL" conversations "$D/demo.vault" --as "$D/rita.asc" | awk '$2 == "whatsapp" { print $1 }')

say "   Every message was scanned at import. Rita's queue holds risk events, masked: only the matched terms show."
run rita events list "$D/demo.vault"

say "5. An alert fired on the WhatsApp chat. Rita asks to read messages 2 to 7, for one hour, and says why."
run rita request "$D/demo.vault" --scope "$conv:2-7" --reason "Alert: possible front-running ahead of the 8:45 fix" --for 1h >"$D/req"
req=$(cat "$D/req")
echo "$req"
try rita unlock "$D/demo.vault" "$req"

say "6. Officers vote. Rita cannot approve her own request; one approval is not enough."
try rita approve "$D/demo.vault" "$req"
run olga approve "$D/demo.vault" "$req"
try rita unlock "$D/demo.vault" "$req"
run omar approve "$D/demo.vault" "$req"
run rita requests "$D/demo.vault"

say "7. Two approvals: the officers' partial decryptions open exactly those chunks, and Rita sees exactly messages 2-7."
run rita unlock "$D/demo.vault" "$req"

say "8. Aldo the auditor checks the signed, hash-chained access log, then exports it for anyone to check with gpg."
run aldo log show "$D/demo.vault"
run aldo log verify "$D/demo.vault"
run aldo log export "$D/demo.vault" --out "$D/log-export"
show cd "$D/log-export" '&&' ./verify.sh
(cd "$D/log-export" && GNUPGHOME=$(mktemp -d) ./verify.sh)

say "9. For the workbench, a larger archive: a synthetic corpus of up to ${DEMO_MESSAGES:-20000} messages in six languages from the last year, exported from WhatsApp and from WeChat."
# Conversations start over the 300 days after --start: most of the archive
# is from the last year, so the dashboard's recent weeks have events. The
# few messages the generator would date after yesterday are left out.
start=$(date -u -d '-380 days' +%F)
until=$(date -u -d '-1 day' +%F)
show go run ./internal/corpus/cmd/corpus --messages "${DEMO_MESSAGES:-20000}" --seed 20261123 --start "$start" --until "$until" --formats whatsapp-android,wechat-txt --out "$D/corpus"
go run ./internal/corpus/cmd/corpus --messages "${DEMO_MESSAGES:-20000}" --seed 20261123 --start "$start" --until "$until" --formats whatsapp-android,wechat-txt --out "$D/corpus" >/dev/null
run ada ingest "$D/demo.vault" --tz Asia/Shanghai --custodian-folders "$D/corpus/whatsapp-android" "$D/corpus/wechat-txt"
run rita events list "$D/demo.vault" --severity critical | tail -5

say "Done. Everything is in ./$D; the passphrase of each demo key is demo-NAME (README.md). make run opens the workbench on it."
