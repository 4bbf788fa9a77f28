#!/bin/sh
# Installs the Debian packages a make target needs: with apt-get when run as
# root, otherwise it stops and prints the exact command to run.
# usage: scripts/deps.sh PACKAGE…
set -eu
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
else
	echo "missing Debian packages. Run:" >&2
	echo "  sudo apt-get install$missing" >&2
	exit 1
fi
