#!/bin/sh
# make screenshots: runs the real workbench under Xvfb on a copy of the
# demo vault, drives it with xdotool through the whole story — a reviewer
# asks to read, two officers approve, the reviewer reads, an auditor
# verifies the log — and writes a PNG of each screen to docs/screenshots/,
# then the queue and a conversation with the Chinese UI.
# Positions are for the 1200×760 window it opens; if a screen's layout
# changes, look at the PNGs (they are the test) and adjust.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
out=docs/screenshots
bin=bin/sealroom
[ -f demo/demo.vault ] || scripts/demo.sh >demo-setup.log 2>&1
work=$(mktemp -d "${TMPDIR:-/tmp}/sealroom-shots.XXXXXX")
trap 'stop_x; rm -rf "$work"' EXIT
cp -r demo "$work/demo"
mkdir -p "$out"
# A request for the Signal chat (Arabic and Hindi in Devanagari), approved
# with sealctl, for the picture of other scripts.
(
	cd "$work"
	export SEALROOM_STATE_DIR=demo/state
	conv=$(SEALROOM_PASSPHRASE=demo-rita "$OLDPWD/bin/sealctl" conversations demo/demo.vault --as demo/rita.asc | awk '$2 == "signal" { print $1 }')
	req=$(SEALROOM_PASSPHRASE=demo-rita "$OLDPWD/bin/sealctl" request demo/demo.vault --as demo/rita.asc --scope "$conv:1-5" \
		--reason "Off-channel alert on the Gulf-India desk chat" --for 4h)
	for who in olga omar; do
		SEALROOM_PASSPHRASE="demo-$who" "$OLDPWD/bin/sealctl" approve demo/demo.vault --as "demo/$who.asc" "$req" >/dev/null
	done
) 2>/dev/null
start_xvfb

mkdir -p "$work/home" "$work/tmp"
start() { # LANG
	# Its own HOME and TMPDIR, searched for plaintext at the end (T22).
	(cd "$work" && HOME="$work/home" TMPDIR="$work/tmp" LANG=$1 SEALROOM_STATE_DIR=demo/state \
		exec "$OLDPWD/$bin" --vault demo/demo.vault --key demo/rita.asc >>"$work/app.log" 2>&1) &
	app=$!
	wait_window "$work/app.log"
}
stop() { kill "$app"; wait "$app" 2>/dev/null || true; app=; }
typeln() { xdotool type --delay 15 "$1"; sleep 0.3; }
key() { xdotool key "$@"; sleep 0.6; }
shot() { sleep "${2:-0.8}"; import -window root "$out/$1.png"; echo "  $out/$1.png"; }

# login WHO: on the open screen, choose WHO's key and type the passphrase.
login() {
	click 605 345
	key ctrl+a
	typeln "demo/$1.asc"
	click 600 385
	typeln "demo-$1"
	key Return
	sleep 2
}
switch_to() { click 1135 22 1; login "$1"; }

echo "screenshots (English):"
start en_US.UTF-8
shot 01-open
click 600 385
typeln demo-rita
key Return
shot 02-queue 2
click 1138 105 1 # Ask to read…
click 650 355
typeln "Critical alert on the desk chat: need the context to decide"
shot 03-request
click 667 552 1 # Send request
shot 04-request-sent
click 600 417 # OK
switch_to olga
shot 05-approvals
click 587 699 1 # Approve…
typeln demo-olga
shot 06-approve-passphrase
key Return
shot 07-approved 2
switch_to omar
click 587 699 1
typeln demo-omar
key Return
sleep 2
switch_to rita
click 150 62 1 # My unlocks
click 240 140 1 # the newest request
shot 08-my-unlocks
click 560 376 2 # Read the messages
shot 09-conversation
click 240 220 1 # the request for the Signal chat
click 560 376 2 # Read the messages
shot 09b-arabic-hindi
click 247 62 1 # Dashboard
shot 10-dashboard 1.5
switch_to aldo
shot 11-access-log
click 58 101 # Verify the log
shot 12-verified 3
click 733 243 # who accessed request r2? (below the verify banner)
typeln r2
shot 13-who-accessed
stop

echo "screenshots (Simplified Chinese):"
start zh_CN.UTF-8
click 600 385
typeln demo-rita
key Return
shot 14-queue-zh 2
stop

# T22: nothing the workbench showed unlocked may be on disk outside the
# vault: search its HOME (Fyne's preferences), TMPDIR, the workstation
# state and the vault file for messages read above.
echo "no plaintext on disk (T22):"
for canary in "ठीक है, कल सुबह बात करते हैं" "شكراً، إلى الغد" "text me on my personal, this is off the books"; do
	if grep -rlF "$canary" "$work/home" "$work/tmp" "$work/demo/state" "$work/demo/demo.vault" "$work/app.log" 2>/dev/null; then
		echo "screenshots: unlocked text found on disk: $canary" >&2
		exit 1
	fi
done
echo "  none of the unlocked messages is in HOME, TMPDIR, the state folder, the vault or the log"
ls "$work/home/.config/fyne/io.sealroom.workbench" >/dev/null 2>&1 && echo "  preferences: $(cat "$work/home/.config/fyne/io.sealroom.workbench/preferences.json" | tr -d '\n' | cut -c1-200)"
