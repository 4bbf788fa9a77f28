# Shell functions the benchmark and screenshot scripts share; source it
# after `cd` to the repository and setting $work (a temporary folder).

# bench_vault VAULT MEMBER…: makes an admin and three officers (and the
# members named, keys only) with the passphrase in $work/pass, then a
# 2-of-3 vault at VAULT. Needs $work/sealctl and SEALROOM_STATE_DIR.
bench_vault() {
	vault=$1
	shift
	printf 'bench passphrase\n' >"$work/pass"
	for who in admin o1 o2 o3 "$@"; do
		"$work/sealctl" identity new --name "$who" --email "$who@bench.test" --out "$work/$who.asc" --passphrase-file "$work/pass" 2>/dev/null
		"$work/sealctl" identity public "$work/$who.asc" >"$work/$who.pub"
	done
	"$work/sealctl" vault init "$vault" --admin "$work/admin.asc" --officer "$work/o1.pub" --officer "$work/o2.pub" \
		--officer "$work/o3.pub" --passphrase-file "$work/pass" 2>/dev/null
}

# start_xvfb: a 1200×760 X server of its own on DISPLAY; stop_x stops it
# and the app, if any (call it from the script's exit trap).
start_xvfb() {
	DISPLAY=:$((80 + $$ % 19))
	export DISPLAY
	Xvfb "$DISPLAY" -screen 0 1200x760x24 -nolisten tcp >/dev/null 2>&1 &
	xvfb=$!
	sleep 1
}
stop_x() {
	[ -n "${app:-}" ] && kill "$app" 2>/dev/null
	[ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null
	return 0
}

# wait_window LOG: waits for the workbench's window, sets $win, moves it
# to the corner; shows LOG and fails if no window came.
wait_window() {
	win=
	for _ in $(seq 20); do
		win=$(xdotool search --name '^Sealroom' 2>/dev/null | head -1) && [ -n "$win" ] && break
		sleep 0.5
	done
	[ -n "$win" ] || { echo "$0: the workbench did not open a window" >&2; cat "$1" >&2; exit 1; }
	xdotool windowmove "$win" 0 0
	sleep 1
}

# click X Y [SECONDS]: clicks the window at X,Y and waits.
click() { xdotool mousemove --window "$win" "$1" "$2" click 1; sleep "${3:-0.6}"; }
